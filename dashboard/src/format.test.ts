import { describe, expect, it } from 'vitest';
import { format } from './format.js';

describe('figures as they read on the page', () => {
  it('writes rates, durations and costs for people', () => {
    expect(format.percent(null)).toBe('–');
    expect(format.percent(0)).toBe('0%');
    expect(format.percent(2 / 3)).toBe('66.7%');
    expect(format.percent(1)).toBe('100%');
    expect(format.duration(null)).toBe('–');
    expect(format.duration(850.4)).toBe('850 ms');
    expect(format.duration(2400)).toBe('2.4 s');
    expect(format.count(1234567)).toBe('1,234,567');
  });

  it('keeps two significant digits of a tiny cost instead of rounding it to nothing', () => {
    expect(format.usd(0)).toBe('$0.00');
    expect(format.usd(12.345)).toBe('$12.35');
    expect(format.usd(0.000016)).toBe('$0.000016');
    expect(format.usd(0.0052)).toBe('$0.0052');
  });
});
