// The compact word-vector table (see scripts/buildWordVectors.mjs for its layout) as the matcher's
// WordVectors port: int8 rows and their inverse lengths, words found through one Map.
import type { WordVectors } from '../../domain/wordVectors.js';

export const WORD_VECTOR_MAGIC = 'ADWV0001';
const HEADER_BYTES = 40;
/** Words added to the Map between yields to the event loop, so loading never stalls other work. */
const WORDS_PER_SLICE = 5_000;

export interface WordVectorFileStamp {
  sourceSize: number;
  sourceMtimeMs: number;
}

export class WordVectorTable implements WordVectors {
  private constructor(
    readonly dimensions: number,
    private readonly rows: Map<string, number>,
    private readonly vectors: Int8Array,
    private readonly inverseLengths: Float32Array,
    private readonly words: readonly string[],
  ) {}

  get size(): number {
    return this.rows.size;
  }

  /** Bytes the table holds (vectors and lengths; the words Map adds about as much again). */
  get bytes(): number {
    return this.vectors.byteLength + this.inverseLengths.byteLength;
  }

  /** The word at a row (rows are in corpus-frequency order), for building test data. */
  wordAt(row: number): string {
    return this.words[row] ?? '';
  }

  /** Rows are in corpus-frequency order, so a word's row is its frequency rank. */
  frequencyRankOf(word: string): number | null {
    return this.rows.get(word) ?? null;
  }

  vectorOf(word: string): Float32Array | null {
    const row = this.rows.get(word);
    if (row === undefined) return null;
    const scale = this.inverseLengths[row] ?? 0;
    const vector = new Float32Array(this.dimensions);
    const start = row * this.dimensions;
    for (let d = 0; d < this.dimensions; d++) vector[d] = (this.vectors[start + d] ?? 0) * scale;
    return vector;
  }

  /** What the file was built from, or null when it is not a table of this layout. */
  static stampOf(buffer: Uint8Array): WordVectorFileStamp | null {
    if (buffer.byteLength < HEADER_BYTES) return null;
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    if (Buffer.from(buffer.subarray(0, 8)).toString('latin1') !== WORD_VECTOR_MAGIC) return null;
    return { sourceSize: view.getFloat64(16, true), sourceMtimeMs: view.getFloat64(24, true) };
  }

  /** Reads a table from the file's bytes, yielding to the event loop while it indexes the words. */
  static async fromBytes(buffer: Uint8Array): Promise<WordVectorTable> {
    if (!WordVectorTable.stampOf(buffer)) throw new Error('not a word-vector table of this version');
    const view = new DataView(buffer.buffer, buffer.byteOffset, buffer.byteLength);
    const count = view.getUint32(8, true);
    const dimensions = view.getUint32(12, true);
    const wordBytes = view.getUint32(32, true);
    const vectorsAt = HEADER_BYTES + count * 4;
    const wordsAt = vectorsAt + count * dimensions;
    if (wordsAt + wordBytes !== buffer.byteLength) throw new Error('word-vector table is truncated');
    // Copies (a Buffer's own slice would share the file's memory), so the table owns aligned memory.
    const copy = (from: number, to: number) => Uint8Array.prototype.slice.call(buffer, from, to).buffer;
    const inverseLengths = new Float32Array(copy(HEADER_BYTES, vectorsAt));
    const vectors = new Int8Array(copy(vectorsAt, wordsAt));
    // Words are read a slice at a time (no one split of the whole list), yielding in between.
    const text = Buffer.from(buffer.buffer, buffer.byteOffset + wordsAt, wordBytes);
    const words: string[] = [];
    const rows = new Map<string, number>();
    let at = 0;
    while (at <= text.length && words.length < count) {
      for (let n = 0; n < WORDS_PER_SLICE && at <= text.length && words.length < count; n++) {
        const end = text.indexOf(10, at);
        const word = text.toString('utf8', at, end === -1 ? text.length : end);
        rows.set(word, words.length);
        words.push(word);
        at = end === -1 ? text.length + 1 : end + 1;
      }
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    return new WordVectorTable(dimensions, rows, vectors, inverseLengths, words);
  }
}
