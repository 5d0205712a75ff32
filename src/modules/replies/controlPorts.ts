// What the worker's controls (service window, rate limits, log policy) need from the database.
import type { LimitCounts, LimitScope, RateWindows } from '../../domain/rateLimit.js';

/** One tenant's conversation window, rate counters and log policy (the worker's controls). */
export interface TenantControlStore {
  /** Records the message in its conversation (with the handoff pause, if any); null when the inbound row is gone. */
  touchConversation(
    inboundId: string,
  ): Promise<{ lastInboundAt: Date; receivedAt: Date; pausedUntil: Date | null } | null>;
  /** Counts the message in both windows once: a second attempt gets the first attempt's counts. */
  countMessage(inboundId: string, userPhone: string, windows: RateWindows): Promise<LimitCounts>;
  /** True for exactly one caller per customer, scope and window. */
  claimNotice(scope: LimitScope, userPhone: string, windowStart: Date): Promise<boolean>;
  /** Erases bodies and/or error texts of an inbound message and its outbound rows. */
  forget(inboundId: string, what: { bodies: boolean; errors: boolean }): Promise<void>;
}

export interface ControlStores {
  forTenant(tenantId: string): TenantControlStore;
}

/** Deletes rate-limit windows that started before `cutoff`, for every tenant; returns how many. */
export interface RateCounterPruner {
  pruneWindowsBefore(cutoff: Date): Promise<number>;
}
