import { describe, expect, it } from 'vitest';
import { addDays, dayRangeOf, isCalendarDay, rangeBounds } from './dayRange.js';

const NOW = new Date('2025-03-10T15:30:00Z');

describe('dayRangeOf', () => {
  it('defaults to the last 30 days, today included', () => {
    expect(dayRangeOf({}, NOW)).toEqual({ ok: true, range: { from: '2025-02-09', to: '2025-03-10' } });
    expect(dayRangeOf({ to: '2025-01-31' }, NOW)).toEqual({
      ok: true,
      range: { from: '2025-01-02', to: '2025-01-31' },
    });
    expect(dayRangeOf({ from: '2025-03-01' }, NOW)).toEqual({
      ok: true,
      range: { from: '2025-03-01', to: '2025-03-10' },
    });
  });

  it('takes one day and up to 366 days, and refuses a reversed or longer range', () => {
    expect(dayRangeOf({ from: '2025-03-01', to: '2025-03-01' }, NOW).ok).toBe(true);
    expect(dayRangeOf({ from: '2024-01-01', to: '2024-12-31' }, NOW).ok).toBe(true);
    expect(dayRangeOf({ from: '2024-01-01', to: '2025-01-01' }, NOW)).toMatchObject({
      ok: false,
      field: 'to',
      message: expect.stringContaining('367 days'),
    });
    expect(dayRangeOf({ from: '2025-03-02', to: '2025-03-01' }, NOW)).toMatchObject({ ok: false, field: 'from' });
    expect(dayRangeOf({ from: '2025-03-11' }, NOW)).toMatchObject({ ok: false, field: 'from' });
  });
});

describe('calendar days', () => {
  it('accepts only real dates written YYYY-MM-DD', () => {
    expect(isCalendarDay('2024-02-29')).toBe(true);
    for (const bad of ['2025-02-29', '2025-13-01', '2025-1-01', '20250101', '2025-01-01T00:00:00Z', ''])
      expect(isCalendarDay(bad)).toBe(false);
  });

  it('counts across months and years, and bounds a range by midnights UTC', () => {
    expect(addDays('2024-12-31', 1)).toBe('2025-01-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(rangeBounds({ from: '2025-03-01', to: '2025-03-02' })).toEqual({
      start: new Date('2025-03-01T00:00:00Z'),
      end: new Date('2025-03-03T00:00:00Z'),
    });
  });
});
