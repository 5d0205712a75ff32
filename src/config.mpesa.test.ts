import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.js';

const PRODUCTION = { NODE_ENV: 'production', WHATSAPP_APP_SECRET: 's', ENCRYPTION_KEY: 'ab'.repeat(32) };

describe('M-Pesa settings', () => {
  it('defaults to the production Daraja, no public address and a query after 60 s', () => {
    expect(loadConfig({}).mpesa).toEqual({
      baseUrl: 'https://api.safaricom.co.ke',
      publicBaseUrl: null,
      queryAfterMs: 60_000,
      timeoutMs: 15_000,
    });
  });

  it('takes the sandbox, a public address without its trailing slash and another query delay', () => {
    const { mpesa } = loadConfig({
      MPESA_BASE_URL: 'https://sandbox.safaricom.co.ke/',
      PUBLIC_BASE_URL: 'https://bot.duka.example/',
      MPESA_QUERY_AFTER_S: '90',
    });
    expect(mpesa).toMatchObject({
      baseUrl: 'https://sandbox.safaricom.co.ke',
      publicBaseUrl: 'https://bot.duka.example',
      queryAfterMs: 90_000,
    });
  });

  it('refuses what it cannot use', () => {
    expect(() => loadConfig({ PUBLIC_BASE_URL: 'bot.duka.example' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => loadConfig({ MPESA_QUERY_AFTER_S: 'soon' })).toThrow(
      /MPESA_QUERY_AFTER_S: must be a non-negative integer/,
    );
    expect(() => loadConfig({ ...PRODUCTION, PUBLIC_BASE_URL: 'http://bot.duka.example' })).toThrow(
      /PUBLIC_BASE_URL must be an https address/,
    );
    expect(loadConfig({ ...PRODUCTION, PUBLIC_BASE_URL: 'https://bot.duka.example' }).mpesa.publicBaseUrl).toBe(
      'https://bot.duka.example',
    );
  });
});
