// One tenant's handoffs (paused conversations) and answer ratings for the admin API. Every statement
// filters by the tenant id given to the constructor; resuming writes its audit row in the same transaction.
import { sql } from 'drizzle-orm';
import type { CustomerCareStore, HandoffView, RatingSummary } from '../../modules/tenants/customerCarePorts.js';
import type { Page, PageRequest } from '../../modules/tenants/ports.js';
import { writeAudit } from './auditTrail.js';
import { queryRows, type AppDb } from './database.js';
import { lockTenantRow, tenantExists } from './tenantLock.js';

interface HandoffRow {
  user_phone: string;
  paused_until: Date | string;
  pause_reason: string | null;
  last_escalated_at: Date | string | null;
  total: string | number;
}

const iso = (v: Date | string) => new Date(v).toISOString();

export class DbCustomerCareStore implements CustomerCareStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async handoffs(page: PageRequest): Promise<Page<HandoffView> | null> {
    const rows = await queryRows<HandoffRow>(
      this.db,
      sql`
      SELECT user_phone, paused_until, pause_reason, last_escalated_at, count(*) OVER () AS total
      FROM alphadome.conversations
      WHERE bot_tenant_id = ${this.tenantId} AND paused_until > now()
      ORDER BY paused_until, user_phone
      LIMIT ${page.limit} OFFSET ${(page.page - 1) * page.limit}`,
    );
    if (rows.length === 0 && !(await tenantExists(this.db, this.tenantId))) return null;
    return {
      data: rows.map((r) => ({
        user_phone: r.user_phone,
        paused_until: iso(r.paused_until),
        pause_reason: r.pause_reason,
        last_escalated_at: r.last_escalated_at === null ? null : iso(r.last_escalated_at),
      })),
      page: page.page,
      limit: page.limit,
      total: Number(rows[0]?.total ?? 0),
    };
  }

  async resume(userPhone: string, actor: string): Promise<{ resumed: boolean } | null> {
    return this.db.transaction(async (tx) => {
      if (!(await lockTenantRow(tx, this.tenantId))) return null;
      const [before] = await queryRows<{ paused_until: Date | string; pause_reason: string | null }>(
        tx,
        sql`
        SELECT paused_until, pause_reason FROM alphadome.conversations
        WHERE bot_tenant_id = ${this.tenantId} AND user_phone = ${userPhone} AND paused_until > now() FOR UPDATE`,
      );
      if (!before) return { resumed: false };
      await tx.execute(sql`
        UPDATE alphadome.conversations SET paused_until = NULL, pause_reason = NULL, updated_at = now()
        WHERE bot_tenant_id = ${this.tenantId} AND user_phone = ${userPhone}`);
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'update',
        entity: 'handoff',
        entityId: userPhone,
        before: { paused_until: iso(before.paused_until), pause_reason: before.pause_reason },
        after: { paused_until: null, pause_reason: null },
      });
      return { resumed: true };
    });
  }

  async ratings(): Promise<RatingSummary | null> {
    if (!(await tenantExists(this.db, this.tenantId))) return null;
    const byFaq = await queryRows<{
      training_data_id: string;
      question: string | null;
      up: string | number;
      down: string | number;
    }>(
      this.db,
      sql`
      SELECT r.training_data_id, t.question, count(*) FILTER (WHERE r.rating > 0) AS up, count(*) FILTER (WHERE r.rating < 0) AS down
      FROM alphadome.answer_ratings r LEFT JOIN alphadome.bot_training_data t ON t.id = r.training_data_id AND t.bot_tenant_id = r.bot_tenant_id
      WHERE r.bot_tenant_id = ${this.tenantId} AND r.training_data_id IS NOT NULL
      GROUP BY r.training_data_id, t.question ORDER BY r.training_data_id`,
    );
    const byModel = await queryRows<{ ai_model_used: string; up: string | number; down: string | number }>(
      this.db,
      sql`
      SELECT ai_model_used, count(*) FILTER (WHERE rating > 0) AS up, count(*) FILTER (WHERE rating < 0) AS down
      FROM alphadome.answer_ratings
      WHERE bot_tenant_id = ${this.tenantId} AND ai_model_used IS NOT NULL
      GROUP BY ai_model_used ORDER BY ai_model_used`,
    );
    return {
      by_faq: byFaq.map((r) => ({
        training_data_id: r.training_data_id,
        question: r.question,
        up: Number(r.up),
        down: Number(r.down),
      })),
      by_model: byModel.map((r) => ({ ai_model_used: r.ai_model_used, up: Number(r.up), down: Number(r.down) })),
    };
  }
}
