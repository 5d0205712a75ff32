// Texts an attacker (or a careless paste) sends to make matching slow, and a way to time work so tests
// can compare costs by ratio on a shared, noisy machine. Deterministic: the same texts every run.

/** An ordinary customer question of ten words: the baseline every hostile cost is compared with. */
export const ORDINARY_MESSAGE = 'Hi, how much does delivery to Westlands cost on a Sunday please?';

/** One "word" of `length` letters that never repeats a short pattern (so no step can shortcut it). */
export function longWord(length: number, seed = 1): string {
  const next = random(seed);
  return Array.from({ length }, () => LETTERS[Math.floor(next() * LETTERS.length)]).join('');
}

/** `count` distinct random words of `length` letters, separated by spaces. */
export function manyWords(count: number, length: number, seed = 2): string {
  const next = random(seed);
  return Array.from({ length: count }, () =>
    Array.from({ length }, () => LETTERS[Math.floor(next() * LETTERS.length)]).join(''),
  ).join(' ');
}

/** About `bytes` characters of distinct nine-letter words: 100 KB of text that is all different words. */
export function wordsOfSize(bytes: number, seed = 3): string {
  return manyWords(Math.ceil(bytes / 10), 9, seed).slice(0, bytes);
}

/**
 * Median time of `work` over median time of `baseline`, the two run in turns after a warm-up of each, so a
 * burst of load from other processes slows both rather than skewing the ratio.
 */
export function costRatio(work: () => unknown, baseline: () => unknown, runs = 15): number {
  work();
  baseline();
  const workTimes: number[] = [];
  const baselineTimes: number[] = [];
  for (let i = 0; i < runs; i++) {
    workTimes.push(timeMs(work));
    baselineTimes.push(timeMs(baseline));
  }
  return median(workTimes) / median(baselineTimes);
}

/** Median wall time of `runs` calls, in milliseconds, after a warm-up call (so JIT compilation is not timed). */
export function medianMs(work: () => unknown, runs = 9): number {
  work();
  return median(Array.from({ length: runs }, () => timeMs(work)));
}

function timeMs(work: () => unknown): number {
  const start = process.hrtime.bigint();
  work();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/** A small linear congruential generator: enough to make varied letters, reproducible from its seed. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}
