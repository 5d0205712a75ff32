// The one place that reads and rewrites the credential columns of bot_tenants. Values are
// decrypted on the way out; plaintext (inserted by SQL) and values sealed with a retired key are
// rewritten in place, each with a conditional UPDATE so a concurrent write is never overwritten.
// Log lines name tenants, columns and key ids, never a value.
import { eq, sql } from 'drizzle-orm';
import { ConfigError } from '../../config.js';
import { SecretDecryptionError, type SecretCipher } from '../crypto/secretCipher.js';
import { queryRows, type AppDb } from './database.js';
import { botTenants } from './schema.js';

const SECRET_COLUMNS = ['whatsapp_access_token', 'ai_api_key', 'whatsapp_app_secret'] as const;
const FALLBACK = 'fallback_keys.';

export type CredentialColumn = (typeof SECRET_COLUMNS)[number] | `${typeof FALLBACK}${string}`;

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

  constructor(
    private readonly db: AppDb,
    private readonly cipher: SecretCipher,
    private readonly logger: VaultLogger,
  ) {}

  /** The plain value. Plaintext is returned as is and queued for encryption; an unreadable value is logged and throws. */
  reveal(tenantId: string, column: CredentialColumn, stored: string | null): string | null {
    if (!stored) return stored;
    if (!this.cipher.isEncrypted(stored)) {
      this.encryptPlaintextSoon(tenantId);
      return stored;
    }
    try {
      return this.cipher.decrypt(stored);
    } catch (err) {
      if (!(err instanceof SecretDecryptionError)) throw err;
      this.logger.error({ tenantId, column, keyId: err.keyId, error: err.message }, 'stored credential cannot be decrypted');
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

  /** Seals the plaintext credentials of one tenant, or of all; warns per tenant that had any. */
  async encryptPlaintext(tenantId?: string): Promise<{ encrypted: number }> {
    const plaintext = (await this.stored(tenantId)).filter((c) => !this.cipher.isEncrypted(c.value));
    const { rewritten } = await this.rewrite(plaintext);
    return { encrypted: rewritten };
  }

  /** The rotation: every value not sealed with the current key (plaintext too) is sealed with it. */
  async reencryptAll(): Promise<{ rewritten: number; unreadable: number }> {
    const stale = (await this.stored()).filter((c) => this.cipher.needsRewrite(c.value));
    const result = await this.rewrite(stale);
    this.logger.info({ ...result, keyId: this.cipher.currentKeyId }, 'stored credentials re-encrypted with the current key');
    return result;
  }

  /**
   * Refuses (strict) or logs a keyring that cannot open what is stored: a key id that values
   * name but the keyring lacks, or a key none of whose values authenticate (a wrong key).
   */
  async verifyKeyring(strict: boolean): Promise<void> {
    const byKey = new Map<string, string[]>();
    for (const { value } of await this.stored()) {
      const keyId = this.cipher.keyIdOf(value);
      if (keyId !== null) byKey.set(keyId, [...(byKey.get(keyId) ?? []), value]);
    }
    const unusable = [...byKey].filter(([, values]) => !values.some((v) => this.opens(v))).map(([keyId]) => keyId);
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
        this.logger.error({ tenantId: target, error: (err as Error).message }, 'encrypting plaintext credentials failed');
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

  private opens(value: string): boolean {
    try {
      this.cipher.decrypt(value);
      return true;
    } catch {
      return false;
    }
  }

  private async rewrite(credentials: StoredCredential[]): Promise<{ rewritten: number; unreadable: number }> {
    let rewritten = 0;
    let unreadable = 0;
    const plaintextColumns = new Map<string, string[]>();
    for (const credential of credentials) {
      const encrypted = this.cipher.isEncrypted(credential.value);
      let plain: string;
      try {
        plain = encrypted ? this.cipher.decrypt(credential.value) : credential.value;
      } catch (err) {
        unreadable += 1;
        const keyId = err instanceof SecretDecryptionError ? err.keyId : null;
        this.logger.error({ tenantId: credential.tenantId, column: credential.column, keyId }, 'stored credential cannot be decrypted; left as it is');
        continue;
      }
      if (!(await this.replace(credential, this.cipher.encrypt(plain)))) continue;
      rewritten += 1;
      if (!encrypted) plaintextColumns.set(credential.tenantId, [...(plaintextColumns.get(credential.tenantId) ?? []), credential.column]);
    }
    for (const [tenantId, columns] of plaintextColumns) {
      this.logger.warn({ tenantId, columns }, 'plaintext credentials found in the database; encrypted in place');
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
        if (typeof value === 'string' && value) credentials.push({ tenantId: row.id, column: `${FALLBACK}${provider}`, value });
      }
    }
    return credentials;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
