// Decides whether a customer's message is close enough to one of the tenant's FAQ questions to send
// that answer verbatim: IDF-weighted soft token overlap, where a word may stand for an FAQ word through a
// typo, the shared customer vocabulary or (with a word-vector table) a close word vector, blended with
// character trigrams. Scoring is in faqScore.ts, typo lookups in faqTypoIndex.ts, the index and its
// building (at once, or a step at a time for a big tenant) in faqIndex.ts.
import {
  addHit,
  GROUPS,
  newCandidate,
  scoreCandidate,
  trigramsOf,
  weightFactor,
  type IndexedEntry,
  type PreparedMessage,
  type TokenWeights,
} from './faqScore.js';
import { gatherCandidates, type CandidateIndex } from './faqCandidates.js';
import { FaqIndexBuilder, type FaqIndex } from './faqIndex.js';
import type { FaqSkeletonIndex } from './faqSkeletonIndex.js';
import { unknownWordWeight } from './faqWordRarity.js';
import { MAX_MESSAGE_TYPO_VARIANTS, type FaqTypoIndex, type TypoBudget } from './faqTypoIndex.js';
import { MAX_MESSAGE_VECTOR_LOOKUPS, type FaqVectorNeighbours } from './faqVectorNeighbours.js';
import { normaliseText, tokeniseWithWords } from './textNormaliser.js';
import type { WordVectors } from './wordVectors.js';

export { MAX_FUZZY_TOKEN_LENGTH, MAX_INDEXED_TYPO_VARIANTS, MAX_MESSAGE_TYPO_VARIANTS } from './faqTypoIndex.js';
export type { PreparedMessage } from './faqScore.js';

export interface FaqEntry {
  id: string;
  question: string;
  answer: string;
  priority: number;
  confidenceScore: number;
}

export interface FaqMatch {
  entry: FaqEntry;
  score: number;
}

export interface FaqMatcherOptions {
  /** Word knowledge for words no question uses; without it the matcher is lexical only. */
  wordVectors?: WordVectors | null;
}

/**
 * Calibrated on the yardstick's dev split (test/faq/yardstick) with the word vectors: 0.625 answers 135 of
 * 258 labelled messages with 2 wrong answers, as many as 0.65 (which answers 123 rightly); 0.6 adds 13 right
 * answers for 5 more wrong ones. Messages that fall short go to the AI, which still sees the FAQ, so a miss is
 * cheaper than a wrong verbatim answer. The older sets (faqEvaluationSet.ts, faqHeldOutSet.ts) check the rest.
 */
export const DEFAULT_FAQ_THRESHOLD = 0.625;

/** Entries below this confidence only inform the AI; a wrong verbatim answer costs more than a slower one. */
const MIN_VERBATIM_CONFIDENCE = 0.5;
/** Scores this close to the best are treated as a tie, so priority decides rather than noise. */
const TIE_EPSILON = 0.02;
/** A typo or a longer form of the same stem is probably the same word, but less certainly than an exact hit. */
const FUZZY_SIMILARITY = 0.8;
/** A word from the same customer-vocabulary group ("close" for "open") is nearly, not quite, the FAQ's word. */
const CONCEPT_SIMILARITY = 0.9;

/**
 * An answer word ("pedicure" in "Manicure 700, pedicure 1,000") stands for the question's topic, less surely
 * than a question word: a business types terse questions ("Do you do nails") and names the products in the
 * answer. Only the answer's first words count, so a long answer costs what a question does.
 */
const ANSWER_SIMILARITY = 0.6;

/** What one message may still spend on the costlier lookups. */
interface LookupBudget extends TypoBudget {
  vectorLookups: number;
}

export class FaqMatcher {
  private readonly entries: IndexedEntry<FaqEntry>[];
  private readonly vocabulary: ReadonlyMap<string, number>;
  private readonly idf: readonly number[];
  /** Entries by their normalised question, for the exact match. */
  private readonly byNormalised: ReadonlyMap<string, readonly number[]>;
  private readonly candidateIndex: CandidateIndex;
  private readonly typos: FaqTypoIndex;
  private readonly skeletons: FaqSkeletonIndex;
  private readonly scoring: TokenWeights;
  /** Vocabulary tokens by customer-vocabulary group index. */
  private readonly conceptMembers: ReadonlyMap<number, readonly number[]>;
  private readonly vectorNeighbours: FaqVectorNeighbours | null;
  private readonly wordVectors: WordVectors | null;
  /** IDF of a word no FAQ uses: as rare as possible, so unexplained words in a message weigh heavily. */
  private readonly unknownIdf: number;
  /** Rough heap the index takes, for caches bounded by memory. */
  readonly estimatedBytes: number;

  /** With `index`, the matcher over an index built beforehand from these entries (see buildInSlices). */
  constructor(
    entries: FaqEntry[],
    options: FaqMatcherOptions = {},
    index: FaqIndex<FaqEntry> = FaqIndexBuilder.build(entries, options.wordVectors ?? null),
  ) {
    this.entries = index.entries;
    this.vocabulary = index.vocabulary;
    this.idf = index.idf;
    this.byNormalised = index.byNormalised;
    const { answerTokenIds } = index;
    this.candidateIndex = {
      postings: index.postings,
      answerPostings: index.answerPostings,
      tokenIdsOf: (entry) => this.tokenIdsOf(entry),
      answerTokenIdsOf: (entry) => answerTokenIds[entry] ?? new Set(),
      answerSimilarity: ANSWER_SIMILARITY,
    };
    this.typos = index.typos;
    this.skeletons = index.skeletons;
    this.scoring = { weight: index.weight, tokenText: index.tokenText };
    this.conceptMembers = index.conceptMembers;
    this.vectorNeighbours = index.vectorNeighbours;
    this.wordVectors = options.wordVectors ?? null;
    this.unknownIdf = index.unknownIdf;
    this.estimatedBytes = index.estimatedBytes;
  }

  /**
   * The same matcher, its index built a step at a time: `runInSlices` calls the step until it returns false,
   * giving the event loop a turn between slices (modules/analytics/inSlices.ts), so 50,000 questions never
   * hold the loop for long.
   */
  static async buildInSlices(
    entries: FaqEntry[],
    options: FaqMatcherOptions,
    runInSlices: (step: () => boolean) => Promise<void>,
  ): Promise<FaqMatcher> {
    const builder = new FaqIndexBuilder(entries, options.wordVectors ?? null);
    await runInSlices(() => builder.step());
    return new FaqMatcher(entries, options, builder.finish());
  }

  /** The highest-scoring entry regardless of threshold or confidence, or null if no word overlaps. */
  best(text: string): FaqMatch | null {
    return this.top(text, 1)[0] ?? null;
  }

  /** Up to `limit` entries sharing a word with the message, best first, regardless of threshold or confidence. */
  top(text: string, limit: number): FaqMatch[] {
    return this.rank(text).slice(0, limit);
  }

  /** The entry to send verbatim, or null when no confident entry clears the threshold. */
  match(text: string, threshold: number): FaqMatch | null {
    const ranked = this.rank(text);
    const top = ranked[0];
    if (!top || top.score < threshold) return null;
    // A clearly better low-confidence entry means the message is about that topic: answer nothing verbatim.
    const tied = ranked.filter(
      (candidate) =>
        candidate.score >= threshold &&
        top.score - candidate.score <= TIE_EPSILON &&
        candidate.entry.confidenceScore >= MIN_VERBATIM_CONFIDENCE,
    );
    tied.sort(
      (a, b) =>
        b.entry.priority - a.entry.priority || b.entry.confidenceScore - a.entry.confidenceScore || b.score - a.score,
    );
    return tied[0] ?? null;
  }

  /** The message as this index sees it: prepare it once to score it against chosen entries with `scoreOf`. */
  prepare(text: string): PreparedMessage {
    const normalised = normaliseText(text);
    const pairs = tokeniseWithWords(normalised);
    const tokens = pairs.map((pair) => pair.token);
    const budget: LookupBudget = { left: MAX_MESSAGE_TYPO_VARIANTS, vectorLookups: MAX_MESSAGE_VECTOR_LOOKUPS };
    const hits = pairs.map(({ token, word }) => this.hitsFor(token, word, budget));
    const strong = tokens.filter((token) => weightFactor(token) === 1);
    return {
      normalised,
      hits,
      tokenIds: new Set(hits.flatMap((tokenHits) => [...tokenHits.keys()])),
      // A message word weighs as much as the rarest FAQ word it stands for, or as an unknown word if none.
      weights: hits.map(
        (tokenHits, position) =>
          weightFactor(tokens[position] ?? '') *
          ([...tokenHits.keys()].reduce((max, id) => Math.max(max, this.idf[id] ?? 0), 0) ||
            this.unknownIdf * this.unknownWeightOf(pairs[position]?.word ?? '')),
      ),
      trigrams: trigramsOf(tokens),
      singleTopicWord: strong.length === 1 && GROUPS.has(strong[0] ?? ''),
    };
  }

  /** The score `top` gives the entry at `index` (constructor order) for the message; 0 if they share no word. */
  scoreOf(message: PreparedMessage, index: number): number {
    const indexed = this.entries[index];
    if (!indexed || message.normalised === '') return 0;
    if (indexed.normalised === message.normalised) return 1;
    const candidate = newCandidate(message.hits.length);
    message.hits.forEach((tokenHits, position) => {
      for (const [tokenId, similarity] of tokenHits)
        if (indexed.tokenIds.has(tokenId)) addHit(candidate, tokenId, position, similarity);
    });
    return candidate.questionHits.size === 0 ? 0 : scoreCandidate(this.scoring, indexed, candidate, message);
  }

  /** Vocabulary token ids of the entry at `index`: what a prepared message's `tokenIds` must share to score it. */
  tokenIdsOf(index: number): ReadonlySet<number> {
    return this.entries[index]?.tokenIds ?? new Set();
  }

  /** Entries sharing a (possibly misspelt or synonymous) word with the message, or equal to it, best first. */
  private rank(text: string): FaqMatch[] {
    const message = this.prepare(text);
    if (message.normalised === '') return [];
    const candidates = gatherCandidates(message, this.candidateIndex);

    const ranked: FaqMatch[] = [];
    for (const [index, candidate] of candidates) {
      const indexed = this.entries[index];
      if (!indexed) continue;
      const score =
        indexed.normalised === message.normalised ? 1 : scoreCandidate(this.scoring, indexed, candidate, message);
      if (score > 0) ranked.push({ entry: indexed.entry, score });
    }
    // An entry equal to the message scores 1 however common its words ("Who are you?" has none at all).
    for (const index of this.byNormalised.get(message.normalised) ?? []) {
      const indexed = this.entries[index];
      if (indexed && !candidates.has(index)) ranked.push({ entry: indexed.entry, score: 1 });
    }
    return ranked.sort(
      (a, b) =>
        b.score - a.score || b.entry.priority - a.entry.priority || b.entry.confidenceScore - a.entry.confidenceScore,
    );
  }

  /**
   * Similarity by vocabulary token that a message token matches: itself or typo neighbours, and synonyms; a
   * word none of those explain, its word-vector neighbours.
   */
  private hitsFor(token: string, word: string, budget: LookupBudget): Map<number, number> {
    const hits = new Map<number, number>();
    for (const concept of GROUPS.get(token) ?? []) {
      for (const id of this.conceptMembers.get(concept) ?? []) hits.set(id, CONCEPT_SIMILARITY);
    }
    const exact = this.vocabulary.get(token);
    if (exact !== undefined) hits.set(exact, 1);
    else
      for (const id of [...this.typos.neighbours(token, budget), ...this.skeletons.expansions(word)])
        hits.set(id, Math.max(hits.get(id) ?? 0, FUZZY_SIMILARITY));
    if (hits.size === 0 && this.vectorNeighbours && budget.vectorLookups > 0 && !/\d/.test(word)) {
      budget.vectorLookups -= 1;
      for (const [id, similarity] of this.vectorNeighbours.neighbours(word)) hits.set(id, similarity);
    }
    return hits;
  }

  /** The share of the weight of a word no FAQ explains that counts against a match (faqWordRarity.ts). */
  private unknownWeightOf(word: string): number {
    return unknownWordWeight(this.wordVectors?.frequencyRankOf?.(word), word);
  }
}
