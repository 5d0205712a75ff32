// A range of UTC calendar days, both ends included, as the analytics endpoints take it.

export interface DayRange {
  /** YYYY-MM-DD, included. */
  from: string;
  /** YYYY-MM-DD, included. */
  to: string;
}

export const DEFAULT_RANGE_DAYS = 30;
export const MAX_RANGE_DAYS = 366;

const DAY_MS = 86_400_000;

export type DayRangeResult = { ok: true; range: DayRange } | { ok: false; field: 'from' | 'to'; message: string };

/** A real date written YYYY-MM-DD (not 2025-02-30). */
export function isCalendarDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return Number.isFinite(time) && new Date(time).toISOString().slice(0, 10) === value;
}

/** The range asked for; a missing end defaults to today (UTC), a missing start to 30 days ending at `to`. */
export function dayRangeOf(query: { from?: string | undefined; to?: string | undefined }, now: Date): DayRangeResult {
  const to = query.to ?? now.toISOString().slice(0, 10);
  const from = query.from ?? addDays(to, 1 - DEFAULT_RANGE_DAYS);
  if (from > to) return { ok: false, field: 'from', message: `must be on or before to (${to})` };
  const days = daysBetween(from, to) + 1;
  if (days > MAX_RANGE_DAYS)
    return { ok: false, field: 'to', message: `the range holds ${days} days; at most ${MAX_RANGE_DAYS} are allowed` };
  return { ok: true, range: { from, to } };
}

export function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Midnight UTC starting `day`, and the midnight after the range: the half-open interval to query. */
export function rangeBounds(range: DayRange): { start: Date; end: Date } {
  return { start: new Date(`${range.from}T00:00:00Z`), end: new Date(`${addDays(range.to, 1)}T00:00:00Z`) };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
