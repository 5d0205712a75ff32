// How well a message and one FAQ question cover each other: the scoring half of the FAQ matcher, kept
// apart from its index (faqMatcher.ts) so either can change without the other.
import { vocabularyTokens } from './textNormaliser.js';

/** Weight of the token score against the trigram score; tokens carry meaning, trigrams reward near-spellings. */
const TOKEN_WEIGHT = 0.8;
/** An "asking" word (price, duration, place) tells questions on one topic apart; a light word barely counts. */
const ASK_WEIGHT = 2;
const LIGHT_WEIGHT = 0.25;

export const { asking: ASKING, light: LIGHT, groups: GROUPS } = vocabularyTokens;
export const weightFactor = (token: string): number =>
  ASKING.has(token) ? ASK_WEIGHT : LIGHT.has(token) ? LIGHT_WEIGHT : 1;

export interface IndexedEntry<E> {
  entry: E;
  normalised: string;
  tokenIds: ReadonlySet<number>;
  trigrams: Set<string>;
  /** Sum of the question's token weights: what full coverage of the question is worth. */
  weightSum: number;
  /** The same over its customer-vocabulary tokens: the service asked about, without the tenant's own words. */
  topicWeightSum: number;
  /** Whether the question has a word besides what it asks ("how much", "where"). */
  hasTopic: boolean;
}

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

export interface Candidate {
  /** Best similarity per question token id of this entry. */
  questionHits: Map<number, number>;
  /** Best similarity per message token position. */
  messageHits: number[];
}

/** What the score needs to know of the index's vocabulary. */
export interface TokenWeights {
  /** IDF times the vocabulary's weight factor, by token id. */
  weight: readonly number[];
  tokenText: readonly string[];
}

export function newCandidate(positions: number): Candidate {
  return { questionHits: new Map(), messageHits: new Array<number>(positions).fill(0) };
}

export function addHit(candidate: Candidate, tokenId: number, position: number, similarity: number): void {
  candidate.questionHits.set(tokenId, Math.max(candidate.questionHits.get(tokenId) ?? 0, similarity));
  candidate.messageHits[position] = Math.max(candidate.messageHits[position] ?? 0, similarity);
}

/**
 * Harmonic mean of the weighted share of the question the message covers and the share of the message the
 * question explains, blended with trigram similarity. Every unexplained message word lowers the second share.
 */
export function scoreCandidate<E>(
  vocabulary: TokenWeights,
  indexed: IndexedEntry<E>,
  candidate: Candidate,
  message: PreparedMessage,
): number {
  let questionCovered = 0;
  let sharesTopic = false;
  for (const [tokenId, similarity] of candidate.questionHits) {
    questionCovered += (vocabulary.weight[tokenId] ?? 0) * similarity;
    sharesTopic ||= !ASKING.has(vocabulary.tokenText[tokenId] ?? '');
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
  const [fewer, more] =
    message.trigrams.size <= indexed.trigrams.size
      ? [message.trigrams, indexed.trigrams]
      : [indexed.trigrams, message.trigrams];
  let sharedTrigrams = 0;
  for (const trigram of fewer) if (more.has(trigram)) sharedTrigrams += 1;
  const trigramDice = (2 * sharedTrigrams) / (indexed.trigrams.size + message.trigrams.size);
  return Math.min(1, TOKEN_WEIGHT * tokenScore + (1 - TOKEN_WEIGHT) * trigramDice);
}

/** Character trigrams of the sorted tokens, so word order cannot change the result. */
export function trigramsOf(tokens: string[]): Set<string> {
  const padded = ` ${[...tokens].sort().join(' ')} `;
  const trigrams = new Set<string>();
  for (let i = 0; i + 3 <= padded.length; i++) trigrams.add(padded.slice(i, i + 3));
  return trigrams;
}
