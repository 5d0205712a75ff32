// X-Hub-Signature-256 is an HMAC-SHA256 of the exact request bytes with the Meta app secret.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { setImmediate as nextTurn } from 'node:timers/promises';

const HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/i;
/** One HMAC of a 3 MB body takes a few milliseconds: larger bodies let other requests in between secrets. */
const YIELD_ABOVE_BYTES = 64 * 1024;

/** True when `header` is a valid signature of `rawBody` under any of `secrets` (timing-safe). */
export function isValidSignature(rawBody: Buffer, header: string | undefined, secrets: string[]): boolean {
  const given = digestOf(header);
  if (!given) return false;
  let valid = false;
  // Every secret is checked, so the time taken does not reveal which one matched.
  for (const secret of secrets) {
    if (timingSafeEqual(hmacOf(rawBody, secret), given)) valid = true;
  }
  return valid;
}

/**
 * True when `header` is a valid signature under one of `secrets`, which may be many: it stops at
 * the first match (which of them matched is no secret worth keeping: the answer reveals that a
 * secret did) and gives the event loop a turn between secrets when the body is large.
 */
export async function isSignedByAny(
  rawBody: Buffer,
  header: string | undefined,
  secrets: Iterable<string>,
): Promise<boolean> {
  const given = digestOf(header);
  if (!given) return false;
  const yields = rawBody.length > YIELD_ABOVE_BYTES;
  for (const secret of secrets) {
    if (timingSafeEqual(hmacOf(rawBody, secret), given)) return true;
    if (yields) await nextTurn();
  }
  return false;
}

/** True when `header` has the shape sha256=<64 hex>: anything else is refused without an HMAC. */
export function isWellFormedSignature(header: string | undefined): boolean {
  return digestOf(header) !== null;
}

/** The 32 bytes a well-formed header carries; null for a missing or malformed one. */
function digestOf(header: string | undefined): Buffer | null {
  const match = header ? HEADER_PATTERN.exec(header.trim()) : null;
  return match?.[1] ? Buffer.from(match[1].toLowerCase(), 'hex') : null;
}

function hmacOf(rawBody: Buffer, secret: string): Buffer {
  return createHmac('sha256', secret).update(rawBody).digest();
}

export function signatureFor(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
