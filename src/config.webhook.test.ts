import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

const production = { NODE_ENV: 'production', WHATSAPP_APP_SECRET: 's', ENCRYPTION_KEY: 'ab'.repeat(32) } as const;

describe('webhook and HTTP settings', () => {
  it('default to signed webhooks only, 1000 items, 10 s for headers and 30 s for a request', () => {
    const config = loadConfig({});
    expect(config.webhook).toEqual({
      allowUnsigned: false,
      maxItems: 1_000,
      signatureFailures: { burst: 20, windowMs: 60_000 },
    });
    expect(config.http).toEqual({ requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 });
  });

  it('read every setting; the headers limit never exceeds the request limit', () => {
    const config = loadConfig({
      ALLOW_UNSIGNED_WEBHOOKS: 'true',
      WEBHOOK_MAX_ITEMS: '50',
      HTTP_REQUEST_TIMEOUT_MS: '5000',
      HTTP_HEADERS_TIMEOUT_MS: '8000',
    });
    expect(config.webhook).toMatchObject({ allowUnsigned: true, maxItems: 50 });
    expect(config.http).toEqual({ requestTimeoutMs: 5_000, headersTimeoutMs: 5_000 });
  });

  it('refuse ALLOW_UNSIGNED_WEBHOOKS=true in production, and values that are not a plain true or false', () => {
    expect(() => loadConfig({ ...production })).not.toThrow();
    expect(() => loadConfig({ ...production, ALLOW_UNSIGNED_WEBHOOKS: 'true' })).toThrow(
      /ALLOW_UNSIGNED_WEBHOOKS=true is for development only/,
    );
    expect(() => loadConfig({ ALLOW_UNSIGNED_WEBHOOKS: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ HTTP_REQUEST_TIMEOUT_MS: '30s' })).toThrow(/HTTP_REQUEST_TIMEOUT_MS/);
  });
});
