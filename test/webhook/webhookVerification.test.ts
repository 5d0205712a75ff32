import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTenant } from '../support/seed.js';
import { TEST_VERIFY_TOKEN, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('GET /webhook verification (%s)', (engine) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(async () => {
    await t.stop();
  });

  const verify = (token: string, challenge = 'abc456') =>
    fetch(
      `${t.baseUrl}/webhook?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=${challenge}`,
    );

  it('echoes the challenge for the global token', async () => {
    const res = await verify(TEST_VERIFY_TOKEN);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('abc456');
  });

  it("accepts a tenant's own token and marks that tenant verified", async () => {
    const tenant = await seedTenant(t);
    await t.rows(
      `UPDATE alphadome.bot_tenants SET webhook_verify_token = 'tenant-token-1', is_verified = false WHERE id = '${tenant.id}'`,
    );
    const res = await verify('tenant-token-1', 'xyz');
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('xyz');
    const [row] = await t.rows<{ is_verified: boolean }>(
      `SELECT is_verified FROM alphadome.bot_tenants WHERE id = '${tenant.id}'`,
    );
    expect(row?.is_verified).toBe(true);
  });

  it("answers a wrong token with 401 and the spec's error body", async () => {
    const res = await verify('wrong');
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: 'Invalid webhook token', details: 'hub.verify_token does not match' });
  });

  it('answers a request without the hub parameters with 400', async () => {
    const res = await fetch(`${t.baseUrl}/webhook?hub.mode=unsubscribe`);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; details: string };
    expect(body.error).toBeTruthy();
    expect(body.details).toContain('hub.verify_token');
  });
});
