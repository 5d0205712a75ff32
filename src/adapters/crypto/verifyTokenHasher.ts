// Webhook verify tokens are stored as a keyed hash, never in clear. GET /webhook looks a tenant up
// by the token Meta presents, so the stored form must be deterministic (equality and the column's
// uniqueness still work) and cannot be encrypted with a random IV. A plain SHA-256 of a short,
// human-chosen token could be reversed by guessing from a database dump; HMAC-SHA256 with a pepper
// derived from the encryption key (which is never in the database) cannot be checked offline.
//
// `hmac:v1:<keyId>:<base64url digest>`. The key id says which pepper made it: while a rotation runs
// a token hashed under the previous key still verifies, and is re-hashed under the current key the
// next time it is presented. A hash cannot be re-hashed without its token, so a rotation cannot
// rewrite it; a tenant whose token was hashed under a key that is later removed sets it again.
import { createHmac, hkdfSync } from 'node:crypto';
import type { KeyringEntry } from './secretCipher.js';

const PREFIX = 'hmac:v1:';
// Domain separation: the same encryption key never doubles as the HMAC key itself.
const HKDF_INFO = 'alphadome webhook_verify_token v1';

export class VerifyTokenHasher {
  private readonly peppers: { id: string; pepper: Buffer }[];
  private readonly current: { id: string; pepper: Buffer };

  /** The first key hashes; every key's hash is recognised. */
  constructor(keyring: readonly KeyringEntry[]) {
    if (keyring.length === 0) throw new Error('the encryption keyring is empty');
    this.peppers = keyring.map(({ id, key }) => ({
      id,
      pepper: Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), HKDF_INFO, 32)),
    }));
    [this.current] = this.peppers as [{ id: string; pepper: Buffer }];
  }

  /** The stored form of a token, under the current key. */
  hash(token: string): string {
    return this.hashWith(this.current, token);
  }

  /** Every stored form the token may have: one per key of the ring, the current key first. */
  candidates(token: string): string[] {
    return this.peppers.map((p) => this.hashWith(p, token));
  }

  isHashed(value: string): boolean {
    return value.startsWith(PREFIX);
  }

  /** True for a hash made under a key other than the current one (older, or no longer in the ring). */
  isUnderOtherKey(value: string): boolean {
    return this.isHashed(value) && !value.startsWith(`${PREFIX}${this.current.id}:`);
  }

  private hashWith({ id, pepper }: { id: string; pepper: Buffer }, token: string): string {
    return `${PREFIX}${id}:${createHmac('sha256', pepper).update(token, 'utf8').digest('base64url')}`;
  }
}
