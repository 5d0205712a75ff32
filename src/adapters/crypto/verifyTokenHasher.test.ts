import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { VerifyTokenHasher } from './verifyTokenHasher.js';

const k1 = { id: 'k1', key: randomBytes(32) };
const k2 = { id: 'k2', key: randomBytes(32) };
const TOKEN = 'meta-verify-token-2024';

describe('VerifyTokenHasher', () => {
  it('hashes deterministically under the current key, without the token in the result', () => {
    const hasher = new VerifyTokenHasher([k1]);
    const stored = hasher.hash(TOKEN);
    expect(stored).toMatch(/^hmac:v1:k1:[A-Za-z0-9_-]{43}$/);
    expect(stored).toBe(hasher.hash(TOKEN));
    expect(stored).not.toContain(TOKEN);
    expect(hasher.hash(`${TOKEN}x`)).not.toBe(stored);
    expect(hasher.isHashed(stored)).toBe(true);
    expect(hasher.isHashed(TOKEN)).toBe(false);
  });

  it('is keyed: another encryption key gives another hash, so a dump alone cannot check guesses', () => {
    expect(new VerifyTokenHasher([k1]).hash(TOKEN).split(':')[3]).not.toBe(
      new VerifyTokenHasher([{ id: 'k1', key: randomBytes(32) }]).hash(TOKEN).split(':')[3],
    );
  });

  it('recognises a hash made under an older key of the ring, current key first', () => {
    const old = new VerifyTokenHasher([k1]).hash(TOKEN);
    const rotated = new VerifyTokenHasher([k2, k1]);
    expect(rotated.candidates(TOKEN)).toEqual([rotated.hash(TOKEN), old]);
    expect(rotated.hash(TOKEN)).toMatch(/^hmac:v1:k2:/);
  });
});
