import { describe, expect, it } from 'vitest';
import { faqEvaluationSet } from '../../test/faq/faqEvaluationSet.js';
import { yardstickBusinesses } from '../../test/faq/yardstick/index.js';
import { trainingRowsOf } from '../../test/faq/yardstickEvaluation.js';
import { largeFaq } from '../../test/support/largeFaq.js';
import { faqEntriesOf } from './faqEntries.js';
import { FaqIndexBuilder } from './faqIndex.js';
import { DEFAULT_FAQ_THRESHOLD, FaqMatcher, type FaqEntry } from './faqMatcher.js';
import { normalise, type WordVectors } from './wordVectors.js';

/** Steps with a pause between each, as a slower caller would take them. */
const stepByStep = async (step: () => boolean): Promise<void> => {
  while (step()) await Promise.resolve();
};

/** A tiny table in which "fix" and "repair", "hire" and "rent" point the same way. */
const vectors: WordVectors = {
  dimensions: 2,
  vectorOf: (word) =>
    ({
      fix: normalise(Float32Array.of(1, 0.1)),
      repair: normalise(Float32Array.of(1, 0.15)),
      hire: normalise(Float32Array.of(0.1, 1)),
      rent: normalise(Float32Array.of(0.12, 1)),
    })[word] ?? null,
};

const sameRankings = async (entries: FaqEntry[], messages: string[], wordVectors: WordVectors | null) => {
  const whole = new FaqMatcher(entries, { wordVectors });
  const sliced = await FaqMatcher.buildInSlices(entries, { wordVectors }, stepByStep);
  for (const text of messages) {
    expect(sliced.match(text, DEFAULT_FAQ_THRESHOLD)).toEqual(whole.match(text, DEFAULT_FAQ_THRESHOLD));
    expect(sliced.top(text, 8)).toEqual(whole.top(text, 8));
  }
  expect(sliced.estimatedBytes).toBe(whole.estimatedBytes);
};

describe('building the FAQ index a step at a time', () => {
  it('gives the same answers, rankings and scores as the constructor', async () => {
    const { faqs, messages } = faqEvaluationSet;
    await sameRankings(
      faqs,
      messages.map((message) => message.text),
      null,
    );
  });

  it('does so for FAQs with several wordings and with word vectors', async () => {
    for (const business of yardstickBusinesses) {
      const texts = [...business.messages.map((message) => message.text), 'can you fix it', 'do you hire out'];
      await sameRankings(faqEntriesOf(trainingRowsOf(business)), texts, vectors);
    }
    const repairs = await FaqMatcher.buildInSlices(
      [{ id: 'repairs', question: 'Do you repair guitars?', answer: 'Yes.', priority: 5, confidenceScore: 0.9 }],
      { wordVectors: vectors },
      stepByStep,
    );
    expect(repairs.best('do you fix guitars')?.entry.id).toBe('repairs');
  });

  it('takes steps per question and answer, and estimates more memory for more questions', () => {
    const steps = (count: number) => {
      const builder = new FaqIndexBuilder(largeFaq(count));
      let taken = 1;
      while (builder.step()) taken += 1;
      return { taken, bytes: builder.finish().estimatedBytes };
    };
    const small = steps(100);
    const big = steps(2_000);
    expect(small.taken).toBeGreaterThanOrEqual(300);
    expect(big.taken).toBeGreaterThanOrEqual(6_000);
    expect(big.bytes).toBeGreaterThan(small.bytes * 5);
  });

  it('counts the word vectors of its vocabulary in its memory estimate', () => {
    const entries: FaqEntry[] = [
      { id: 'rent', question: 'Can I rent a guitar?', answer: 'Yes.', priority: 5, confidenceScore: 0.9 },
    ];
    expect(FaqIndexBuilder.build(entries, vectors).estimatedBytes).toBeGreaterThan(
      FaqIndexBuilder.build(entries).estimatedBytes,
    );
  });

  it('refuses to hand out a half-built index', () => {
    const builder = new FaqIndexBuilder(largeFaq(3));
    builder.step();
    expect(() => builder.finish()).toThrow(/before every step/);
  });
});
