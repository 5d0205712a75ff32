// The port through which the FAQ matcher reads word knowledge: a table of word vectors (GloVe by
// default) read by an adapter. The domain never touches the file; it only asks for a word's vector.

export interface WordVectors {
  readonly dimensions: number;
  /** The word's vector scaled to unit length, or null for a word the table does not know. */
  vectorOf(word: string): Float32Array | null;
  /** The word's rank by corpus frequency (0 the most frequent), or null for a word the table does not know. */
  frequencyRankOf?(word: string): number | null;
}

/** Cosine of two unit-length vectors of the same length. */
export function cosine(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] ?? 0) * (b[i] ?? 0);
  return dot;
}

/** The vector scaled to unit length in place (all zeros stays all zeros). */
export function normalise(vector: Float32Array): Float32Array {
  let squares = 0;
  for (const value of vector) squares += value * value;
  if (squares === 0) return vector;
  const scale = 1 / Math.sqrt(squares);
  for (let i = 0; i < vector.length; i++) vector[i] = (vector[i] ?? 0) * scale;
  return vector;
}

/** The table once it is loaded: null before (and if loading failed), when matching is lexical only. */
export type WordVectorSource = () => WordVectors | null;
