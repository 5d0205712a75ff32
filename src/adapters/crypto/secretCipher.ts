// Seals tenant credentials at rest: AES-256-GCM, the key id written into every stored value so
// that several keys can be in use at once while a rotation runs.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyringEntry {
  id: string;
  key: Buffer;
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

const PREFIX = 'enc:v1:';
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
      if (!KEY_ID_PATTERN.test(id)) throw new Error(`encryption key id "${id}" must be 1-64 letters, digits, "_", "." or "-"`);
      if (key.length !== 32) throw new Error(`encryption key "${id}" must be 32 bytes`);
      if (this.keys.has(id)) throw new Error(`encryption key id "${id}" appears twice`);
      this.keys.set(id, key);
    }
    this.currentKeyId = current.id;
    this.currentKey = current.key;
  }

  /** `enc:v1:<keyId>:<iv>:<tag>:<ciphertext>`, base64url parts; the header is bound as AAD. */
  encrypt(plain: string): string {
    const keyId = this.currentKeyId;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.currentKey, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(aadOf(keyId));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${keyId}:${b64(iv)}:${b64(cipher.getAuthTag())}:${b64(ciphertext)}`;
  }

  decrypt(stored: string): string {
    if (!this.isEncrypted(stored)) throw new SecretDecryptionError('the stored value is not an encrypted secret', null);
    if (!stored.startsWith(PREFIX)) throw new SecretDecryptionError('the stored secret uses an unknown format version', null);
    const parts = stored.slice(PREFIX.length).split(':');
    const [keyId, iv, tag, ciphertext] = parts;
    if (parts.length !== 4 || !keyId || iv === undefined || tag === undefined || ciphertext === undefined) {
      throw new SecretDecryptionError('the stored secret is malformed', keyId ?? null);
    }
    const key = this.keys.get(keyId);
    if (!key) {
      throw new SecretDecryptionError(`the stored secret is encrypted with key id "${keyId}", which is not in ENCRYPTION_KEYS`, keyId);
    }
    const ivBytes = Buffer.from(iv, 'base64url');
    const tagBytes = Buffer.from(tag, 'base64url');
    if (ivBytes.length !== IV_BYTES || tagBytes.length !== TAG_BYTES) {
      throw new SecretDecryptionError(`the stored secret under key id "${keyId}" is malformed`, keyId);
    }
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
      decipher.setAAD(aadOf(keyId));
      decipher.setAuthTag(tagBytes);
      return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        `the stored secret failed authentication with key id "${keyId}" (a different key under that id, or an altered value)`,
        keyId,
      );
    }
  }

  isEncrypted(value: string): boolean {
    return ENCRYPTED.test(value);
  }

  /** Plaintext, or sealed with a key other than the current one (a rotation will rewrite it). */
  needsRewrite(value: string): boolean {
    return !this.isEncrypted(value) || this.keyIdOf(value) !== this.currentKeyId;
  }

  /** The key id of an `enc:v1:` value, or null for anything else. */
  keyIdOf(value: string): string | null {
    if (!value.startsWith(PREFIX)) return null;
    return value.slice(PREFIX.length).split(':', 1)[0] || null;
  }
}

function aadOf(keyId: string): Buffer {
  return Buffer.from(`${PREFIX}${keyId}`, 'utf8');
}

function b64(bytes: Buffer): string {
  return bytes.toString('base64url');
}
