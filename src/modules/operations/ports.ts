// What the operations endpoints need from the outside world; adapters implement these.

export type ReadinessReport =
  | { ready: true }
  /** `details` is safe to show anyone; `cause` (an error summary without parameters) goes to the log only. */
  | { ready: false; details: string; cause?: string };

export interface ReadinessProbe {
  /** Answers within a bounded time: the database answers and every bundled migration is applied. */
  check(): Promise<ReadinessReport>;
}

/** Metrics in the Prometheus text format, gathered when asked (queue figures are read at that moment). */
export interface MetricsExposition {
  readonly contentType: string;
  render(): Promise<string>;
}

/** Totals of the message queue across every tenant: an operator's figure, never one tenant's data. */
export interface QueueBacklog {
  /** Inbound messages waiting (pending) and being answered (processing), and the age of the oldest waiting one. */
  read(): Promise<{ pending: number; processing: number; oldestPendingAgeSeconds: number | null }>;
}
