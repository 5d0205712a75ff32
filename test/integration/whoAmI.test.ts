// GET /api/v1/me: a token learns who it is (the administrator, or its one tenant) and nothing more.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { seedTenant } from '../support/seed.js';
import { startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('who am I (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
  });
  afterAll(() => t.stop());

  it("names the administrator, and a tenant key's own tenant only", async () => {
    const mine = await seedTenant(t, { name: 'Duka la Kwanza' });
    const theirs = await seedTenant(t, { name: 'Duka la Pili' });
    const key = (await api.call('POST', `/api/v1/tenants/${mine.id}/api-keys`, { body: { name: 'dashboard' } })).body
      .key as string;

    expect((await api.call('GET', '/api/v1/me')).body).toEqual({ role: 'admin' });
    const me = await api.call('GET', '/api/v1/me', { token: key });
    expect(me.status).toBe(200);
    expect(me.body).toEqual({
      role: 'tenant',
      tenant_id: mine.id,
      tenant_name: 'Duka la Kwanza',
      platform_limits: { max_messages_per_hour: 1000, max_messages_per_user_per_day: 200 },
    });
    expect(me.text).not.toContain(theirs.id);
  });

  it("refuses a missing, wrong or revoked token with 401 and the API's error body", async () => {
    const tenant = await seedTenant(t);
    const created = (await api.call('POST', `/api/v1/tenants/${tenant.id}/api-keys`, { body: { name: 'old' } })).body;
    expect((await api.call('DELETE', `/api/v1/tenants/${tenant.id}/api-keys/${created.id}`)).status).toBe(204);
    for (const token of [null, 'adk_nope_nope', created.key as string]) {
      const res = await api.call('GET', '/api/v1/me', { token });
      expect(res.status, String(token)).toBe(401);
      expect(res.body).toEqual({ error: 'Unauthorized', details: expect.any(String) });
    }
  });
});
