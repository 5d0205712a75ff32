import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

interface LogRow {
  direction: string;
  status: string;
  message_text: string | null;
  ai_response: string | null;
  ai_model_used: string | null;
  ai_processed: boolean;
  training_data_id: string | null;
  error_message: string | null;
  whatsapp_message_id: string | null;
}

describe.each(testEngines())('a message in, an answer out (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  let faqId: string;

  beforeAll(async () => {
    t = await startTestApp({ engine });
    shop = await seedTenant(t, { name: 'Kassangas Music Shop' });
    faqId = await seedFaq(
      t,
      shop.id,
      'What are your business hours?',
      'Open Monday-Friday 9AM-6PM, Saturday 10AM-4PM, Closed Sunday',
      10,
      0.95,
    );
    await t.rows(`INSERT INTO alphadome.bot_templates (bot_tenant_id, template_name, system_prompt, tone, max_response_length, is_default)
      VALUES ('${shop.id}', 'Default', 'You are a friendly customer service bot for Kassangas Music Shop.', 'friendly', 300, true)`);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    for (const provider of Object.values(t.ai)) provider.recover();
  });

  const logsFor = (wamid: string) =>
    t.rows<LogRow>(`SELECT m.* FROM alphadome.bot_message_logs m
      WHERE m.whatsapp_message_id = '${wamid}' OR m.reply_to_log_id IN (SELECT id FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${wamid}')
      ORDER BY m.seq`);
  const repliesTo = (wamid: string) => t.graph.sentTexts().filter((s) => s.replyTo === wamid);

  it('answers from the FAQ without calling any AI, and records the FAQ used', async () => {
    const customer = '254700111001';
    const message = textMessage(customer, 'what are your busines hours??');
    const aiCallsBefore = t.ai.openai.requests.length;
    const res = await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'received', message_id: message['id'] });

    const [sent] = await eventually(() =>
      repliesTo(String(message['id'])).length > 0 ? repliesTo(String(message['id'])) : null,
    );
    expect(sent).toMatchObject({
      phoneNumberId: shop.phoneNumberId,
      to: customer,
      body: expect.stringContaining('Open Monday-Friday'),
    });
    expect(sent?.authorization).toBe(`Bearer ${shop.accessToken}`);
    expect(t.ai.openai.requests.length).toBe(aiCallsBefore);

    const rows = await eventually(async () => {
      const r = await logsFor(String(message['id']));
      return r.length === 2 && r[0]?.status === 'answered' ? r : null;
    });
    expect(rows[0]).toMatchObject({ direction: 'inbound', training_data_id: faqId, ai_processed: false });
    expect(rows[1]).toMatchObject({
      direction: 'outbound',
      status: 'sent',
      training_data_id: faqId,
      whatsapp_message_id: expect.stringMatching(/^wamid\.fake-/),
    });
  });

  it("asks the tenant's AI with its template and the conversation, and records provider:model", async () => {
    const customer = '254700111002';
    t.ai.openai.reply = 'For beginners, I recommend a Yamaha C40 classical guitar.';
    const first = textMessage(customer, 'Hello there');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [first] }));
    await eventually(() => repliesTo(String(first['id'])).length === 1);
    const second = textMessage(customer, 'Can you recommend a guitar for a beginner?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [second] }));
    const [sent] = await eventually(() =>
      repliesTo(String(second['id'])).length ? repliesTo(String(second['id'])) : null,
    );
    expect(sent?.body).toBe('For beginners, I recommend a Yamaha C40 classical guitar.');

    const request = t.ai.openai.requests.at(-1);
    expect(request?.headers.authorization).toBe('Bearer sk-tenant');
    expect(request?.body.model).toBe('gpt-3.5-turbo');
    const system = String(request?.body.messages[0].content);
    expect(system).toContain('Kassangas Music Shop');
    const contents = (request?.body.messages as { content: string }[]).map((m) => m.content);
    expect(contents).toContain('Hello there');
    expect(contents.at(-1)).toBe('Can you recommend a guitar for a beginner?');

    const rows = await eventually(async () => {
      const r = await logsFor(String(second['id']));
      return r[0]?.status === 'answered' ? r : null;
    });
    expect(rows[0]).toMatchObject({ ai_processed: true, ai_model_used: 'openai:gpt-3.5-turbo' });
  });

  it('falls back OpenAI → OpenRouter → HuggingFace when providers fail', async () => {
    t.ai.openai.failAll(500);
    t.ai.openrouter.failAll(503);
    t.ai.huggingface.reply = 'Answer from HuggingFace';
    const message = textMessage('254700111003', 'Do you sell drum sticks?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const [sent] = await eventually(() =>
      repliesTo(String(message['id'])).length ? repliesTo(String(message['id'])) : null,
    );
    expect(sent?.body).toBe('Answer from HuggingFace');
    const rows = await eventually(async () => {
      const r = await logsFor(String(message['id']));
      return r[0]?.status === 'answered' ? r : null;
    });
    expect(rows[0]?.ai_model_used).toMatch(/^huggingface:/);
    expect(rows[0]?.error_message).toContain('openai');
  });

  it('apologises and logs the error when every provider fails', async () => {
    t.ai.openai.failAll(500);
    t.ai.openrouter.failAll(500);
    t.ai.huggingface.failAll(500);
    const message = textMessage('254700111004', 'Is the red Fender still available?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const [sent] = await eventually(() =>
      repliesTo(String(message['id'])).length ? repliesTo(String(message['id'])) : null,
    );
    expect(sent?.body).toMatch(/sorry/i);
    const rows = await eventually(async () => {
      const r = await logsFor(String(message['id']));
      return r[0]?.status === 'answered' ? r : null;
    });
    expect(rows[0]?.error_message).toContain('All AI providers failed');
    expect(rows[0]?.ai_model_used).toBeNull();
  });

  it('stores and answers a duplicate delivery once', async () => {
    const message = textMessage('254700111005', 'What are your business hours?');
    const payload = webhookPayload({ tenant: shop, messages: [message] });
    const responses = await Promise.all([t.postWebhook(payload), t.postWebhook(payload), t.postWebhook(payload)]);
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200]);
    await eventually(() => repliesTo(String(message['id'])).length === 1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(repliesTo(String(message['id']))).toHaveLength(1);
    const inbound = await t.rows(
      `SELECT id FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${String(message['id'])}'`,
    );
    expect(inbound).toHaveLength(1);
  });

  it('updates the outbound row from status webhooks, never backwards', async () => {
    const message = textMessage('254700111006', 'What are your business hours?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const rows = await eventually(async () => {
      const r = await logsFor(String(message['id']));
      return r[1]?.status === 'sent' ? r : null;
    });
    const wamid = String(rows[1]?.whatsapp_message_id);
    const status = (s: string) => ({
      id: wamid,
      status: s,
      timestamp: String(Math.floor(Date.now() / 1000)),
      recipient_id: '254700111006',
    });
    await t.postWebhook(webhookPayload({ tenant: shop, statuses: [status('read')] }));
    await t.postWebhook(webhookPayload({ tenant: shop, statuses: [status('delivered')] }));
    const [outbound] = await t.rows<{ status: string }>(
      `SELECT status FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${wamid}'`,
    );
    expect(outbound?.status).toBe('read');
  });

  it('splits an answer longer than 4096 characters into parts, the first threaded to the question', async () => {
    await t.rows(`UPDATE alphadome.bot_templates SET max_response_length = NULL WHERE bot_tenant_id = '${shop.id}'`);
    const long = Array.from({ length: 1500 }, (_, i) => `word${i}`).join(' ');
    t.ai.openai.reply = long;
    const message = textMessage('254700111007', 'Tell me everything about every guitar you have');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const parts = await eventually(() => {
      const sent = t.graph.sentTexts().filter((s) => s.to === '254700111007');
      return sent.join('').length > 0 && sent.map((s) => s.body).join(' ') === long ? sent : null;
    });
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) expect(part.body.length).toBeLessThanOrEqual(4096);
    expect(parts[0]?.replyTo).toBe(message['id']);
    await t.rows(`UPDATE alphadome.bot_templates SET max_response_length = 300 WHERE bot_tenant_id = '${shop.id}'`);
  });
});
