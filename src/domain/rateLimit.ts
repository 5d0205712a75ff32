// Rate limits: fixed windows aligned to the UTC hour and the UTC day, and which limit a message
// crosses given the counts after it was counted. A limit of 0 blocks every message (a tenant
// that sets 0 means "none"; "unlimited" would be a surprising reading of zero); the database
// columns are NOT NULL, and a tenant without a settings row gets the defaults.

export type LimitScope = 'tenant_hour' | 'user_day';

export interface RateWindows {
  hourStart: Date;
  dayStart: Date;
}

/** Counts including the message being decided (1 for the first message of a window). */
export interface LimitCounts {
  tenantHour: number;
  userDay: number;
}

export interface RateLimits {
  perHour: number;
  perUserPerDay: number;
}

export type LimitDecision =
  | { kind: 'allowed' }
  /** firstInWindow: this message is the one that crossed the limit (exactly one per window). */
  | { kind: 'limited'; scope: LimitScope; firstInWindow: boolean };

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

export function rateWindows(at: Date): RateWindows {
  const ms = at.getTime();
  return { hourStart: new Date(ms - (ms % HOUR_MS)), dayStart: new Date(ms - (ms % DAY_MS)) };
}

/** The tenant's hourly limit is checked first: it is the one that protects the tenant's budget. */
export function decideRateLimit(counts: LimitCounts, limits: RateLimits): LimitDecision {
  const perHour = Math.max(0, limits.perHour);
  const perUserPerDay = Math.max(0, limits.perUserPerDay);
  if (counts.tenantHour > perHour)
    return { kind: 'limited', scope: 'tenant_hour', firstInWindow: counts.tenantHour === perHour + 1 };
  if (counts.userDay > perUserPerDay)
    return { kind: 'limited', scope: 'user_day', firstInWindow: counts.userDay === perUserPerDay + 1 };
  return { kind: 'allowed' };
}
