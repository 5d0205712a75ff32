// Date ranges as the analytics API takes them: UTC calendar days, YYYY-MM-DD, both ends included.

export interface DateRange {
  from: string;
  to: string;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/** The last `days` days up to and including today (UTC). */
export function lastDays(days: number, now: Date = new Date()): DateRange {
  return { from: utcDay(new Date(now.getTime() - (days - 1) * DAY_MS)), to: utcDay(now) };
}

/** Days in the range, both ends counted; 0 when it is not a valid range. */
export function rangeLength(range: DateRange): number {
  const from = Date.parse(`${range.from}T00:00:00Z`);
  const to = Date.parse(`${range.to}T00:00:00Z`);
  if (Number.isNaN(from) || Number.isNaN(to) || to < from) return 0;
  return Math.round((to - from) / DAY_MS) + 1;
}

/** Why a range cannot be asked for, in words for the form; null when it is fine. */
export function rangeProblem(range: DateRange): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(range.from) || !/^\d{4}-\d{2}-\d{2}$/.test(range.to)) return 'Pick both dates.';
  if (rangeLength(range) === 0) return 'The first day must not be after the last day.';
  return null;
}
