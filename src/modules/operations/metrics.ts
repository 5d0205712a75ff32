// What the rest of the code reports for /metrics. Label values are bounded by the implementation
// (providers, reply sources, Meta error codes): never a tenant id, a phone number or free text.

/** What became of a message in an authentic webhook delivery. */
export type IngestedOutcome = 'stored' | 'unrouted' | 'refused';

export const WEBHOOK_SIGNATURE_FAILURE_REASONS = ['missing', 'malformed', 'mismatch', 'throttled'] as const;
export type WebhookSignatureFailureReason = (typeof WEBHOOK_SIGNATURE_FAILURE_REASONS)[number];

export interface Metrics {
  /** One answered request to /webhook (GET verification or POST delivery), by its HTTP status. */
  webhookRequest(method: string, statusCode: number): void;
  /** A POST /webhook refused at the signature check (401: missing, malformed, mismatch) or throttled unchecked (429). */
  webhookSignatureFailed(reason: WebhookSignatureFailureReason): void;
  /** Messages of an authentic delivery: stored (Meta's redeliveries included: the write is idempotent), unrouted or refused. */
  messagesIngested(outcome: IngestedOutcome, count: number): void;
  /** A reply reached WhatsApp, by its source, `secondsSinceArrival` after the customer's message was stored. */
  replySent(source: string, secondsSinceArrival: number): void;
  /** One failed attempt at an AI provider: timeout, network, http_4xx, http_5xx, empty, circuit_open or unexpected. */
  aiAttemptFailed(provider: string, reason: string): void;
  /** An AI answer came from `provider` after earlier targets failed. */
  aiFallbackAnswered(provider: string): void;
  /** One failed Graph API call (retried or not), by Meta's error code and the HTTP status (null: no answer). */
  graphCallFailed(code: number | null, httpStatus: number | null): void;
}

/** For code built without metrics (unit tests, tools): every report is dropped. */
export const noMetrics: Metrics = {
  webhookRequest: () => undefined,
  webhookSignatureFailed: () => undefined,
  messagesIngested: () => undefined,
  replySent: () => undefined,
  aiAttemptFailed: () => undefined,
  aiFallbackAnswered: () => undefined,
  graphCallFailed: () => undefined,
};
