// Operations over all tenants (list, create) for the administrator, and the door to one
// tenant's admin store. Listing and creating are the only admin actions that cross tenants.
import { randomUUID } from 'node:crypto';
import { asc, ilike, or, sql } from 'drizzle-orm';
import type { NewTenant, Page, TenantCatalog, TenantListQuery, TenantView } from '../../modules/tenants/ports.js';
import { DbAdminTenantStore, rethrowConflict, tenantColumns } from './adminTenantStore.js';
import { writeAudit } from './auditTrail.js';
import type { AppDb } from './database.js';
import { botControlSettings, botTenants } from './schema.js';
import { selectPage } from './selectPage.js';
import type { VerifyTokenHasher } from '../crypto/verifyTokenHasher.js';
import { credentialLocation, type CredentialColumn } from './credentialVault.js';
import { tenantView, type CredentialCipher } from './tenantViews.js';

export class DbTenantCatalog implements TenantCatalog {
  constructor(
    private readonly db: AppDb,
    private readonly cipher: CredentialCipher,
    private readonly verifyTokens: VerifyTokenHasher,
  ) {}

  forTenant(tenantId: string): DbAdminTenantStore {
    return new DbAdminTenantStore(this.db, tenantId, this.cipher, this.verifyTokens);
  }

  async list(query: TenantListQuery): Promise<Page<TenantView>> {
    const digits = query.q?.replace(/\D+/g, '') ?? '';
    const filter = query.q
      ? or(
          ilike(botTenants.clientName, `%${escapeLike(query.q)}%`),
          ...(digits ? [sql`regexp_replace(${botTenants.clientPhone}, '\\D', '', 'g') LIKE ${`%${digits}%`}`] : []),
        )
      : undefined;
    const order = [asc(botTenants.clientName), asc(botTenants.id)];
    return selectPage(this.db, botTenants, filter, order, query, (r) => tenantView(r, this.cipher));
  }

  async create(input: NewTenant, actor: string): Promise<TenantView> {
    const { credentials, ...fields } = input;
    // The id is chosen here, not by the database: every secret is sealed bound to its tenant.
    const id = randomUUID();
    const seal = (v: string | null | undefined, column: CredentialColumn) =>
      v ? this.cipher.encrypt(v, credentialLocation(id, column)) : null;
    const fallbackKeys = Object.fromEntries(
      Object.entries(credentials?.fallback_keys ?? {})
        .filter((entry): entry is [string, string] => typeof entry[1] === 'string')
        .map(([provider, key]) => [provider, seal(key, `fallback_keys.${provider}`)]),
    );
    return this.db
      .transaction(async (tx) => {
        const columns = tenantColumns(fields, null, this.verifyTokens);
        const [row] = await tx
          .insert(botTenants)
          .values({
            ...columns,
            id,
            clientName: input.client_name,
            clientPhone: input.client_phone,
            metadata: {
              ...(fields.metadata ?? {}),
              ...(Object.keys(fallbackKeys).length ? { fallback_keys: fallbackKeys } : {}),
            },
            whatsappAccessToken: seal(credentials?.whatsapp_access_token, 'whatsapp_access_token'),
            aiApiKey: seal(credentials?.ai_api_key, 'ai_api_key'),
            whatsappAppSecret: seal(credentials?.whatsapp_app_secret, 'whatsapp_app_secret'),
            mpesaConsumerKey: seal(credentials?.mpesa_consumer_key, 'mpesa_consumer_key'),
            mpesaConsumerSecret: seal(credentials?.mpesa_consumer_secret, 'mpesa_consumer_secret'),
            mpesaPasskey: seal(credentials?.mpesa_passkey, 'mpesa_passkey'),
          })
          .returning();
        if (!row) throw new Error('tenant insert returned no row');
        // Every tenant starts with the spec's default limits and switches, visible in the API.
        await tx.insert(botControlSettings).values({ botTenantId: row.id });
        const view = tenantView(row, this.cipher);
        await writeAudit(tx, {
          tenantId: row.id,
          actor,
          action: 'create',
          entity: 'tenant',
          entityId: row.id,
          before: null,
          after: { ...view },
        });
        return view;
      })
      .catch(rethrowConflict);
  }
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
