// Outbound parts left `unconfirmed` by a crash, across tenants: claimed for their one resend.
// Each row keeps its tenant id from claim to finish, and finish filters by it.
import { sql } from 'drizzle-orm';
import type { UnconfirmedPart, UnconfirmedParts } from '../../modules/replies/resendPorts.js';
import { queryRows, type AppDb } from './database.js';

interface ClaimedRow {
  id: string;
  bot_tenant_id: string;
  user_phone: string;
  message_text: string | null;
  part_index: number | null;
  in_reply_to: string | null;
  last_inbound_at: Date | string | null;
}

export class DbUnconfirmedParts implements UnconfirmedParts {
  constructor(private readonly db: AppDb) {}

  async claimDue(waitMs: number, limit: number): Promise<UnconfirmedPart[]> {
    // resent_at is the "exactly once more" mark: set with the claim, never cleared. SKIP LOCKED and
    // the re-checked status keep two processes from claiming the same part. Parts older than a
    // day are outside the 24-hour window anyway and stay as they are.
    const rows = await queryRows<ClaimedRow>(
      this.db,
      sql`
      WITH due AS (
        SELECT id FROM alphadome.bot_message_logs
        WHERE direction = 'outbound' AND status = 'unconfirmed' AND whatsapp_message_id IS NULL
          AND metadata->>'resent_at' IS NULL
          AND status_updated_at < now() - (${waitMs} * interval '1 millisecond')
          AND status_updated_at > now() - interval '24 hours'
        ORDER BY status_updated_at
        LIMIT ${limit}
        FOR UPDATE SKIP LOCKED
      )
      UPDATE alphadome.bot_message_logs o
      SET status = 'sending', status_updated_at = now(),
          metadata = o.metadata || jsonb_build_object('resent_at', now())
      FROM due
      WHERE o.id = due.id AND o.status = 'unconfirmed'
      RETURNING o.id, o.bot_tenant_id, o.user_phone, o.message_text, o.part_index, o.metadata->>'in_reply_to' AS in_reply_to,
        (SELECT c.last_inbound_at FROM alphadome.conversations c
          WHERE c.bot_tenant_id = o.bot_tenant_id AND c.user_phone = o.user_phone) AS last_inbound_at`,
    );
    return rows.map((r) => ({
      id: r.id,
      tenantId: r.bot_tenant_id,
      userPhone: r.user_phone,
      text: r.message_text,
      partIndex: r.part_index ?? 0,
      inReplyTo: r.in_reply_to,
      lastInboundAt: r.last_inbound_at === null ? null : new Date(r.last_inbound_at),
    }));
  }

  async finish(part: UnconfirmedPart, result: { whatsappMessageId: string } | { error: string }): Promise<void> {
    const set =
      'whatsappMessageId' in result
        ? sql`status = 'sent', whatsapp_message_id = ${result.whatsappMessageId}, sent_at = now(), error_message = NULL`
        : sql`status = 'failed', error_message = ${result.error}`;
    await this.db.execute(sql`
      UPDATE alphadome.bot_message_logs SET ${set}, status_updated_at = now()
      WHERE id = ${part.id} AND bot_tenant_id = ${part.tenantId} AND direction = 'outbound' AND status = 'sending'`);
  }
}
