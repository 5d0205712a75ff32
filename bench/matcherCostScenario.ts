// Matching cost of hostile texts against a realistic FAQ (the evaluation set's), in this process: the
// matcher is pure code, so no server is needed. Each text's time is a median and a max of a few runs,
// shown as a ratio to an ordinary ten-word question timed in the same run.
import { FaqMatcher } from '../src/domain/faqMatcher.js';
import { groupQuestions, MAX_GROUPED_WORDINGS, type AskedWording } from '../src/domain/questionGroups.js';
import { faqEvaluationSet } from '../test/faq/faqEvaluationSet.js';
import { longWord, manyWords, ORDINARY_MESSAGE, wordsOfSize } from '../test/support/hostileText.js';

export interface MatcherCostRow {
  label: string;
  medianMs: number;
  maxMs: number;
  /** Median over the ordinary row's median (of the same kind of work). */
  vsOrdinary: number;
}

export interface MatcherCostReport {
  faqs: number;
  runs: number;
  rows: MatcherCostRow[];
}

export function measureMatcherCost(runs: number): MatcherCostReport {
  const matcher = new FaqMatcher(faqEvaluationSet.faqs);
  const matching = (text: string) => () => matcher.top(text, 5);
  const ordinaryMatch = timings(matching(ORDINARY_MESSAGE), runs);
  const ordinaryIndex = timings(() => new FaqMatcher(faqEvaluationSet.faqs), runs);
  const hostileQuestion = {
    id: 'hostile',
    question: wordsOfSize(100_000),
    answer: '',
    priority: 1,
    confidenceScore: 1,
  };
  const ordinaryGroups = wordings(MAX_GROUPED_WORDINGS, (i) => `Do you deliver to ${manyWords(1, 7, i)} on a Sunday?`);
  const hostileGroups = wordings(MAX_GROUPED_WORDINGS, (i) =>
    i % 2 ? longWord(4_096, i) : `delivery price guitar lesson ${manyWords(100, 40, i)}`,
  );
  const ordinaryGrouping = timings(() => groupQuestions(ordinaryGroups), runs);
  return {
    faqs: faqEvaluationSet.faqs.length,
    runs,
    rows: [
      row('match: ordinary 10-word question', ordinaryMatch, ordinaryMatch),
      row('match: one 4,096-character word', timings(matching(longWord(4_096)), runs), ordinaryMatch),
      row('match: 100 KB of distinct words', timings(matching(wordsOfSize(100_000)), runs), ordinaryMatch),
      row('index: the FAQ set', ordinaryIndex, ordinaryIndex),
      row(
        'index: the FAQ set plus a 100 KB question',
        timings(() => new FaqMatcher([...faqEvaluationSet.faqs, hostileQuestion]), runs),
        ordinaryIndex,
      ),
      row(`group: ${MAX_GROUPED_WORDINGS} ordinary questions`, ordinaryGrouping, ordinaryGrouping),
      row(
        `group: ${MAX_GROUPED_WORDINGS} hostile texts (4,096-char words, 4 KB of long words)`,
        timings(() => groupQuestions(hostileGroups), runs),
        ordinaryGrouping,
      ),
    ],
  };
}

function wordings(count: number, text: (i: number) => string): AskedWording[] {
  return Array.from({ length: count }, (_, i) => ({
    text: text(i),
    count: 1 + (i % 9),
    answeredByAi: 0,
    lastAskedAt: new Date(Date.UTC(2025, 0, 1, 0, i)).toISOString(),
    latestAiAnswer: null,
  }));
}

/** Times of `runs` calls after one warm-up call, sorted. */
function timings(work: () => unknown, runs: number): number[] {
  work();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    work();
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return times.sort((a, b) => a - b);
}

function row(label: string, times: number[], baseline: number[]): MatcherCostRow {
  const median = (values: number[]) => values[Math.floor(values.length / 2)] ?? Number.NaN;
  return {
    label,
    medianMs: median(times),
    maxMs: times.at(-1) ?? Number.NaN,
    vsOrdinary: median(times) / median(baseline),
  };
}
