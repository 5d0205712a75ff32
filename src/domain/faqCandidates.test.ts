import { describe, expect, it } from 'vitest';
import { MAX_WALKED_POSTINGS } from './faqCandidates.js';
import { DEFAULT_FAQ_THRESHOLD, FaqMatcher, type FaqEntry } from './faqMatcher.js';

const faq = (id: string, question: string): FaqEntry => ({
  id,
  question,
  answer: 'Yes.',
  priority: 5,
  confidenceScore: 0.9,
});
const letters = (i: number) =>
  `zq${String.fromCharCode(97 + (i % 26))}${String.fromCharCode(97 + (Math.floor(i / 26) % 26))}${String.fromCharCode(97 + Math.floor(i / 676))}`;

describe('FAQ candidates at scale', () => {
  // Every question shares "deliver" and "price": both are walked by no message once they are this common.
  const rows = Array.from({ length: MAX_WALKED_POSTINGS * 4 }, (_, i) =>
    faq(`row-${i}`, `Delivery price for ${letters(i)} parcels`),
  );
  const matcher = new FaqMatcher([...rows, faq('common-only', 'Delivery price')]);

  it('finds an entry through its rare word and still counts the common words for it', () => {
    const best = matcher.best(`delivery price for ${letters(700)} parcels`);
    expect(best?.entry.id).toBe('row-700');
    expect(best?.score).toBe(1);
  });

  it('answers a message made only of common words from the entry equal to it', () => {
    expect(matcher.match('delivery price?', DEFAULT_FAQ_THRESHOLD)?.entry.id).toBe('common-only');
  });
});
