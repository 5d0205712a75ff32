import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { lit, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const TENANT_APP_SECRET = 'tenant-own-app-secret-7c1d';

interface LogLine {
  level: number;
  msg: string;
  tenantId?: string | null;
  messageId?: string | null;
  [key: string]: unknown;
}

describe.each(testEngines())('log lines on a message path (%s)', (engine) => {
  const raw: string[] = [];
  const lines = () => raw.map((line) => JSON.parse(line) as LogLine);
  let t: TestApp;
  let shop: SeededTenant;

  beforeAll(async () => {
    // The app's own logger configuration (levels, redaction), writing where the test can read it.
    const logger = createLogger('debug', { write: (line: string) => void raw.push(line) });
    // No global app secret: the tenant's own secret authenticates its webhooks, so it is in use.
    // Unsigned deliveries (explicitly allowed) bring the message for a number no tenant has.
    t = await startTestApp({ engine, env: { WHATSAPP_APP_SECRET: '', ALLOW_UNSIGNED_WEBHOOKS: 'true' }, logger });
    shop = await seedTenant(t, { name: 'Logging Music Shop' });
    await t.rows(
      `UPDATE alphadome.bot_tenants SET whatsapp_app_secret = ${lit(TENANT_APP_SECRET)} WHERE id = ${lit(shop.id)}`,
    );
    await t.rows(`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, escalation_phone, metadata)
      VALUES (${lit(shop.id)}, '254711555000', '{"read_receipts": false, "typing_indicator": false}'::jsonb)`);
    // Credentials inserted by SQL are sealed in the background; let that finish before the window opens.
    await eventually(async () => {
      const [row] = await t.rows<{ token: string; secret: string }>(
        `SELECT whatsapp_access_token AS token, whatsapp_app_secret AS secret FROM alphadome.bot_tenants WHERE id = ${lit(shop.id)}`,
      );
      return row?.token.startsWith('enc:') && row.secret.startsWith('enc:');
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('carries tenantId and messageId on every line from ingest to send, and never a secret or a message body', async () => {
    const asked = textMessage('254755000001', 'Which trumpet suits a beginner band player?');
    const human = textMessage('254755000002', 'I want to talk to a human please');
    const stranger = textMessage('254755000003', 'Is anyone there at the unknown shop?');
    const wamids = [String(asked['id']), String(human['id'])];
    // The first AI attempt fails (a fallback answers) and the first Graph API send is retried.
    t.ai.openai.failNext(1, { status: 500 });
    t.graph.failNext(1, { status: 503, body: { error: { message: 'Service temporarily unavailable', code: 2 } } });

    const windowStart = raw.length;
    const res = await t.postWebhook(webhookPayload({ tenant: shop, messages: [asked, human] }), {
      secret: TENANT_APP_SECRET,
    });
    expect(res.status).toBe(200);
    const unknownShop = { id: 'none', phone: '254788000999', phoneNumberId: '555000999111', accessToken: 'none' };
    expect(
      (await t.postWebhook(webhookPayload({ tenant: unknownShop, messages: [stranger] }), { secret: null })).status,
    ).toBe(200);
    const answered = () => lines().filter((l) => l.msg === 'message answered');
    await eventually(() => wamids.every((id) => answered().some((l) => l.messageId === id)));

    const window = lines().slice(windowStart);
    const about = window.filter((l) => l.messageId !== stranger['id']);
    for (const line of about) {
      expect({
        msg: line.msg,
        tenantId: line.tenantId,
        messageIdKnown: wamids.includes(String(line.messageId)),
      }).toEqual({
        msg: line.msg,
        tenantId: shop.id,
        messageIdKnown: true,
      });
    }
    const messagesOf = (id: string) => about.filter((l) => l.messageId === id).map((l) => l.msg);
    expect(messagesOf(wamids[0]!)).toEqual(
      expect.arrayContaining(['message stored', 'message claimed', 'AI provider attempt failed', 'message answered']),
    );
    expect(messagesOf(wamids[1]!)).toEqual(
      expect.arrayContaining([
        'message stored',
        'message claimed',
        'conversation escalated and handed over',
        'message answered',
      ]),
    );
    // The two are answered side by side, so either may have met the failed send.
    expect(about.filter((l) => l.msg === 'Graph API call failed, retrying')).toHaveLength(1);
    // A message no tenant owns says so on its line: tenantId null, and its own messageId.
    const unrouted = window.filter((l) => l.messageId === stranger['id']);
    expect(unrouted.map((l) => [l.msg, l.tenantId])).toEqual([
      [expect.stringMatching(/^webhook change unrouted/), null],
    ]);

    const everything = raw.join('\n');
    for (const secret of [shop.accessToken, TENANT_APP_SECRET, 'sk-tenant', 'sk-server-openrouter'])
      expect(everything).not.toContain(secret);
    for (const message of [asked, human, stranger])
      expect(everything).not.toContain((message['text'] as { body: string }).body);
  });
});
