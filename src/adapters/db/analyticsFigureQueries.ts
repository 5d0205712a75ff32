// The SQL behind one tenant's analytics. Every statement filters by the tenant id it is given and by
// created_at in [start, end), so each reads one tenant's range through an index on
// (bot_tenant_id, created_at); the partial ones hold only the rows a figure needs.
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

type Num = string | number | null;

export interface FigureRow {
  kind: 'day' | 'hour' | 'total';
  key: string | null;
  messages_in: Num;
  messages_out: Num;
  unique_customers: Num;
  answered_faq: Num;
  answered_ai: Num;
  finished: Num;
  ai_calls: Num;
  rate_limited: Num;
  delivery_failures: Num;
  latency_median: Num;
  latency_p95: Num;
  prompt_tokens: Num;
  completion_tokens: Num;
  fallbacks: Num;
  provider_failures: Num;
  escalations: Num;
}

/**
 * Figures per day, per hour of day and for the whole range, in one statement. Counts come from one
 * pass grouped by hour slot (one expression, so the planner hashes it rather than sorting the range),
 * summed into days and hours; unique customers and latency percentiles, which cannot be summed, come
 * from their own passes over the inbound rows. generate_series supplies the days and hours without
 * messages. Reply latency is the first outbound part's sent_at minus the inbound row's created_at,
 * both from the database clock.
 */
export function figureRows(db: AppDb, s: Scope): Promise<FigureRow[]> {
  const range = sql`m.bot_tenant_id = ${s.tenantId} AND m.created_at >= ${s.start}::timestamptz AND m.created_at < ${s.end}::timestamptz`;
  const day = sql`(m.created_at AT TIME ZONE 'UTC')::date`;
  return queryRows<FigureRow>(db, sql`
    WITH by_slot AS (
      SELECT date_trunc('hour', m.created_at AT TIME ZONE 'UTC') AS slot,
        count(*) FILTER (WHERE m.direction = 'inbound') AS messages_in,
        count(*) FILTER (WHERE m.direction = 'outbound') AS messages_out,
        count(*) FILTER (WHERE m.direction = 'inbound' AND m.status = 'answered' AND m.metadata ->> 'reply_source' = 'faq') AS answered_faq,
        count(*) FILTER (WHERE m.direction = 'inbound' AND m.status = 'answered' AND m.metadata ->> 'reply_source' = 'ai') AS answered_ai,
        count(*) FILTER (WHERE m.direction = 'inbound' AND m.status IN ('answered', 'skipped', 'failed')) AS finished,
        count(*) FILTER (WHERE m.direction = 'inbound' AND (m.ai_processed OR (m.metadata -> 'ai_failures') IS NOT NULL)) AS ai_calls,
        count(*) FILTER (WHERE m.direction = 'inbound' AND m.status = 'skipped' AND m.metadata ->> 'skip_reason' LIKE 'rate\\_limited:%') AS rate_limited,
        count(*) FILTER (WHERE m.direction = 'outbound' AND m.status = 'failed') AS delivery_failures,
        sum((m.metadata -> 'ai_usage' ->> 'prompt_tokens')::bigint) FILTER (WHERE m.direction = 'inbound') AS prompt_tokens,
        sum((m.metadata -> 'ai_usage' ->> 'completion_tokens')::bigint) FILTER (WHERE m.direction = 'inbound') AS completion_tokens,
        count(*) FILTER (WHERE m.direction = 'inbound' AND m.ai_processed AND (m.metadata -> 'ai_failures') IS NOT NULL) AS fallbacks,
        sum(jsonb_array_length(m.metadata -> 'ai_failures')) FILTER (WHERE m.direction = 'inbound' AND jsonb_typeof(m.metadata -> 'ai_failures') = 'array') AS provider_failures
      FROM alphadome.bot_message_logs m
      WHERE ${range}
      GROUP BY 1
    ),
    by_hour AS (SELECT slot::date AS day, extract(hour FROM slot)::int AS hour, * FROM by_slot),
    customers AS (
      SELECT ${day} AS day, m.user_phone FROM alphadome.bot_message_logs m
      WHERE ${range} AND m.direction = 'inbound'
      GROUP BY 1, 2
    ),
    latencies AS (
      SELECT ${day} AS day, extract(epoch FROM o.sent_at - m.created_at) * 1000 AS ms
      FROM alphadome.bot_message_logs m
        JOIN alphadome.bot_message_logs o ON o.reply_to_log_id = m.id AND o.bot_tenant_id = ${s.tenantId}
          AND o.direction = 'outbound' AND o.part_index = 0 AND o.created_at >= ${s.start}::timestamptz AND o.sent_at IS NOT NULL
      WHERE ${range} AND m.direction = 'inbound'
    ),
    escalated AS (
      SELECT (a.created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n
      FROM alphadome.audit_log a
      WHERE a.bot_tenant_id = ${s.tenantId} AND a.action = 'escalate' AND a.entity = 'handoff'
        AND a.created_at >= ${s.start}::timestamptz AND a.created_at < ${s.end}::timestamptz
      GROUP BY 1
    ),
    days AS (
      SELECT day, sum(messages_in) AS messages_in, sum(messages_out) AS messages_out, sum(answered_faq) AS answered_faq,
        sum(answered_ai) AS answered_ai, sum(finished) AS finished, sum(ai_calls) AS ai_calls, sum(rate_limited) AS rate_limited,
        sum(delivery_failures) AS delivery_failures, sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens,
        sum(fallbacks) AS fallbacks, sum(provider_failures) AS provider_failures
      FROM by_hour GROUP BY day
    ),
    day_latency AS (
      SELECT day, percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ms) AS p
      FROM latencies GROUP BY day
    ),
    total_latency AS (SELECT percentile_cont(ARRAY[0.5, 0.95]) WITHIN GROUP (ORDER BY ms) AS p FROM latencies)
    SELECT 'day' AS kind, d.day::date::text AS key, c.messages_in, c.messages_out, u.n AS unique_customers, c.answered_faq, c.answered_ai,
      c.finished, c.ai_calls, c.rate_limited, c.delivery_failures, l.p[1] AS latency_median, l.p[2] AS latency_p95,
      c.prompt_tokens, c.completion_tokens, c.fallbacks, c.provider_failures, e.n AS escalations
    FROM generate_series(${s.from}::date, ${s.to}::date, interval '1 day') AS d(day)
      LEFT JOIN days c ON c.day = d.day::date
      LEFT JOIN (SELECT day, count(*) AS n FROM customers GROUP BY day) u ON u.day = d.day::date
      LEFT JOIN day_latency l ON l.day = d.day::date
      LEFT JOIN escalated e ON e.day = d.day::date
    UNION ALL
    SELECT 'hour', h.hour::text, (SELECT sum(b.messages_in) FROM by_hour b WHERE b.hour = h.hour),
      NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL
    FROM generate_series(0, 23) AS h(hour)
    UNION ALL
    SELECT 'total', NULL, sum(c.messages_in), sum(c.messages_out),
      (SELECT count(*) FROM (SELECT user_phone FROM customers GROUP BY user_phone) AS each_customer), sum(c.answered_faq), sum(c.answered_ai), sum(c.finished), sum(c.ai_calls), sum(c.rate_limited), sum(c.delivery_failures),
      (SELECT p[1] FROM total_latency), (SELECT p[2] FROM total_latency),
      sum(c.prompt_tokens), sum(c.completion_tokens), sum(c.fallbacks), sum(c.provider_failures), (SELECT sum(n) FROM escalated)
    FROM days c`);
}

export function modelUsageRows(db: AppDb, s: Scope) {
  return queryRows<{ model: string; calls: Num; prompt_tokens: Num; completion_tokens: Num }>(db, sql`
    SELECT ai_model_used AS model, count(*) AS calls,
      coalesce(sum((metadata -> 'ai_usage' ->> 'prompt_tokens')::bigint), 0) AS prompt_tokens,
      coalesce(sum((metadata -> 'ai_usage' ->> 'completion_tokens')::bigint), 0) AS completion_tokens
    FROM alphadome.bot_message_logs
    WHERE bot_tenant_id = ${s.tenantId} AND direction = 'inbound' AND ai_processed AND ai_model_used IS NOT NULL
      AND created_at >= ${s.start}::timestamptz AND created_at < ${s.end}::timestamptz
    GROUP BY ai_model_used
    ORDER BY calls DESC, ai_model_used`);
}

export function providerFailureRows(db: AppDb, s: Scope) {
  return queryRows<{ provider: string | null; model: string | null; failures: Num }>(db, sql`
    SELECT f ->> 'provider' AS provider, f ->> 'model' AS model, count(*) AS failures
    FROM alphadome.bot_message_logs m
      CROSS JOIN LATERAL jsonb_array_elements(CASE WHEN jsonb_typeof(m.metadata -> 'ai_failures') = 'array' THEN m.metadata -> 'ai_failures' ELSE '[]'::jsonb END) AS f
    WHERE m.bot_tenant_id = ${s.tenantId} AND m.direction = 'inbound' AND (m.metadata -> 'ai_failures') IS NOT NULL
      AND m.created_at >= ${s.start}::timestamptz AND m.created_at < ${s.end}::timestamptz
    GROUP BY 1, 2
    ORDER BY failures DESC, 1, 2`);
}

export function escalationReasonRows(db: AppDb, s: Scope) {
  return queryRows<{ reason: string | null; count: Num }>(db, sql`
    SELECT after ->> 'reason' AS reason, count(*) AS count
    FROM alphadome.audit_log
    WHERE bot_tenant_id = ${s.tenantId} AND action = 'escalate' AND entity = 'handoff'
      AND created_at >= ${s.start}::timestamptz AND created_at < ${s.end}::timestamptz
    GROUP BY 1
    ORDER BY count DESC, 1`);
}

export function deliveryErrorRows(db: AppDb, s: Scope) {
  return queryRows<{ error_message: string | null; count: Num }>(db, sql`
    SELECT error_message, count(*) AS count
    FROM alphadome.bot_message_logs
    WHERE bot_tenant_id = ${s.tenantId} AND direction = 'outbound' AND status = 'failed'
      AND created_at >= ${s.start}::timestamptz AND created_at < ${s.end}::timestamptz
    GROUP BY error_message`);
}
