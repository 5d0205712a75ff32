// X-Hub-Signature-256 is an HMAC-SHA256 of the exact request bytes with the Meta app secret.
import { createHmac, timingSafeEqual } from 'node:crypto';

const HEADER_PATTERN = /^sha256=([0-9a-f]{64})$/i;

/** True when `header` is a valid signature of `rawBody` under any of `secrets` (timing-safe). */
export function isValidSignature(rawBody: Buffer, header: string | undefined, secrets: string[]): boolean {
  const match = header ? HEADER_PATTERN.exec(header.trim()) : null;
  if (!match?.[1]) return false;
  const given = Buffer.from(match[1].toLowerCase(), 'hex');
  let valid = false;
  // Every secret is checked, so the time taken does not reveal which one matched.
  for (const secret of secrets) {
    const expected = createHmac('sha256', secret).update(rawBody).digest();
    if (timingSafeEqual(expected, given)) valid = true;
  }
  return valid;
}

export function signatureFor(rawBody: Buffer | string, secret: string): string {
  return `sha256=${createHmac('sha256', secret).update(rawBody).digest('hex')}`;
}
