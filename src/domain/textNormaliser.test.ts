import { describe, expect, it } from 'vitest';
import { costRatio, longWord, manyWords, wordsOfSize } from '../../test/support/hostileText.js';
import {
  MAX_NORMALISED_LENGTH,
  MAX_TOKENS,
  MAX_WORD_LENGTH,
  normaliseText,
  tokenise,
  vocabularyTokens,
} from './textNormaliser.js';

describe('normaliseText', () => {
  it('lowercases, strips accents, punctuation and emoji, and collapses whitespace', () => {
    expect(normaliseText('  Café   Ñandú!!! 👋🏽 ')).toBe('cafe nandu');
  });

  it('folds compatibility characters', () => {
    expect(normaliseText('ﬁx ①')).toBe('fix 1');
  });

  it('expands contractions, including curly apostrophes', () => {
    expect(normaliseText("I don't know, can't you?")).toBe('i do not know cannot you');
    expect(normaliseText('What’s open?')).toBe('what is open');
  });

  it('expands chat short forms', () => {
    expect(normaliseText('u open on wknd pls? hrs plz')).toBe('you open on weekend please hours please');
    expect(normaliseText('i 4got my bag, do u hav skul bus frm juja')).toBe(
      'i forgot my bag do you have school bus from juja',
    );
  });

  it('joins a single-letter prefix to its word but keeps other hyphenated words apart', () => {
    expect(normaliseText('M-Pesa e-mail second-hand')).toBe('mpesa email second hand');
  });

  it('returns an empty string for whitespace or emoji only', () => {
    expect(normaliseText('   ')).toBe('');
    expect(normaliseText('🎸🎶')).toBe('');
  });
});

describe('tokenise', () => {
  it('stems content words and drops stop words', () => {
    expect(tokenise('What are your opening hours?')).toEqual(['open', 'hour']);
  });

  it('drops greeting and politeness filler', () => {
    expect(tokenise('Hi, can you please tell me your opening hours?')).toEqual(['open', 'hour']);
  });

  it('drops common Swahili function words', () => {
    expect(tokenise('Je, mko na parking ya magari kwa wageni?')).toEqual(['park', 'vehicl', 'wageni']);
  });

  it('keeps numbers', () => {
    expect(tokenise('Open 24/7 in 2024')).toEqual(['open', '24', '7', '2024']);
  });

  it('gives word forms and short forms the same token', () => {
    expect(new Set(tokenise('deliver delivery deliveries delivered'))).toEqual(new Set(['deliv']));
    expect(tokenise('hrs')).toEqual(tokenise('hours'));
    expect(tokenise('wknd')).toEqual(tokenise('weekend'));
    expect(tokenise('payment')).toEqual(tokenise('pay'));
  });

  it('folds generic price and repair synonyms', () => {
    expect(tokenise('how much is delivery')).toEqual(tokenise('cost of delivery'));
    expect(tokenise('delivery fee')).toEqual(tokenise('delivery price'));
    expect(tokenise('class')).toEqual(tokenise('lesson'));
  });

  it('replaces customer phrases, on word stems, with the word they stand for', () => {
    expect(tokenise('saa ngapi')).toEqual(tokenise('hours'));
    expect(tokenise('how many days')).toEqual(tokenise('how long'));
    expect(tokenise('can I pay bit by bit')).toEqual(tokenise('pay instalments'));
    expect(tokenise('open on public holidays')).toEqual(tokenise('open on holiday'));
    expect(tokenise('your email address')).toEqual(['email']);
  });

  it('drops references to the business itself and Swahili question words', () => {
    expect(tokenise('where is your shop')).toEqual(['where']);
    expect(tokenise('bei ni ngapi')).toEqual(['cost']);
  });

  it('returns no tokens for empty, emoji-only or stop-word-only text', () => {
    expect(tokenise('')).toEqual([]);
    expect(tokenise('👍')).toEqual([]);
    expect(tokenise('Hi there, thanks!')).toEqual([]);
  });
});

describe('vocabularyTokens', () => {
  it('puts the tokens of interchangeable words in a shared group', () => {
    const [close, hours] = [tokenise('close')[0] ?? '', tokenise('hours')[0] ?? ''];
    const hoursGroups = vocabularyTokens.groups.get(hours) ?? [];
    expect(vocabularyTokens.groups.get(close)?.some((group) => hoursGroups.includes(group))).toBe(true);
    expect(vocabularyTokens.groups.get(tokenise('guitar')[0] ?? '')).toBeUndefined();
  });

  it('lists asking and light words as tokens', () => {
    expect(vocabularyTokens.asking.has(tokenise('how much')[0] ?? '')).toBe(true);
    expect(vocabularyTokens.light.has(tokenise('policy')[0] ?? '')).toBe(true);
  });
});

describe('bounded work on hostile text', () => {
  // Ordinary prose as long as the most that is read: what any text may cost, at most.
  const prose = 'Do you deliver to Westlands on Sunday and how much does it cost? '
    .repeat(40)
    .slice(0, MAX_NORMALISED_LENGTH);

  it('reads only the first MAX_NORMALISED_LENGTH characters, so 100 KB costs what its beginning costs', () => {
    const text = wordsOfSize(100_000);
    expect(normaliseText(text)).toBe(normaliseText(text.slice(0, MAX_NORMALISED_LENGTH)));
    expect(normaliseText(`${'x '.repeat(MAX_NORMALISED_LENGTH / 2)}delivery`)).not.toContain('delivery');
    expect(
      costRatio(
        () => tokenise(text),
        () => tokenise(prose),
      ),
    ).toBeLessThan(10);
  });

  it('cuts a 4,096-letter word to MAX_WORD_LENGTH letters before stemming', () => {
    const [token, ...rest] = tokenise(longWord(4_096));
    expect(rest).toEqual([]);
    expect(token?.length).toBeLessThanOrEqual(MAX_WORD_LENGTH);
    expect(tokenise('accommodation')).toEqual(['accommod']);
  });

  it('keeps the first MAX_TOKENS distinct tokens of a text of thousands of distinct words', () => {
    const words = manyWords(5_000, 8);
    const tokens = tokenise(words);
    expect(new Set(tokens).size).toBe(MAX_TOKENS);
    expect(tokens).toEqual(tokenise(words.split(' ').slice(0, MAX_TOKENS).join(' ')));
    // Repeats of tokens already kept do not count against the limit.
    expect(tokenise('guitar guitar guitar delivery')).toEqual(['guitar', 'guitar', 'guitar', 'deliv']);
  });

  it.each([
    ['one letter repeated', 'a'.repeat(100_000)],
    ['one letter and spaces', 'a '.repeat(50_000)],
    ['apostrophes', "n't's'll".repeat(12_500)],
    ['hyphens between letters', 'a-'.repeat(50_000)],
    ['emoji', '👍🏽'.repeat(25_000)],
    ['combining marks', `a${'\u0301'.repeat(99_999)}`],
    ['compatibility ligatures', '\ufdfa'.repeat(100_000)],
    ['one long word', longWord(100_000)],
    ['phrase first words with typos', 'busines hourz '.repeat(7_000)],
  ])('normalises and tokenises 100 KB of %s for about what ordinary prose of the readable length costs', (_, text) => {
    expect(
      costRatio(
        () => tokenise(text),
        () => tokenise(prose),
      ),
    ).toBeLessThan(10);
  });
});
