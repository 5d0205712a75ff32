import { describe, expect, it } from 'vitest';
import { isWithinServiceWindow, SERVICE_WINDOW_MS } from './serviceWindow.js';

describe('isWithinServiceWindow', () => {
  const now = new Date('2025-03-10T12:00:00Z');

  it('is open for 24 hours after the last inbound message', () => {
    expect(isWithinServiceWindow(now, now)).toBe(true);
    expect(isWithinServiceWindow(new Date(now.getTime() - SERVICE_WINDOW_MS + 1), now)).toBe(true);
  });

  it('is closed from the 24th hour on', () => {
    expect(isWithinServiceWindow(new Date(now.getTime() - SERVICE_WINDOW_MS), now)).toBe(false);
    expect(isWithinServiceWindow(new Date(now.getTime() - 25 * 3_600_000), now)).toBe(false);
  });

  it('treats a timestamp in the future (clock skew) as open', () => {
    expect(isWithinServiceWindow(new Date(now.getTime() + 60_000), now)).toBe(true);
  });
});
