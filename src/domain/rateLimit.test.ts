import { describe, expect, it } from 'vitest';
import { decideRateLimit, rateWindows } from './rateLimit.js';

describe('rateWindows', () => {
  it('aligns to the UTC hour and the UTC day', () => {
    const windows = rateWindows(new Date('2025-03-09T23:59:59.999Z'));
    expect(windows.hourStart.toISOString()).toBe('2025-03-09T23:00:00.000Z');
    expect(windows.dayStart.toISOString()).toBe('2025-03-09T00:00:00.000Z');
  });

  it('starts a new window exactly on the boundary', () => {
    const windows = rateWindows(new Date('2025-03-10T00:00:00.000Z'));
    expect(windows.hourStart.toISOString()).toBe('2025-03-10T00:00:00.000Z');
    expect(windows.dayStart.toISOString()).toBe('2025-03-10T00:00:00.000Z');
  });
});

describe('decideRateLimit', () => {
  const limits = { perHour: 3, perUserPerDay: 2 };

  it('allows up to and including the limit', () => {
    expect(decideRateLimit({ tenantHour: 3, userDay: 2 }, limits)).toEqual({ kind: 'allowed' });
  });

  it('marks only the message that crosses the limit as the first in its window', () => {
    expect(decideRateLimit({ tenantHour: 4, userDay: 1 }, limits)).toEqual({
      kind: 'limited',
      scope: 'tenant_hour',
      firstInWindow: true,
    });
    expect(decideRateLimit({ tenantHour: 5, userDay: 1 }, limits)).toEqual({
      kind: 'limited',
      scope: 'tenant_hour',
      firstInWindow: false,
    });
    expect(decideRateLimit({ tenantHour: 1, userDay: 3 }, limits)).toEqual({
      kind: 'limited',
      scope: 'user_day',
      firstInWindow: true,
    });
    expect(decideRateLimit({ tenantHour: 1, userDay: 4 }, limits)).toEqual({
      kind: 'limited',
      scope: 'user_day',
      firstInWindow: false,
    });
  });

  it('checks the tenant limit before the customer limit', () => {
    expect(decideRateLimit({ tenantHour: 4, userDay: 9 }, limits)).toMatchObject({ scope: 'tenant_hour' });
  });

  it('treats 0 (and a negative number) as "no messages"', () => {
    expect(decideRateLimit({ tenantHour: 1, userDay: 1 }, { perHour: 0, perUserPerDay: 50 })).toEqual({
      kind: 'limited',
      scope: 'tenant_hour',
      firstInWindow: true,
    });
    expect(decideRateLimit({ tenantHour: 1, userDay: 1 }, { perHour: 100, perUserPerDay: -1 })).toEqual({
      kind: 'limited',
      scope: 'user_day',
      firstInWindow: true,
    });
  });
});
