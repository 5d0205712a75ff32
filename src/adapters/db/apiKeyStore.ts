// One tenant's API keys: every statement is filtered by the tenant id given to the constructor,
// and creating or revoking a key writes its audit row in the same transaction. Revoking a key
// revokes the keys minted through it too (see apiKeyLineage).
import { and, desc, eq, inArray, isNull } from 'drizzle-orm';
import type { ApiKeyView, NewApiKey, TenantApiKeyStore } from '../../modules/tenants/ports.js';
import { liveDescendantIds } from './apiKeyLineage.js';
import { writeAudit } from './auditTrail.js';
import type { AppDb } from './database.js';
import { isForeignKeyViolation } from './databaseErrors.js';
import { apiKeys } from './schema.js';

type ApiKeyRow = typeof apiKeys.$inferSelect;

export class DbApiKeyStore implements TenantApiKeyStore {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async list(): Promise<ApiKeyView[]> {
    const rows = await this.db
      .select()
      .from(apiKeys)
      .where(eq(apiKeys.botTenantId, this.tenantId))
      .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
    return rows.map(apiKeyView);
  }

  async get(keyId: string): Promise<ApiKeyView | null> {
    const [row] = await this.db
      .select()
      .from(apiKeys)
      .where(and(eq(apiKeys.id, keyId), eq(apiKeys.botTenantId, this.tenantId)));
    return row ? apiKeyView(row) : null;
  }

  async create(key: NewApiKey, actor: string): Promise<ApiKeyView | null> {
    return (
      this.db
        .transaction(async (tx) => {
          const [row] = await tx
            .insert(apiKeys)
            .values({
              botTenantId: this.tenantId,
              name: key.name,
              prefix: key.prefix,
              keyHash: key.keyHash,
              createdBy: actor,
            })
            .returning();
          if (!row) throw new Error('api key insert returned no row');
          const view = apiKeyView(row);
          await writeAudit(tx, {
            tenantId: this.tenantId,
            actor,
            action: 'create',
            entity: 'api_key',
            entityId: row.id,
            before: null,
            after: { ...view },
          });
          return view;
        })
        // The tenant was deleted (or never was): the foreign key says so without a separate read.
        .catch((err: unknown) => {
          if (isForeignKeyViolation(err)) return null;
          throw err;
        })
    );
  }

  async revoke(keyId: string, actor: string): Promise<ApiKeyView | null> {
    return this.db.transaction(async (tx) => {
      const mine = and(eq(apiKeys.id, keyId), eq(apiKeys.botTenantId, this.tenantId));
      const [before] = await tx.select().from(apiKeys).where(mine);
      if (!before) return null;
      // Keys minted through this one go with it, even if it was revoked before they were tied to it.
      const minted = await liveDescendantIds(tx, this.tenantId, before.prefix);
      // Revoking twice changes nothing, so it writes nothing either.
      if (before.revokedAt && minted.length === 0) return apiKeyView(before);
      const now = new Date();
      const revoked = await tx
        .update(apiKeys)
        .set({ revokedAt: now })
        .where(
          and(
            eq(apiKeys.botTenantId, this.tenantId),
            inArray(apiKeys.id, [keyId, ...minted]),
            isNull(apiKeys.revokedAt),
          ),
        )
        .returning();
      for (const after of revoked) {
        await writeAudit(tx, {
          tenantId: this.tenantId,
          actor,
          action: 'revoke',
          entity: 'api_key',
          entityId: after.id,
          before: { ...apiKeyView({ ...after, revokedAt: null }) },
          after: { ...apiKeyView(after) },
        });
      }
      return apiKeyView(revoked.find((row) => row.id === keyId) ?? before);
    });
  }
}

function apiKeyView(row: ApiKeyRow): ApiKeyView {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    created_by: row.createdBy,
    created_at: row.createdAt.toISOString(),
    last_used_at: row.lastUsedAt?.toISOString() ?? null,
    revoked_at: row.revokedAt?.toISOString() ?? null,
  };
}
