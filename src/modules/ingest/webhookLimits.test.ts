import { describe, expect, it } from 'vitest';
import { countWebhookItems, nestsDeeperThan } from './webhookLimits.js';

const deeper = (json: string, max: number) => nestsDeeperThan(Buffer.from(json), max);

describe('nestsDeeperThan', () => {
  it('counts arrays and objects, and nothing else', () => {
    expect(deeper('{"a":[{"b":[1]}]}', 4)).toBe(false);
    expect(deeper('{"a":[{"b":[1]}]}', 3)).toBe(true);
    expect(deeper('"just a string"', 0)).toBe(false);
  });

  it('skips brackets inside strings, escaped quotes included', () => {
    expect(deeper('{"t":"[[[[{{{{"}', 1)).toBe(false);
    expect(deeper('{"t":"say \\"[[[[\\" and \\\\"}', 1)).toBe(false);
    // The escaped backslash ends the string: the bracket after it is real.
    expect(deeper('{"t":"\\\\","u":[[1]]}', 2)).toBe(true);
  });

  it('scans 100,000 levels in one pass without recursion', () => {
    const bomb = Buffer.from('['.repeat(100_000) + ']'.repeat(100_000));
    expect(nestsDeeperThan(bomb, 32)).toBe(true);
    expect(nestsDeeperThan(bomb, 100_000)).toBe(false);
  });
});

describe('countWebhookItems', () => {
  it('adds entries, changes, messages and statuses, ignoring anything malformed', () => {
    const body = {
      entry: [
        { changes: [{ value: { messages: [{}, {}], statuses: [{}] } }, { value: { messages: 'not an array' } }] },
        'not an entry',
        { changes: {} },
      ],
    };
    expect(countWebhookItems(body)).toBe(3 + 2 + 3);
    expect(countWebhookItems(null)).toBe(0);
    expect(countWebhookItems({ entry: 'x' })).toBe(0);
  });
});
