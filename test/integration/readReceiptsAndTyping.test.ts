import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('read receipts and typing (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let shop: SeededTenant;
  let customerNo = 0;

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
    shop = await seedTenant(t, { name: 'Kassangas Music Shop' });
    await seedFaq(t, shop.id, 'What are your business hours?', 'Open 9AM-6PM.', 10, 0.95);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    t.ai.openai.recover();
    t.ai.openai.delayMs = 0;
  });

  const newCustomer = () => `2547550${String(++customerNo).padStart(5, '0')}`;
  async function say(tenant: SeededTenant, message: Record<string, unknown>): Promise<string> {
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    return String(message['id']);
  }
  const settled = (wamid: string) =>
    eventually(async () => {
      const [row] = await t.rows<{ status: string }>(
        `SELECT status FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`,
      );
      return row && row.status !== 'pending' && row.status !== 'processing' ? row : null;
    });
  /** Every Graph request about this message, in arrival order: read, typing or the reply. */
  const trail = (wamid: string) =>
    t.graph.requests.flatMap((r) => {
      if (r.body?.status === 'read' && r.body.message_id === wamid)
        return [r.body.typing_indicator ? `typing:${r.body.typing_indicator.type}` : 'read'];
      if (r.body?.type === 'text' && r.body.context?.message_id === wamid) return ['reply'];
      return [];
    });
  const presenceFor = (wamid: string) => t.graph.presenceRequests().filter((p) => p.messageId === wamid);

  it('marks every message read when the bot starts on it, before the answer goes out', async () => {
    const faq = await say(shop, textMessage(newCustomer(), 'what are your business hours'));
    expect(await settled(faq)).toEqual({ status: 'answered' });
    expect(trail(faq)).toEqual(['read', 'reply']);
    expect(presenceFor(faq)).toEqual([expect.objectContaining({ kind: 'read', phoneNumberId: shop.phoneNumberId })]);
    const request = t.graph.requests.find((r) => r.body?.status === 'read' && r.body.message_id === faq);
    expect(request?.headers.authorization).toBe(`Bearer ${shop.accessToken}`);
    expect(request?.body).toEqual({ messaging_product: 'whatsapp', status: 'read', message_id: faq });

    // A message the bot deliberately leaves unanswered is still marked read.
    const revoked = await say(shop, {
      ...textMessage(newCustomer(), ''),
      type: 'revoke',
      revoke: { original_message_id: 'wamid.x' },
    });
    expect(await settled(revoked)).toEqual({ status: 'skipped' });
    expect(trail(revoked)).toEqual(['read']);
  });

  it('shows typing only while an AI answer is prepared', async () => {
    t.ai.openai.delayMs = 150;
    const asked = await say(shop, textMessage(newCustomer(), 'Which guitar is best for a beginner?'));
    expect(await settled(asked)).toEqual({ status: 'answered' });
    const steps = trail(asked);
    expect(steps).toContain('typing:text');
    expect(steps.at(-1)).toBe('reply');
    expect(steps.filter((s) => s === 'reply')).toHaveLength(1);
    const typing = t.graph.requests.find((r) => r.body?.typing_indicator && r.body.message_id === asked);
    expect(typing?.body).toEqual({
      messaging_product: 'whatsapp',
      status: 'read',
      message_id: asked,
      typing_indicator: { type: 'text' },
    });

    // FAQ answers and notices come without the AI, so without typing.
    const sticker = await say(shop, {
      ...textMessage(newCustomer(), ''),
      type: 'sticker',
      sticker: { id: '1', mime_type: 'image/webp' },
    });
    const faq = await say(shop, textMessage(newCustomer(), 'What are your business hours?'));
    for (const wamid of [sticker, faq]) {
      expect(await settled(wamid)).toEqual({ status: 'answered' });
      expect(trail(wamid)).toEqual(['read', 'reply']);
    }
  });

  it('does neither for a tenant that switched both off, and each one on its own', async () => {
    const tenant = await seedTenant(t);
    const read = await api.call('GET', `/api/v1/tenants/${tenant.id}/settings`);
    expect(read.body).toMatchObject({ read_receipts: true, typing_indicator: true });
    const off = await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, {
      body: { read_receipts: false, typing_indicator: false },
    });
    expect(off.status, off.text).toBe(200);
    expect(off.body).toMatchObject({ read_receipts: false, typing_indicator: false });

    const asked = await say(tenant, textMessage(newCustomer(), 'Do you repair amplifiers?'));
    expect(await settled(asked)).toEqual({ status: 'answered' });
    expect(trail(asked)).toEqual(['reply']);

    const typingOnly = await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, {
      body: { typing_indicator: true },
    });
    expect(typingOnly.body).toMatchObject({ read_receipts: false, typing_indicator: true });
    const again = await say(tenant, textMessage(newCustomer(), 'Do you repair keyboards?'));
    expect(await settled(again)).toEqual({ status: 'answered' });
    expect(trail(again)).toEqual(['typing:text', 'reply']);

    const readOnly = await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, {
      body: { read_receipts: true, typing_indicator: false },
    });
    expect(readOnly.body).toMatchObject({ read_receipts: true, typing_indicator: false });
    const third = await say(tenant, textMessage(newCustomer(), 'Do you repair drums?'));
    expect(await settled(third)).toEqual({ status: 'answered' });
    expect(trail(third)).toEqual(['read', 'reply']);
  });

  it('answers all the same when the read receipt or the typing indicator fails, and tries each once', async () => {
    t.graph.failNextPresence(1, {
      status: 500,
      body: { error: { message: 'Service temporarily unavailable', code: 2, type: 'OAuthException' } },
    });
    const faq = await say(shop, textMessage(newCustomer(), 'What are your business hours?'));
    expect(await settled(faq)).toEqual({ status: 'answered' });
    expect(trail(faq)).toEqual(['read', 'reply']);

    t.ai.openai.delayMs = 100;
    t.graph.failNextPresence(2, {
      status: 400,
      body: { error: { message: 'Invalid parameter', code: 100, type: 'OAuthException' } },
    });
    const asked = await say(shop, textMessage(newCustomer(), 'Can I trade in my old guitar?'));
    expect(await settled(asked)).toEqual({ status: 'answered' });
    expect(trail(asked).filter((s) => s === 'reply')).toHaveLength(1);
    expect(
      presenceFor(asked)
        .map((p) => p.kind)
        .sort(),
    ).toEqual(['read', 'typing']);
  });

  it('refuses a switch that is not true or false, changing nothing', async () => {
    const tenant = await seedTenant(t);
    for (const body of [
      { read_receipts: 'no' },
      { typing_indicator: 0, read_receipts: false },
      { read_receipts: null },
    ]) {
      const res = await api.call('PATCH', `/api/v1/tenants/${tenant.id}/settings`, { body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error).toEqual(expect.any(String));
      expect(res.body.details).toMatch(/body\.(read_receipts|typing_indicator)/);
    }
    const now = await api.call('GET', `/api/v1/tenants/${tenant.id}/settings`);
    expect(now.body).toMatchObject({ read_receipts: true, typing_indicator: true, metadata: {} });
    const audits = await t.rows(
      `SELECT 1 FROM alphadome.audit_log WHERE bot_tenant_id = ${lit(tenant.id)} AND entity = 'settings'`,
    );
    expect(audits).toEqual([]);
  });
});
