// What the analytics endpoints need from storage: figures computed in the database, for one tenant
// at a time (no method takes a tenant id). Every method answers null when the tenant does not exist.
import type { DayRange } from '../../domain/dayRange.js';
import type { FaqRow } from '../../domain/faqEntries.js';
import type { AskedWording } from '../../domain/questionGroups.js';
import type { AnalyticsReport, DailyFigures, PaymentFigures, QuestionsToTeachReport } from './analyticsReport.js';

export type DayFigures = Omit<DailyFigures, 'date'>;

export interface LogFigures {
  /** One entry per day of the range, in order, days without messages included with zeros. */
  daily: DailyFigures[];
  /** The whole range; unique customers and latencies are over the range, not sums of days. */
  totals: DayFigures & {
    prompt_tokens: number;
    completion_tokens: number;
    fallbacks: number;
    provider_failures: number;
  };
  /** 24 entries, hour 0–23 UTC. */
  busiestHours: { hour: number; messages_in: number }[];
  /** AI answers by `provider:model` as ai_model_used records it. */
  modelUsage: { providerModel: string; calls: number; prompt_tokens: number; completion_tokens: number }[];
  /** Failed attempts of the AI chain. */
  providerFailures: { provider: string; model: string; failures: number }[];
  escalationReasons: { reason: string; count: number }[];
  /** Failed outbound parts by their error_message as stored (null when erased or absent). */
  deliveryErrors: { errorMessage: string | null; count: number }[];
}

/** The tenant's FAQ as the matcher uses it, and the settings metadata (threshold, care texts). */
export interface FaqKnowledge {
  faqs: FaqRow[];
  settingsMetadata: Record<string, unknown>;
}

export interface TenantAnalyticsStore {
  figures(range: DayRange): Promise<LogFigures | null>;
  /** Distinct wordings (case and surrounding spaces aside) that went to the AI or got no answer, most asked first. */
  askedQuestions(range: DayRange, maxWordings: number): Promise<AskedWording[] | null>;
  faqKnowledge(): Promise<FaqKnowledge | null>;
}

export interface AnalyticsStores {
  forTenant(tenantId: string): TenantAnalyticsStore;
}

/** What the routes ask; null when the tenant does not exist. */
export interface AnalyticsQueries {
  report(tenantId: string, range: DayRange): Promise<AnalyticsReport | null>;
  questionsToTeach(tenantId: string, range: DayRange, limit: number): Promise<QuestionsToTeachReport | null>;
}

/** One tenant's payment figures over a range (days without payments included with zeros). */
export interface PaymentFigureStores {
  forTenant(tenantId: string): { paymentFigures(range: DayRange): Promise<PaymentFigures> };
}
