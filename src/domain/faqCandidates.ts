// Which FAQ entries a message is scored against. Entries are reached through the postings of the message's
// words; a word in very many questions (at 10,000 rows, "price" may be in thousands) reaches so many that
// walking them all would cost a pass over the FAQ. Such words only score the entries the message's rarer
// words reached, so one message costs what its rare words cost, whatever the FAQ's size.
import { addHit, newCandidate, type Candidate, type PreparedMessage } from './faqScore.js';

/** Postings longer than this are not walked to find entries (unless every word of the message is that common). */
export const MAX_WALKED_POSTINGS = 256;
/**
 * An answer word shared by more answers than this tells them apart no better than a stop word ("KES" in every
 * price list): it is not used at all.
 */
export const MAX_ANSWER_POSTINGS = 200;

export interface CandidateIndex {
  /** Entries by question token id. */
  postings: readonly (readonly number[])[];
  /** Entries by the tokens of their answers that their questions lack. */
  answerPostings: ReadonlyMap<number, readonly number[]>;
  /** Per entry, its question's and its answer's token ids. */
  tokenIdsOf(index: number): ReadonlySet<number>;
  answerTokenIdsOf(index: number): ReadonlySet<number>;
  /** What an answer hit is worth against a question hit of the same word. */
  answerSimilarity: number;
}

interface Hit {
  position: number;
  tokenId: number;
  similarity: number;
  walked: number;
}

export function gatherCandidates(message: PreparedMessage, index: CandidateIndex): Map<number, Candidate> {
  const hits: Hit[] = [];
  message.hits.forEach((tokenHits, position) => {
    for (const [tokenId, similarity] of tokenHits) {
      const answers = index.answerPostings.get(tokenId)?.length ?? 0;
      const walked = (index.postings[tokenId]?.length ?? 0) + (answers <= MAX_ANSWER_POSTINGS ? answers : 0);
      hits.push({ position, tokenId, similarity, walked });
    }
  });
  let walkedHits = hits.filter((hit) => hit.walked <= MAX_WALKED_POSTINGS);
  // Every word is common: the least common one finds the entries.
  if (walkedHits.length === 0 && hits.length > 0) {
    const rarest = hits.reduce((best, hit) => (hit.walked < best.walked ? hit : best));
    walkedHits = hits.filter((hit) => hit.tokenId === rarest.tokenId);
  }
  const candidates = new Map<number, Candidate>();
  const add = (entry: number, hit: Hit, similarity: number) => {
    let candidate = candidates.get(entry);
    if (!candidate) {
      candidate = newCandidate(message.hits.length);
      candidates.set(entry, candidate);
    }
    addHit(candidate, hit.tokenId, hit.position, similarity);
  };
  const walkedSet = new Set(walkedHits);
  for (const hit of walkedHits) {
    for (const entry of index.postings[hit.tokenId] ?? []) add(entry, hit, hit.similarity);
    const answers = index.answerPostings.get(hit.tokenId) ?? [];
    if (answers.length <= MAX_ANSWER_POSTINGS)
      for (const entry of answers) add(entry, hit, hit.similarity * index.answerSimilarity);
  }
  // The common words still count for the entries found.
  const common = hits.filter((hit) => !walkedSet.has(hit));
  if (common.length === 0) return candidates;
  for (const [entry, candidate] of candidates) {
    const own = index.tokenIdsOf(entry);
    const answer = index.answerTokenIdsOf(entry);
    for (const hit of common) {
      if (own.has(hit.tokenId)) addHit(candidate, hit.tokenId, hit.position, hit.similarity);
      else if (answer.has(hit.tokenId) && (index.answerPostings.get(hit.tokenId)?.length ?? 0) <= MAX_ANSWER_POSTINGS) {
        addHit(candidate, hit.tokenId, hit.position, hit.similarity * index.answerSimilarity);
      }
    }
  }
  return candidates;
}
