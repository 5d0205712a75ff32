// Measures the FAQ matcher on the labelled sets: precision guards against wrong verbatim answers
// (the expensive mistake), recall shows how often the FAQ spares an AI call. The evaluation set was used to
// tune the matcher; the held-out set never was, so its figures are the honest estimate.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FAQ_THRESHOLD, FaqMatcher, type FaqEntry } from '../../src/domain/faqMatcher.js';
import { faqEvaluationSet, type LabelledMessage } from './faqEvaluationSet.js';
import { faqHeldOutSet } from './faqHeldOutSet.js';

interface LabelledSet {
  faqs: FaqEntry[];
  messages: LabelledMessage[];
}

interface Evaluation {
  precision: number;
  recall: number;
  sent: number;
  correct: number;
  answerable: number;
  mistakes: string[];
}

const THRESHOLDS = [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8];

function evaluate(set: LabelledSet, threshold: number): Evaluation {
  const matcher = new FaqMatcher(set.faqs);
  let sent = 0;
  let correct = 0;
  let answerable = 0;
  const mistakes: string[] = [];
  for (const { text, expected } of set.messages) {
    const got = matcher.match(text, threshold)?.entry.id ?? null;
    if (expected !== null) answerable += 1;
    if (got !== null) sent += 1;
    if (got !== null && got === expected) correct += 1;
    if (got !== expected)
      mistakes.push(`${JSON.stringify(text)}: expected ${expected ?? 'none'}, got ${got ?? 'none'}`);
  }
  const precision = sent === 0 ? 1 : correct / sent;
  const recall = answerable === 0 ? 1 : correct / answerable;
  return { precision, recall, sent, correct, answerable, mistakes };
}

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

/** Logs the figures at the default threshold and a small threshold table, and returns the default's figures. */
function report(name: string, set: LabelledSet): Evaluation {
  const rows = THRESHOLDS.map((threshold) => {
    const result = evaluate(set, threshold);
    const { sent, correct } = result;
    return { threshold, precision: percent(result.precision), recall: percent(result.recall), sent, correct };
  });
  const result = evaluate(set, DEFAULT_FAQ_THRESHOLD);
  console.log(
    `${name} at ${DEFAULT_FAQ_THRESHOLD}: precision ${percent(result.precision)} ` +
      `(${result.correct}/${result.sent} verbatim answers right), recall ${percent(result.recall)} ` +
      `(${result.correct}/${result.answerable} answerable messages)`,
  );
  console.table(rows);
  return result;
}

describe('FAQ matcher evaluation', () => {
  it(`meets the targets on the evaluation set at the default threshold (${DEFAULT_FAQ_THRESHOLD})`, () => {
    const result = report('Evaluation set', faqEvaluationSet);
    console.log(`Misses and wrong answers at ${DEFAULT_FAQ_THRESHOLD}:\n  ${result.mistakes.join('\n  ')}`);

    expect(result.precision).toBeGreaterThanOrEqual(0.95);
    // Achieved (lexical, answers' words included): precision 99.0% (98/99), recall 83.8% (98/117). Most misses
    // need product knowledge the vocabulary deliberately lacks ("keyboard" is an "instrument").
    expect(result.recall).toBeGreaterThanOrEqual(0.8);
  });

  it(`meets the targets on the held-out set at the default threshold (${DEFAULT_FAQ_THRESHOLD})`, () => {
    // Figures only: listing its misses would invite tuning on it, and then it would no longer be held out.
    const result = report('Held-out set', faqHeldOutSet);

    expect(result.precision).toBeGreaterThanOrEqual(0.9);
    // Achieved: precision 97.4% (37/38), recall 66.1% (37/56): well below the tuned set's recall, which is
    // the honest measure of how much of that came from tuning on its phrasings. The larger yardstick
    // (yardstickEvaluation.test.ts) is the better measure now.
    expect(result.recall).toBeGreaterThanOrEqual(0.6);
  });
});
