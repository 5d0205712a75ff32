import { describe, expect, it } from 'vitest';
import { costRatio, longWord, manyWords } from '../../test/support/hostileText.js';
import {
  groupQuestions,
  MAX_COMPARED_LENGTH,
  MAX_GROUPED_WORDINGS,
  QuestionGrouper,
  type AskedWording,
} from './questionGroups.js';

const at = (day: number) => `2025-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
function asked(
  text: string,
  count: number,
  options: { ai?: number; day?: number; answer?: string } = {},
): AskedWording {
  const day = options.day ?? 1;
  return {
    text,
    count,
    answeredByAi: options.ai ?? 0,
    lastAskedAt: at(day),
    latestAiAnswer: options.answer ? { text: options.answer, at: at(day) } : null,
  };
}

describe('groupQuestions', () => {
  it('groups wordings of one question, most frequent first, with the other wordings as examples', () => {
    const groups = groupQuestions([
      asked('Do you sell violins?', 3, { ai: 3, day: 2, answer: 'Yes, from KES 8,000.' }),
      asked('do u sell violins', 2, { ai: 2, day: 5, answer: 'Yes, we stock violins.' }),
      asked('Do you have violins for sale?', 1, { ai: 1, day: 3, answer: 'We do.' }),
      asked('Do you deliver to Mombasa?', 4, { day: 4 }),
      asked('delivery to mombasa?', 3, { day: 6 }),
      asked('Are you open on Sunday?', 2, { day: 1 }),
      asked('open sundays?', 1, { day: 1 }),
    ]);
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ['Do you deliver to Mombasa?', 7],
      ['Do you sell violins?', 6],
      ['Are you open on Sunday?', 3],
    ]);
    const violins = groups[1]!;
    expect(violins.examples).toEqual(['do u sell violins', 'Do you have violins for sale?']);
    expect(violins.answeredByAi).toBe(6);
    expect(violins.lastAskedAt).toBe(at(5));
    // The latest AI answer of any wording in the group, not of the most frequent one.
    expect(violins.latestAiAnswer).toEqual({ text: 'Yes, we stock violins.', at: at(5) });
    expect(groups[0]).toMatchObject({
      examples: ['delivery to mombasa?'],
      lastAskedAt: at(6),
      answeredByAi: 0,
      latestAiAnswer: null,
    });
  });

  it('keeps different questions about the same thing apart', () => {
    const groups = groupQuestions([
      asked('Do you sell violins?', 2),
      asked('How much is a violin?', 1),
      asked('Do you repair violins?', 1),
    ]);
    expect(groups.map((g) => g.question).sort()).toEqual([
      'Do you repair violins?',
      'Do you sell violins?',
      'How much is a violin?',
    ]);
  });

  it('leaves out wordings with no words, keeps questions made only of common words, and shows at most five examples', () => {
    const variants = ['hours?', 'Hours?', 'HOURS', 'hours!!', 'hours ?', 'hours...', 'Hours.'].map((text) =>
      asked(text, 1),
    );
    const groups = groupQuestions([
      asked('👍', 9),
      asked('???', 4),
      asked('Who are you?', 2),
      asked('who are you', 1),
      ...variants,
    ]);
    expect(groups.map((g) => [g.question, g.count])).toEqual([
      ['hours?', 7],
      ['Who are you?', 3],
    ]);
    expect(groups[0]!.examples).toHaveLength(5);
    expect(groups[1]!.examples).toEqual(['who are you']);
  });

  it('answers nothing for nothing', () => {
    expect(groupQuestions([])).toEqual([]);
  });
});

describe('groupQuestions bounded work', () => {
  // Wordings that all share most of their words, so each one is a candidate for every group: worst case for
  // comparing everything with everything.
  const alike = (count: number, seed: number) =>
    Array.from({ length: count }, (_, i) =>
      asked(`${'delivery price guitar lesson repair rental '.repeat(3)}${manyWords(4, 8, seed + i)}`, 1 + (i % 9), {
        day: 1 + (i % 20),
      }),
    );

  it(`groups ${MAX_GROUPED_WORDINGS} alike wordings in time linear in their number`, () => {
    const few = alike(MAX_GROUPED_WORDINGS / 10, 100);
    const many = alike(MAX_GROUPED_WORDINGS, 1_000);
    // Linear is 10; comparing every wording with every group is about 100.
    expect(
      costRatio(
        () => groupQuestions(many),
        () => groupQuestions(few),
        3,
      ),
    ).toBeLessThan(30);
  });

  it('groups hostile texts (4,096-letter words, 100 KB of long words) for about what ordinary questions cost', () => {
    const ordinary = Array.from({ length: 100 }, (_, i) =>
      asked(`Do you deliver to ${manyWords(1, 7, i)} on Sunday?`, 1 + (i % 5)),
    );
    const body = manyWords(2_500, 40, 7);
    const hostile = Array.from({ length: 100 }, (_, i) =>
      asked(i % 2 ? longWord(4_096, i) : `${manyWords(8, 40, i)} ${body}`, 1 + (i % 5)),
    );
    expect(
      costRatio(
        () => groupQuestions(hostile),
        () => groupQuestions(ordinary),
        3,
      ),
    ).toBeLessThan(10);
  });

  it(`groups only the ${MAX_GROUPED_WORDINGS} most asked wordings`, () => {
    const wordings = Array.from({ length: MAX_GROUPED_WORDINGS + 50 }, (_, i) =>
      asked(`question ${manyWords(2, 9, i)}`, i + 1),
    );
    const groups = groupQuestions(wordings);
    const grouped = groups.reduce((sum, g) => sum + g.count, 0);
    expect(grouped).toBe(wordings.slice(50).reduce((sum, w) => sum + w.count, 0));
    expect(groups.some((g) => g.question === wordings[0]?.text)).toBe(false);
  });

  it(`compares wordings by their first ${MAX_COMPARED_LENGTH} characters and reports them whole`, () => {
    const start = 'Do you deliver guitars to Mombasa? '.repeat(10).slice(0, MAX_COMPARED_LENGTH);
    const groups = groupQuestions([
      asked(`${start} first tail ${longWord(5_000, 1)}`, 2),
      asked(`${start} other ${longWord(5_000, 2)}`, 1),
    ]);
    expect(groups).toHaveLength(1);
    expect(groups[0]?.question.length).toBeGreaterThan(5_000);
  });
});

describe('QuestionGrouper', () => {
  it('works in small steps: one per wording, one to build the matcher, one per bucket, then the same groups', () => {
    const wordings = [
      ...Array.from({ length: 30 }, (_, i) =>
        asked(`Do you deliver to ${manyWords(1, 7, i)} on Sunday?`, 1 + (i % 4), { day: 1 + (i % 9) }),
      ),
      asked('do you deliver to nakuru on sunday', 2),
      asked('Do you deliver to Nakuru on Sunday?', 1),
      asked('🎸🎸', 5),
      asked(manyWords(20, 30, 7), 1),
    ];
    const grouper = new QuestionGrouper(wordings);
    let steps = 0;
    while (grouper.step()) steps += 1;
    // Two wordings share their content words and the emoji-only one has none: 32 buckets.
    expect(steps).toBe(wordings.length + 1 + 32);
    expect(grouper.step()).toBe(false);
    expect(grouper.groups()).toEqual(groupQuestions(wordings));
  });
});
