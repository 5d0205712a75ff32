// Stops sending customers' messages to a provider that keeps failing, so each of them does not
// wait a full timeout for it; after a cooldown one trial call finds out whether it is back.

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. */
  failureThreshold: number;
  /** How long an open circuit refuses calls before letting one trial through. */
  cooldownMs: number;
  now: () => number;
}

export class CircuitBreaker {
  private readonly options: CircuitBreakerOptions;
  private consecutiveFailures = 0;
  private openedAt: number | null = null;
  private trialInFlight = false;

  constructor(options: CircuitBreakerOptions) {
    this.options = options;
  }

  /**
   * True when a call may go ahead. In half-open only one trial is let through at a time; its
   * caller must report the outcome with `recordSuccess` or `recordFailure`.
   */
  tryAcquire(): boolean {
    if (this.openedAt === null) return true;
    if (this.trialInFlight || this.options.now() - this.openedAt < this.options.cooldownMs) return false;
    this.trialInFlight = true;
    return true;
  }

  recordSuccess(): void {
    this.consecutiveFailures = 0;
    this.openedAt = null;
    this.trialInFlight = false;
  }

  /** Returns true when this failure (re)opened the circuit, so the caller can log it once. */
  recordFailure(): boolean {
    if (this.trialInFlight) {
      this.trialInFlight = false;
      this.openedAt = this.options.now();
      return true;
    }
    // Calls that were already in flight when the circuit opened do not push the cooldown back.
    if (this.openedAt !== null) return false;
    this.consecutiveFailures += 1;
    if (this.consecutiveFailures < this.options.failureThreshold) return false;
    this.openedAt = this.options.now();
    return true;
  }
}
