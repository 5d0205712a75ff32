import { describe, expect, it } from 'vitest';
import { faqEvaluationSet } from '../../test/faq/faqEvaluationSet.js';
import { largeFaq } from '../../test/support/largeFaq.js';
import { FaqIndexBuilder } from './faqIndex.js';
import { DEFAULT_FAQ_THRESHOLD, FaqMatcher } from './faqMatcher.js';

const runAll = async (step: () => boolean): Promise<void> => {
  while (step()) await Promise.resolve();
};

describe('building the FAQ index a step at a time', () => {
  it('gives the same answers and rankings as the constructor', async () => {
    const { faqs, messages } = faqEvaluationSet;
    const whole = new FaqMatcher(faqs);
    const { matcher: sliced } = await FaqMatcher.buildInSlices(faqs, runAll);
    for (const { text } of messages) {
      expect(sliced.match(text, DEFAULT_FAQ_THRESHOLD)?.entry.id).toBe(whole.match(text, DEFAULT_FAQ_THRESHOLD)?.entry.id);
      expect(sliced.top(text, 5)).toEqual(whole.top(text, 5));
    }
  });

  it('takes at least one step per question, and estimates more memory for more questions', () => {
    const steps = (count: number) => {
      const builder = new FaqIndexBuilder(largeFaq(count));
      let taken = 1;
      while (builder.step()) taken += 1;
      return { taken, bytes: builder.finish().estimatedBytes };
    };
    const small = steps(100);
    const big = steps(2_000);
    expect(small.taken).toBeGreaterThanOrEqual(200);
    expect(big.taken).toBeGreaterThanOrEqual(4_000);
    expect(big.bytes).toBeGreaterThan(small.bytes * 5);
  });

  it('refuses to hand out a half-built index', () => {
    const builder = new FaqIndexBuilder(largeFaq(3));
    builder.step();
    expect(() => builder.finish()).toThrow(/before every step/);
  });
});
