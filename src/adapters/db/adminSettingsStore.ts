// One tenant's control settings (bot_control_settings) as the admin API reads and changes them.
// Every statement is filtered by the tenant id given to the constructor; every change writes its
// audit row in the same transaction (changes of one tenant's settings run one at a time). A tenant made by SQL may have no row yet: it gets the defaults.
import { eq } from 'drizzle-orm';
import type { SettingsFields, SettingsStore, SettingsView } from '../../modules/tenants/ports.js';
import { writeAudit } from './auditTrail.js';
import type { AppDb } from './database.js';
import { isForeignKeyViolation } from './databaseErrors.js';
import { botControlSettings } from './schema.js';
import { lockTenantRow } from './tenantLock.js';
import { mpesaMetadataPatch, mpesaSettingsOf } from '../../modules/payments/paymentSettings.js';

type SettingsRow = typeof botControlSettings.$inferSelect;

export class DbAdminSettingsStore implements SettingsStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async get(): Promise<SettingsView | null> {
    const row = (await this.row(this.db)) ?? (await this.createDefaults(this.db));
    return row ? settingsView(row) : null;
  }

  async update(fields: SettingsFields, actor: string): Promise<SettingsView | null> {
    return this.db.transaction(async (tx) => {
      if (!(await lockTenantRow(tx, this.tenantId))) return null;
      const before = (await this.row(tx)) ?? (await this.createDefaults(tx));
      if (!before) return null;
      const [after] = await tx
        .update(botControlSettings)
        .set(settingsColumns(fields, before))
        .where(eq(botControlSettings.botTenantId, this.tenantId))
        .returning();
      if (!after) return null;
      const view = settingsView(after);
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'update',
        entity: 'settings',
        entityId: after.id,
        before: { ...settingsView(before) },
        after: { ...view },
      });
      return view;
    });
  }

  private async row(db: AppDb): Promise<SettingsRow | null> {
    const [row] = await db.select().from(botControlSettings).where(eq(botControlSettings.botTenantId, this.tenantId));
    return row ?? null;
  }

  /** Inserts the default row (the column defaults are the spec's); null when the tenant is gone (outside a transaction only). */
  private async createDefaults(db: AppDb): Promise<SettingsRow | null> {
    try {
      await db
        .insert(botControlSettings)
        .values({ botTenantId: this.tenantId })
        .onConflictDoNothing({ target: botControlSettings.botTenantId });
    } catch (err) {
      if (isForeignKeyViolation(err)) return null;
      throw err;
    }
    return this.row(db);
  }
}

// Switches without a column of their own (the spec's table has none for them) live in metadata.
const METADATA_SWITCHES = ['read_receipts', 'typing_indicator'] as const;

function settingsColumns(
  fields: SettingsFields,
  current: SettingsRow,
): Partial<typeof botControlSettings.$inferInsert> {
  const switches = {
    ...Object.fromEntries(
      METADATA_SWITCHES.flatMap((name) => (fields[name] === undefined ? [] : [[name, fields[name]]])),
    ),
    ...mpesaMetadataPatch(fields),
  };
  const metadataPatch =
    fields.metadata || Object.keys(switches).length > 0 ? { ...fields.metadata, ...switches } : null;
  return {
    isBotEnabled: fields.is_bot_enabled,
    maxMessagesPerHour: fields.max_messages_per_hour,
    maxMessagesPerUserPerDay: fields.max_messages_per_user_per_day,
    enableAiResponses: fields.enable_ai_responses,
    enablePaymentFlow: fields.enable_payment_flow,
    enableTrainingMode: fields.enable_training_mode,
    enableAutoReply: fields.enable_auto_reply,
    logConversations: fields.log_conversations,
    logErrors: fields.log_errors,
    escalationPhone: fields.escalation_phone,
    escalationEmail: fields.escalation_email,
    ...(metadataPatch ? { metadata: mergeMetadata(current.metadata, metadataPatch) } : {}),
  };
}

/** JSON merge patch, one level deep: a key set to null is removed, any other value replaces. */
function mergeMetadata(current: Record<string, unknown>, patch: Record<string, unknown>): Record<string, unknown> {
  const merged = { ...current };
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete merged[key];
    else merged[key] = value;
  }
  return merged;
}

export function settingsView(row: SettingsRow): SettingsView {
  return {
    id: row.id,
    is_bot_enabled: row.isBotEnabled,
    max_messages_per_hour: row.maxMessagesPerHour,
    max_messages_per_user_per_day: row.maxMessagesPerUserPerDay,
    enable_ai_responses: row.enableAiResponses,
    enable_payment_flow: row.enablePaymentFlow,
    enable_training_mode: row.enableTrainingMode,
    enable_auto_reply: row.enableAutoReply,
    log_conversations: row.logConversations,
    log_errors: row.logErrors,
    read_receipts: row.metadata['read_receipts'] !== false,
    typing_indicator: row.metadata['typing_indicator'] !== false,
    escalation_phone: row.escalationPhone,
    escalation_email: row.escalationEmail,
    ...mpesaSettingsOf(row.metadata),
    metadata: row.metadata,
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}
