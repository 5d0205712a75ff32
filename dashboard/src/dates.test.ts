import { describe, expect, it } from 'vitest';
import { lastDays, rangeLength, rangeProblem } from './dates.js';

describe('date ranges', () => {
  const now = new Date('2024-03-01T23:30:00Z');

  it('counts the last N days up to and including today, in UTC, across a month end and a leap day', () => {
    expect(lastDays(1, now)).toEqual({ from: '2024-03-01', to: '2024-03-01' });
    expect(lastDays(7, now)).toEqual({ from: '2024-02-24', to: '2024-03-01' });
    expect(rangeLength(lastDays(30, now))).toBe(30);
  });

  it('says why a range cannot be asked for', () => {
    expect(rangeProblem({ from: '2024-02-24', to: '2024-03-01' })).toBeNull();
    expect(rangeProblem({ from: '2024-03-02', to: '2024-03-01' })).toBe(
      'The first day must not be after the last day.',
    );
    expect(rangeProblem({ from: '', to: '2024-03-01' })).toBe('Pick both dates.');
    expect(rangeLength({ from: '2024-03-02', to: '2024-03-01' })).toBe(0);
  });
});
