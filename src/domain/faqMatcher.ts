// Decides whether a customer's message is close enough to one of the tenant's FAQ questions to send
// that answer verbatim. Lexical only: IDF-weighted soft token overlap, where a word may stand for an FAQ word
// through a typo or the shared customer vocabulary, blended with character trigrams.
import { normaliseText, tokeniseNormalised, vocabularyTokens } from './textNormaliser.js';
import { deletionsOf, editDistance, MIN_TWO_EDIT_LENGTH } from './typoDistance.js';
import { FaqIndexBuilder, MAX_FUZZY_TOKEN_LENGTH, MAX_PREFIX_EXTENSION, MIN_FUZZY_LENGTH, trigramsOf, weightFactor, type FaqIndex, type IndexedEntry } from './faqIndex.js';

export { MAX_FUZZY_TOKEN_LENGTH, MAX_INDEXED_TYPO_VARIANTS } from './faqIndex.js';

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

/**
 * On test/faq/faqEvaluationSet.ts, 0.65 gives 100% precision and 81% recall; 0.6 gains two right answers for
 * one wrong one. Kept at 0.65: messages that fall short go to the AI, which still sees the FAQ, so a miss is
 * cheaper than a wrong verbatim answer. The held-out set (faqHeldOutSet.ts) checks that this generalises.
 */
export const DEFAULT_FAQ_THRESHOLD = 0.65;

/** Entries below this confidence only inform the AI; a wrong verbatim answer costs more than a slower one. */
const MIN_VERBATIM_CONFIDENCE = 0.5;
/** Scores this close to the best are treated as a tie, so priority decides rather than noise. */
const TIE_EPSILON = 0.02;
/** A typo or a longer form of the same stem is probably the same word, but less certainly than an exact hit. */
const FUZZY_SIMILARITY = 0.8;
/** A word from the same customer-vocabulary group ("close" for "open") is nearly, not quite, the FAQ's word. */
const CONCEPT_SIMILARITY = 0.9;
/**
 * Typo variants looked up for one message: the longest question of the evaluation sets uses about 120. Later words of
 * a long message match exactly or by prefix only, so no message costs more than a small multiple of a question.
 */
export const MAX_MESSAGE_TYPO_VARIANTS = 600;
/** Weight of the token score against the trigram score; tokens carry meaning, trigrams reward near-spellings. */
const TOKEN_WEIGHT = 0.8;
const { asking: ASKING, groups: GROUPS } = vocabularyTokens;

/** A message tokenised and looked up in one matcher's index, ready to be scored against its entries. */
export interface PreparedMessage {
  normalised: string;
  /** Similarity by vocabulary token id, per message token position. */
  hits: ReadonlyArray<ReadonlyMap<number, number>>;
  /** Every vocabulary token id the message stands for. */
  tokenIds: ReadonlySet<number>;
  /** Weight per message token position. */
  weights: number[];
  trigrams: Set<string>;
  /** The message names one customer-service topic and nothing else that weighs ("delivery?"). */
  singleTopicWord: boolean;
}

/** Typo variants a message may still look up. */
interface TypoBudget {
  left: number;
}

interface Candidate {
  /** Best similarity per question token id of this entry. */
  questionHits: Map<number, number>;
  /** Best similarity per message token position. */
  messageHits: number[];
}

export class FaqMatcher {
  private readonly entries: IndexedEntry[];
  private readonly vocabulary: Map<string, number>;
  private readonly tokenText: string[];
  private readonly idf: number[];
  private readonly weight: number[];
  private readonly postings: number[][];
  private readonly deletions: Map<string, number[]>;
  private readonly prefixes: Map<string, number[]>;
  private readonly conceptMembers: Map<number, number[]>;
  private readonly unknownIdf: number;

  /** With `index`, the matcher of an index built beforehand (see buildInSlices); else it is built here. */
  constructor(entries: FaqEntry[], index: FaqIndex = FaqIndexBuilder.build(entries)) {
    this.entries = index.entries;
    this.vocabulary = index.vocabulary;
    this.tokenText = index.tokenText;
    this.idf = index.idf;
    this.weight = index.weight;
    this.postings = index.postings;
    this.deletions = index.deletions;
    this.prefixes = index.prefixes;
    this.conceptMembers = index.conceptMembers;
    this.unknownIdf = index.unknownIdf;
  }

  /**
   * The same matcher, its index built a step at a time: `runInSlices` calls the step until it returns false and
   * gives the event loop a turn between slices (e.g. modules/analytics/inSlices.ts), so 50,000 questions never
   * hold the loop for long. Resolves with the matcher and what its index takes in memory, roughly.
   */
  static async buildInSlices(
    entries: FaqEntry[],
    runInSlices: (step: () => boolean) => Promise<void>,
  ): Promise<{ matcher: FaqMatcher; estimatedBytes: number }> {
    const builder = new FaqIndexBuilder(entries);
    await runInSlices(() => builder.step());
    const index = builder.finish();
    return { matcher: new FaqMatcher(entries, index), estimatedBytes: index.estimatedBytes };
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
    const tokens = [...new Set(tokeniseNormalised(normalised))];
    const typoBudget = { left: MAX_MESSAGE_TYPO_VARIANTS };
    const hits = tokens.map((token) => this.hitsFor(token, typoBudget));
    const strong = tokens.filter((token) => weightFactor(token) === 1);
    return {
      normalised,
      hits,
      tokenIds: new Set(hits.flatMap((tokenHits) => [...tokenHits.keys()])),
      // A message word weighs as much as the rarest FAQ word it stands for, or as an unknown word if none.
      weights: hits.map(
        (tokenHits, position) =>
          weightFactor(tokens[position] ?? '') *
          ([...tokenHits.keys()].reduce((max, id) => Math.max(max, this.idf[id] ?? 0), 0) || this.unknownIdf),
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
    const candidate: Candidate = { questionHits: new Map(), messageHits: new Array<number>(message.hits.length).fill(0) };
    message.hits.forEach((tokenHits, position) => {
      for (const [tokenId, similarity] of tokenHits) if (indexed.tokenIds.has(tokenId)) addHit(candidate, tokenId, position, similarity);
    });
    return candidate.questionHits.size === 0 ? 0 : this.score(indexed, candidate, message);
  }

  /** Vocabulary token ids of the entry at `index`: what a prepared message's `tokenIds` must share to score it. */
  tokenIdsOf(index: number): ReadonlySet<number> {
    return this.entries[index]?.tokenIds ?? new Set();
  }

  /** Entries sharing a (possibly misspelt or synonymous) word with the message, or equal to it, best first. */
  private rank(text: string): FaqMatch[] {
    const message = this.prepare(text);
    if (message.normalised === '') return [];
    const candidates = new Map<number, Candidate>();
    message.hits.forEach((tokenHits, position) => {
      for (const [tokenId, similarity] of tokenHits) {
        for (const index of this.postings[tokenId] ?? []) {
          let candidate = candidates.get(index);
          if (!candidate) {
            candidate = { questionHits: new Map(), messageHits: new Array<number>(message.hits.length).fill(0) };
            candidates.set(index, candidate);
          }
          addHit(candidate, tokenId, position, similarity);
        }
      }
    });

    const ranked: FaqMatch[] = [];
    for (const [index, candidate] of candidates) {
      const indexed = this.entries[index];
      if (!indexed) continue;
      const score = indexed.normalised === message.normalised ? 1 : this.score(indexed, candidate, message);
      if (score > 0) ranked.push({ entry: indexed.entry, score });
    }
    // Questions made only of stop words ("Who are you?") have no tokens, so can only match exactly.
    if (message.hits.length === 0) {
      for (const indexed of this.entries) {
        if (indexed.normalised === message.normalised) ranked.push({ entry: indexed.entry, score: 1 });
      }
    }
    return ranked.sort(
      (a, b) =>
        b.score - a.score || b.entry.priority - a.entry.priority || b.entry.confidenceScore - a.entry.confidenceScore,
    );
  }

  /**
   * Harmonic mean of the weighted share of the question the message covers and the share of the message the
   * question explains, blended with trigram similarity. Every unexplained message word lowers the second share.
   */
  private score(indexed: IndexedEntry, candidate: Candidate, message: PreparedMessage): number {
    let questionCovered = 0;
    let sharesTopic = false;
    for (const [tokenId, similarity] of candidate.questionHits) {
      questionCovered += (this.weight[tokenId] ?? 0) * similarity;
      sharesTopic ||= !ASKING.has(this.tokenText[tokenId] ?? '');
    }
    // "How much is a drum kit?" shares only what it asks with "How much does delivery cost?".
    if (indexed.hasTopic && !sharesTopic) return 0;
    let messageCovered = 0;
    let messageWeight = 0;
    message.weights.forEach((weight, position) => {
      messageWeight += weight;
      messageCovered += weight * (candidate.messageHits[position] ?? 0);
    });
    // A lone topic word ("repairs?", "parking?") is not expected to cover the tenant's own words ("instruments").
    const topicOnly = message.singleTopicWord && indexed.topicWeightSum > 0;
    const questionWeight = topicOnly ? indexed.topicWeightSum : indexed.weightSum;
    const questionCoverage = Math.min(1, questionCovered / questionWeight);
    const messageCoverage = messageCovered / messageWeight;
    const tokenScore = (2 * questionCoverage * messageCoverage) / (questionCoverage + messageCoverage);
    // Walking the smaller set keeps a long message's cost per candidate at the (short) question's size.
    const [fewer, more] = message.trigrams.size <= indexed.trigrams.size ? [message.trigrams, indexed.trigrams] : [indexed.trigrams, message.trigrams];
    let sharedTrigrams = 0;
    for (const trigram of fewer) if (more.has(trigram)) sharedTrigrams += 1;
    const trigramDice = (2 * sharedTrigrams) / (indexed.trigrams.size + message.trigrams.size);
    return Math.min(1, TOKEN_WEIGHT * tokenScore + (1 - TOKEN_WEIGHT) * trigramDice);
  }

  /** Similarity by vocabulary token that a message token matches: itself or typo neighbours, and synonyms. */
  private hitsFor(token: string, typoBudget: TypoBudget): Map<number, number> {
    const hits = new Map<number, number>();
    for (const concept of GROUPS.get(token) ?? []) {
      for (const id of this.conceptMembers.get(concept) ?? []) hits.set(id, CONCEPT_SIMILARITY);
    }
    const exact = this.vocabulary.get(token);
    if (exact !== undefined) hits.set(exact, 1);
    else for (const id of this.typoNeighbours(token, typoBudget)) hits.set(id, Math.max(hits.get(id) ?? 0, FUZZY_SIMILARITY));
    return hits;
  }

  /** Vocabulary tokens within the allowed typos of an unknown token, or extending it by a short suffix. */
  private typoNeighbours(token: string, typoBudget: TypoBudget): Set<number> {
    if (token.length < MIN_FUZZY_LENGTH) return new Set();
    const ids = new Set<number>();
    const variants = token.length <= MAX_FUZZY_TOKEN_LENGTH && typoBudget.left > 0 ? deletionsOf(token) : new Set<string>();
    typoBudget.left -= variants.size;
    // Symmetric deletion: two tokens within the allowed edits share a deletion variant (or one is the other's).
    for (const variant of variants) {
      const asWord = this.vocabulary.get(variant);
      if (asWord !== undefined) ids.add(asWord);
      for (const id of this.deletions.get(variant) ?? []) ids.add(id);
    }
    for (const id of this.deletions.get(token) ?? []) ids.add(id);
    const result = new Set([...ids].filter((id) => this.withinTypoDistance(token, id)));
    for (const id of this.prefixes.get(token) ?? []) result.add(id);
    for (let length = Math.max(MIN_FUZZY_LENGTH, token.length - MAX_PREFIX_EXTENSION); length < token.length; length++) {
      const id = this.vocabulary.get(token.slice(0, length));
      if (id !== undefined) result.add(id);
    }
    return result;
  }

  private withinTypoDistance(token: string, id: number): boolean {
    const other = this.tokenText[id] ?? '';
    const shorter = Math.min(token.length, other.length);
    const allowed = shorter >= MIN_TWO_EDIT_LENGTH ? 2 : shorter >= MIN_FUZZY_LENGTH ? 1 : 0;
    return editDistance(token, other) <= allowed;
  }
}

function addHit(candidate: Candidate, tokenId: number, position: number, similarity: number): void {
  candidate.questionHits.set(tokenId, Math.max(candidate.questionHits.get(tokenId) ?? 0, similarity));
  candidate.messageHits[position] = Math.max(candidate.messageHits[position] ?? 0, similarity);
}
