import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient, type CallOptions } from '../support/adminClient.js';
import { lit, seedTenant, textMessage, webhookPayload } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

// The settings body's metadata is checked by the same definitions the worker reads it with.
describe.each(testEngines())('tenant settings: one schema for the admin API and the worker (%s)', (engine) => {
  let t: TestApp;
  let client: AdminClient;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    client = adminClient(t.baseUrl);
  }, 60_000);
  const api = (method: string, path: string, options?: CallOptions) => client.call(method, `/api/v1${path}`, options);
  afterAll(async () => t?.stop());

  const settingsRow = async (tenantId: string) =>
    (
      await t.rows<{ metadata: Record<string, unknown>; updated_at: string }>(
        `SELECT metadata, updated_at::text FROM alphadome.bot_control_settings WHERE bot_tenant_id = ${lit(tenantId)}`,
      )
    )[0];
  const audits = async (tenantId: string) =>
    Number(
      (
        await t.rows<{ n: number }>(
          `SELECT count(*)::int AS n FROM alphadome.audit_log WHERE bot_tenant_id = ${lit(tenantId)} AND entity = 'settings'`,
        )
      )[0]?.n,
    );

  it.each([
    ['handoff_hours', -1],
    ['handoff_hours', '24'],
    ['escalation_template', 'handoff_alert'],
    ['escalation_template', { language: 'en' }],
    ['sticker_reply', ''],
    ['order_reply', 42],
    ['rate_limit_message', 'too long'.repeat(600)],
    ['read_receipts', 'no'],
    ['typing_indicator', 0],
    ['faq_threshold', 1.5],
    ['location_reply', ['Nairobi']],
    ['mpesa_shortcode', 'abc'],
    ['mpesa_max_amount', 0],
  ])('refuses metadata.%s = %s with 400, naming the key, and writes nothing', async (key, value) => {
    const tenant = await seedTenant(t);
    const ok = await api('PUT', `/tenants/${tenant.id}/settings`, {
      body: { metadata: { handoff_message: 'We will call.' } },
    });
    expect(ok.status, ok.text).toBe(200);
    const before = await settingsRow(tenant.id);
    for (const method of ['PUT', 'PATCH']) {
      const res = await api(method, `/tenants/${tenant.id}/settings`, {
        body: { max_messages_per_hour: 7, metadata: { [key]: value } },
      });
      expect(res.status, res.text).toBe(400);
      expect(res.body).toEqual({ error: expect.any(String), details: expect.stringContaining(key) });
    }
    expect(await settingsRow(tenant.id)).toEqual(before);
    expect((await api('GET', `/tenants/${tenant.id}/settings`)).body.max_messages_per_hour).toBe(100);
    expect(await audits(tenant.id)).toBe(1);
  });

  it('keeps custom keys, removes a key set to null, and the worker answers with what was stored', async () => {
    const tenant = await seedTenant(t);
    const res = await api('PATCH', `/tenants/${tenant.id}/settings`, {
      body: {
        metadata: {
          sticker_reply: 'Nice sticker! Type your question, please.',
          shop_hours: 'all day',
          handoff_hours: 2,
        },
      },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.body.metadata).toEqual({
      sticker_reply: 'Nice sticker! Type your question, please.',
      shop_hours: 'all day',
      handoff_hours: 2,
    });
    const cleared = await api('PATCH', `/tenants/${tenant.id}/settings`, {
      body: { metadata: { handoff_hours: null } },
    });
    expect(cleared.body.metadata).toEqual({
      sticker_reply: 'Nice sticker! Type your question, please.',
      shop_hours: 'all day',
    });

    const sticker: Record<string, unknown> = {
      ...textMessage('254711000111', ''),
      type: 'sticker',
      sticker: { id: '1', mime_type: 'image/webp' },
    };
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [sticker] }))).status).toBe(200);
    const sent = await eventually(() => t.graph.requests.find((r) => r.body?.context?.message_id === sticker['id']));
    expect(sent.body.text.body).toBe('Nice sticker! Type your question, please.');
  });

  it('reads a bad value stored by SQL as its default: replies never stop over it', async () => {
    const tenant = await seedTenant(t);
    await t.rows(`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, metadata)
      VALUES (${lit(tenant.id)}, ${lit(JSON.stringify({ sticker_reply: '   ', read_receipts: 'sometimes' }))}::jsonb)`);
    const sticker: Record<string, unknown> = {
      ...textMessage('254711000112', ''),
      type: 'sticker',
      sticker: { id: '2', mime_type: 'image/webp' },
    };
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [sticker] }))).status).toBe(200);
    const sent = await eventually(() => t.graph.requests.find((r) => r.body?.context?.message_id === sticker['id']));
    expect(sent.body.text.body).toMatch(/^Thanks for the sticker!/);
    expect(t.graph.requests.some((r) => r.body?.status === 'read' && r.body.message_id === sticker['id'])).toBe(true);
  });
});
