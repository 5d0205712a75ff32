// How long a message waits before its next attempt: exponential, capped, with jitter so a
// burst of failures does not come back as a burst of retries.

export interface RetryPolicy {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { baseMs: 2_000, maxMs: 5 * 60_000 };

/** Delay before attempt `attempt + 1`, given that `attempt` (1-based) just failed. */
export function retryDelayMs(
  attempt: number,
  policy: RetryPolicy = DEFAULT_RETRY_POLICY,
  random: () => number = Math.random,
): number {
  const exponential = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
