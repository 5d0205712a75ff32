// One tenant's conversation templates as the admin API changes them. Every statement is filtered
// by the tenant id given to the constructor; every change writes its audit row in the same
// transaction. Among the tenant's active templates exactly one is the default.
import { and, asc, desc, eq, ne } from 'drizzle-orm';
import { badRequest, conflict, notFound, type AdminApiError } from '../../modules/tenants/adminErrors.js';
import type { NewTemplate, TemplateFields, TemplateStore, TemplateView } from '../../modules/tenants/ports.js';
import { writeAudit } from './auditTrail.js';
import type { AppDb } from './database.js';
import { botTemplates } from './schema.js';
import { lockTenantRow, tenantExists } from './tenantLock.js';

type TemplateRow = typeof botTemplates.$inferSelect;

export class DbAdminTemplateStore implements TemplateStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async list(): Promise<TemplateView[] | null> {
    const rows = await this.db
      .select()
      .from(botTemplates)
      .where(eq(botTemplates.botTenantId, this.tenantId))
      .orderBy(desc(botTemplates.isDefault), asc(botTemplates.templateName), asc(botTemplates.id));
    if (rows.length === 0 && !(await tenantExists(this.db, this.tenantId))) return null;
    return rows.map(templateView);
  }

  async get(templateId: string): Promise<TemplateView | null> {
    const row = await this.row(this.db, templateId);
    return row ? templateView(row) : null;
  }

  async create(input: NewTemplate, actor: string): Promise<TemplateView> {
    if (input.is_default === true && input.is_active === false) throw inactiveDefault();
    return this.db.transaction(async (tx) => {
      if (!(await lockTenantRow(tx, this.tenantId))) throw notFound(`Tenant ${this.tenantId}`);
      const active = input.is_active ?? true;
      // The first active template becomes the default, so the bot always has one to use.
      const isDefault = active && (input.is_default ?? !(await this.activeDefault(tx)));
      if (isDefault) await this.clearOtherDefaults(tx, null, actor);
      const [row] = await tx
        .insert(botTemplates)
        .values({
          ...templateColumns(input),
          templateName: input.template_name,
          botTenantId: this.tenantId,
          isActive: active,
          isDefault,
        })
        .returning();
      if (!row) throw new Error('template insert returned no row');
      const view = templateView(row);
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'create',
        entity: 'template',
        entityId: row.id,
        before: null,
        after: { ...view },
      });
      return view;
    });
  }

  async update(templateId: string, fields: TemplateFields, actor: string): Promise<TemplateView | null> {
    return this.db.transaction(async (tx) => {
      if (!(await lockTenantRow(tx, this.tenantId))) return null;
      const before = await this.row(tx, templateId);
      if (!before) return null;
      const active = fields.is_active ?? before.isActive;
      if (fields.is_default === true && !active) throw inactiveDefault();
      if (fields.is_default === false && before.isDefault && active) {
        throw conflict(
          'Active templates have exactly one default: make another template the default, or deactivate this one',
        );
      }
      // An inactive template is never the default; the default stays put unless asked to move.
      const isDefault = active && (fields.is_default ?? before.isDefault);
      if (isDefault) await this.clearOtherDefaults(tx, templateId, actor);
      const [after] = await tx
        .update(botTemplates)
        .set({ ...templateColumns(fields), isActive: active, isDefault })
        .where(and(eq(botTemplates.botTenantId, this.tenantId), eq(botTemplates.id, templateId)))
        .returning();
      if (!after) return null;
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'update',
        entity: 'template',
        entityId: templateId,
        before: { ...templateView(before) },
        after: { ...templateView(after) },
      });
      await this.promoteDefaultIfMissing(tx, actor);
      return templateView((await this.row(tx, templateId)) ?? after);
    });
  }

  async delete(templateId: string, actor: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      if (!(await lockTenantRow(tx, this.tenantId))) return false;
      const [before] = await tx
        .delete(botTemplates)
        .where(and(eq(botTemplates.botTenantId, this.tenantId), eq(botTemplates.id, templateId)))
        .returning();
      if (!before) return false;
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'delete',
        entity: 'template',
        entityId: templateId,
        before: { ...templateView(before) },
        after: null,
      });
      await this.promoteDefaultIfMissing(tx, actor);
      return true;
    });
  }

  private async row(db: AppDb, templateId: string): Promise<TemplateRow | null> {
    const [row] = await db
      .select()
      .from(botTemplates)
      .where(and(eq(botTemplates.botTenantId, this.tenantId), eq(botTemplates.id, templateId)));
    return row ?? null;
  }

  private async activeDefault(tx: AppDb): Promise<boolean> {
    const [row] = await tx
      .select({ id: botTemplates.id })
      .from(botTemplates)
      .where(
        and(
          eq(botTemplates.botTenantId, this.tenantId),
          eq(botTemplates.isActive, true),
          eq(botTemplates.isDefault, true),
        ),
      )
      .limit(1);
    return row !== undefined;
  }

  private async clearOtherDefaults(tx: AppDb, keepId: string | null, actor: string): Promise<void> {
    const others = await tx
      .select()
      .from(botTemplates)
      .where(
        and(
          eq(botTemplates.botTenantId, this.tenantId),
          eq(botTemplates.isDefault, true),
          keepId ? ne(botTemplates.id, keepId) : undefined,
        ),
      );
    for (const before of others) await this.setDefault(tx, before, false, actor);
  }

  /** When the default was deleted or deactivated, the most recently changed active template takes over. */
  private async promoteDefaultIfMissing(tx: AppDb, actor: string): Promise<void> {
    if (await this.activeDefault(tx)) return;
    const [next] = await tx
      .select()
      .from(botTemplates)
      .where(and(eq(botTemplates.botTenantId, this.tenantId), eq(botTemplates.isActive, true)))
      .orderBy(desc(botTemplates.updatedAt), asc(botTemplates.id))
      .limit(1);
    if (next) await this.setDefault(tx, next, true, actor);
  }

  private async setDefault(tx: AppDb, before: TemplateRow, isDefault: boolean, actor: string): Promise<void> {
    const [after] = await tx
      .update(botTemplates)
      .set({ isDefault })
      .where(and(eq(botTemplates.botTenantId, this.tenantId), eq(botTemplates.id, before.id)))
      .returning();
    if (!after) return;
    await writeAudit(tx, {
      tenantId: this.tenantId,
      actor,
      action: 'update',
      entity: 'template',
      entityId: before.id,
      before: { ...templateView(before) },
      after: { ...templateView(after) },
    });
  }
}

function inactiveDefault(): AdminApiError {
  return badRequest('is_default: an inactive template cannot be the default; set is_active to true as well');
}

function templateColumns(fields: TemplateFields): Partial<typeof botTemplates.$inferInsert> {
  return {
    templateName: fields.template_name,
    systemPrompt: fields.system_prompt,
    conversationContext: fields.conversation_context,
    tone: fields.tone,
    maxResponseLength: fields.max_response_length,
    metadata: fields.metadata,
  };
}

export function templateView(row: TemplateRow): TemplateView {
  return {
    id: row.id,
    template_name: row.templateName,
    system_prompt: row.systemPrompt,
    conversation_context: row.conversationContext,
    tone: row.tone,
    max_response_length: row.maxResponseLength,
    is_active: row.isActive,
    is_default: row.isDefault,
    metadata: row.metadata,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
