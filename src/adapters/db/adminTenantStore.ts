// One tenant's own record as the admin API changes it: every statement is filtered by the
// tenant id given to the constructor, and every change writes its audit row in the same transaction.
import { eq, sql } from 'drizzle-orm';
import { conflict } from '../../modules/tenants/adminErrors.js';
import type {
  CredentialChanges,
  TenantAdminStore,
  TenantCredentialsView,
  TenantFields,
  TenantView,
} from '../../modules/tenants/ports.js';
import { writeAudit } from './auditTrail.js';
import type { AppDb } from './database.js';
import { uniqueViolation } from './databaseErrors.js';
import { botTenants } from './schema.js';
import type { VerifyTokenHasher } from '../crypto/verifyTokenHasher.js';
import { credentialLocation, type CredentialColumn } from './credentialVault.js';
import { credentialsView, tenantView, type CredentialCipher, type TenantRow } from './tenantViews.js';

export class DbAdminTenantStore implements TenantAdminStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
    private readonly cipher: CredentialCipher,
    private readonly verifyTokens: VerifyTokenHasher,
  ) {}

  async get(): Promise<TenantView | null> {
    const row = await this.row(this.db);
    return row ? tenantView(row, this.cipher) : null;
  }

  async update(fields: TenantFields, actor: string): Promise<TenantView | null> {
    return this.db
      .transaction(async (tx) => {
        const before = await this.row(tx);
        if (!before) return null;
        const [after] = await tx
          .update(botTenants)
          .set(tenantColumns(fields, before, this.verifyTokens))
          .where(eq(botTenants.id, this.tenantId))
          .returning();
        if (!after) return null;
        await writeAudit(tx, {
          tenantId: this.tenantId,
          actor,
          action: 'update',
          entity: 'tenant',
          entityId: this.tenantId,
          before: auditable(tenantView(before, this.cipher)),
          after: auditable(tenantView(after, this.cipher)),
        });
        return tenantView(after, this.cipher);
      })
      .catch(rethrowConflict);
  }

  async delete(actor: string): Promise<boolean> {
    return this.db.transaction(async (tx) => {
      const before = await this.row(tx);
      if (!before) return false;
      await tx.delete(botTenants).where(eq(botTenants.id, this.tenantId));
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'delete',
        entity: 'tenant',
        entityId: this.tenantId,
        before: auditable(tenantView(before, this.cipher)),
        after: null,
      });
      return true;
    });
  }

  async updateCredentials(changes: CredentialChanges, actor: string): Promise<TenantCredentialsView | null> {
    return this.db.transaction(async (tx) => {
      const before = await this.row(tx);
      if (!before) return null;
      const seal = (value: string | null | undefined, column: CredentialColumn) =>
        value === undefined
          ? undefined
          : value === null
            ? null
            : this.cipher.encrypt(value, credentialLocation(this.tenantId, column));
      const fallback = { ...((before.metadata['fallback_keys'] ?? {}) as Record<string, string>) };
      for (const [provider, value] of Object.entries(changes.fallback_keys ?? {})) {
        if (value === null) delete fallback[provider];
        else if (value !== undefined)
          fallback[provider] = this.cipher.encrypt(
            value,
            credentialLocation(this.tenantId, `fallback_keys.${provider}`),
          );
      }
      const [after] = await tx
        .update(botTenants)
        .set({
          whatsappAccessToken: seal(changes.whatsapp_access_token, 'whatsapp_access_token'),
          aiApiKey: seal(changes.ai_api_key, 'ai_api_key'),
          whatsappAppSecret: seal(changes.whatsapp_app_secret, 'whatsapp_app_secret'),
          mpesaConsumerKey: seal(changes.mpesa_consumer_key, 'mpesa_consumer_key'),
          mpesaConsumerSecret: seal(changes.mpesa_consumer_secret, 'mpesa_consumer_secret'),
          mpesaPasskey: seal(changes.mpesa_passkey, 'mpesa_passkey'),
          ...(changes.fallback_keys
            ? { metadata: sql`${botTenants.metadata} || ${JSON.stringify({ fallback_keys: fallback })}::jsonb` }
            : {}),
        })
        .where(eq(botTenants.id, this.tenantId))
        .returning();
      if (!after) return null;
      const view = credentialsView(after, this.cipher);
      await writeAudit(tx, {
        tenantId: this.tenantId,
        actor,
        action: 'update',
        entity: 'credentials',
        entityId: this.tenantId,
        before: { credentials: credentialsView(before, this.cipher) },
        after: { credentials: view },
      });
      return view;
    });
  }

  private async row(db: AppDb): Promise<TenantRow | null> {
    const [row] = await db.select().from(botTenants).where(eq(botTenants.id, this.tenantId));
    return row ?? null;
  }
}

/** The columns a TenantFields patch sets; metadata keeps the stored fallback keys; the verify token is stored hashed. */
export function tenantColumns(
  fields: TenantFields,
  current: TenantRow | null,
  verifyTokens: VerifyTokenHasher,
): Partial<typeof botTenants.$inferInsert> {
  const { metadata, ...rest } = fields;
  // Server-owned metadata survives a replace: the sealed fallback keys and the environment marker.
  const keys = current?.metadata['fallback_keys'];
  const source = current?.metadata['source'];
  return {
    clientName: rest.client_name,
    clientPhone: rest.client_phone,
    brandId: rest.brand_id,
    whatsappPhoneNumberId: rest.whatsapp_phone_number_id,
    whatsappBusinessAccountId: rest.whatsapp_business_account_id,
    aiProvider: rest.ai_provider,
    aiModel: rest.ai_model,
    isActive: rest.is_active,
    serverAiAllowed: rest.server_ai_allowed,
    webhookVerifyToken:
      typeof rest.webhook_verify_token === 'string'
        ? verifyTokens.hash(rest.webhook_verify_token)
        : rest.webhook_verify_token,
    webhookUrl: rest.webhook_url,
    ...(metadata
      ? { metadata: { ...metadata, ...(keys ? { fallback_keys: keys } : {}), ...(source ? { source } : {}) } }
      : {}),
  };
}

function auditable(view: TenantView): Record<string, unknown> {
  return { ...view };
}

const CONSTRAINT_MESSAGES: Record<string, string> = {
  bot_tenants_client_phone_unique: 'client_phone is already used by another tenant',
  // Routing compares digits: "+254 700 123456" is the number another tenant has as "254700123456".
  bot_tenants_client_phone_digits_key: 'client_phone is already used by another tenant',
  bot_tenants_phone_number_id_key: 'whatsapp_phone_number_id is already used by another tenant',
  bot_tenants_webhook_verify_token_unique: 'webhook_verify_token is already used by another tenant',
};

export function rethrowConflict(err: unknown): never {
  const constraint = uniqueViolation(err);
  if (constraint) throw conflict(CONSTRAINT_MESSAGES[constraint] ?? `a value must be unique (${constraint})`);
  throw err;
}
