import { describe, expect, it } from 'vitest';
import { englishFor } from './swahiliWords.js';
import { tokenise } from './textNormaliser.js';

describe('Swahili and Sheng words', () => {
  it('reads verb forms of any person and tense as their root', () => {
    for (const form of ['fungua', 'mnafungua', 'tutafungua', 'mtafungua', 'kufungua', 'hamfungui'])
      expect(englishFor(form)).toEqual(['open']);
    for (const form of ['lipa', 'kulipa', 'nitalipa', 'nimelipa', 'nilipie']) expect(englishFor(form)).toEqual(['pay']);
    expect(englishFor('nitumie')).toEqual(['send']);
    expect(englishFor('inafungwa')).toEqual(['close']);
    expect(englishFor('mnauza')).toEqual(['sell']);
    // Passive of a root ending in a vowel: fungu-liwa (be opened).
    expect(englishFor('inafunguliwa')).toEqual(['open']);
    expect(englishFor('nimesahau')).toEqual(['forget']);
  });

  it('reads a noun in the number the lexicon does not list (ki-/vi-, m-/mi-, m-/wa-, ma-)', () => {
    expect(englishFor('viti')).toEqual(['seat']);
    expect(englishFor('walimu')).toEqual(['teacher']);
    expect(englishFor('madaktari')).toEqual(['doctor']);
    expect(englishFor('wanafunzi')).toEqual(['student']);
    expect(englishFor('magari')).toEqual(['vehicle']);
  });

  it('reads everyday numbers and travel words', () => {
    expect(tokenise('watu sita')).toEqual(['peopl', 'six']);
    expect(tokenise('basi ya mwisho')).toEqual(['bu', 'last']);
  });

  it('drops "can", "have" and "be at" in all their forms', () => {
    for (const form of ['naweza', 'naeza', 'unaweza', 'tunaweza', 'mko', 'mna', 'kuna', 'alikuwa', 'wenu'])
      expect(englishFor(form)).toEqual([]);
  });

  it('reads an English verb behind a Sheng prefix', () => {
    expect(englishFor('mnadeliver')).toEqual(['deliver']);
    expect(englishFor('tutaship')).toEqual(['ship']);
    expect(englishFor('kuhire')).toEqual(['hire']);
  });

  it('leaves English words alone', () => {
    for (const word of ['made', 'name', 'mode', 'mama', 'unable', 'amend', 'online', 'tuna', 'utilities', 'nail'])
      expect(englishFor(word)).toEqual([word]);
  });

  it('gives everyday service words their English token', () => {
    expect(tokenise('bei ya delivery kesho')).toEqual(tokenise('price delivery tomorrow'));
    expect(tokenise('mnafungua saa ngapi leo')).toEqual(tokenise('open hours today'));
    expect(tokenise('wapi')).toEqual(tokenise('where'));
  });
});
