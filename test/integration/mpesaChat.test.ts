import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeDaraja } from '../fakes/fakeDaraja.js';
import { ADMIN_TOKEN, adminClient, uniquePhone, type AdminClient } from '../support/adminClient.js';
import { mpesaTenant } from '../support/mpesaTenant.js';
import { lit, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const PUBLIC = 'https://pay.duka.test';
let orderNo = 0;

function orderMessage(
  from: string,
  items: { id: string; quantity: number; price: number; currency?: string }[],
): Record<string, unknown> {
  orderNo += 1;
  return {
    from,
    id: `wamid.order-${process.pid}-${Date.now()}-${orderNo}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type: 'order',
    order: {
      catalog_id: '354160437058781',
      text: '',
      product_items: items.map((i) => ({
        product_retailer_id: i.id,
        quantity: i.quantity,
        item_price: i.price,
        currency: i.currency ?? 'KES',
      })),
    },
  };
}

describe.each(testEngines())('paying in the chat with M-Pesa (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let daraja: FakeDaraja;
  let shop: SeededTenant;

  beforeAll(async () => {
    daraja = new FakeDaraja();
    t = await startTestApp({
      engine,
      env: {
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        MPESA_BASE_URL: await daraja.start(),
        PUBLIC_BASE_URL: PUBLIC,
        MPESA_QUERY_AFTER_S: '600',
      },
    });
    daraja.rewriteCallbacks = { from: PUBLIC, to: t.baseUrl };
    api = adminClient(t.baseUrl);
    shop = await mpesaTenant(t, api, daraja, { shortcode: '174379', maxAmount: 20_000 });
  });
  afterAll(async () => {
    await t.stop();
    await daraja.stop();
  });

  async function say(tenant: SeededTenant, message: Record<string, unknown>): Promise<string> {
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    const wamid = String(message['id']);
    const reply = await eventually(() => t.graph.sentTexts().find((s) => s.replyTo === wamid));
    await eventually(async () => {
      const [row] = await t.rows<{ status: string }>(
        `SELECT status FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`,
      );
      return row?.status === 'answered';
    });
    return reply.body;
  }
  const payments = async (phone: string) =>
    (await api.call('GET', `/api/v1/tenants/${shop.id}/payments?phone=${phone}`)).body.data;
  const pushesTo = (phone: string) => daraja.pushes.filter((p) => p.phone === phone);

  it('an order gets its total and the offer; PAY sends the prompt for that amount to the customer; the callback confirms it', async () => {
    const customer = uniquePhone();
    const answer = await say(
      shop,
      orderMessage(customer, [
        { id: 'GUITAR', quantity: 1, price: 4000 },
        { id: 'STRINGS', quantity: 2, price: 250 },
      ]),
    );
    expect(answer).toContain('Thank you for your order');
    expect(answer).toContain('Reply PAY to get an M-Pesa prompt for KES 4,500 on this number.');
    expect(await payments(customer)).toEqual([
      expect.objectContaining({ status: 'offered', amount: 4500, source: 'order', checkout_request_id: null }),
    ]);
    expect(pushesTo(customer)).toHaveLength(0);

    const confirmed = await say(shop, textMessage(customer, 'PAY'));
    expect(confirmed).toContain('M-Pesa prompt for KES 4,500');
    const [push] = pushesTo(customer);
    expect(push).toMatchObject({ amount: 4500, phone: customer, shortcode: '174379' });
    const [pending] = await payments(customer);
    expect(pending).toMatchObject({ status: 'pending', checkout_request_id: push!.checkoutRequestId });

    await daraja.sendCallback(push!, { receipt: 'TKCHAT0001' });
    const notice = await eventually(() =>
      t.graph.sentTexts().find((s) => s.to === customer && s.body.includes('TKCHAT0001')),
    );
    expect(notice.body).toContain('KES 4,500');
    // Asked again: nothing more to pay, and nothing pushed.
    expect(await say(shop, textMessage(customer, 'lipa'))).toContain('already received');
    expect(pushesTo(customer)).toHaveLength(1);
  });

  it('a second PAY while the prompt is out does not push again', async () => {
    const customer = uniquePhone();
    await say(shop, orderMessage(customer, [{ id: 'CAPO', quantity: 1, price: 800 }]));
    await say(shop, textMessage(customer, 'Pay'));
    expect(await say(shop, textMessage(customer, 'PAY!'))).toContain('already on its way');
    expect(pushesTo(customer)).toHaveLength(1);
  });

  it('PAY in a conversation a person has taken over is theirs: no prompt, the bot stays quiet', async () => {
    const customer = uniquePhone();
    await say(shop, orderMessage(customer, [{ id: 'PICKS', quantity: 3, price: 100 }]));
    await t.rows(`UPDATE alphadome.conversations SET paused_until = now() + interval '1 hour', pause_reason = 'agent'
      WHERE bot_tenant_id = ${lit(shop.id)} AND user_phone = ${lit(customer)}`);
    const pay = textMessage(customer, 'PAY');
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages: [pay] }))).status).toBe(200);
    const skipped = await eventually(async () => {
      const [row] = await t.rows<{ status: string; reason: string | null }>(
        `SELECT status, metadata->>'skip_reason' AS reason FROM alphadome.bot_message_logs
         WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(String(pay['id']))}`,
      );
      return row?.status === 'skipped' ? row : undefined;
    });
    expect(skipped.reason).toBe('handed_over');
    expect(pushesTo(customer)).toHaveLength(0);
    expect(t.graph.sentTexts().some((s) => s.replyTo === pay['id'])).toBe(false);
    expect(await payments(customer)).toEqual([expect.objectContaining({ status: 'offered', amount: 300 })]);
  });

  it('PAY with nothing offered pushes nothing; "pay" inside a sentence is an ordinary question', async () => {
    const customer = uniquePhone();
    expect(await say(shop, textMessage(customer, 'PAY'))).toContain('no payment waiting');
    t.ai.openai.reply = 'You can pay by M-Pesa when you order.';
    expect(await say(shop, textMessage(customer, 'how do I pay for lessons?'))).toBe(
      'You can pay by M-Pesa when you order.',
    );
    expect(pushesTo(customer)).toHaveLength(0);
    expect(await payments(customer)).toEqual([]);
  });

  it('Daraja refusing the prompt: the answer to PAY says so (one message), and PAY again asks for the same amount', async () => {
    const customer = uniquePhone();
    await say(shop, orderMessage(customer, [{ id: 'DRUM', quantity: 2, price: 1200 }]));
    daraja.failNext(1, /stkpush\/v1/, 400, {
      requestId: 'r-9',
      errorCode: '400.002.02',
      errorMessage: 'Bad Request - Invalid PhoneNumber',
    });
    const refused = await say(shop, textMessage(customer, 'PAY'));
    expect(refused).toContain('did not go through');
    expect(refused).toContain('KES 2,400');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(t.graph.sentTexts().filter((s) => s.to === customer)).toHaveLength(2);
    expect(await say(shop, textMessage(customer, 'PAY'))).toContain('M-Pesa prompt for KES 2,400');
    expect(pushesTo(customer)).toEqual([expect.objectContaining({ amount: 2400 })]);
    const list = await payments(customer);
    expect(list.map((p: { status: string }) => p.status)).toEqual(['pending', 'failed']);
  });

  it('an order above the maximum, in another currency or without prices is not offered', async () => {
    const customer = uniquePhone();
    expect(await say(shop, orderMessage(customer, [{ id: 'PIANO', quantity: 1, price: 90_000 }]))).toContain(
      'above the KES 20,000',
    );
    expect(
      await say(shop, orderMessage(customer, [{ id: 'BURGER', quantity: 3, price: 30, currency: 'ILS' }])),
    ).not.toContain('Reply PAY');
    expect(await payments(customer)).toEqual([]);
  });

  it('the AI may ask for a stated price through request_payment: the customer is asked to confirm, and only PAY pushes', async () => {
    await t.rows(`INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer) VALUES
      (${lit(shop.id)}, 'faq', 'How much are guitar lessons?', 'Guitar lessons cost KES 1,800 per hour.')`);
    const customer = uniquePhone();
    const tool = (amount: number) => () => ({
      name: 'request_payment',
      arguments: JSON.stringify({ amount, description: 'Guitar lesson' }),
    });
    t.ai.openai.reply = 'Happy to book that for you.';
    t.ai.openai.toolCall = tool(1800);
    try {
      const offer = await say(shop, textMessage(customer, 'I want to pay for one guitar lesson tomorrow please'));
      const offered = t.ai.openai.requests.at(-1)?.body;
      expect(offered.tools).toEqual([
        expect.objectContaining({ type: 'function', function: expect.objectContaining({ name: 'request_payment' }) }),
      ]);
      expect(offer).toContain('Happy to book that for you.');
      expect(offer).toContain('Reply PAY to get an M-Pesa prompt for KES 1,800 on this number.');
      expect(pushesTo(customer)).toHaveLength(0);
      expect(await payments(customer)).toEqual([
        expect.objectContaining({ status: 'offered', amount: 1800, source: 'ai' }),
      ]);
      // Only the customer's own PAY sends the prompt, for the amount they were shown.
      expect(await say(shop, textMessage(customer, 'PAY'))).toContain('KES 1,800');
      expect(pushesTo(customer)).toEqual([expect.objectContaining({ amount: 1800 })]);

      // A price nobody stated, or one above the maximum, is not offered.
      const other = uniquePhone();
      t.ai.openai.toolCall = tool(1750);
      expect(await say(shop, textMessage(other, 'can I pay for a lesson at a discount'))).toContain(
        "couldn't find that price",
      );
      t.ai.openai.toolCall = tool(25_000);
      expect(await say(shop, textMessage(other, 'I want to pay for the whole year of lessons'))).toContain(
        'above the KES 20,000',
      );
      expect(await payments(other)).toEqual([]);
    } finally {
      t.ai.openai.toolCall = null;
      t.ai.openai.reply = 'Fake answer from openai';
    }
  });

  it('with enable_payment_flow off, orders are only acknowledged and PAY is an ordinary message', async () => {
    const other = await mpesaTenant(t, api, daraja, { shortcode: '174380', settings: { enable_payment_flow: false } });
    const customer = uniquePhone();
    expect(await say(other, orderMessage(customer, [{ id: 'GUITAR', quantity: 1, price: 4000 }]))).not.toContain(
      'Reply PAY',
    );
    t.ai.openai.reply = 'Sure, how can I help?';
    expect(await say(other, textMessage(customer, 'PAY'))).toBe('Sure, how can I help?');
    // No tools are offered to the AI either.
    expect(t.ai.openai.requests.at(-1)?.body.tools).toBeUndefined();
    expect(pushesTo(customer)).toHaveLength(0);
  });
});
