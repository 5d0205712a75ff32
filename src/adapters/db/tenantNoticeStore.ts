// One tenant's record of notices sent about messages that are not questions (stickers, unsupported
// types), so a customer hears each at most once an hour. Every statement filters by the tenant id
// given to the constructor; no method takes a tenant id.
import { sql } from 'drizzle-orm';
import type { NoticeStore } from '../../modules/replies/messageKindPorts.js';
import { queryRows, type AppDb } from './database.js';

export class DbNoticeStore implements NoticeStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async noticeSentWithin(userPhone: string, kind: string, withinMs: number, exceptInboundId: string): Promise<boolean> {
    // Only an answered message counts: a notice whose send failed was never seen.
    const rows = await queryRows(
      this.db,
      sql`
      SELECT 1 FROM alphadome.bot_message_logs
      WHERE bot_tenant_id = ${this.tenantId} AND user_phone = ${userPhone} AND direction = 'inbound'
        AND status = 'answered' AND id <> ${exceptInboundId}
        AND metadata->>'notice_kind' = ${kind}
        AND created_at > now() - (${withinMs} * interval '1 millisecond')
      LIMIT 1`,
    );
    return rows.length > 0;
  }

  async markNotice(inboundId: string, kind: string): Promise<void> {
    await this.db.execute(sql`
      UPDATE alphadome.bot_message_logs SET metadata = metadata || ${JSON.stringify({ notice_kind: kind })}::jsonb
      WHERE bot_tenant_id = ${this.tenantId} AND id = ${inboundId} AND direction = 'inbound'`);
  }
}
