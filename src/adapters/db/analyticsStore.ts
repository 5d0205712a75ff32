// One tenant's analytics, computed by the database. Every statement filters by the tenant id given
// to the constructor; no method takes a tenant id.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { addDays, rangeBounds, type DayRange } from '../../domain/dayRange.js';
import type { AskedWording } from '../../domain/questionGroups.js';
import type { DayFigures, FaqKnowledge, LogFigures, TenantAnalyticsStore } from '../../modules/analytics/ports.js';
import {
  dailyCustomerRows,
  deliveryErrorRows,
  escalationDayRows,
  escalationReasonRows,
  inboundSlotRows,
  latencyRows,
  modelUsageRows,
  outboundSlotRows,
  providerFailureRows,
  rangeCustomers,
  type Num,
  type Scope,
} from './analyticsFigureQueries.js';
import { queryRows, type AppDb } from './database.js';
import { botControlSettings, botTrainingData } from './schema.js';
import { tenantExists } from './tenantLock.js';

interface AskedRow {
  text: string;
  count: string | number;
  by_ai: string | number;
  last_at: Date | string;
  ai_answer: string | null;
  answered_at: Date | string | null;
}

const num = (value: string | number | null | undefined): number =>
  value === null || value === undefined ? 0 : Number(value);
const iso = (value: Date | string) => new Date(value).toISOString();

export class DbAnalyticsStore implements TenantAnalyticsStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async figures(range: DayRange): Promise<LogFigures | null> {
    const scope = this.scope(range);
    if (!(await tenantExists(this.db, this.tenantId))) return null;
    // Three transactions of about equal work: on PostgreSQL they run side by side on the pool, taking
    // three connections rather than one per statement (PGlite runs them one after the other).
    const [
      [inbound, models, failures],
      [latencies],
      [outbound, customers, allCustomers, escalations, reasons, errors],
    ] = await Promise.all([
      analyticsRead(
        this.db,
        async (tx) =>
          [
            await inboundSlotRows(tx, scope),
            await modelUsageRows(tx, scope),
            await providerFailureRows(tx, scope),
          ] as const,
      ),
      analyticsRead(this.db, async (tx) => [await latencyRows(tx, scope)] as const),
      analyticsRead(
        this.db,
        async (tx) =>
          [
            await outboundSlotRows(tx, scope),
            await dailyCustomerRows(tx, scope),
            await rangeCustomers(tx, scope),
            await escalationDayRows(tx, scope),
            await escalationReasonRows(tx, scope),
            await deliveryErrorRows(tx, scope),
          ] as const,
      ),
    ]);
    const days = new Map<string, Counts>();
    for (let day = range.from; day <= range.to; day = addDays(day, 1)) days.set(day, emptyCounts());
    const total = emptyCounts();
    const hours = Array.from({ length: 24 }, () => 0);
    const add = (slot: Num, counts: Partial<Record<keyof Counts, Num>>) => {
      const at = new Date(num(slot) * 1000);
      const day = days.get(at.toISOString().slice(0, 10));
      for (const key of Object.keys(counts) as (keyof Counts)[]) {
        const n = num(counts[key]);
        total[key] += n;
        if (day) day[key] += n;
      }
      return at.getUTCHours();
    };
    for (const { slot, ...counts } of inbound) {
      const hour = add(slot, counts);
      hours[hour] = (hours[hour] ?? 0) + num(counts.messages_in);
    }
    for (const { slot, ...counts } of outbound) add(slot, counts);
    for (const e of escalations) {
      total.escalations += num(e.count);
      const day = days.get(e.day);
      if (day) day.escalations += num(e.count);
    }
    const customersOn = new Map<string | null, number>(customers.map((c) => [c.day, num(c.customers)]));
    customersOn.set(null, num(allCustomers));
    const latencyOn = new Map(latencies.map((l) => [l.day, l]));
    const figuresOf = (counts: Counts, day: string | null): DayFigures => ({
      ...dayFigures(counts),
      unique_customers: customersOn.get(day) ?? 0,
      reply_latency_ms: { median: rounded(latencyOn.get(day)?.median), p95: rounded(latencyOn.get(day)?.p95) },
    });
    return {
      daily: [...days].map(([date, counts]) => ({ date, ...figuresOf(counts, date) })),
      totals: {
        ...figuresOf(total, null),
        prompt_tokens: total.prompt_tokens,
        completion_tokens: total.completion_tokens,
        fallbacks: total.fallbacks,
        provider_failures: total.provider_failures,
      },
      busiestHours: hours.map((messages_in, hour) => ({ hour, messages_in })),
      modelUsage: models.map((m) => ({
        providerModel: m.model,
        calls: num(m.calls),
        prompt_tokens: num(m.prompt_tokens),
        completion_tokens: num(m.completion_tokens),
      })),
      providerFailures: failures.map((f) => ({
        provider: f.provider ?? 'unknown',
        model: f.model ?? 'unknown',
        failures: num(f.failures),
      })),
      escalationReasons: reasons.map((r) => ({ reason: r.reason ?? 'unknown', count: num(r.count) })),
      deliveryErrors: errors.map((e) => ({ errorMessage: e.error_message, count: num(e.count) })),
    };
  }

  async askedQuestions(range: DayRange, maxWordings: number): Promise<AskedWording[] | null> {
    const s = this.scope(range);
    const rows = await analyticsRead(this.db, async (tx) =>
      (await tenantExists(tx, this.tenantId)) ? askedRows(tx, s, maxWordings) : null,
    );
    if (!rows) return null;
    return rows.map((r) => ({
      text: r.text,
      count: num(r.count),
      answeredByAi: num(r.by_ai),
      lastAskedAt: iso(r.last_at),
      latestAiAnswer:
        r.ai_answer !== null && r.answered_at !== null ? { text: r.ai_answer, at: iso(r.answered_at) } : null,
    }));
  }

  async faqKnowledge(): Promise<FaqKnowledge | null> {
    if (!(await tenantExists(this.db, this.tenantId))) return null;
    const rows = await this.db
      .select()
      .from(botTrainingData)
      .where(
        and(
          eq(botTrainingData.botTenantId, this.tenantId),
          eq(botTrainingData.isActive, true),
          eq(botTrainingData.dataType, 'faq'),
          isNotNull(botTrainingData.question),
          isNotNull(botTrainingData.answer),
        ),
      );
    const [settings] = await this.db
      .select({ metadata: botControlSettings.metadata })
      .from(botControlSettings)
      .where(eq(botControlSettings.botTenantId, this.tenantId));
    return {
      faqs: rows.map((r) => ({
        id: r.id,
        question: r.question ?? '',
        answer: r.answer ?? '',
        priority: r.priority,
        confidenceScore: Number(r.confidenceScore),
        variants: r.variants,
      })),
      settingsMetadata: settings?.metadata ?? {},
    };
  }

  private scope(range: DayRange): Scope {
    const { start, end } = rangeBounds(range);
    return {
      tenantId: this.tenantId,
      from: range.from,
      to: range.to,
      start: start.toISOString(),
      end: end.toISOString(),
    };
  }
}

const COUNTS = [
  'messages_in',
  'messages_out',
  'answered_faq',
  'answered_ai',
  'finished',
  'ai_calls',
  'rate_limited',
  'delivery_failures',
  'prompt_tokens',
  'completion_tokens',
  'fallbacks',
  'provider_failures',
  'escalations',
] as const;
type Counts = Record<(typeof COUNTS)[number], number>;
const emptyCounts = (): Counts => Object.fromEntries(COUNTS.map((k) => [k, 0])) as Counts;
const rounded = (value: Num | undefined) => (value === null || value === undefined ? null : Math.round(Number(value)));

function dayFigures(c: Counts): Omit<DayFigures, 'unique_customers' | 'reply_latency_ms'> {
  return {
    messages_in: c.messages_in,
    messages_out: c.messages_out,
    answered_faq: c.answered_faq,
    answered_ai: c.answered_ai,
    not_answered: c.finished - c.answered_faq - c.answered_ai,
    ai_calls: c.ai_calls,
    escalations: c.escalations,
    rate_limited: c.rate_limited,
    delivery_failures: c.delivery_failures,
  };
}

/**
 * Analytics reads scan many rows at once, unlike the rest of the app: the JIT compiler would spend
 * longer compiling than it saves, and sorts of a long range fit in memory with more than 4 MB.
 */
function analyticsRead<T>(db: AppDb, read: (tx: AppDb) => Promise<T>): Promise<T> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`SET LOCAL jit = off`);
    await tx.execute(sql`SET LOCAL work_mem = '32MB'`);
    return read(tx);
  });
}

/** Distinct wordings (case and surrounding spaces aside), most asked first. The predicate repeats the partial index's;
 * a message whose body was erased (log_conversations off) has no text to teach. */
function askedRows(db: AppDb, s: Scope, maxWordings: number): Promise<AskedRow[]> {
  return queryRows<AskedRow>(
    db,
    sql`
    WITH asked AS (
      SELECT lower(btrim(message_text)) AS key, btrim(message_text) AS text, created_at,
             (metadata ->> 'reply_source') = 'ai' AS by_ai, ai_response
      FROM alphadome.bot_message_logs
      WHERE bot_tenant_id = ${s.tenantId} AND direction = 'inbound'
        AND ((metadata ->> 'reply_source') IN ('ai', 'fallback') OR (status = 'failed' AND (metadata ->> 'reply_source') IS NULL))
        AND created_at >= ${s.start}::timestamptz AND created_at < ${s.end}::timestamptz
        AND message_text IS NOT NULL AND btrim(message_text) <> ''
    ),
    top AS (
      SELECT key, mode() WITHIN GROUP (ORDER BY text) AS text, count(*) AS count,
             count(*) FILTER (WHERE by_ai) AS by_ai, max(created_at) AS last_at
      FROM asked GROUP BY key
      ORDER BY count DESC, last_at DESC, key
      LIMIT ${maxWordings}
    ),
    latest AS (
      SELECT DISTINCT ON (a.key) a.key, a.ai_response, a.created_at
      FROM asked a JOIN top t ON t.key = a.key
      WHERE a.by_ai AND a.ai_response IS NOT NULL
      ORDER BY a.key, a.created_at DESC
    )
    SELECT t.text, t.count, t.by_ai, t.last_at, l.ai_response AS ai_answer, l.created_at AS answered_at
    FROM top t LEFT JOIN latest l ON l.key = t.key
    ORDER BY t.count DESC, t.last_at DESC, t.key`,
  );
}
