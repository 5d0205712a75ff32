import { describe, expect, it } from 'vitest';
import { FaqMatcher, type FaqEntry } from './faqMatcher.js';
import { consonantSkeleton, FaqSkeletonIndex } from './faqSkeletonIndex.js';

const faq = (id: string, question: string): FaqEntry => ({
  id,
  question,
  answer: 'Yes.',
  priority: 5,
  confidenceScore: 1,
});

describe('SMS spellings without vowels', () => {
  it('keeps the first letter and "y", drops the other vowels and doubled letters', () => {
    expect(consonantSkeleton('open')).toBe('opn');
    expect(consonantSkeleton('swimming')).toBe('swmng');
    expect(consonantSkeleton('sunday')).toBe('sndy');
  });

  it('reads a shorter word with the same skeleton as the FAQ word, never a longer or a different one', () => {
    const index = new FaqSkeletonIndex();
    index.add('breakfast', 1);
    index.add('open', 2);
    expect(index.expansions('brkfast')).toEqual([1]);
    expect(index.expansions('brkfst')).toEqual([1]);
    expect(index.expansions('opn')).toEqual([2]);
    expect(index.expansions('breakfast')).toEqual([]);
    expect(index.expansions('pen')).toEqual([]);
  });

  it('lets the matcher answer an SMS spelling the typo index finds too far off', () => {
    const matcher = new FaqMatcher([faq('breakfast', 'Do you serve breakfast?'), faq('menu', 'Can I see the menu?')]);
    expect(matcher.match('do u serve brkfst', 0.65)?.entry.id).toBe('breakfast');
  });
});
