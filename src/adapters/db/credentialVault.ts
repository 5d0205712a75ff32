// The one place that reads and rewrites the credential columns of bot_tenants. Values are
// decrypted on the way out; plaintext (inserted by SQL), v1 values (bound to their key id only) and
// values sealed with a retired key are rewritten in place as v2, bound to their tenant and column,
// each with a conditional UPDATE so a concurrent write is never overwritten. Clear webhook verify
// tokens are replaced by their keyed hash the same way. Log lines name tenants, columns and key
// ids, never a value.
import { eq, sql } from 'drizzle-orm';
import { ConfigError } from '../../config.js';
import { SecretDecryptionError, type SecretCipher, type SecretLocation } from '../crypto/secretCipher.js';
import type { VerifyTokenHasher } from '../crypto/verifyTokenHasher.js';
import { queryRows, type AppDb } from './database.js';
import { botTenants } from './schema.js';
import { StoredVerifyTokens } from './storedVerifyTokens.js';

const SECRET_COLUMNS = [
  'whatsapp_access_token',
  'ai_api_key',
  'whatsapp_app_secret',
  'mpesa_consumer_key',
  'mpesa_consumer_secret',
  'mpesa_passkey',
] as const;
const FALLBACK = 'fallback_keys.';

export type CredentialColumn = (typeof SECRET_COLUMNS)[number] | `${typeof FALLBACK}${string}`;

/** Where a credential of bot_tenants is stored: its sealed value opens only there. */
export function credentialLocation(tenantId: string, column: CredentialColumn): SecretLocation {
  return { table: 'bot_tenants', column, tenantId };
}

export interface VaultLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  error(obj: object, msg: string): void;
}

interface StoredCredential {
  tenantId: string;
  column: CredentialColumn;
  value: string;
}

const TENANT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export class CredentialVault {
  // Background runs by tenant id ("*" = every tenant); a request during a run asks for one more.
  private readonly background = new Map<string, { again: boolean; done: Promise<void> }>();
  private closing = false;
  private readonly verifyTokens: StoredVerifyTokens;

  constructor(
    private readonly db: AppDb,
    private readonly cipher: SecretCipher,
    private readonly logger: VaultLogger,
    hasher: VerifyTokenHasher,
  ) {
    this.verifyTokens = new StoredVerifyTokens(db, hasher, logger);
  }

  /**
   * The plain value. Plaintext and v1 values are returned and queued for rewriting as v2; an
   * unreadable value (another key, altered, or copied from another tenant or column) is logged and throws.
   */
  reveal(tenantId: string, column: CredentialColumn, stored: string | null): string | null {
    if (!stored) return stored;
    if (!this.cipher.isBound(stored)) this.encryptPlaintextSoon(tenantId);
    if (!this.cipher.isEncrypted(stored)) return stored;
    try {
      return this.cipher.decrypt(stored, credentialLocation(tenantId, column));
    } catch (err) {
      if (!(err instanceof SecretDecryptionError)) throw err;
      this.logger.error(
        { tenantId, column, keyId: err.keyId, error: err.message },
        'stored credential cannot be decrypted',
      );
      throw new SecretDecryptionError(`${column} of tenant ${tenantId} cannot be decrypted: ${err.message}`, err.keyId);
    }
  }

  /** Like reveal, but an unreadable value counts as missing (it is logged). */
  revealOrNull(tenantId: string, column: CredentialColumn, stored: string | null): string | null {
    try {
      return this.reveal(tenantId, column, stored);
    } catch (err) {
      if (err instanceof SecretDecryptionError) return null;
      throw err;
    }
  }

  /** The tenant's metadata with its fallback_keys decrypted; unreadable keys are left out. */
  revealMetadata(tenantId: string, metadata: Record<string, unknown>): Record<string, unknown> {
    const fallback = metadata['fallback_keys'];
    if (!isRecord(fallback)) return metadata;
    const keys: Record<string, unknown> = {};
    for (const [provider, value] of Object.entries(fallback)) {
      const plain = typeof value === 'string' ? this.revealOrNull(tenantId, `${FALLBACK}${provider}`, value) : value;
      if (plain !== null) keys[provider] = plain;
    }
    return { ...metadata, fallback_keys: keys };
  }

  /**
   * The migration run at start and on change notifications, for one tenant or all: seals plaintext
   * credentials, rewrites v1 values as v2 (bound to tenant and column), hashes clear verify tokens.
   */
  async encryptPlaintext(tenantId?: string): Promise<{ encrypted: number }> {
    const unbound = (await this.stored(tenantId)).filter((c) => !this.cipher.isBound(c.value));
    const { rewritten } = await this.rewrite(unbound);
    return { encrypted: rewritten + (await this.verifyTokens.hashClear(tenantId)) };
  }

  /** The rotation: every value not sealed as v2 with the current key (plaintext too) is sealed with it. */
  async reencryptAll(): Promise<{ rewritten: number; unreadable: number }> {
    const stale = (await this.stored()).filter((c) => this.cipher.needsRewrite(c.value));
    const result = await this.rewrite(stale);
    await this.verifyTokens.hashClear();
    await this.verifyTokens.noteUnderOtherKeys();
    this.logger.info(
      { ...result, keyId: this.cipher.currentKeyId },
      'stored credentials re-encrypted with the current key',
    );
    return result;
  }

  /**
   * Refuses (strict) or logs a keyring that cannot open what is stored: a key id that values
   * name but the keyring lacks, or a key none of whose values authenticate (a wrong key).
   */
  async verifyKeyring(strict: boolean): Promise<void> {
    const byKey = new Map<string, StoredCredential[]>();
    for (const credential of await this.stored()) {
      const keyId = this.cipher.keyIdOf(credential.value);
      if (keyId !== null) byKey.set(keyId, [...(byKey.get(keyId) ?? []), credential]);
    }
    const unusable = [...byKey]
      .filter(([, credentials]) => !credentials.some((c) => this.opens(c)))
      .map(([keyId]) => keyId);
    if (unusable.length === 0) return;
    const message = `stored credentials are encrypted with key id(s) ${unusable.map((k) => `"${k}"`).join(', ')}, which the keyring (ENCRYPTION_KEYS) lacks or cannot open`;
    if (strict) throw new ConfigError(message);
    this.logger.error({ keyIds: unusable }, message);
  }

  /** encryptPlaintext in the background, for a change notification or a plaintext value read; a non-id means every tenant. */
  encryptPlaintextSoon(tenantIdOrAll: string): void {
    if (this.closing) return;
    const target = TENANT_ID.test(tenantIdOrAll) ? tenantIdOrAll : '*';
    const running = this.background.get(target);
    if (running) {
      running.again = true;
      return;
    }
    const run = { again: true, done: Promise.resolve() };
    this.background.set(target, run);
    run.done = (async () => {
      try {
        while (run.again) {
          run.again = false;
          await this.encryptPlaintext(target === '*' ? undefined : target);
        }
      } catch (err) {
        this.logger.error(
          { tenantId: target, error: (err as Error).message },
          'encrypting plaintext credentials failed',
        );
      } finally {
        this.background.delete(target);
      }
    })();
  }

  /** Lets background runs finish and starts no more: the database is about to close. */
  async settle(): Promise<void> {
    this.closing = true;
    while (this.background.size > 0) await Promise.all([...this.background.values()].map((r) => r.done));
  }

  private opens({ tenantId, column, value }: StoredCredential): boolean {
    try {
      this.cipher.decrypt(value, credentialLocation(tenantId, column));
      return true;
    } catch {
      return false;
    }
  }

  private async rewrite(credentials: StoredCredential[]): Promise<{ rewritten: number; unreadable: number }> {
    let rewritten = 0;
    let unreadable = 0;
    const plaintextColumns = new Map<string, string[]>();
    const legacyColumns = new Map<string, string[]>();
    for (const credential of credentials) {
      const location = credentialLocation(credential.tenantId, credential.column);
      const encrypted = this.cipher.isEncrypted(credential.value);
      let plain: string;
      try {
        plain = encrypted ? this.cipher.decrypt(credential.value, location) : credential.value;
      } catch (err) {
        unreadable += 1;
        const keyId = err instanceof SecretDecryptionError ? err.keyId : null;
        const error = err instanceof Error ? err.message : String(err);
        this.logger.error(
          { tenantId: credential.tenantId, column: credential.column, keyId, error },
          'stored credential cannot be decrypted; left as it is',
        );
        continue;
      }
      if (!(await this.replace(credential, this.cipher.encrypt(plain, location)))) continue;
      rewritten += 1;
      const noted = !encrypted ? plaintextColumns : !this.cipher.isBound(credential.value) ? legacyColumns : null;
      noted?.set(credential.tenantId, [...(noted.get(credential.tenantId) ?? []), credential.column]);
    }
    for (const [tenantId, columns] of plaintextColumns) {
      this.logger.warn({ tenantId, columns }, 'plaintext credentials found in the database; encrypted in place');
    }
    for (const [tenantId, columns] of legacyColumns) {
      this.logger.info({ tenantId, columns }, 'v1 credentials re-encrypted as v2, bound to their tenant and column');
    }
    return { rewritten, unreadable };
  }

  /** Compare-and-set: false when the value changed since it was read (that newer write wins). */
  private async replace(credential: StoredCredential, next: string): Promise<boolean> {
    const { tenantId, column, value } = credential;
    const rows = column.startsWith(FALLBACK)
      ? await queryRows(
          this.db,
          sql`UPDATE alphadome.bot_tenants
              SET metadata = jsonb_set(metadata, ARRAY['fallback_keys', ${column.slice(FALLBACK.length)}::text], to_jsonb(${next}::text))
              WHERE id = ${tenantId} AND metadata->'fallback_keys'->>${column.slice(FALLBACK.length)}::text = ${value}
              RETURNING id`,
        )
      : await queryRows(
          this.db,
          sql`UPDATE alphadome.bot_tenants SET ${sql.identifier(column)} = ${next}
              WHERE id = ${tenantId} AND ${sql.identifier(column)} = ${value} RETURNING id`,
        );
    return rows.length > 0;
  }

  /** Every non-empty credential value, of one tenant or of all. */
  private async stored(tenantId?: string): Promise<StoredCredential[]> {
    const rows = await this.db
      .select({
        id: botTenants.id,
        whatsapp_access_token: botTenants.whatsappAccessToken,
        ai_api_key: botTenants.aiApiKey,
        whatsapp_app_secret: botTenants.whatsappAppSecret,
        mpesa_consumer_key: botTenants.mpesaConsumerKey,
        mpesa_consumer_secret: botTenants.mpesaConsumerSecret,
        mpesa_passkey: botTenants.mpesaPasskey,
        fallback: sql<unknown>`${botTenants.metadata}->'fallback_keys'`,
      })
      .from(botTenants)
      .where(tenantId === undefined ? undefined : eq(botTenants.id, tenantId));
    const credentials: StoredCredential[] = [];
    for (const row of rows) {
      for (const column of SECRET_COLUMNS) {
        const value = row[column];
        if (value) credentials.push({ tenantId: row.id, column, value });
      }
      if (!isRecord(row.fallback)) continue;
      for (const [provider, value] of Object.entries(row.fallback)) {
        if (typeof value === 'string' && value)
          credentials.push({ tenantId: row.id, column: `${FALLBACK}${provider}`, value });
      }
    }
    return credentials;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
