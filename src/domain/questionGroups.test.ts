import { describe, expect, it } from 'vitest';
import { groupQuestions, type AskedWording } from './questionGroups.js';

const at = (day: number) => `2025-03-${String(day).padStart(2, '0')}T10:00:00.000Z`;
function asked(text: string, count: number, options: { ai?: number; day?: number; answer?: string } = {}): AskedWording {
  const day = options.day ?? 1;
  return { text, count, answeredByAi: options.ai ?? 0, lastAskedAt: at(day), latestAiAnswer: options.answer ? { text: options.answer, at: at(day) } : null };
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
    expect(groups[0]).toMatchObject({ examples: ['delivery to mombasa?'], lastAskedAt: at(6), answeredByAi: 0, latestAiAnswer: null });
  });

  it('keeps different questions about the same thing apart', () => {
    const groups = groupQuestions([asked('Do you sell violins?', 2), asked('How much is a violin?', 1), asked('Do you repair violins?', 1)]);
    expect(groups.map((g) => g.question).sort()).toEqual(['Do you repair violins?', 'Do you sell violins?', 'How much is a violin?']);
  });

  it('leaves out wordings with no words, keeps questions made only of common words, and shows at most five examples', () => {
    const variants = ['hours?', 'Hours?', 'HOURS', 'hours!!', 'hours ?', 'hours...', 'Hours.'].map((text) => asked(text, 1));
    const groups = groupQuestions([asked('👍', 9), asked('???', 4), asked('Who are you?', 2), asked('who are you', 1), ...variants]);
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
