import { describe, expect, it } from 'vitest';
import { distinctFaqs, faqEntriesOf } from './faqEntries.js';
import { FaqMatcher } from './faqMatcher.js';

const rows = [
  {
    id: 'rent',
    question: 'Can I rent equipment?',
    answer: 'From KES 3,500 a day.',
    priority: 5,
    confidenceScore: 1,
    variants: ['Do you hire out PA systems?', ' can i rent equipment ', ''],
  },
  { id: 'hours', question: 'Opening hours', answer: '9 to 6.', priority: 5, confidenceScore: 1 },
];

describe('faqEntriesOf', () => {
  it('adds one entry per distinct variant, with the FAQ id, answer, priority and confidence', () => {
    const entries = faqEntriesOf(rows);
    expect(entries.map((entry) => [entry.id, entry.question])).toEqual([
      ['rent', 'Can I rent equipment?'],
      ['rent', 'Do you hire out PA systems?'],
      ['hours', 'Opening hours'],
    ]);
    expect(entries[1]).toMatchObject({ answer: 'From KES 3,500 a day.', priority: 5, confidenceScore: 1 });
  });

  it('lets a message that matches only a variant get the FAQ answer', () => {
    const matcher = new FaqMatcher(faqEntriesOf(rows));
    expect(
      new FaqMatcher(faqEntriesOf(rows.map(({ variants: _, ...row }) => row))).match(
        'Do you hire out PA systems?',
        0.65,
      ),
    ).toBeNull();
    expect(matcher.match('Do you hire out PA systems?', 0.65)?.entry).toMatchObject({
      id: 'rent',
      answer: 'From KES 3,500 a day.',
    });
  });

  it('keeps the priority rule between FAQs when a variant ties with another FAQ', () => {
    const tied = faqEntriesOf([
      { id: 'low', question: 'Do you sell gift cards?', answer: 'low', priority: 1, confidenceScore: 1 },
      {
        id: 'high',
        question: 'Do you deliver?',
        answer: 'high',
        priority: 9,
        confidenceScore: 1,
        variants: ['Do you sell gift cards?'],
      },
    ]);
    expect(new FaqMatcher(tied).match('Do you sell gift cards?', 0.65)?.entry.id).toBe('high');
  });
});

describe('distinctFaqs', () => {
  it('keeps the best wording of each FAQ only', () => {
    const matcher = new FaqMatcher(faqEntriesOf(rows));
    const ranked = distinctFaqs(matcher.top('rent PA systems hours', 10));
    expect(ranked.map((match) => match.entry.id).sort()).toEqual(['hours', 'rent']);
  });
});
