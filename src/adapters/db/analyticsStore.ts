// One tenant's analytics, computed by the database. Every statement filters by the tenant id given
// to the constructor; no method takes a tenant id.
import { and, eq, isNotNull, sql } from 'drizzle-orm';
import { rangeBounds, type DayRange } from '../../domain/dayRange.js';
import type { AskedWording } from '../../domain/questionGroups.js';
import type { DayFigures, FaqKnowledge, LogFigures, TenantAnalyticsStore } from '../../modules/analytics/ports.js';
import {
  deliveryErrorRows,
  escalationReasonRows,
  figureRows,
  modelUsageRows,
  providerFailureRows,
  type FigureRow,
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

const num = (value: string | number | null | undefined): number => (value === null || value === undefined ? 0 : Number(value));
const iso = (value: Date | string) => new Date(value).toISOString();

export class DbAnalyticsStore implements TenantAnalyticsStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async figures(range: DayRange): Promise<LogFigures | null> {
    const scope = this.scope(range);
    const read = await analyticsRead(this.db, async (tx) => {
      if (!(await tenantExists(tx, this.tenantId))) return null;
      // One after the other: a transaction is one connection.
      return {
        rows: await figureRows(tx, scope),
        models: await modelUsageRows(tx, scope),
        failures: await providerFailureRows(tx, scope),
        reasons: await escalationReasonRows(tx, scope),
        errors: await deliveryErrorRows(tx, scope),
      };
    });
    if (!read) return null;
    const { rows, models, failures, reasons, errors } = read;
    const total = rows.find((r) => r.kind === 'total');
    return {
      // Joins need not keep generate_series' order.
      daily: rows.filter((r) => r.kind === 'day').map((r) => ({ date: r.key ?? '', ...dayFigures(r) })).sort((a, b) => a.date.localeCompare(b.date)),
      totals: {
        ...dayFigures(total),
        prompt_tokens: num(total?.prompt_tokens),
        completion_tokens: num(total?.completion_tokens),
        fallbacks: num(total?.fallbacks),
        provider_failures: num(total?.provider_failures),
      },
      busiestHours: rows.filter((r) => r.kind === 'hour').map((r) => ({ hour: Number(r.key), messages_in: num(r.messages_in) })).sort((a, b) => a.hour - b.hour),
      modelUsage: models.map((m) => ({
        providerModel: m.model,
        calls: num(m.calls),
        prompt_tokens: num(m.prompt_tokens),
        completion_tokens: num(m.completion_tokens),
      })),
      providerFailures: failures.map((f) => ({ provider: f.provider ?? 'unknown', model: f.model ?? 'unknown', failures: num(f.failures) })),
      escalationReasons: reasons.map((r) => ({ reason: r.reason ?? 'unknown', count: num(r.count) })),
      deliveryErrors: errors.map((e) => ({ errorMessage: e.error_message, count: num(e.count) })),
    };
  }

  async askedQuestions(range: DayRange, maxWordings: number): Promise<AskedWording[] | null> {
    const s = this.scope(range);
    const rows = await analyticsRead(this.db, async (tx) => (await tenantExists(tx, this.tenantId)) ? askedRows(tx, s, maxWordings) : null);
    if (!rows) return null;
    return rows.map((r) => ({
      text: r.text,
      count: num(r.count),
      answeredByAi: num(r.by_ai),
      lastAskedAt: iso(r.last_at),
      latestAiAnswer: r.ai_answer !== null && r.answered_at !== null ? { text: r.ai_answer, at: iso(r.answered_at) } : null,
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
      })),
      settingsMetadata: settings?.metadata ?? {},
    };
  }

  private scope(range: DayRange): Scope {
    const { start, end } = rangeBounds(range);
    return { tenantId: this.tenantId, from: range.from, to: range.to, start: start.toISOString(), end: end.toISOString() };
  }
}

function dayFigures(row: FigureRow | undefined): DayFigures {
  const answeredFaq = num(row?.answered_faq);
  const answeredAi = num(row?.answered_ai);
  const latency = (value: string | number | null | undefined) => (value === null || value === undefined ? null : Math.round(Number(value)));
  return {
    messages_in: num(row?.messages_in),
    messages_out: num(row?.messages_out),
    unique_customers: num(row?.unique_customers),
    answered_faq: answeredFaq,
    answered_ai: answeredAi,
    not_answered: num(row?.finished) - answeredFaq - answeredAi,
    ai_calls: num(row?.ai_calls),
    escalations: num(row?.escalations),
    rate_limited: num(row?.rate_limited),
    delivery_failures: num(row?.delivery_failures),
    reply_latency_ms: { median: latency(row?.latency_median), p95: latency(row?.latency_p95) },
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
  return queryRows<AskedRow>(db, sql`
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
    ORDER BY t.count DESC, t.last_at DESC, t.key`);
}
