// The FAQ matcher on the yardstick (test/faq/yardstick): six businesses, each with its own FAQ list, and
// customer messages split into `dev` (thresholds and weights were calibrated on it) and `test` (figures only:
// its misses are never listed, so nobody tunes on them). Run with and without the offline word vectors.
import { beforeAll, describe, expect, it } from 'vitest';
import type { WordVectors } from '../../src/domain/wordVectors.js';
import { DEFAULT_FAQ_THRESHOLD } from '../../src/domain/faqMatcher.js';
import { testWordVectors } from '../support/wordVectorsForTests.js';
import { scoreYardstick, type SplitFigures } from './yardstickScore.js';

let vectors: WordVectors;

beforeAll(async () => {
  // Built from the installed GloVe package on the first run (about 15 s), read in well under a second after.
  vectors = (await testWordVectors()).table;
}, 180_000);

const percent = (value: number): string => `${(value * 100).toFixed(1)}%`;

function logged(label: string, figures: SplitFigures): SplitFigures {
  console.log(
    `${label} (${figures.split}) at ${DEFAULT_FAQ_THRESHOLD}: precision ${percent(figures.precision)} (${figures.correct}/${figures.sent}), ` +
      `recall ${percent(figures.recall)} (${figures.correct}/${figures.answerable}), ${figures.wrong} wrong verbatim answers`,
  );
  console.table(
    figures.slices.map(({ slice, messages, right }) => ({
      slice,
      right,
      messages,
      share: percent(messages === 0 ? 1 : right / messages),
    })),
  );
  return figures;
}

const rightShare = (figures: SplitFigures, slice: string): number => {
  const found = figures.slices.find((s) => s.slice === slice);
  return !found || found.messages === 0 ? 1 : found.right / found.messages;
};

describe('FAQ matcher on the yardstick', () => {
  it('dev split: precision first, and the word vectors add recall without wrong answers', () => {
    const lexical = logged('Lexical', scoreYardstick('dev', {}));
    const blended = logged('Lexical + word vectors', scoreYardstick('dev', { wordVectors: vectors }));
    console.log(`Dev misses and wrong answers:\n  ${blended.misses.join('\n  ')}`);
    // Achieved: precision 98.5% (135/137), recall 52.3% (135/258); lexical alone 97.7%, 48.8%.
    expect(blended.precision).toBeGreaterThanOrEqual(0.97);
    expect(blended.recall).toBeGreaterThanOrEqual(0.5);
    expect(blended.recall).toBeGreaterThan(lexical.recall);
    expect(blended.wrong).toBeLessThanOrEqual(lexical.wrong);
    expect(rightShare(blended, 'other_tenant')).toBe(1);
    expect(rightShare(blended, 'negative')).toBe(1);
  });

  it('test split: figures only, never its misses', () => {
    logged('Lexical', scoreYardstick('test', {}));
    const blended = logged('Lexical + word vectors', scoreYardstick('test', { wordVectors: vectors }));
    // Achieved: precision 95.7% (112/117), recall 45.5% (112/246), Swahili/Sheng 23/48; another tenant's questions
    // are never answered. Far below the targets (0.97 / 0.85 / 0.6): see the README's FAQ matching figures.
    expect(blended.precision).toBeGreaterThanOrEqual(0.95);
    expect(blended.recall).toBeGreaterThanOrEqual(0.44);
    expect(rightShare(blended, 'other_tenant')).toBe(1);
  });
});
