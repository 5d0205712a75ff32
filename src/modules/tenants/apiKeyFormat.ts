// Tenant API keys: `adk_<8-char prefix>_<43-char base64url secret>`. Only the sha256 of the whole
// key is stored; the `adk_<prefix>` part is kept in clear so people can tell their keys apart.
import { createHash, randomBytes } from 'node:crypto';

const KEY_PATTERN = /^adk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}$/;
const PREFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

export interface GeneratedApiKey {
  /** Shown once, to whoever created it. */
  key: string;
  /** `adk_` and the 8 prefix characters: the visible part. */
  prefix: string;
  hash: string;
}

export function generateApiKey(): GeneratedApiKey {
  // Bytes from 252 (7 × 36) up are skipped so that every character is equally likely.
  const chars: string[] = [];
  while (chars.length < 8) {
    for (const byte of randomBytes(16)) {
      if (byte < 252 && chars.length < 8) chars.push(PREFIX_ALPHABET[byte % 36] as string);
    }
  }
  const prefix = `adk_${chars.join('')}`;
  const key = `${prefix}_${randomBytes(32).toString('base64url')}`;
  return { key, prefix, hash: hashApiKey(key) };
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** Cheap shape check, so random bearer strings never reach the database. */
export function isApiKeyFormat(value: string): boolean {
  return KEY_PATTERN.test(value);
}
