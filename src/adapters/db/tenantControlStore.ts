// One tenant's service window and rate counters, for the worker's controls. Every
// statement filters by the tenant id given to the constructor; no method takes a tenant id.
import { sql } from 'drizzle-orm';
import type { LimitScope, RateWindows } from '../../domain/rateLimit.js';
import type { Arrival, TenantControlStore } from '../../modules/replies/controlPorts.js';
import { queryRows, type AppDb } from './database.js';
import { preparedRows, type PreparedStatement } from './preparedStatements.js';

// The per-customer notice of the tenant-wide hourly limit needs a row of its own: the tenant's
// counter row is shared by every customer. The customer's daily counter row carries its own flag.
const NOTICE_SCOPE: Record<LimitScope, string> = { tenant_hour: 'hour_notice', user_day: 'user_day' };

interface AdmitRow {
  last_inbound_at: Date | string;
  paused_until: Date | string | null;
  tenant_hour: number | string | null;
  user_day: number | string | null;
}

// $1 inbound id, $2 tenant id, $3 hour window start, $4 day window start, $5 now, $6 service window (ms).
// The customer's own timestamp counts for the window (a late retry must not reopen it), but never
// later than when we received it (a skewed phone clock must not stretch it); GREATEST: messages
// processed out of order never move the window back. Both counters go up by one (atomic per row
// under any concurrency, in any process), and the counts are kept on the message so another
// attempt reuses them. A handed-over message is not counted: it must not use up limits the
// customer needs once the bot is back.
const ADMIT: PreparedStatement = {
  name: 'alphadome_admit_v1',
  text: `
  WITH msg AS (
    SELECT user_phone, created_at, metadata->'rate_counts' AS counts,
           LEAST(COALESCE((metadata->>'sent_at')::timestamptz, created_at), created_at) AS sent_at
    FROM alphadome.bot_message_logs
    WHERE id = $1::uuid AND bot_tenant_id = $2::uuid AND direction = 'inbound'
  ),
  conv AS (
    INSERT INTO alphadome.conversations AS c (bot_tenant_id, user_phone, last_inbound_at, updated_at)
    SELECT $2::uuid, user_phone, sent_at, now() FROM msg
    ON CONFLICT (bot_tenant_id, user_phone)
      DO UPDATE SET last_inbound_at = GREATEST(c.last_inbound_at, EXCLUDED.last_inbound_at), updated_at = now()
    RETURNING c.last_inbound_at, c.paused_until
  ),
  fresh AS (
    SELECT msg.user_phone FROM msg, conv
    WHERE msg.counts IS NULL
      AND conv.last_inbound_at > $5::timestamptz - ($6::int * interval '1 millisecond')
      AND (conv.paused_until IS NULL OR conv.paused_until <= $5::timestamptz)
  ),
  tenant_hour AS (
    INSERT INTO alphadome.rate_counters AS r (bot_tenant_id, scope, subject, window_start, count)
    SELECT $2::uuid, 'tenant_hour', '', $3::timestamptz, 1 FROM fresh
    ON CONFLICT (bot_tenant_id, scope, subject, window_start) DO UPDATE SET count = r.count + 1
    RETURNING r.count
  ),
  user_day AS (
    INSERT INTO alphadome.rate_counters AS r (bot_tenant_id, scope, subject, window_start, count)
    SELECT $2::uuid, 'user_day', user_phone, $4::timestamptz, 1 FROM fresh
    ON CONFLICT (bot_tenant_id, scope, subject, window_start) DO UPDATE SET count = r.count + 1
    RETURNING r.count
  ),
  mark AS (
    UPDATE alphadome.bot_message_logs
    SET metadata = metadata || jsonb_build_object('rate_counts',
      jsonb_build_object('tenant_hour', (SELECT count FROM tenant_hour), 'user_day', (SELECT count FROM user_day)))
    WHERE id = $1::uuid AND bot_tenant_id = $2::uuid AND EXISTS (SELECT 1 FROM tenant_hour)
    RETURNING 1
  )
  SELECT conv.last_inbound_at, conv.paused_until,
         COALESCE((SELECT count FROM tenant_hour), (msg.counts->>'tenant_hour')::int) AS tenant_hour,
         COALESCE((SELECT count FROM user_day), (msg.counts->>'user_day')::int) AS user_day
  FROM conv, msg`,
};

export class DbTenantControlStore implements TenantControlStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async admit(inboundId: string, windows: RateWindows, now: Date, serviceWindowMs: number): Promise<Arrival | null> {
    const [row] = await preparedRows<AdmitRow>(this.db, ADMIT, [
      inboundId,
      this.tenantId,
      windows.hourStart.toISOString(),
      windows.dayStart.toISOString(),
      now.toISOString(),
      serviceWindowMs,
    ]);
    if (!row) return null;
    return {
      lastInboundAt: new Date(row.last_inbound_at),
      pausedUntil: row.paused_until === null ? null : new Date(row.paused_until),
      counts:
        row.tenant_hour === null || row.user_day === null
          ? null
          : { tenantHour: Number(row.tenant_hour), userDay: Number(row.user_day) },
    };
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
}
