// What the worker's controls (service window, rate limits) need from the database.
import type { LimitCounts, LimitScope, RateWindows } from '../../domain/rateLimit.js';

/** What the conversation row and the rate counters said when a message was admitted. */
export interface Arrival {
  lastInboundAt: Date;
  pausedUntil: Date | null;
  /** Null when the message was not counted: outside the service window or handed over at `now`. */
  counts: LimitCounts | null;
}

/** One tenant's conversation window and rate counters (the worker's controls). */
export interface TenantControlStore {
  /** In one statement: records the message in its conversation (its last inbound time; the handoff
   *  pause comes back) and, unless it is outside the service window of `serviceWindowMs` or handed
   *  over at `now`, counts it in both rate windows, once: another attempt gets the first attempt's
   *  counts. Null when the inbound row is gone. */
  admit(inboundId: string, windows: RateWindows, now: Date, serviceWindowMs: number): Promise<Arrival | null>;
  /** True for exactly one caller per customer, scope and window. */
  claimNotice(scope: LimitScope, userPhone: string, windowStart: Date): Promise<boolean>;
}

/** Deletes rate-limit windows that started before `cutoff`, for every tenant; returns how many. */
export interface RateCounterPruner {
  pruneWindowsBefore(cutoff: Date): Promise<number>;
}
