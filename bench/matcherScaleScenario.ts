// FAQ matching at scale, in this process: 10,000 FAQ rows (the yardstick's six businesses' questions, each
// with product words drawn from the word-vector vocabulary), the yardstick's messages matched against them
// with and without the offline word vectors; and what loading the vector table costs.
import { readFile } from 'node:fs/promises';
import { WordVectorTable } from '../src/adapters/vectors/wordVectorTable.js';
import { FaqMatcher, type FaqEntry } from '../src/domain/faqMatcher.js';
import { MAX_NORMALISED_LENGTH } from '../src/domain/textNormaliser.js';
import { yardstickBusinesses } from '../test/faq/yardstick/index.js';
import { testWordVectors, testWordVectorsFile } from '../test/support/wordVectorsForTests.js';

export interface MatcherScaleReport {
  faqs: number;
  messages: number;
  lexical: { p50Ms: number; p99Ms: number; maxMs: number };
  blended: { p50Ms: number; p99Ms: number; maxMs: number };
  /** The longest message the matcher reads (2,000 characters, 32 tokens at most), with vectors. */
  longestMessageMs: number;
  /** Building the 10,000-row index, without and with the vectors of its vocabulary. */
  indexMs: { lexical: number; blended: number };
  table: { words: number; megabytes: number; loadMs: number; heapMegabytes: number; maxEventLoopBlockMs: number };
}

const ROWS = 10_000;

export async function measureMatcherScale(): Promise<MatcherScaleReport> {
  const { table } = await testWordVectors();
  const load = await timedLoad();
  const entries = syntheticFaqs(table);
  const started = performance.now();
  const lexicalMatcher = new FaqMatcher(entries);
  const lexicalIndexMs = performance.now() - started;
  const blendedStart = performance.now();
  const blendedMatcher = new FaqMatcher(entries, { wordVectors: table });
  const blendedIndexMs = performance.now() - blendedStart;
  const messages = yardstickBusinesses.flatMap((business) => business.messages.map((message) => message.text));
  const long = messages.join(' ').slice(0, MAX_NORMALISED_LENGTH);
  const longStart = performance.now();
  blendedMatcher.match(long, 0.65);
  return {
    faqs: entries.length,
    messages: messages.length,
    longestMessageMs: performance.now() - longStart,
    lexical: percentiles(messages.map((text) => timed(() => lexicalMatcher.match(text, 0.65)))),
    blended: percentiles(messages.map((text) => timed(() => blendedMatcher.match(text, 0.65)))),
    indexMs: { lexical: lexicalIndexMs, blended: blendedIndexMs },
    table: { megabytes: table.bytes / 1e6, ...load },
  };
}

/** A fresh load of the table file (not the cached one), with the heap it adds and the longest event-loop block. */
async function timedLoad(): Promise<{
  words: number;
  loadMs: number;
  heapMegabytes: number;
  maxEventLoopBlockMs: number;
}> {
  globalThis.gc?.();
  const heapBefore = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  let last = performance.now();
  let maxBlock = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxBlock = Math.max(maxBlock, now - last - 1);
    last = now;
  }, 1);
  const started = performance.now();
  const table = await WordVectorTable.fromBytes(await readFile(testWordVectorsFile));
  const loadMs = performance.now() - started;
  clearInterval(ticker);
  const heapAfter = process.memoryUsage().heapUsed + process.memoryUsage().arrayBuffers;
  return { words: table.size, loadMs, heapMegabytes: (heapAfter - heapBefore) / 1e6, maxEventLoopBlockMs: maxBlock };
}

function syntheticFaqs(table: WordVectorTable): FaqEntry[] {
  const questions = yardstickBusinesses.flatMap((business) => business.faqs.map((faq) => faq.question));
  const products = Array.from({ length: 4_000 }, (_, i) => table.wordAt(1_000 + i * 3));
  return Array.from({ length: ROWS }, (_, i) => ({
    id: `row-${i}`,
    question: `${questions[i % questions.length]} ${products[i % products.length]} ${products[(i * 7) % products.length]}`,
    answer: `Yes, ${products[(i * 13) % products.length]} from KES ${100 + i}.`,
    priority: 5,
    confidenceScore: 0.9,
  }));
}

function timed(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function percentiles(times: number[]): { p50Ms: number; p99Ms: number; maxMs: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { p50Ms: at(0.5), p99Ms: at(0.99), maxMs: sorted.at(-1) ?? Number.NaN };
}
