import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

interface InboundRow {
  status: string;
  attempts: number;
  error_message: string | null;
}

describe.each(testEngines())('the reply queue (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  beforeAll(async () => {
    t = await startTestApp({ engine, env: { WORKER_RETRY_BASE_MS: '50', WORKER_MAX_ATTEMPTS: '3' } });
    shop = await seedTenant(t);
    await seedFaq(t, shop.id, 'What are your business hours?', 'We open at nine.');
  });
  afterAll(async () => {
    await t.stop();
  });

  const inbound = async (wamid: unknown) =>
    (
      await t.rows<InboundRow>(
        `SELECT status, attempts, error_message FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${String(wamid)}'`,
      )
    )[0];
  const sendsTo = (customer: string) => t.graph.requests.filter((r) => r.body?.to === customer);

  it("answers one conversation's messages in order, one at a time", async () => {
    const customer = '254700444001';
    t.graph.delayMs = 80;
    try {
      const messages = [1, 2, 3, 4, 5].map((i) => textMessage(customer, `question number ${i} about guitars`));
      t.ai.openai.reply = (body: { messages: { content: string }[] }) => `answer to ${body.messages.at(-1)?.content}`;
      await t.postWebhook(webhookPayload({ tenant: shop, messages }));
      const sent = await eventually(() => (sendsTo(customer).length === 5 ? sendsTo(customer) : null), 15_000);
      expect(sent.map((r) => r.body.context?.message_id)).toEqual(messages.map((m) => m['id']));
      // Each answer was asked for only after the previous one had gone out.
      for (let i = 1; i < sent.length; i++) {
        expect((sent[i]?.receivedAt ?? 0) - (sent[i - 1]?.receivedAt ?? 0)).toBeGreaterThanOrEqual(70);
      }
    } finally {
      t.graph.delayMs = 0;
      t.ai.openai.reply = 'Fake answer from openai';
    }
  });

  it('answers different conversations side by side', async () => {
    t.graph.delayMs = 400;
    try {
      const customers = ['254700444011', '254700444012', '254700444013', '254700444014'];
      const started = Date.now();
      await t.postWebhook(
        webhookPayload({
          tenant: shop,
          messages: customers.map((c) => textMessage(c, 'What are your business hours?')),
        }),
      );
      await eventually(() => customers.every((c) => sendsTo(c).length === 1), 10_000);
      const arrivals = customers.map((c) => sendsTo(c)[0]?.receivedAt ?? 0);
      // In parallel, the sends arrive together; one at a time, they would be ≥ 400 ms apart.
      expect(Math.max(...arrivals) - Math.min(...arrivals)).toBeLessThan(400);
      expect(Date.now() - started).toBeLessThan(4 * 400 + 1_000);
    } finally {
      t.graph.delayMs = 0;
    }
  });

  it('retries a send that failed on 5xx beyond the client retries, and answers once', async () => {
    const customer = '254700444021';
    // 3 attempts inside the client, then the queue retries the message.
    t.graph.failNext(4, {
      status: 500,
      body: { error: { message: 'Service temporarily unavailable', code: 2, type: 'OAuthException' } },
    });
    const message = textMessage(customer, 'What are your business hours?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const row = await eventually(async () => {
      const r = await inbound(message['id']);
      return r?.status === 'answered' ? r : null;
    }, 15_000);
    expect(row.attempts).toBe(2);
    // Four failed attempts and the one that went through.
    expect(t.graph.sentTexts().filter((s) => s.to === customer)).toHaveLength(5);
    const outbound = await t.rows<{ status: string }>(
      `SELECT status FROM alphadome.bot_message_logs WHERE direction = 'outbound' AND user_phone = '${customer}'`,
    );
    expect(outbound).toEqual([{ status: 'sent' }]);
  });

  it('gives up at once on a permanent Graph error and keeps the error', async () => {
    const customer = '254700444031';
    t.graph.failNext(1, {
      status: 400,
      body: {
        error: {
          message: 'Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { details: 'More than 24 hours have passed' },
        },
      },
    });
    const message = textMessage(customer, 'What are your business hours?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const row = await eventually(async () => {
      const r = await inbound(message['id']);
      return r?.status === 'failed' ? r : null;
    });
    expect(row.attempts).toBe(1);
    expect(row.error_message).toContain('131047');
    expect(row.error_message).toContain('More than 24 hours have passed');
    expect(sendsTo(customer)).toHaveLength(1);
  });

  it('marks a message failed after the last attempt', async () => {
    const customer = '254700444041';
    t.graph.failNext(9, { status: 503, body: 'upstream down' });
    const message = textMessage(customer, 'What are your business hours?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    const row = await eventually(async () => {
      const r = await inbound(message['id']);
      return r?.status === 'failed' ? r : null;
    }, 15_000);
    expect(row.attempts).toBe(3);
    expect(row.error_message).toContain('503');
    // A later message of the same conversation is not blocked by the failed one.
    const next = textMessage(customer, 'What are your business hours?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [next] }));
    await eventually(async () => (await inbound(next['id']))?.status === 'answered');
  });

  it('counts every claim as an attempt: a message whose last attempt never finished is failed, not processed again', async () => {
    // What a process that died mid-message leaves behind: 'processing', lease run out, no catch ran.
    const stranded = async (customer: string, attempts: number, status = 'processing') => {
      const message = textMessage(customer, 'What are your business hours?');
      await t.rows(`
        INSERT INTO alphadome.bot_message_logs (bot_tenant_id, user_phone, direction, message_text, whatsapp_message_id,
          message_type, status, attempts, lease_expires_at)
        VALUES (${lit(shop.id)}, ${lit(customer)}, 'inbound', 'What are your business hours?', ${lit(String(message['id']))},
          'text', ${lit(status)}, ${attempts}, ${status === 'processing' ? "now() - interval '1 second'" : 'NULL'})`);
      return String(message['id']);
    };
    const spentCustomer = '254700444051';
    const spent = await stranded(spentCustomer, 3);
    const behindIt = await stranded(spentCustomer, 0, 'pending');
    const lastTry = await stranded('254700444052', 2);
    const finished = async (wamid: string) => {
      const r = await inbound(wamid);
      return r && !['pending', 'processing'].includes(r.status) ? r : null;
    };

    expect(await eventually(() => finished(spent))).toEqual({
      status: 'failed',
      attempts: 3,
      error_message: 'processing did not finish after 3 attempts (the process stopped or timed out while handling it)',
    });
    expect(
      t.graph.requests.filter((r) => r.body?.context?.message_id === spent || r.body?.message_id === spent),
    ).toEqual([]);
    // The conversation goes on behind it, and a message with one attempt left gets it.
    expect(await eventually(() => finished(behindIt))).toMatchObject({ status: 'answered', attempts: 1 });
    expect(await eventually(() => finished(lastTry))).toMatchObject({ status: 'answered', attempts: 3 });
    expect(t.graph.sentTexts().filter((s) => s.replyTo === behindIt || s.replyTo === lastTry)).toHaveLength(2);
  });
});
