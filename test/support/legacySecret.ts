// A secret sealed in the former format (enc:v1), as databases written before v2 hold them:
// AES-256-GCM with only "enc:v1:<keyId>" as associated data, so it is not bound to any row.
import { createCipheriv, randomBytes } from 'node:crypto';

export function sealV1(keyId: string, key: Buffer, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: 16 });
  cipher.setAAD(Buffer.from(`enc:v1:${keyId}`, 'utf8'));
  const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
  return `enc:v1:${keyId}:${iv.toString('base64url')}:${cipher.getAuthTag().toString('base64url')}:${body.toString('base64url')}`;
}
