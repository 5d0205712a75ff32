import { describe, expect, it } from 'vitest';
import { FaqMatcher, type FaqEntry } from './faqMatcher.js';
import { FULL_WEIGHT_RANK, MIN_UNKNOWN_WEIGHT, unknownWordWeight } from './faqWordRarity.js';
import type { WordVectors } from './wordVectors.js';

/** Knows only frequency ranks: "number" is common, "safaricom" rare; no vectors, so no vector hits. */
const ranks: WordVectors = {
  dimensions: 3,
  vectorOf: () => null,
  frequencyRankOf: (word) => ({ number: 200, safaricom: 60_000 })[word] ?? null,
};

const faqs: FaqEntry[] = [
  { id: 'payment', question: 'Paybill details', answer: 'Paybill 522533.', priority: 5, confidenceScore: 1 },
];

describe('general-language rarity of words no FAQ uses', () => {
  it('counts common words less, rare and unranked words in full', () => {
    expect(unknownWordWeight(200)).toBeLessThan(unknownWordWeight(5_000));
    expect(unknownWordWeight(0)).toBe(MIN_UNKNOWN_WEIGHT);
    expect(unknownWordWeight(FULL_WEIGHT_RANK)).toBe(1);
    expect(unknownWordWeight(null)).toBe(1);
    // Bare numbers ("2" and "4" in SMS) have no rank; they count as little as the commonest words.
    expect(unknownWordWeight(null, '4')).toBe(MIN_UNKNOWN_WEIGHT);
  });

  it('lets a common extra word cost a match less than a rare one', () => {
    const matcher = new FaqMatcher(faqs, { wordVectors: ranks });
    const common = matcher.best('paybill number')?.score ?? 0;
    const rare = matcher.best('paybill safaricom')?.score ?? 0;
    expect(common).toBeGreaterThan(rare);
    // Without the ranks both extra words weigh the same.
    const lexical = new FaqMatcher(faqs);
    expect(lexical.best('paybill number')?.score).toBeCloseTo(lexical.best('paybill safaricom')?.score ?? 0, 1);
  });
});
