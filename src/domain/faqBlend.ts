// Decides whether a message the lexical matcher did not answer is, by the provider's embeddings, one
// of the tenant's FAQs after all. Precision first: a wrong verbatim answer costs trust, a miss only
// an AI call (the AI still sees the nearest FAQs), so the semantic signal must be strong on its own,
// corroborated by the lexical one near the floor, and clearly ahead of every other FAQ.
import type { FaqEntry, FaqMatch } from './faqMatcher.js';

export interface FaqBlendOptions {
  /** The cosine an FAQ's nearest wording must reach at all (EMBEDDING_MIN_SIMILARITY). */
  minSimilarity: number;
}

/** One FAQ (all its wordings) as the blend sees it. */
export interface BlendCandidate {
  entry: FaqEntry;
  /** Highest cosine between the message and any of the FAQ's wordings. */
  similarity: number;
  /** The lexical matcher's best score for the FAQ (0 when it shared no word). */
  lexical: number;
}

/** The semantic signal carries the blend; the lexical score lifts a paraphrase that also shares words. */
export const SEMANTIC_WEIGHT = 0.75;
/** Blended score to answer verbatim: at the similarity floor (0.75) it needs a lexical 0.15; at 0.8 none. */
export const BLEND_THRESHOLD = 0.6;
/** The best FAQ's similarity must lead every other FAQ's by this much: two close FAQs mean the message is ambiguous. */
export const SIMILARITY_MARGIN = 0.05;
/** As for the lexical matcher: entries below this confidence only inform the AI. */
const MIN_VERBATIM_CONFIDENCE = 0.5;
/** Blended scores this close are a tie: priority, then confidence decide. */
const TIE_EPSILON = 0.02;

export const DEFAULT_MIN_SIMILARITY = 0.75;

export function blendedScore(candidate: Pick<BlendCandidate, 'similarity' | 'lexical'>): number {
  return SEMANTIC_WEIGHT * candidate.similarity + (1 - SEMANTIC_WEIGHT) * candidate.lexical;
}

/** The FAQ to answer verbatim, with its blended score, or null when the signals are not clearly enough agreed. */
export function blendFaqMatch(candidates: readonly BlendCandidate[], options: FaqBlendOptions): FaqMatch | null {
  const scored = candidates
    .map((candidate) => ({ candidate, score: blendedScore(candidate) }))
    .sort((a, b) => b.score - a.score || b.candidate.similarity - a.candidate.similarity);
  const best = scored[0];
  if (!best || best.candidate.similarity < options.minSimilarity || best.score < BLEND_THRESHOLD) return null;
  const tied = scored.filter(
    (s) =>
      best.score - s.score <= TIE_EPSILON &&
      s.score >= BLEND_THRESHOLD &&
      s.candidate.similarity >= options.minSimilarity,
  );
  const others = scored.filter((s) => !tied.includes(s));
  const runnerUp = others.reduce((max, s) => Math.max(max, s.candidate.similarity), 0);
  if (best.candidate.similarity - runnerUp < SIMILARITY_MARGIN) return null;
  // A tie between FAQs is decided by the business's priority, then confidence; a low-confidence
  // FAQ among them means the message is about that topic, and nothing is sent verbatim.
  if (tied.some((s) => s.candidate.entry.confidenceScore < MIN_VERBATIM_CONFIDENCE)) return null;
  tied.sort(
    (a, b) =>
      b.candidate.entry.priority - a.candidate.entry.priority ||
      b.candidate.entry.confidenceScore - a.candidate.entry.confidenceScore ||
      b.score - a.score,
  );
  const chosen = tied[0];
  return chosen ? { entry: chosen.candidate.entry, score: chosen.score } : null;
}

/** The vectors laid one after another, each scaled to length 1 (a zero vector stays zero): cosines become dot products. */
export function unitWordings(vectors: ArrayLike<number>, dimensions: number): Float32Array {
  const unit = Float32Array.from(vectors);
  if (dimensions <= 0) return unit;
  for (let offset = 0; offset + dimensions <= unit.length; offset += dimensions) {
    let norm = 0;
    for (let i = offset; i < offset + dimensions; i++) norm += (unit[i] ?? 0) ** 2;
    if (norm === 0) continue;
    const scale = 1 / Math.sqrt(norm);
    for (let i = offset; i < offset + dimensions; i++) unit[i] = (unit[i] ?? 0) * scale;
  }
  return unit;
}

/**
 * The highest cosine between `query` and any of the wordings laid one after another in `unit`, which
 * `unitWordings` scaled to length 1: one dot product per wording, the query's length divided out once.
 */
export function nearestWording(query: ArrayLike<number>, unit: Float32Array, dimensions: number): number {
  if (dimensions !== query.length || dimensions === 0) return 0;
  let queryNorm = 0;
  for (let i = 0; i < dimensions; i++) queryNorm += (query[i] ?? 0) ** 2;
  if (queryNorm === 0) return 0;
  let best = 0;
  // The hot loop of a message (10,000 rows of 1,536 dimensions is 15 million products): indices are in
  // range by the loop bounds, so no undefined checks.
  for (let offset = 0; offset + dimensions <= unit.length; offset += dimensions) {
    let dot = 0;
    for (let i = 0; i < dimensions; i++) dot += (query[i] as number) * (unit[offset + i] as number);
    best = Math.max(best, dot);
  }
  return best / Math.sqrt(queryNorm);
}
