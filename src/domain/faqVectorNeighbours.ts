// The offline semantic signal: a message word no FAQ question uses ("fix", "hire", "pianos") may still stand
// for a question word with a close word vector ("repair", "rent", "keyboards"). The vectors of the FAQ
// vocabulary sit in one contiguous matrix, so a lookup is one pass of dot products over it.
import type { WordVectors } from './wordVectors.js';

/**
 * Cosine below which two words are not taken for each other. GloVe puts synonyms near 0.5-0.65 (fix/repair 0.62,
 * hire/rent 0.52) but co-hyponyms higher (violin/piano 0.92, monday/tuesday 0.99), so a vector hit is weighed
 * below a lexical one (VECTOR_SIMILARITY) and the threshold, calibrated on the dev split, keeps wrong answers out.
 */
export const MIN_VECTOR_COSINE = 0.5;
/** What a vector hit is worth against an exact word (1) or a customer-vocabulary one (0.9), at cosine 1. */
export const VECTOR_SIMILARITY = 0.75;
/** Question words a message word may stand for through its vector: the closest few. */
const MAX_NEIGHBOURS = 2;
/**
 * Message words looked up by vector: each costs a pass over the FAQ vocabulary (10,000 rows have a few
 * thousand words), so a long message costs at most this many passes. Words shorter than 3 letters are skipped.
 */
export const MAX_MESSAGE_VECTOR_LOOKUPS = 8;
const MIN_WORD_LENGTH = 3;
/**
 * The commonest words of the language (by the table's frequency rank) are not looked up: their vectors sit
 * near every other common word ("number" is 0.64 from "year" and "other"), so their neighbours mean nothing.
 */
export const MIN_LOOKUP_RANK = 300;

export class FaqVectorNeighbours {
  private readonly ids: number[] = [];
  private readonly matrix: Float32Array;
  private readonly dimensions: number;

  /** `words[id]` is the word the vocabulary token `id` was first read as. */
  constructor(
    private readonly vectors: WordVectors,
    words: readonly string[],
  ) {
    this.dimensions = vectors.dimensions;
    const rows: Float32Array[] = [];
    words.forEach((word, id) => {
      const vector = word.length >= MIN_WORD_LENGTH ? vectors.vectorOf(word) : null;
      if (!vector) return;
      this.ids.push(id);
      rows.push(vector);
    });
    this.matrix = new Float32Array(rows.length * this.dimensions);
    rows.forEach((row, index) => {
      this.matrix.set(row, index * this.dimensions);
    });
  }

  get size(): number {
    return this.ids.length;
  }

  /** Vocabulary token ids close to the word, with the similarity a hit on each is worth; empty if none. */
  neighbours(word: string): Array<[number, number]> {
    if (word.length < MIN_WORD_LENGTH || this.ids.length === 0) return [];
    if ((this.vectors.frequencyRankOf?.(word) ?? MIN_LOOKUP_RANK) < MIN_LOOKUP_RANK) return [];
    const vector = this.vectors.vectorOf(word);
    if (!vector) return [];
    const best: Array<[number, number]> = [];
    const { dimensions, matrix } = this;
    for (let row = 0; row < this.ids.length; row++) {
      let dot = 0;
      const start = row * dimensions;
      for (let d = 0; d < dimensions; d++) dot += (vector[d] ?? 0) * (matrix[start + d] ?? 0);
      if (dot < MIN_VECTOR_COSINE) continue;
      best.push([this.ids[row] ?? 0, dot]);
      best.sort((a, b) => b[1] - a[1]);
      if (best.length > MAX_NEIGHBOURS) best.pop();
    }
    return best.map(([id, similarity]) => [id, VECTOR_SIMILARITY * Math.min(1, similarity)]);
  }
}
