import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, type AdminClient } from '../support/adminClient.js';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { SmtpSink } from '../support/smtpSink.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const FROM = 'bot@alphadome.test';

describe.each(testEngines())('escalation, handoff and ratings (%s)', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let api: AdminClient;
  let customerNo = 0;

  beforeAll(async () => {
    smtp = new SmtpSink();
    const smtpUrl = await smtp.start();
    t = await startTestApp({ engine, env: { SMTP_URL: smtpUrl, ESCALATION_FROM: FROM, ADMIN_API_TOKEN: ADMIN_TOKEN } });
    api = adminClient(t.baseUrl);
  });
  afterAll(async () => {
    await t.stop();
    await smtp.stop();
  });
  afterEach(() => {
    for (const provider of Object.values(t.ai)) provider.recover();
  });

  const newCustomer = () => `2547330${String(++customerNo).padStart(5, '0')}`;
  async function tenantWith(settings: {
    phone?: string;
    email?: string;
    training?: boolean;
    metadata?: object;
  }): Promise<SeededTenant> {
    const tenant = await seedTenant(t, { name: `Duka ${customerNo}-${Date.now() % 1000}` });
    await t.rows(`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, escalation_phone, escalation_email, enable_training_mode, metadata)
      VALUES (${lit(tenant.id)}, ${settings.phone ? lit(settings.phone) : 'NULL'}, ${settings.email ? lit(settings.email) : 'NULL'},
              ${settings.training ? 'true' : 'false'}, ${lit(JSON.stringify(settings.metadata ?? {}))}::jsonb)`);
    return tenant;
  }
  async function say(tenant: SeededTenant, message: Record<string, unknown>): Promise<string> {
    const res = await t.postWebhook(webhookPayload({ tenant, messages: [message] }));
    expect(res.status).toBe(200);
    return String(message['id']);
  }
  const repliesTo = (wamid: string) => t.graph.sentTexts().filter((s) => s.replyTo === wamid);
  const replyTo = async (wamid: string) =>
    (await eventually(() => (repliesTo(wamid).length ? repliesTo(wamid) : null)))[0]!;
  const sentTo = (phone: string) => t.graph.requests.filter((r) => r.body?.to === phone);
  const inbound = async (wamid: string) => {
    const [row] = await t.rows<{ id: string; status: string; metadata: Record<string, unknown> }>(
      `SELECT id, status, metadata FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`,
    );
    return row;
  };
  const settled = (wamid: string) =>
    eventually(async () => {
      const row = await inbound(wamid);
      return row && row.status !== 'pending' && row.status !== 'processing' ? row : null;
    });
  const failAllAi = () => {
    t.ai.openai.failAll(500);
    t.ai.openrouter.failAll(500);
    t.ai.huggingface.failAll(500);
  };

  it('every AI provider down: the customer hears back, the person hears about it, the bot pauses until resumed', async () => {
    const escalationPhone = '254711900001';
    const tenant = await tenantWith({ phone: escalationPhone, email: 'owner@duka.test' });
    const customer = newCustomer();
    t.ai.openai.reply = 'We have drums in stock.';
    await replyTo(await say(tenant, textMessage(customer, 'Do you sell drums?')));

    failAllAi();
    const asked = await say(tenant, textMessage(customer, 'Is the red Fender still available?'));
    const answer = await replyTo(asked);
    expect(answer.body).toMatch(/sorry/i);
    expect(answer.body).toContain('A member of our team will follow up');

    const [notice] = await eventually(() => (sentTo(escalationPhone).length ? sentTo(escalationPhone) : null));
    const noticeText = String(notice?.body.text.body);
    for (const expected of [
      `+${customer}`,
      'every AI provider failed',
      'Do you sell drums?',
      'We have drums in stock.',
      'Is the red Fender still available?',
    ]) {
      expect(noticeText).toContain(expected);
    }
    const mail = await eventually(() => smtp.mails.find((m) => m.text.includes(`+${customer}`)));
    expect(mail.from).toBe(FROM);
    expect(mail.to).toEqual(['owner@duka.test']);
    expect(mail.text).toContain('every AI provider failed');
    expect(mail.text).toContain('Is the red Fender still available?');
    expect((await settled(asked)).status).toBe('answered');

    const handoffs = await api.call('GET', `/api/v1/tenants/${tenant.id}/handoffs`);
    expect(handoffs.body.data).toEqual([
      expect.objectContaining({ user_phone: customer, pause_reason: 'every AI provider failed' }),
    ]);

    t.ai.openai.recover();
    const during = await say(tenant, textMessage(customer, 'Hello? Anyone?'));
    const skipped = await settled(during);
    expect(skipped).toMatchObject({
      status: 'skipped',
      metadata: expect.objectContaining({ skip_reason: 'handed_over' }),
    });
    expect(repliesTo(during)).toEqual([]);

    const resumed = await api.call('POST', `/api/v1/tenants/${tenant.id}/handoffs/${customer}/resume`);
    expect(resumed.body).toEqual({ user_phone: customer, resumed: true });
    const audit = await api.call('GET', `/api/v1/tenants/${tenant.id}/audit`);
    expect(audit.body.data[0]).toMatchObject({ entity: 'handoff', entity_id: customer, actor: 'admin' });
    t.ai.openai.reply = 'Yes, the red Fender is here.';
    expect((await replyTo(await say(tenant, textMessage(customer, 'And now?')))).body).toBe(
      'Yes, the red Fender is here.',
    );
  });

  it('when WhatsApp refuses the notice (131047), the email still goes and the customer is told', async () => {
    const escalationPhone = '254711900002';
    const tenant = await tenantWith({
      phone: escalationPhone,
      email: 'care@duka.test',
      metadata: {
        escalation_template: { name: 'handoff_alert', language: 'en_US' },
        handoff_message: 'Mtu wetu atakupigia.',
      },
    });
    const customer = newCustomer();
    t.graph.failNext(1, {
      status: 400,
      body: { error: { message: 'Re-engagement message', type: 'OAuthException', code: 131047, fbtrace_id: 'x' } },
    });
    const asked = await say(tenant, textMessage(customer, 'I want to talk to a human'));
    expect((await replyTo(asked)).body).toBe('Mtu wetu atakupigia.');

    const [template] = sentTo(escalationPhone);
    expect(template?.body).toMatchObject({
      type: 'template',
      template: { name: 'handoff_alert', language: { code: 'en_US' } },
    });
    const parameters = (template?.body.template.components[0].parameters as { text: string }[]).map((p) => p.text);
    expect(parameters.slice(0, 3)).toEqual([
      expect.stringContaining('Duka'),
      `+${customer}`,
      'the customer asked for a person',
    ]);
    const mail = await eventually(() => smtp.mails.find((m) => m.text.includes(`+${customer}`)));
    expect(mail.text).toContain('I want to talk to a human');
    expect((await settled(asked)).status).toBe('answered');
  });

  it('with AI answers off, an unmatched question gets the "we will get back to you" text and is escalated', async () => {
    const escalationPhone = '254711900009';
    const tenant = await tenantWith({
      phone: escalationPhone,
      email: 'care@duka.test',
      metadata: { fallback_message: 'We will get back to you.' },
    });
    await t.rows(
      `UPDATE alphadome.bot_control_settings SET enable_ai_responses = false WHERE bot_tenant_id = ${lit(tenant.id)}`,
    );
    const customer = newCustomer();
    const aiCalls = t.ai.openai.requests.length;
    const asked = await say(tenant, textMessage(customer, 'Can you tune my violin on Saturday?'));
    expect((await replyTo(asked)).body).toContain('We will get back to you.');
    const mail = await eventually(() => smtp.mails.find((m) => m.text.includes(`+${customer}`)));
    expect(mail.text).toContain('AI answers are switched off and no FAQ matched');
    expect(sentTo(escalationPhone).length).toBeGreaterThan(0);
    expect(t.ai.openai.requests.length).toBe(aiCalls);
  });

  it('hears "talk to a person" in Swahili, and escalates a conversation at most once an hour', async () => {
    const escalationPhone = '254711900003';
    const tenant = await tenantWith({ phone: escalationPhone });
    const customer = newCustomer();
    expect((await replyTo(await say(tenant, textMessage(customer, 'Nataka kuongea na mtu')))).body).toContain(
      'A member of our team',
    );
    await eventually(() => sentTo(escalationPhone).length === 1);

    await api.call('POST', `/api/v1/tenants/${tenant.id}/handoffs/${customer}/resume`);
    const again = await say(tenant, textMessage(customer, 'customer care please'));
    expect((await replyTo(again)).body).toContain('A member of our team');
    await settled(again);
    expect(sentTo(escalationPhone)).toHaveLength(1);
  });

  it('escalates when a customer first crosses their daily message limit', async () => {
    const escalationPhone = '254711900004';
    const tenant = await tenantWith({ phone: escalationPhone });
    await t.rows(
      `UPDATE alphadome.bot_control_settings SET max_messages_per_user_per_day = 1 WHERE bot_tenant_id = ${lit(tenant.id)}`,
    );
    const customer = newCustomer();
    await replyTo(await say(tenant, textMessage(customer, 'Do you sell drums?')));
    await settled(await say(tenant, textMessage(customer, 'And cymbals?')));
    const [notice] = await eventually(() => (sentTo(escalationPhone).length ? sentTo(escalationPhone) : null));
    expect(String(notice?.body.text.body)).toContain("the customer's daily message limit was reached");
  });

  it('training mode: asks "Did this help?", stores 👍 replies and reactions per FAQ and model, and answers neither with the AI', async () => {
    const tenant = await tenantWith({ training: true });
    const faqId = await seedFaq(t, tenant.id, 'What are your business hours?', 'Open 9AM-6PM.', 10, 0.95);
    const customer = newCustomer();
    const faqAnswer = await replyTo(await say(tenant, textMessage(customer, 'what are your business hours')));
    expect(faqAnswer.body).toBe('Open 9AM-6PM.\n\nDid this help? Reply 👍 or 👎');

    const aiCalls = t.ai.openai.requests.length;
    const thumbs = await say(tenant, textMessage(customer, '👍'));
    expect((await replyTo(thumbs)).body).toBe('Thank you for your feedback!');
    expect(t.ai.openai.requests.length).toBe(aiCalls);

    t.ai.openai.reply = 'Try the Yamaha C40.';
    const aiAsked = await say(tenant, textMessage(customer, 'Which guitar for a beginner?'));
    await replyTo(aiAsked);
    // Meta's id is written when its answer comes back, which may be just after the fake saw the send.
    const out = await eventually(async () => {
      const [row] = await t.rows<{
        whatsapp_message_id: string | null;
      }>(`SELECT o.whatsapp_message_id FROM alphadome.bot_message_logs o
        JOIN alphadome.bot_message_logs i ON o.reply_to_log_id = i.id WHERE i.whatsapp_message_id = ${lit(aiAsked)}`);
      return row?.whatsapp_message_id ? row : null;
    });
    const reaction = {
      from: customer,
      id: `wamid.reaction-${Date.now()}`,
      timestamp: String(Math.floor(Date.now() / 1000)),
      type: 'reaction',
      reaction: { message_id: out?.whatsapp_message_id, emoji: '👎' },
    };
    const reacted = await say(tenant, reaction);
    expect(await settled(reacted)).toMatchObject({ status: 'skipped' });
    expect(repliesTo(reacted)).toEqual([]);

    const ratings = await api.call('GET', `/api/v1/tenants/${tenant.id}/ratings`);
    expect(ratings.status).toBe(200);
    expect(ratings.body).toEqual({
      by_faq: [{ training_data_id: faqId, question: 'What are your business hours?', up: 1, down: 0 }],
      by_model: [{ ai_model_used: 'openai:gpt-3.5-turbo', up: 0, down: 1 }],
    });
  });
});
