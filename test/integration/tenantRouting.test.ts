import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient } from '../support/adminClient.js';
import { seedFaq, seedTenant, textMessage, webhookPayload } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const run = promisify(execFile);

describe.each(testEngines())('routing a message to its tenant (%s)', (engine) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.stop();
    t = null;
  });

  const repliesTo = (app: TestApp, wamid: unknown) => app.graph.sentTexts().filter((s) => s.replyTo === wamid);
  const storedTenantOf = async (app: TestApp, wamid: unknown) =>
    (
      await app.rows<{ bot_tenant_id: string }>(
        `SELECT bot_tenant_id FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${String(wamid)}'`,
      )
    )[0]?.bot_tenant_id ?? null;

  it("runs the spec's Example 1 SQL verbatim and answers that tenant's FAQ without a restart", async () => {
    t = await startTestApp({ engine });
    const script = await readFile(path.resolve('test/fixtures/specExample1.sql'), 'utf8');
    if (t.database.url) {
      await run('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', t.database.url, '-f', 'test/fixtures/specExample1.sql']);
    } else {
      // PGlite has no psql; the same text goes through the server's own connection.
      await t.app.database.runScript(script);
    }
    const message = textMessage('254700333001', 'What are your business hours?');
    const payload = {
      object: 'whatsapp_business_account',
      entry: [
        {
          id: '108912345678901',
          changes: [
            {
              field: 'messages',
              value: {
                messaging_product: 'whatsapp',
                metadata: { display_phone_number: '254700123456', phone_number_id: '119202345678901' },
                contacts: [{ profile: { name: 'John Doe' }, wa_id: '254700333001' }],
                messages: [message],
              },
            },
          ],
        },
      ],
    };
    expect((await t.postWebhook(payload)).status).toBe(200);
    const app = t;
    const [sent] = await eventually(() =>
      repliesTo(app, message['id']).length ? repliesTo(app, message['id']) : null,
    );
    expect(sent).toMatchObject({
      phoneNumberId: '119202345678901',
      body: 'Open Monday-Friday 9AM-6PM, Saturday 10AM-4PM, Closed Sunday',
    });
    expect(sent?.authorization).toBe('Bearer EAAX...encrypted...');
  });

  it('routes by phone_number_id first, then by the digits of display_phone_number', async () => {
    t = await startTestApp({ engine });
    const a = await seedTenant(t, { phone: '254711000001', phoneNumberId: 'PNID-A' });
    const b = await seedTenant(t, { phone: '+254 711 000 002', phoneNumberId: 'PNID-B' });
    const toA = textMessage('254700333010', 'hi A');
    const toB = textMessage('254700333011', 'hi B');
    await t.postWebhook(webhookPayload({ tenant: { ...a, phone: '000' }, messages: [toA] }));
    await t.postWebhook(
      webhookPayload({ tenant: { ...b, phone: '254711000002', phoneNumberId: 'UNKNOWN-ID' }, messages: [toB] }),
    );
    expect(await storedTenantOf(t, toA['id'])).toBe(a.id);
    expect(await storedTenantOf(t, toB['id'])).toBe(b.id);
  });

  it('refuses a message whose two keys point to different tenants: nothing stored, nothing sent', async () => {
    t = await startTestApp({ engine });
    const a = await seedTenant(t);
    const b = await seedTenant(t);
    const message = textMessage('254700333020', 'who am I talking to?');
    const res = await t.postWebhook(webhookPayload({ tenant: { ...a, phone: b.phone }, messages: [message] }));
    expect(res.status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await storedTenantOf(t, message['id'])).toBeNull();
    expect(repliesTo(t, message['id'])).toHaveLength(0);
  });

  it('sends an unknown number to the DEFAULT_BRAND_ID tenant, or to nobody without one', async () => {
    t = await startTestApp({ engine, env: { DEFAULT_BRAND_ID: 'brand-main' } });
    const main = await seedTenant(t);
    await t.rows(`UPDATE alphadome.bot_tenants SET brand_id = 'brand-main' WHERE id = '${main.id}'`);
    const message = textMessage('254700333030', 'hello?');
    await t.postWebhook(
      webhookPayload({ tenant: { ...main, phone: '999', phoneNumberId: 'NOBODY' }, messages: [message] }),
    );
    expect(await storedTenantOf(t, message['id'])).toBe(main.id);
    await t.stop();

    t = await startTestApp({ engine });
    const lonely = await seedTenant(t);
    const lost = textMessage('254700333031', 'anyone?');
    expect(
      (
        await t.postWebhook(
          webhookPayload({ tenant: { ...lonely, phone: '999', phoneNumberId: 'NOBODY' }, messages: [lost] }),
        )
      ).status,
    ).toBe(200);
    expect(await storedTenantOf(t, lost['id'])).toBeNull();
  });

  it('finds a tenant created a moment ago even when its change notification has not arrived', async () => {
    t = await startTestApp({ engine, env: { DEFAULT_BRAND_ID: 'brand-main' } });
    const main = await seedTenant(t);
    await t.rows(`UPDATE alphadome.bot_tenants SET brand_id = 'brand-main' WHERE id = '${main.id}'`);
    // Load the routing table just before: the next message must not be judged by this copy.
    await t.postWebhook(webhookPayload({ tenant: main, messages: [textMessage('254700333060', 'warm up')] }));
    // Created without a notification, like one lost on the way: only a re-read can find it.
    await t.app.database.runScript(`
      ALTER TABLE alphadome.bot_tenants DISABLE TRIGGER bot_tenants_changed;
      INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token)
        VALUES ('Brand New Shop', '254711444555', 'PNID-NEW', 'EAAnew');
      ALTER TABLE alphadome.bot_tenants ENABLE TRIGGER bot_tenants_changed;`);
    const [fresh] = await t.rows<{ id: string }>(
      `SELECT id FROM alphadome.bot_tenants WHERE whatsapp_phone_number_id = 'PNID-NEW'`,
    );
    const message = textMessage('254700333061', 'hello new shop');
    await t.postWebhook(
      webhookPayload({
        tenant: { id: fresh?.id ?? '', phone: '254711444555', phoneNumberId: 'PNID-NEW', accessToken: 'EAAnew' },
        messages: [message],
      }),
    );
    expect(await storedTenantOf(t, message['id'])).toBe(fresh?.id);
  });

  it('serves the single-tenant settings of the environment when no tenant matches', async () => {
    t = await startTestApp({
      engine,
      env: { WHATSAPP_PHONE_NUMBER_ID: 'ENV-PNID', WHATSAPP_ACCESS_TOKEN: 'EAAenvtoken', ADMIN_API_TOKEN: ADMIN_TOKEN },
    });
    const message = textMessage('254700333040', 'hello from a single-tenant setup');
    const payload = webhookPayload({
      tenant: { id: '', phone: '254700999999', phoneNumberId: 'ENV-PNID', accessToken: '' },
      messages: [message],
    });
    expect((await t.postWebhook(payload)).status).toBe(200);
    const app = t;
    const [sent] = await eventually(() =>
      repliesTo(app, message['id']).length ? repliesTo(app, message['id']) : null,
    );
    expect(sent).toMatchObject({ phoneNumberId: 'ENV-PNID', authorization: 'Bearer EAAenvtoken' });
    const tokens = await t.rows(`SELECT id FROM alphadome.bot_tenants WHERE whatsapp_access_token = 'EAAenvtoken'`);
    expect(tokens).toHaveLength(0);

    // An administrator replacing its metadata must not turn it into an ordinary tenant without a token.
    const [envTenant] = await t.rows<{ id: string }>(
      `SELECT id FROM alphadome.bot_tenants WHERE whatsapp_phone_number_id = 'ENV-PNID'`,
    );
    const patched = await adminClient(t.baseUrl).call('PATCH', `/api/v1/tenants/${envTenant?.id}`, {
      body: { metadata: { note: 'hello' } },
    });
    expect(patched.status).toBe(200);
    const again = textMessage('254700333041', 'hello again');
    await t.postWebhook(
      webhookPayload({
        tenant: { id: '', phone: '254700999999', phoneNumberId: 'ENV-PNID', accessToken: '' },
        messages: [again],
      }),
    );
    const [resent] = await eventually(() => (repliesTo(app, again['id']).length ? repliesTo(app, again['id']) : null));
    expect(resent).toMatchObject({ phoneNumberId: 'ENV-PNID', authorization: 'Bearer EAAenvtoken' });
  });

  it("keeps two tenants apart: neither ever gets the other's FAQ answers", async () => {
    t = await startTestApp({ engine });
    const music = await seedTenant(t, { name: 'Music Shop' });
    const bakery = await seedTenant(t, { name: 'Bakery' });
    await seedFaq(t, music.id, 'What are your business hours?', 'MUSIC: 9 to 6');
    await seedFaq(t, music.id, 'Do you deliver to Mombasa?', 'MUSIC: yes, in 3 days');
    await seedFaq(t, bakery.id, 'What are your business hours?', 'BAKERY: 6 to 2');
    t.ai.openai.reply = 'AI answer';

    const ask = async (tenant: typeof music, from: string, text: string) => {
      const message = textMessage(from, text);
      await t?.postWebhook(webhookPayload({ tenant, messages: [message] }));
      const app = t as TestApp;
      return (await eventually(() => (repliesTo(app, message['id']).length ? repliesTo(app, message['id']) : null)))[0];
    };
    expect((await ask(music, '254700333050', 'what are your business hours'))?.body).toBe('MUSIC: 9 to 6');
    expect((await ask(bakery, '254700333050', 'what are your business hours'))?.body).toBe('BAKERY: 6 to 2');
    const delivery = await ask(bakery, '254700333051', 'Do you deliver to Mombasa?');
    expect(delivery?.body).toBe('AI answer');
    expect(delivery?.phoneNumberId).toBe(bakery.phoneNumberId);
    const prompt = JSON.stringify(t.ai.openai.requests.at(-1)?.body);
    expect(prompt).not.toContain('MUSIC');
    expect(prompt).toContain('Bakery');
    // The bakery's AI history holds only its own conversation, even for the same customer number.
    const history = JSON.stringify(t.ai.openai.requests.map((r) => r.body));
    expect(history).not.toContain('MUSIC: 9 to 6');
  });
});
