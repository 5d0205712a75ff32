// One tenant's audit trail, newest first. Rows outlive their tenant, so a deleted tenant's
// history stays readable by id.
import { desc, eq } from 'drizzle-orm';
import type { AuditEntryView, Page, PageRequest, TenantAuditLog } from '../../modules/tenants/ports.js';
import type { AppDb } from './database.js';
import { auditLog } from './schema.js';
import { selectPage } from './selectPage.js';

export class DbAuditLogReader implements TenantAuditLog {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async list(page: PageRequest): Promise<Page<AuditEntryView>> {
    const mine = eq(auditLog.botTenantId, this.tenantId);
    return selectPage(this.db, auditLog, mine, [desc(auditLog.createdAt), desc(auditLog.id)], page, (r) => ({
      id: r.id,
      actor: r.actor,
      action: r.action,
      entity: r.entity,
      entity_id: r.entityId,
      before: r.before ?? null,
      after: r.after ?? null,
      created_at: r.createdAt.toISOString(),
    }));
  }
}
