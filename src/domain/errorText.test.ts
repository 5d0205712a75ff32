import { describe, expect, it } from 'vitest';
import { errorText } from './errorText.js';

describe('errorText', () => {
  it("drops a failed query's parameters", () => {
    const err = new Error('Failed query: insert into x values ($1)\nparams: EAAsecret,hello');
    expect(errorText(err)).toBe('Failed query: insert into x values ($1)');
  });

  it('keeps other messages and accepts non-errors', () => {
    expect(errorText(new Error('timed out'))).toBe('timed out');
    expect(errorText('plain')).toBe('plain');
  });
});
