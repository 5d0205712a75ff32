// Delivery statuses from Meta's webhooks, applied to one tenant's outbound rows.
import { and, eq, inArray, sql } from 'drizzle-orm';
import type { DeliveryStatusUpdate } from '../../domain/inboundMessage.js';
import type { AppDb } from './database.js';
import { botMessageLogs } from './schema.js';

// Delivery statuses only move forward (Meta may deliver "read" before "delivered").
const DELIVERY_RANK: Record<string, number> = { sending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class TenantDeliveryStatuses {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async apply(statuses: DeliveryStatusUpdate[]): Promise<number> {
    let changed = 0;
    for (const s of statuses) {
      const rank = DELIVERY_RANK[s.status];
      if (rank === undefined) continue;
      const error = s.errors[0];
      if (await this.confirm(s, error)) {
        changed += 1;
        continue;
      }
      const rows = await this.db
        .update(botMessageLogs)
        .set({
          status: s.status,
          statusUpdatedAt: s.at ?? new Date(),
          ...(error ? { errorMessage: [error.code, error.title, error.details].filter(Boolean).join(': ') } : {}),
        })
        .where(
          and(
            eq(botMessageLogs.botTenantId, this.tenantId),
            eq(botMessageLogs.direction, 'outbound'),
            eq(botMessageLogs.whatsappMessageId, s.whatsappMessageId),
            sql`(CASE ${botMessageLogs.status} WHEN 'sending' THEN 0 WHEN 'sent' THEN 1 WHEN 'delivered' THEN 2
                 WHEN 'read' THEN 3 WHEN 'failed' THEN 4 ELSE 0 END) < ${rank}`,
          ),
        )
        .returning({ id: botMessageLogs.id });
      changed += rows.length;
    }
    return changed;
  }

  /** A status naming one of this tenant's parts (biz_opaque_callback_data = its row id) whose
   *  send was never answered (a crash mid-call: `sending` or `unconfirmed`, no wamid yet): Meta
   *  has it, so it takes the wamid and the status and is never resent. Anything else (not a uuid,
   *  another tenant's row, a part already sent) goes the usual way, by wamid. */
  private async confirm(
    s: DeliveryStatusUpdate,
    error: DeliveryStatusUpdate['errors'][number] | undefined,
  ): Promise<boolean> {
    if (s.callbackData === null || !UUID.test(s.callbackData)) return false;
    const rows = await this.db
      .update(botMessageLogs)
      .set({
        status: s.status,
        whatsappMessageId: s.whatsappMessageId,
        statusUpdatedAt: s.at ?? new Date(),
        ...(s.status === 'failed' ? {} : { sentAt: s.at ?? new Date() }),
        errorMessage: error ? [error.code, error.title, error.details].filter(Boolean).join(': ') : null,
      })
      .where(
        and(
          eq(botMessageLogs.botTenantId, this.tenantId),
          eq(botMessageLogs.direction, 'outbound'),
          eq(botMessageLogs.id, s.callbackData),
          inArray(botMessageLogs.status, ['sending', 'unconfirmed']),
          sql`${botMessageLogs.whatsappMessageId} IS NULL`,
        ),
      )
      .returning({ id: botMessageLogs.id });
    return rows.length > 0;
  }
}
