// The SQL behind one tenant's analytics. Every statement filters by the tenant id it is given and by
// created_at in [start, end), and reads one tenant's range by an index-only scan: the covering
// partial indexes of migration 0006 hold, per direction, every column a figure reads, including the
// parts of metadata it needs (stored generated columns), so no statement touches the table itself.
// Each statement is independent of the others, so they can run side by side on a pool.
import { sql } from 'drizzle-orm';
import { queryRows, type AppDb } from './database.js';

export interface Scope {
  tenantId: string;
  /** Inclusive first and last UTC day, YYYY-MM-DD. */
  from: string;
  to: string;
  /** ISO instants: midnight starting `from`, midnight after `to`. */
  start: string;
  end: string;
}

export type Num = string | number | null;

// Buckets by date_bin from a UTC midnight: plain arithmetic on the instant, unlike AT TIME ZONE.
const ORIGIN = sql.raw(`TIMESTAMPTZ '2000-01-01 00:00:00+00'`);
const dayOf = (column: string) => sql`date_bin('1 day', ${sql.raw(column)}, ${ORIGIN})`;

type Step = '1 hour' | '24 hours';
/** The UTC hours or days of the range (hours and 24 hours are exact whatever the session time zone). */
const slots = (s: Scope, step: Step) =>
  sql`generate_series(${s.start}::timestamptz, ${s.end}::timestamptz - ${step}::interval, ${step}::interval)`;
/**
 * One slot's rows of one direction. Aggregating slot by slot, each an index range, is cheaper than
 * bucketing every row and hashing the buckets, and the planner need not guess the number of groups.
 */
const inSlot = (s: Scope, step: Step, direction: 'inbound' | 'outbound') =>
  sql`m.bot_tenant_id = ${s.tenantId} AND m.direction = ${sql.raw(`'${direction}'`)} AND m.created_at >= h.slot AND m.created_at < h.slot + ${step}::interval`;

const inboundRange = (s: Scope, alias = 'm') =>
  sql`${sql.raw(alias)}.bot_tenant_id = ${s.tenantId} AND ${sql.raw(alias)}.direction = 'inbound'
    AND ${sql.raw(alias)}.created_at >= ${s.start}::timestamptz AND ${sql.raw(alias)}.created_at < ${s.end}::timestamptz`;

export interface InboundSlotRow {
  /** Epoch seconds of the UTC hour. */
  slot: Num;
  messages_in: Num;
  answered_faq: Num;
  answered_ai: Num;
  finished: Num;
  ai_calls: Num;
  rate_limited: Num;
  prompt_tokens: Num;
  completion_tokens: Num;
  fallbacks: Num;
  provider_failures: Num;
}

/** Inbound counts per UTC hour (one pass; days, hours of day and totals are sums of these). */
export function inboundSlotRows(db: AppDb, s: Scope): Promise<InboundSlotRow[]> {
  return queryRows<InboundSlotRow>(
    db,
    sql`
    SELECT extract(epoch FROM h.slot) AS slot, c.*
    FROM ${slots(s, '1 hour')} AS h(slot)
      CROSS JOIN LATERAL (
        SELECT count(*) AS messages_in,
          count(*) FILTER (WHERE m.status = 'answered' AND m.reply_source = 'faq') AS answered_faq,
          count(*) FILTER (WHERE m.status = 'answered' AND m.reply_source = 'ai') AS answered_ai,
          count(*) FILTER (WHERE m.status IN ('answered', 'skipped', 'failed')) AS finished,
          count(*) FILTER (WHERE m.ai_processed OR m.ai_failures IS NOT NULL) AS ai_calls,
          count(*) FILTER (WHERE m.status = 'skipped' AND m.rate_limited) AS rate_limited,
          sum((m.ai_usage ->> 'prompt_tokens')::bigint) AS prompt_tokens,
          sum((m.ai_usage ->> 'completion_tokens')::bigint) AS completion_tokens,
          count(*) FILTER (WHERE m.ai_processed AND m.ai_failures IS NOT NULL) AS fallbacks,
          sum(jsonb_array_length(m.ai_failures)) FILTER (WHERE jsonb_typeof(m.ai_failures) = 'array') AS provider_failures
        FROM alphadome.bot_message_logs m
        WHERE ${inSlot(s, '1 hour', 'inbound')}
      ) AS c
    WHERE c.messages_in > 0`,
  );
}

/** Outbound parts and failed ones per UTC hour. */
export function outboundSlotRows(db: AppDb, s: Scope) {
  return queryRows<{ slot: Num; messages_out: Num; delivery_failures: Num }>(
    db,
    sql`
    SELECT extract(epoch FROM h.slot) AS slot, c.*
    FROM ${slots(s, '1 hour')} AS h(slot)
      CROSS JOIN LATERAL (
        SELECT count(*) AS messages_out, count(*) FILTER (WHERE m.status = 'failed') AS delivery_failures
        FROM alphadome.bot_message_logs m
        WHERE ${inSlot(s, '1 hour', 'outbound')}
      ) AS c
    WHERE c.messages_out > 0`,
  );
}

/** Distinct customers per day (a small hash per day), `day` the ISO date. */
export function dailyCustomerRows(db: AppDb, s: Scope) {
  return queryRows<{ day: string; customers: Num }>(
    db,
    sql`
    SELECT to_char(h.slot AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, c.customers
    FROM ${slots(s, '24 hours')} AS h(slot)
      CROSS JOIN LATERAL (
        SELECT count(*) AS customers
        FROM (SELECT m.user_phone FROM alphadome.bot_message_logs m WHERE ${inSlot(s, '24 hours', 'inbound')} GROUP BY 1) AS each_customer
      ) AS c
    WHERE c.customers > 0`,
  );
}

/** Distinct customers over the whole range. */
export async function rangeCustomers(db: AppDb, s: Scope): Promise<Num> {
  const [row] = await queryRows<{ customers: Num }>(
    db,
    sql`
    SELECT count(*) AS customers
    FROM (SELECT m.user_phone FROM alphadome.bot_message_logs m WHERE ${inboundRange(s)} GROUP BY 1) AS each_customer`,
  );
  return row?.customers ?? 0;
}

/**
 * Median and p95 reply latency per day and over the range (day null): the first outbound part's
 * sent_at minus the inbound row's created_at, both from the database clock, by the inbound day.
 * Both sides come from index-only scans, hash-joined.
 */
export function latencyRows(db: AppDb, s: Scope) {
  return queryRows<{ day: string | null; median: Num; p95: Num }>(
    db,
    sql`
    SELECT day, p[1] AS median, p[2] AS p95
    FROM (SELECT to_char(day AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ms) AS p
    FROM (
      SELECT ${dayOf('m.created_at')} AS day, extract(epoch FROM o.sent_at - m.created_at) * 1000 AS ms
      FROM alphadome.bot_message_logs m
        JOIN alphadome.bot_message_logs o ON o.reply_to_log_id = m.id AND o.bot_tenant_id = ${s.tenantId}
          AND o.direction = 'outbound' AND o.part_index = 0 AND o.created_at >= ${s.start}::timestamptz AND o.sent_at IS NOT NULL
      WHERE ${inboundRange(s)}
    ) AS latencies
    GROUP BY ROLLUP (day)) AS percentiles`,
  );
}

export function modelUsageRows(db: AppDb, s: Scope) {
  return queryRows<{ model: string; calls: Num; prompt_tokens: Num; completion_tokens: Num }>(
    db,
    sql`
    SELECT m.ai_model_used AS model, count(*) AS calls,
      coalesce(sum((m.ai_usage ->> 'prompt_tokens')::bigint), 0) AS prompt_tokens,
      coalesce(sum((m.ai_usage ->> 'completion_tokens')::bigint), 0) AS completion_tokens
    FROM alphadome.bot_message_logs m
    WHERE ${inboundRange(s)} AND m.ai_processed AND m.ai_model_used IS NOT NULL
    GROUP BY m.ai_model_used
    UNION ALL
    -- Embedding requests (FAQ rows refreshed, messages embedded): a line per embedding model, input tokens only.
    SELECT u.model, count(*), coalesce(sum(u.prompt_tokens), 0), 0
    FROM alphadome.bot_embedding_usage u
    WHERE u.bot_tenant_id = ${s.tenantId} AND u.created_at >= ${s.start}::timestamptz AND u.created_at < ${s.end}::timestamptz
    GROUP BY u.model
    ORDER BY calls DESC, model`,
  );
}

export function providerFailureRows(db: AppDb, s: Scope) {
  return queryRows<{ provider: string | null; model: string | null; failures: Num }>(
    db,
    sql`
    SELECT f ->> 'provider' AS provider, f ->> 'model' AS model, count(*) AS failures
    FROM alphadome.bot_message_logs m
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(m.ai_failures) = 'array' THEN m.ai_failures ELSE '[]'::jsonb END) AS f
    WHERE ${inboundRange(s)} AND m.ai_failures IS NOT NULL
    GROUP BY 1, 2
    ORDER BY failures DESC, 1, 2`,
  );
}

/** Escalations per day, from the audit log (few rows). */
export function escalationDayRows(db: AppDb, s: Scope) {
  return queryRows<{ day: string; count: Num }>(
    db,
    sql`
    SELECT to_char(${dayOf('created_at')} AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, count(*) AS count
    FROM alphadome.audit_log
    WHERE bot_tenant_id = ${s.tenantId} AND action = 'escalate' AND entity = 'handoff'
      AND created_at >= ${s.start}::timestamptz AND created_at < ${s.end}::timestamptz
    GROUP BY 1`,
  );
}

export function escalationReasonRows(db: AppDb, s: Scope) {
  return queryRows<{ reason: string | null; count: Num }>(
    db,
    sql`
    SELECT after ->> 'reason' AS reason, count(*) AS count
    FROM alphadome.audit_log
    WHERE bot_tenant_id = ${s.tenantId} AND action = 'escalate' AND entity = 'handoff'
      AND created_at >= ${s.start}::timestamptz AND created_at < ${s.end}::timestamptz
    GROUP BY 1
    ORDER BY count DESC, 1`,
  );
}

export function deliveryErrorRows(db: AppDb, s: Scope) {
  return queryRows<{ error_message: string | null; count: Num }>(
    db,
    sql`
    SELECT error_message, count(*) AS count
    FROM alphadome.bot_message_logs
    WHERE bot_tenant_id = ${s.tenantId} AND direction = 'outbound' AND status = 'failed'
      AND created_at >= ${s.start}::timestamptz AND created_at < ${s.end}::timestamptz
    GROUP BY error_message`,
  );
}
