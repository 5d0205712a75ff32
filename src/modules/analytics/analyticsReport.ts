// The shape of GET /api/v1/tenants/{id}/analytics and .../analytics/questions: the contract the
// dashboard reads. Dates are UTC calendar days (YYYY-MM-DD); `from` and `to` are inclusive.

export interface LatencySummary {
  /** Time from the inbound message's arrival to its first reply part being sent, in ms; null without replies. */
  median: number | null;
  p95: number | null;
}

export interface DailyFigures {
  date: string;
  messages_in: number;
  messages_out: number;
  unique_customers: number;
  answered_faq: number;
  answered_ai: number;
  /** Inbound messages that got no answer from FAQ or AI (apology, skipped, failed, handed over). */
  not_answered: number;
  ai_calls: number;
  escalations: number;
  rate_limited: number;
  delivery_failures: number;
  reply_latency_ms: LatencySummary;
}

export interface AnalyticsReport {
  tenant_id: string;
  from: string;
  to: string;
  totals: Omit<DailyFigures, 'date'> & {
    /** answered_faq / (answered_faq + answered_ai + not_answered); null when there were none. */
    faq_hit_rate: number | null;
    /** AI calls the FAQ saved: one per FAQ answer. */
    ai_calls_saved: number;
    prompt_tokens: number;
    completion_tokens: number;
    /** From the configured price table; models without a price count 0 and are listed in `unpriced_models`. */
    estimated_cost_usd: number;
    fallbacks: number;
    provider_failures: number;
  };
  daily: DailyFigures[];
  ai_usage: {
    provider: string;
    model: string;
    calls: number;
    prompt_tokens: number;
    completion_tokens: number;
    estimated_cost_usd: number;
  }[];
  unpriced_models: string[];
  provider_failures: { provider: string; model: string; failures: number }[];
  escalations: { reason: string; count: number }[];
  delivery_failures: { code: number | null; title: string | null; count: number }[];
  /** 24 entries, hour 0–23 UTC, inbound messages in that hour over the range. */
  busiest_hours: { hour: number; messages_in: number }[];
  /** M-Pesa payments settled in the range (by the UTC day they ended), and those still pending. */
  payments: PaymentFigures;
}

export interface PaymentFigures {
  /** Shillings of the payments that ended paid. */
  collected_kes: number;
  paid: number;
  failed: number;
  /** Started in the range and not settled yet. */
  pending: number;
  /** paid / (paid + failed); null when none ended. */
  success_rate: number | null;
  daily: { date: string; collected_kes: number; paid: number; failed: number }[];
  /** cancelled, timeout, wrong_pin, insufficient_funds, busy, daraja_error, other; most first. */
  failures_by_reason: { reason: string; count: number }[];
}

export interface QuestionToTeach {
  /** The most common wording of the group. */
  question: string;
  count: number;
  /** Up to five other wordings customers used. */
  examples: string[];
  last_asked_at: string;
  /** How the group was mostly handled: answered by AI, or not answered at all. */
  outcome: 'ai' | 'not_answered';
  /** The AI's latest answer to one of them, for the owner to edit into an FAQ; null when none. */
  suggested_answer: string | null;
}

export interface QuestionsToTeachReport {
  tenant_id: string;
  from: string;
  to: string;
  questions: QuestionToTeach[];
}
