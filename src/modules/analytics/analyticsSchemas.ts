// Query and response shapes of the analytics endpoints: they validate every request and are the
// OpenAPI document. The response schemas follow analyticsReport.ts, the contract the dashboard reads.
import { z } from 'zod';
import { isCalendarDay, MAX_RANGE_DAYS } from '../../domain/dayRange.js';
import type { AnalyticsReport, QuestionsToTeachReport } from './analyticsReport.js';

const day = z.string().refine(isCalendarDay, 'must be a date written YYYY-MM-DD');
const rangeFields = {
  from: day.optional().describe('First UTC day, included (YYYY-MM-DD); default: 29 days before `to`'),
  to: day
    .optional()
    .describe(`Last UTC day, included (YYYY-MM-DD); default: today. At most ${MAX_RANGE_DAYS} days in all`),
};
const limitMessage = 'must be a whole number from 1 to 100';

export const analyticsQuery = z.strictObject(rangeFields);
export const questionsQuery = z.strictObject({
  ...rangeFields,
  limit: z.coerce
    .number({ error: limitMessage })
    .int(limitMessage)
    .min(1, limitMessage)
    .max(100, limitMessage)
    .default(20)
    .describe('Most frequent groups to list'),
});

const count = z.number().int();
const latency = z
  .object({ median: z.number().nullable(), p95: z.number().nullable() })
  .describe('Milliseconds from an inbound message to its first reply part being sent; null without replies');
const dayFigures = {
  messages_in: count,
  messages_out: count.describe('Outbound parts (a long answer is several)'),
  unique_customers: count,
  answered_faq: count,
  answered_ai: count,
  not_answered: count.describe(
    'Finished inbound messages answered by neither FAQ nor AI: apologies, notices, skipped (limits, handed over, no text), failed',
  ),
  ai_calls: count.describe('Messages the AI chain was asked about, answered or not'),
  escalations: count.describe('Conversations handed to a person'),
  rate_limited: count,
  delivery_failures: count.describe('Outbound parts that failed (send refused, or a failed status from Meta)'),
  reply_latency_ms: latency,
};

export const analyticsReportView = z.object({
  tenant_id: z.string(),
  from: z.string(),
  to: z.string(),
  totals: z.object({
    ...dayFigures,
    faq_hit_rate: z.number().nullable().describe('answered_faq / (answered_faq + answered_ai + not_answered)'),
    ai_calls_saved: count.describe('One per FAQ answer'),
    prompt_tokens: count,
    completion_tokens: count,
    estimated_cost_usd: z.number(),
    fallbacks: count.describe('AI answers given by a fallback after an earlier provider failed'),
    provider_failures: count.describe('Failed attempts of the AI chain'),
  }),
  daily: z.array(z.object({ date: z.string(), ...dayFigures })),
  ai_usage: z.array(
    z.object({
      provider: z.string(),
      model: z.string(),
      calls: count,
      prompt_tokens: count,
      completion_tokens: count,
      estimated_cost_usd: z.number(),
    }),
  ),
  unpriced_models: z.array(z.string()).describe('provider:model answers with no price in AI_PRICES; counted at 0'),
  provider_failures: z.array(z.object({ provider: z.string(), model: z.string(), failures: count })),
  escalations: z.array(z.object({ reason: z.string(), count })),
  delivery_failures: z.array(z.object({ code: z.number().nullable(), title: z.string().nullable(), count })),
  busiest_hours: z.array(z.object({ hour: count, messages_in: count })).describe('24 entries, hour 0-23 UTC'),
  payments: z
    .object({
      collected_kes: count.describe('Shillings of the payments that ended paid'),
      paid: count,
      failed: count,
      pending: count.describe('Started in the range and not settled yet'),
      success_rate: z.number().nullable().describe('paid / (paid + failed)'),
      daily: z.array(z.object({ date: z.string(), collected_kes: count, paid: count, failed: count })),
      failures_by_reason: z.array(z.object({ reason: z.string(), count })),
    })
    .describe('M-Pesa payments ended in the range, by the UTC day they ended'),
});

export const questionsReportView = z.object({
  tenant_id: z.string(),
  from: z.string(),
  to: z.string(),
  questions: z.array(
    z.object({
      question: z.string(),
      count,
      examples: z.array(z.string()),
      last_asked_at: z.string(),
      outcome: z.enum(['ai', 'not_answered']),
      suggested_answer: z
        .string()
        .nullable()
        .describe("The AI's latest answer, to prefill POST /tenants/{id}/training"),
    }),
  ),
});

// The views and the contract must stay one shape: this fails to compile when either drifts.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
export const viewsMatchContract: [
  Same<z.infer<typeof analyticsReportView>, AnalyticsReport>,
  Same<z.infer<typeof questionsReportView>, QuestionsToTeachReport>,
] = [true, true];
