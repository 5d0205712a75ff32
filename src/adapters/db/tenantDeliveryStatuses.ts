// Delivery statuses from Meta's webhooks, applied to one tenant's outbound rows.
import { and, eq, sql } from 'drizzle-orm';
import type { DeliveryStatusUpdate } from '../../domain/inboundMessage.js';
import type { AppDb } from './database.js';
import { botMessageLogs } from './schema.js';

// Delivery statuses only move forward (Meta may deliver "read" before "delivered").
const DELIVERY_RANK: Record<string, number> = { sending: 0, sent: 1, delivered: 2, read: 3, failed: 4 };

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
}
