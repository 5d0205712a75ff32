import { describe, expect, it } from 'vitest';
import { ratingOf } from './answerRating.js';

describe('ratingOf', () => {
  it.each([
    ['👍', 1],
    ['👍🏽', 1],
    ['👍👍', 1],
    ['Yes', 1],
    ['yes!', 1],
    ['Ndio', 1],
    ['ndiyo.', 1],
    ['👎', -1],
    ['👎🏿', -1],
    ['no', -1],
    ['Hapana', -1],
    ['NO!', -1],
  ] as const)('%j is %d', (text, rating) => {
    expect(ratingOf(text)).toBe(rating);
  });

  it.each(['no, I meant the red one', 'yes please send the price', '❤️', 'what?', ''])('%j is not a rating', (text) => {
    expect(ratingOf(text)).toBeNull();
  });
});
