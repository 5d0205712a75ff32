// A tenant set up for M-Pesa through the admin API, as an operator would: Daraja credentials
// through the credentials route, shortcode and switches through the settings route.
import { expect } from 'vitest';
import type { FakeDaraja, DarajaApp } from '../fakes/fakeDaraja.js';
import type { AdminClient } from './adminClient.js';
import { seedTenant, type SeededTenant } from './seed.js';
import type { TestApp } from './testApp.js';

let appNo = 0;

export async function mpesaTenant(
  t: TestApp,
  api: AdminClient,
  daraja: FakeDaraja,
  options: { shortcode: string; maxAmount?: number; settings?: Record<string, unknown> },
): Promise<SeededTenant & { darajaApp: DarajaApp }> {
  appNo += 1;
  const tenant = await seedTenant(t);
  const darajaApp = {
    consumerKey: `ck-${options.shortcode}-${appNo}-key`,
    consumerSecret: `cs-${options.shortcode}-${appNo}-secret`,
    shortcode: options.shortcode,
    passkey: `pk-${options.shortcode}-${appNo}-passkey`,
  };
  daraja.addApp(darajaApp);
  const credentials = await api.call('PUT', `/api/v1/tenants/${tenant.id}/credentials`, {
    body: {
      mpesa_consumer_key: darajaApp.consumerKey,
      mpesa_consumer_secret: darajaApp.consumerSecret,
      mpesa_passkey: darajaApp.passkey,
    },
  });
  expect(credentials.status, credentials.text).toBe(200);
  const settings = await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, {
    body: {
      enable_payment_flow: true,
      mpesa_shortcode: options.shortcode,
      mpesa_max_amount: options.maxAmount ?? 70_000,
      ...options.settings,
    },
  });
  expect(settings.status, settings.text).toBe(200);
  return { ...tenant, darajaApp };
}
