// One tenant's service window, rate counters and log erasure, for the worker's controls. Every
// statement filters by the tenant id given to the constructor; no method takes a tenant id.
import { sql } from 'drizzle-orm';
import type { LimitCounts, LimitScope, RateWindows } from '../../domain/rateLimit.js';
import type { TenantControlStore } from '../../modules/replies/controlPorts.js';
import { queryRows, type AppDb } from './database.js';

// The per-customer notice of the tenant-wide hourly limit needs a row of its own: the tenant's
// counter row is shared by every customer. The customer's daily counter row carries its own flag.
const NOTICE_SCOPE: Record<LimitScope, string> = { tenant_hour: 'hour_notice', user_day: 'user_day' };

export class DbTenantControlStore implements TenantControlStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async touchConversation(
    inboundId: string,
  ): Promise<{ lastInboundAt: Date; receivedAt: Date; pausedUntil: Date | null } | null> {
    // The customer's own timestamp counts (a late retry must not reopen the window), but never
    // later than when we received it (a skewed phone clock must not stretch the window).
    // GREATEST: messages processed out of order never move the window back.
    const [row] = await queryRows<{
      last_inbound_at: Date | string;
      received_at: Date | string;
      paused_until: Date | string | null;
    }>(
      this.db,
      sql`
      WITH msg AS (
        SELECT user_phone, created_at,
               LEAST(COALESCE((metadata->>'sent_at')::timestamptz, created_at), created_at) AS sent_at
        FROM alphadome.bot_message_logs
        WHERE id = ${inboundId} AND bot_tenant_id = ${this.tenantId} AND direction = 'inbound'
      )
      INSERT INTO alphadome.conversations AS c (bot_tenant_id, user_phone, last_inbound_at, updated_at)
      SELECT ${this.tenantId}::uuid, user_phone, sent_at, now() FROM msg
      ON CONFLICT (bot_tenant_id, user_phone)
        DO UPDATE SET last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at), updated_at = now()
      RETURNING c.last_inbound_at, c.paused_until, (SELECT created_at FROM msg) AS received_at`,
    );
    if (!row) return null;
    return {
      lastInboundAt: new Date(row.last_inbound_at),
      receivedAt: new Date(row.received_at),
      pausedUntil: row.paused_until === null ? null : new Date(row.paused_until),
    };
  }

  async countMessage(inboundId: string, userPhone: string, windows: RateWindows): Promise<LimitCounts> {
    // One statement: both counters go up by one (atomic per row under any concurrency, in any
    // process), and the counts are kept on the message so another attempt reuses them.
    const [row] = await queryRows<{ tenant_hour: number | string; user_day: number | string }>(
      this.db,
      sql`
      WITH prior AS (
        SELECT metadata->'rate_counts' AS counts FROM alphadome.bot_message_logs
        WHERE id = ${inboundId} AND bot_tenant_id = ${this.tenantId}
      ),
      tenant_hour AS (
        INSERT INTO alphadome.rate_counters AS r (bot_tenant_id, scope, subject, window_start, count)
        SELECT ${this.tenantId}::uuid, 'tenant_hour', '', ${windows.hourStart.toISOString()}::timestamptz, 1
        WHERE NOT EXISTS (SELECT 1 FROM prior WHERE counts IS NOT NULL)
        ON CONFLICT (bot_tenant_id, scope, subject, window_start) DO UPDATE SET count = r.count + 1
        RETURNING r.count
      ),
      user_day AS (
        INSERT INTO alphadome.rate_counters AS r (bot_tenant_id, scope, subject, window_start, count)
        SELECT ${this.tenantId}::uuid, 'user_day', ${userPhone}, ${windows.dayStart.toISOString()}::timestamptz, 1
        WHERE NOT EXISTS (SELECT 1 FROM prior WHERE counts IS NOT NULL)
        ON CONFLICT (bot_tenant_id, scope, subject, window_start) DO UPDATE SET count = r.count + 1
        RETURNING r.count
      ),
      mark AS (
        UPDATE alphadome.bot_message_logs
        SET metadata = metadata || jsonb_build_object('rate_counts',
          jsonb_build_object('tenant_hour', (SELECT count FROM tenant_hour), 'user_day', (SELECT count FROM user_day)))
        WHERE id = ${inboundId} AND bot_tenant_id = ${this.tenantId} AND EXISTS (SELECT 1 FROM tenant_hour)
        RETURNING 1
      )
      SELECT COALESCE((SELECT count FROM tenant_hour), ((SELECT counts FROM prior)->>'tenant_hour')::int) AS tenant_hour,
             COALESCE((SELECT count FROM user_day), ((SELECT counts FROM prior)->>'user_day')::int) AS user_day`,
    );
    return { tenantHour: Number(row?.tenant_hour ?? 0), userDay: Number(row?.user_day ?? 0) };
  }

  async claimNotice(scope: LimitScope, userPhone: string, windowStart: Date): Promise<boolean> {
    const rows = await queryRows(
      this.db,
      sql`
      INSERT INTO alphadome.rate_counters AS r (bot_tenant_id, scope, subject, window_start, notice_sent)
      VALUES (${this.tenantId}, ${NOTICE_SCOPE[scope]}, ${userPhone}, ${windowStart.toISOString()}::timestamptz, true)
      ON CONFLICT (bot_tenant_id, scope, subject, window_start) DO UPDATE SET notice_sent = true
      WHERE r.notice_sent = false
      RETURNING 1`,
    );
    return rows.length > 0;
  }

  async forget(inboundId: string, what: { bodies: boolean; errors: boolean }): Promise<void> {
    if (!what.bodies && !what.errors) return;
    // The raw WhatsApp message in metadata carries the body too.
    await this.db.execute(sql`
      UPDATE alphadome.bot_message_logs
      SET message_text = CASE WHEN ${what.bodies}::boolean THEN NULL ELSE message_text END,
          ai_response = CASE WHEN ${what.bodies}::boolean THEN NULL ELSE ai_response END,
          metadata = CASE WHEN ${what.bodies}::boolean THEN metadata - 'whatsapp' ELSE metadata END,
          error_message = CASE WHEN ${what.errors}::boolean THEN NULL ELSE error_message END
      WHERE bot_tenant_id = ${this.tenantId}
        AND (id = ${inboundId} OR (direction = 'outbound' AND reply_to_log_id = ${inboundId}))`);
  }
}
