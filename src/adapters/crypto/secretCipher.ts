// Seals tenant credentials at rest: AES-256-GCM, the key id written into every stored value so
// that several keys can be in use at once while a rotation runs. A v2 value is also bound to where
// it is stored (table, column, tenant id) as associated data: copied to another tenant's row or to
// another column, it fails authentication instead of handing one tenant another's token.
// v1 values (key id only) are still read, so that the start-up migration can rewrite them as v2.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyringEntry {
  id: string;
  key: Buffer;
}

/** Where a sealed value is stored; it opens only there. */
export interface SecretLocation {
  table: string;
  column: string;
  tenantId: string;
}

/** A stored secret cannot be read. The message names the key id, never the value. */
export class SecretDecryptionError extends Error {
  override name = 'SecretDecryptionError';
  constructor(
    message: string,
    readonly keyId: string | null,
  ) {
    super(message);
  }
}

const PREFIX = 'enc:v2:';
const LEGACY_PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;
// Any "enc:vN:" counts as encrypted, so a value from a newer format is never sealed a second time.
const ENCRYPTED = /^enc:v\d+:/;
export const KEY_ID_PATTERN = /^[A-Za-z0-9_.-]{1,64}$/;

export class SecretCipher {
  private readonly keys = new Map<string, Buffer>();
  private readonly currentKey: Buffer;
  readonly currentKeyId: string;

  /** The first entry encrypts; every entry decrypts. */
  constructor(keyring: readonly KeyringEntry[]) {
    const [current] = keyring;
    if (!current) throw new Error('the encryption keyring is empty');
    for (const { id, key } of keyring) {
      if (!KEY_ID_PATTERN.test(id))
        throw new Error(`encryption key id "${id}" must be 1-64 letters, digits, "_", "." or "-"`);
      if (key.length !== 32) throw new Error(`encryption key "${id}" must be 32 bytes`);
      if (this.keys.has(id)) throw new Error(`encryption key id "${id}" appears twice`);
      this.keys.set(id, key);
    }
    this.currentKeyId = current.id;
    this.currentKey = current.key;
  }

  /** `enc:v2:<keyId>:<iv>:<tag>:<ciphertext>`, base64url parts; key id and location are bound as AAD. */
  encrypt(plain: string, location: SecretLocation): string {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(boundAad(keyId, location));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${keyId}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ciphertext)}`;
  }

  /** Opens a v2 value stored at `location` (anywhere else fails), or a legacy v1 value. */
  decrypt(stored: string, location: SecretLocation): string {
    if (!this.isEncrypted(stored)) throw new SecretDecryptionError('the stored value is not an encrypted secret', null);
    const prefix = stored.startsWith(PREFIX) ? PREFIX : stored.startsWith(LEGACY_PREFIX) ? LEGACY_PREFIX : null;
    if (prefix === null) throw new SecretDecryptionError('the stored secret uses an unknown format version', null);
    const parts = stored.slice(prefix.length).split(':');
    const [keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 4 || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SecretDecryptionError('the stored secret is malformed', keyId ?? null);
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(
        `the stored secret is encrypted with key id "${keyId}", which is not in ENCRYPTION_KEYS`,
        keyId,
      );
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new SecretDecryptionError(`the stored secret under key id "${keyId}" is malformed`, keyId);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(prefix === PREFIX ? boundAad(keyId, location) : Buffer.from(`${LEGACY_PREFIX}${keyId}`, 'utf8'));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        `the stored secret failed authentication with key id "${keyId}" (a different key under that id, an altered value, or a value copied from another tenant or column)`,
        keyId,
      );
    }
  }

  isEncrypted(value: string): boolean {
    return ENCRYPTED.test(value);
  }

  /** Sealed in the current format (v2, bound to its location); plaintext and v1 values are not. */
  isBound(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** Plaintext, v1, or sealed with a key other than the current one (a rotation will rewrite it). */
  needsRewrite(value: string): boolean {
    return !this.isBound(value) || this.keyIdOf(value) !== this.currentKeyId;
  }

  /** The key id of an `enc:v2:` or `enc:v1:` value, or null for anything else. */
  keyIdOf(value: string): string | null {
    const prefix = value.startsWith(PREFIX) ? PREFIX : value.startsWith(LEGACY_PREFIX) ? LEGACY_PREFIX : null;
    if (prefix === null) return null;
    return value.slice(prefix.length).split(':', 1)[0] || null;
  }
}

/** "v2|keyId|table|column|tenantId": no part can hold "|" (key ids, our names, UUIDs), so the text is unambiguous. */
function boundAad(keyId: string, { table, column, tenantId }: SecretLocation): Buffer {
  return Buffer.from(['v2', keyId, table, column, tenantId].join('|'), 'utf8');
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}
