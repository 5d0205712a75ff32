// One tenant's audit trail, newest first. Rows outlive their tenant, so a deleted tenant's
// history stays readable by id.
import { count, desc, eq } from 'drizzle-orm';
import type { AuditEntryView, Page, PageRequest, TenantAuditLog } from '../../modules/tenants/ports.js';
import type { AppDb } from './database.js';
import { auditLog } from './schema.js';

export class DbAuditLogReader implements TenantAuditLog {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async list(page: PageRequest): Promise<Page<AuditEntryView>> {
    const mine = eq(auditLog.botTenantId, this.tenantId);
    const rows = await this.db
      .select()
      .from(auditLog)
      .where(mine)
      .orderBy(desc(auditLog.createdAt), desc(auditLog.id))
      .limit(page.limit)
      .offset((page.page - 1) * page.limit);
    const [total] = await this.db.select({ n: count() }).from(auditLog).where(mine);
    const data = rows.map((r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entity_id: r.entityId,
      before: r.before ?? null,
      after: r.after ?? null,
      created_at: r.createdAt.toISOString(),
    }));
    return { data, page: page.page, limit: page.limit, total: Number(total?.n ?? 0) };
  }
}
