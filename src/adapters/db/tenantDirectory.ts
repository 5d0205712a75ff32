// The one place where lookups cross tenants: routing a webhook to its tenant, matching a
// verify token, finding app secrets, finding an API key's tenant. Everything else goes through
// a single tenant's repository.
import { and, eq, inArray, isNotNull, isNull, sql } from 'drizzle-orm';
import { TenantRoutingTable, digitsOf } from '../../domain/tenantRouting.js';
import type { TenantDirectory } from '../../modules/ingest/ports.js';
import { hashApiKey, isApiKeyFormat } from '../../modules/tenants/apiKeyFormat.js';
import type { ApiKeyOwner } from '../../modules/tenants/ports.js';
import { hasRevokedAncestor } from './apiKeyLineage.js';
import type { VerifyTokenHasher } from '../crypto/verifyTokenHasher.js';
import type { CredentialVault } from './credentialVault.js';
import type { AppDb } from './database.js';
import { uniqueViolation } from './databaseErrors.js';
import { apiKeys, botTenants } from './schema.js';

/** Safety net: even if a change notification is lost, the table is never older than this. */
const MAX_AGE_MS = 30_000;
/** last_used_at is a hint for people, not a counter: one write a minute per key at most. */
const LAST_USED_RESOLUTION_MS = 60_000;

/** One load of every tenant: how to route to them, and their own app secrets (decrypted, distinct). */
interface DirectorySnapshot {
  table: TenantRoutingTable;
  appSecrets: ReadonlySet<string>;
}

export class DbTenantDirectory implements TenantDirectory {
  private snapshot: DirectorySnapshot | null = null;
  private loadedAt = 0;
  // Bumped by invalidate(): a load that started before a change must not be cached as current.
  private version = 0;
  // Loads are numbered so that a caller can insist on one that started after it asked.
  private loadsStarted = 0;
  private loading: { number: number; snapshot: Promise<DirectorySnapshot> } | null = null;
  private queued: Promise<DirectorySnapshot> | null = null;
  /** Decrypted app secrets by tenant, with the stored value they came from: a reload decrypts only changed ones. */
  private readonly openedSecrets = new Map<string, { stored: string; plain: string | null }>();

  constructor(
    private readonly db: AppDb,
    private readonly defaultBrandId: string | null,
    private readonly vault: CredentialVault,
    private readonly verifyTokens: VerifyTokenHasher,
    private readonly now: () => number = Date.now,
  ) {}

  /** Called on every tenant change notification; the next lookup reloads. */
  invalidate(): void {
    this.version += 1;
    this.snapshot = null;
  }

  /**
   * The cached table (reloaded when older than the cache lifetime), or with `fresh`, a table
   * whose load started after this call: a tenant committed before the call is certainly in it.
   * Concurrent fresh callers share one load, so a burst of strangers costs two loads, not one each.
   */
  async routingTable(options: { fresh?: boolean } = {}): Promise<TenantRoutingTable> {
    return (await this.current(options)).table;
  }

  /**
   * From the cached snapshot, never a fresh load: this is asked before a request is known to be
   * authentic, so strangers' requests cost no database read beyond the shared reload of a stale
   * cache. A secret set a moment ago is seen once its change notification arrives; a delivery
   * refused meanwhile is redelivered by Meta.
   */
  async knownAppSecrets(): Promise<ReadonlySet<string>> {
    return (await this.current()).appSecrets;
  }

  private current(options: { fresh?: boolean } = {}): Promise<DirectorySnapshot> {
    if (!options.fresh) {
      if (this.snapshot && this.now() - this.loadedAt < MAX_AGE_MS) return Promise.resolve(this.snapshot);
      return this.loading?.snapshot ?? this.startLoad();
    }
    if (!this.loading) return this.startLoad();
    const inFlight = this.loading.snapshot;
    this.queued ??= inFlight
      .catch(() => undefined)
      .then(() => {
        this.queued = null;
        return this.loading?.snapshot ?? this.startLoad();
      });
    return this.queued;
  }

  private startLoad(): Promise<DirectorySnapshot> {
    this.loadsStarted += 1;
    const number = this.loadsStarted;
    const snapshot = this.load().finally(() => {
      if (this.loading?.number === number) this.loading = null;
    });
    this.loading = { number, snapshot };
    return snapshot;
  }

  /** Decrypted; a secret that cannot be decrypted counts as missing (the vault logs it). */
  async appSecretsOf(tenantIds: string[]): Promise<string[]> {
    if (tenantIds.length === 0) return [];
    const rows = await this.db
      .select({ id: botTenants.id, secret: botTenants.whatsappAppSecret })
      .from(botTenants)
      .where(and(inArray(botTenants.id, tenantIds), isNotNull(botTenants.whatsappAppSecret)));
    return rows
      .map((r) => this.vault.revealOrNull(r.id, 'whatsapp_app_secret', r.secret))
      .filter((s): s is string => Boolean(s));
  }

  /**
   * Stored tokens are hashes (VerifyTokenHasher): the presented token is hashed under every key of
   * the ring and re-stored under the current one. A clear value (inserted by SQL, not yet hashed by
   * the background run) matches too, unless the presented text is itself hash-shaped: a hash read
   * from a database dump must not work as the token.
   */
  async verifyByToken(token: string): Promise<string | null> {
    const stored = this.verifyTokens.isHashed(token)
      ? this.verifyTokens.candidates(token)
      : [...this.verifyTokens.candidates(token), token];
    const matching = inArray(botTenants.webhookVerifyToken, stored);
    const rows = await this.db
      .update(botTenants)
      .set({ isVerified: true, webhookVerifyToken: this.verifyTokens.hash(token) })
      .where(matching)
      .returning({ id: botTenants.id })
      .catch(async (err: unknown) => {
        // Two rows hold the same token (one clear, one hashed): verify, and leave the rewrite to a token change.
        if (!uniqueViolation(err)) throw err;
        return this.db.update(botTenants).set({ isVerified: true }).where(matching).returning({ id: botTenants.id });
      });
    return rows[0]?.id ?? null;
  }

  /** The tenant of a live API key (unknown and revoked keys find nothing), noting when it was used. */
  async findApiKey(rawKey: string): Promise<ApiKeyOwner | null> {
    if (!isApiKeyFormat(rawKey)) return null;
    const [row] = await this.db
      .select({
        id: apiKeys.id,
        tenantId: apiKeys.botTenantId,
        prefix: apiKeys.prefix,
        createdBy: apiKeys.createdBy,
        lastUsedAt: apiKeys.lastUsedAt,
        tenantActive: botTenants.isActive,
      })
      .from(apiKeys)
      .innerJoin(botTenants, eq(botTenants.id, apiKeys.botTenantId))
      .where(and(eq(apiKeys.keyHash, hashApiKey(rawKey)), isNull(apiKeys.revokedAt)));
    // A key minted through a revoked key is as dead as it, whatever its own row says.
    if (!row || (await hasRevokedAncestor(this.db, row.tenantId, row.createdBy))) return null;
    if (!row.lastUsedAt || this.now() - row.lastUsedAt.getTime() >= LAST_USED_RESOLUTION_MS) {
      await this.db
        .update(apiKeys)
        .set({ lastUsedAt: new Date(this.now()) })
        .where(eq(apiKeys.id, row.id));
    }
    return { keyId: row.id, tenantId: row.tenantId, prefix: row.prefix, tenantActive: row.tenantActive };
  }

  private async load(): Promise<DirectorySnapshot> {
    const startedAt = this.now();
    const version = this.version;
    const rows = await this.db
      .select({
        id: botTenants.id,
        phoneNumberId: botTenants.whatsappPhoneNumberId,
        clientPhone: botTenants.clientPhone,
        brandId: botTenants.brandId,
        source: sql<string | null>`${botTenants.metadata}->>'source'`,
        appSecret: botTenants.whatsappAppSecret,
      })
      .from(botTenants);
    const table = new TenantRoutingTable(
      rows.map((r) => ({
        id: r.id,
        phoneNumberId: r.phoneNumberId,
        phoneDigits: digitsOf(r.clientPhone),
        brandId: r.brandId,
        isEnvironmentDefault: r.source === 'environment',
      })),
      this.defaultBrandId,
    );
    // Tenants of one Meta app share its secret: each distinct secret costs one HMAC per request.
    const appSecrets = new Set(
      rows.map((r) => this.appSecretOf(r.id, r.appSecret)).filter((s): s is string => Boolean(s)),
    );
    const present = new Set(rows.map((r) => r.id));
    for (const id of this.openedSecrets.keys()) if (!present.has(id)) this.openedSecrets.delete(id);
    const snapshot = { table, appSecrets };
    if (version === this.version) {
      this.snapshot = snapshot;
      this.loadedAt = startedAt;
    }
    return snapshot;
  }

  /** Every reload reads every tenant; only a secret whose stored value changed is decrypted again. */
  private appSecretOf(tenantId: string, stored: string | null): string | null {
    if (!stored) {
      this.openedSecrets.delete(tenantId);
      return null;
    }
    const opened = this.openedSecrets.get(tenantId);
    if (opened?.stored === stored) return opened.plain;
    const plain = this.vault.revealOrNull(tenantId, 'whatsapp_app_secret', stored);
    this.openedSecrets.set(tenantId, { stored, plain });
    return plain;
  }
}
