import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { sealV1 as sealLegacy } from '../../../test/support/legacySecret.js';
import { SecretCipher, SecretDecryptionError, type SecretLocation } from './secretCipher.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const SECRET = 'EAAX-very-secret-token';
const TENANT_A = '6f1c2a9e-0b1d-4c5e-8f00-0000000000aa';
const TENANT_B = '6f1c2a9e-0b1d-4c5e-8f00-0000000000bb';
const at: SecretLocation = { table: 'bot_tenants', column: 'whatsapp_access_token', tenantId: TENANT_A };

const sealV1 = (entry: { id: string; key: Buffer }, plain: string) => sealLegacy(entry.id, entry.key, plain);

function decryptError(cipher: SecretCipher, stored: string): SecretDecryptionError {
  try {
    cipher.decrypt(stored, at);
  } catch (err) {
    if (err instanceof SecretDecryptionError) return err;
    throw err;
  }
  throw new Error('decrypt did not throw');
}

describe('SecretCipher', () => {
  it('round-trips, with the key id in the value and a fresh IV each time', () => {
    const cipher = new SecretCipher([k1]);
    const a = cipher.encrypt(SECRET, at);
    const b = cipher.encrypt(SECRET, at);
    expect(a).toMatch(/^enc:v2:k1:[A-Za-z0-9_-]{16}:[A-Za-z0-9_-]{22}:[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain(SECRET);
    expect(cipher.decrypt(a, at)).toBe(SECRET);
    expect(cipher.decrypt(cipher.encrypt('', at), at)).toBe('');
    expect(cipher.decrypt(cipher.encrypt('ñ ✓ 日本', at), at)).toBe('ñ ✓ 日本');
    expect(cipher.keyIdOf(a)).toBe('k1');
    expect(cipher.keyIdOf('EAAX-plain')).toBeNull();
  });

  it('encrypts with the first key and decrypts with any key of the ring', () => {
    const old = new SecretCipher([k1]).encrypt(SECRET, at);
    const rotated = new SecretCipher([k2, k1]);
    expect(rotated.currentKeyId).toBe('k2');
    expect(rotated.decrypt(old, at)).toBe(SECRET);
    expect(rotated.keyIdOf(rotated.encrypt(SECRET, at))).toBe('k2');
  });

  it('names the unknown key id, never the value', () => {
    const stored = new SecretCipher([k1]).encrypt(SECRET, at);
    const error = decryptError(new SecretCipher([k2]), stored);
    expect(error.keyId).toBe('k1');
    expect(error.message).toContain('"k1"');
    expect(error.message).not.toContain(SECRET);
    expect(error.message).not.toContain(stored);
  });

  it('refuses a wrong key under the same id, and any altered part', () => {
    const cipher = new SecretCipher([k1]);
    const stored = cipher.encrypt(SECRET, at);
    expect(decryptError(new SecretCipher([{ id: 'k1', key: randomBytes(32) }]), stored).message).toMatch(
      /authentication.*"k1"/,
    );
    const parts = stored.split(':');
    for (const index of [3, 4, 5]) {
      const altered = [...parts];
      const part = altered[index] ?? '';
      altered[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
      expect(() => cipher.decrypt(altered.join(':'), at)).toThrow(SecretDecryptionError);
    }
    expect(() => cipher.decrypt('enc:v1:k1:short', at)).toThrow(/malformed/);
    expect(() => cipher.decrypt('enc:v9:k1:a:b:c', at)).toThrow(/format version/);
    expect(() => cipher.decrypt(SECRET, at)).toThrow(SecretDecryptionError);
  });

  it('binds the key id as associated data: relabelling a value to another id fails', () => {
    // Two ids, one key: only the AAD tells them apart.
    const cipher = new SecretCipher([k1, { id: 'k1-copy', key: k1.key }]);
    const relabelled = cipher.encrypt(SECRET, at).replace('enc:v2:k1:', 'enc:v2:k1-copy:');
    expect(() => cipher.decrypt(relabelled, at)).toThrow(/authentication.*"k1-copy"/);
  });

  it("binds the table, column and tenant: a value copied to another tenant's row or another column fails", () => {
    const cipher = new SecretCipher([k1]);
    const stored = cipher.encrypt(SECRET, at);
    expect(() => cipher.decrypt(stored, { ...at, tenantId: TENANT_B })).toThrow(
      /authentication.*copied from another tenant or column/,
    );
    expect(() => cipher.decrypt(stored, { ...at, column: 'ai_api_key' })).toThrow(SecretDecryptionError);
    expect(() => cipher.decrypt(stored, { ...at, table: 'other_table' })).toThrow(SecretDecryptionError);
    expect(cipher.decrypt(stored, at)).toBe(SECRET);
  });

  it('still opens v1 values (for the migration), and counts them as needing a rewrite', () => {
    const cipher = new SecretCipher([k1]);
    const legacy = sealV1(k1, SECRET);
    expect(cipher.isEncrypted(legacy)).toBe(true);
    expect(cipher.isBound(legacy)).toBe(false);
    expect(cipher.needsRewrite(legacy)).toBe(true);
    expect(cipher.keyIdOf(legacy)).toBe('k1');
    expect(cipher.decrypt(legacy, at)).toBe(SECRET);
    expect(() => cipher.decrypt(legacy.replace('enc:v1:k1:', 'enc:v1:k2:'), at)).toThrow(/"k2"/);
    expect(() => new SecretCipher([{ id: 'k1', key: randomBytes(32) }]).decrypt(legacy, at)).toThrow(/authentication/);
  });

  it('tells plaintext and values under an older key from current ones', () => {
    const old = new SecretCipher([k1]).encrypt(SECRET, at);
    const cipher = new SecretCipher([k2, k1]);
    expect(cipher.isEncrypted(old)).toBe(true);
    expect(cipher.isEncrypted('EAAX...encrypted...')).toBe(false);
    expect(cipher.needsRewrite('EAAX...encrypted...')).toBe(true);
    expect(cipher.needsRewrite(old)).toBe(true);
    expect(cipher.needsRewrite(cipher.encrypt(SECRET, at))).toBe(false);
  });

  it('refuses a keyring that cannot work', () => {
    expect(() => new SecretCipher([])).toThrow(/empty/);
    expect(() => new SecretCipher([{ id: 'short', key: randomBytes(16) }])).toThrow(/32 bytes/);
    expect(() => new SecretCipher([k1, { id: 'k1', key: randomBytes(32) }])).toThrow(/twice/);
    expect(() => new SecretCipher([{ id: 'a:b', key: randomBytes(32) }])).toThrow(/key id/);
  });
});
