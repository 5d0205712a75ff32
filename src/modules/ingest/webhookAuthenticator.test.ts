import { createHmac } from 'node:crypto';
import { beforeEach, describe, expect, it, vi } from 'vitest';

// Counts every HMAC the authenticator computes, so "refused without an HMAC" is measured, not assumed.
const hmacs = vi.hoisted(() => ({ count: 0 }));
vi.mock('node:crypto', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:crypto')>();
  return {
    ...actual,
    createHmac: (...args: Parameters<typeof actual.createHmac>) => {
      hmacs.count += 1;
      return actual.createHmac(...args);
    },
  };
});

const { WebhookAuthenticator } = await import('./webhookAuthenticator.js');

const GLOBAL_SECRET = 'global-secret';
const TENANT_SECRETS = ['tenant-a', 'tenant-b', 'tenant-c'];
const body = Buffer.from('{"object":"whatsapp_business_account","entry":[]}');
// Computed once here (this module's createHmac is the counting one too), before any count is reset.
const hex = (secret: string) => createHmac('sha256', secret).update(body).digest('hex');
const GLOBAL_HEX = hex(GLOBAL_SECRET);
const GUESSED_HEX = hex('guessed');
const TENANT_B_HEX = hex('tenant-b');

describe('WebhookAuthenticator.admit', () => {
  let secretLookups = 0;
  const authenticator = new WebhookAuthenticator({
    globalAppSecret: GLOBAL_SECRET,
    allowUnsigned: false,
    directory: {
      knownAppSecrets: async () => {
        secretLookups += 1;
        return new Set(TENANT_SECRETS);
      },
      appSecretsOf: async () => [],
    },
  });
  beforeEach(() => {
    hmacs.count = 0;
    secretLookups = 0;
  });

  const malformed = [
    'sha256=zz',
    `sha1=${GLOBAL_HEX.slice(0, 40)}`,
    `sha256=${GLOBAL_HEX.slice(1)}`,
    GLOBAL_HEX,
    `sha256=${GLOBAL_HEX}0`,
    `sha256= ${GLOBAL_HEX}`,
  ];
  for (const header of malformed) {
    it(`refuses ${JSON.stringify(header.slice(0, 20))}... as malformed without an HMAC or a secret lookup`, async () => {
      expect(await authenticator.admit(body, header)).toEqual({ ok: false, failure: 'malformed' });
      expect({ hmacs: hmacs.count, secretLookups }).toEqual({ hmacs: 0, secretLookups: 0 });
    });
  }

  it('refuses a missing header without an HMAC', async () => {
    expect(await authenticator.admit(body, undefined)).toEqual({ ok: false, failure: 'missing' });
    expect(await authenticator.admit(body, '  ')).toEqual({ ok: false, failure: 'missing' });
    expect(hmacs.count).toBe(0);
  });

  it('spends one HMAC per secret on a well-formed forgery (what the per-address throttle bounds)', async () => {
    expect(await authenticator.admit(body, `sha256=${GUESSED_HEX}`)).toEqual({ ok: false, failure: 'mismatch' });
    expect(hmacs.count).toBe(1 + TENANT_SECRETS.length);
  });

  it('admits the global secret with one HMAC and a tenant secret (upper-case hex too)', async () => {
    expect(await authenticator.admit(body, `sha256=${GLOBAL_HEX}`)).toEqual({ ok: true, admission: 'global_secret' });
    expect(hmacs.count).toBe(1);
    expect(await authenticator.admit(body, `sha256=${TENANT_B_HEX.toUpperCase()}`)).toEqual({
      ok: true,
      admission: 'tenant_secret',
    });
  });
});
