import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { SmtpSink } from '../support/smtpSink.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

interface InboundRow {
  id: string;
  status: string;
  metadata: Record<string, unknown>;
}

let messageNo = 0;

/** A customer message of any type, shaped like Meta's: `{ type, [type]: payload, ...extra }`. */
function message(
  from: string,
  type: string,
  payload?: unknown,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  messageNo += 1;
  return {
    from,
    id: `wamid.kinds-${process.pid}-${Date.now()}-${messageNo}`,
    timestamp: String(Math.floor(Date.now() / 1000)),
    type,
    ...(payload === undefined ? {} : { [type]: payload }),
    ...extra,
  };
}

describe.each(testEngines())('every kind of message (%s)', (engine) => {
  let t: TestApp;
  let smtp: SmtpSink;
  let shop: SeededTenant;
  let customerNo = 0;

  beforeAll(async () => {
    smtp = new SmtpSink();
    t = await startTestApp({ engine, env: { SMTP_URL: await smtp.start(), ESCALATION_FROM: 'bot@duka.test' } });
    shop = await seedTenant(t, { name: 'Kassangas Music Shop' });
    await seedFaq(t, shop.id, 'What are your business hours?', 'Open 9AM-6PM, Monday to Saturday.', 10, 0.95);
    await seedFaq(t, shop.id, 'Hello', 'Karibu Kassangas! How can we help?', 10, 0.95);
  });
  afterAll(async () => {
    await t.stop();
    await smtp.stop();
  });
  afterEach(() => {
    t.ai.openai.reply = 'Fake answer from openai';
  });

  const newCustomer = () => `2547440${String(++customerNo).padStart(5, '0')}`;
  async function say(tenant: SeededTenant, msg: Record<string, unknown>): Promise<string> {
    const res = await t.postWebhook(webhookPayload({ tenant, messages: [msg] }));
    expect(res.status).toBe(200);
    return String(msg['id']);
  }
  const repliesTo = (wamid: string) => t.graph.sentTexts().filter((s) => s.replyTo === wamid);
  const settled = (wamid: string) =>
    eventually(async () => {
      const [row] = await t.rows<InboundRow>(`SELECT id, status, metadata FROM alphadome.bot_message_logs
        WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`);
      return row && row.status !== 'pending' && row.status !== 'processing' ? row : null;
    });
  /** The final state of a message and the one reply it got (null when none). */
  async function outcome(wamid: string) {
    const row = await settled(wamid);
    const replies = repliesTo(wamid);
    expect(replies.length).toBeLessThanOrEqual(1);
    return {
      status: row.status,
      source: row.metadata['reply_source'] ?? null,
      reason: row.metadata['skip_reason'] ?? null,
      reply: replies[0]?.body ?? null,
    };
  }
  const lastAiQuestion = () => {
    const messages = t.ai.openai.requests.at(-1)?.body.messages as { role: string; content: string }[];
    return messages.at(-1)?.content ?? '';
  };
  async function tenantWith(settings: { phone?: string; email?: string; metadata?: object }): Promise<SeededTenant> {
    const tenant = await seedTenant(t);
    await t.rows(`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, escalation_phone, escalation_email, metadata)
      VALUES (${lit(tenant.id)}, ${settings.phone ? lit(settings.phone) : 'NULL'}, ${settings.email ? lit(settings.email) : 'NULL'},
              ${lit(JSON.stringify(settings.metadata ?? {}))}::jsonb)`);
    return tenant;
  }

  it('answers a chosen button or list row as the text the customer chose', async () => {
    const customer = newCustomer();
    const button = await say(
      shop,
      message(customer, 'interactive', {
        type: 'button_reply',
        button_reply: { id: 'hours', title: 'Business hours' },
      }),
    );
    expect(await outcome(button)).toMatchObject({
      status: 'answered',
      source: 'faq',
      reply: 'Open 9AM-6PM, Monday to Saturday.',
    });

    t.ai.openai.reply = 'The Yamaha C40 is a great first guitar.';
    const row = await say(
      shop,
      message(customer, 'interactive', {
        type: 'list_reply',
        list_reply: { id: 'g1', title: 'Beginner guitars', description: 'From KES 9,000' },
      }),
    );
    expect(await outcome(row)).toMatchObject({
      status: 'answered',
      source: 'ai',
      reply: 'The Yamaha C40 is a great first guitar.',
    });
    expect(lastAiQuestion()).toBe('Beginner guitars');

    const quick = await say(
      shop,
      message(customer, 'button', { payload: 'HOURS', text: 'What are your business hours?' }),
    );
    expect(await outcome(quick)).toMatchObject({ status: 'answered', source: 'faq' });
  });

  it('a shared location goes to the AI described, with a map link', async () => {
    const customer = newCustomer();
    t.ai.openai.reply = 'We deliver to Westlands within 2 hours.';
    const asked = await say(
      shop,
      message(customer, 'location', {
        latitude: -1.2676,
        longitude: 36.8108,
        name: 'Sarit Centre',
        address: 'Westlands, Nairobi',
      }),
    );
    expect(await outcome(asked)).toMatchObject({
      status: 'answered',
      source: 'ai',
      reply: 'We deliver to Westlands within 2 hours.',
    });
    const question = lastAiQuestion();
    expect(question).toContain('Sarit Centre, Westlands, Nairobi');
    expect(question).toContain('-1.2676, 36.8108');
    expect(question).toContain('https://www.google.com/maps/search/?api=1&query=-1.2676,36.8108');
  });

  it("a shared location gets the tenant's own location text when it has one, without the AI", async () => {
    const tenant = await tenantWith({
      metadata: { location_reply: 'Thanks! We deliver anywhere in Nairobi within the day.' },
    });
    const aiCalls = t.ai.openai.requests.length;
    const sent = await say(tenant, message(newCustomer(), 'location', { latitude: -1.29, longitude: 36.82 }));
    expect(await outcome(sent)).toMatchObject({
      status: 'answered',
      source: 'notice',
      reply: 'Thanks! We deliver anywhere in Nairobi within the day.',
    });
    expect(t.ai.openai.requests.length).toBe(aiCalls);
  });

  it('acknowledges shared contacts by name', async () => {
    const sent = await say(
      shop,
      message(newCustomer(), 'contacts', undefined, {
        contacts: [
          { name: { formatted_name: 'Chandler Bing' }, phones: [{ phone: '+1 555-555-5555' }] },
          { name: { first_name: 'Monica' } },
        ],
      }),
    );
    expect(await outcome(sent)).toMatchObject({
      status: 'answered',
      source: 'notice',
      reply: 'Thank you for sharing the contact details of Chandler Bing and Monica. We have received them.',
    });
  });

  it('acknowledges a sticker at most once an hour per conversation, and says why it stays quiet', async () => {
    const customer = newCustomer();
    const sticker = { mime_type: 'image/webp', sha256: 'x', id: '1604825680670873', animated: false };
    const first = await say(shop, message(customer, 'sticker', sticker));
    expect(await outcome(first)).toMatchObject({
      status: 'answered',
      source: 'notice',
      reply: expect.stringContaining('Thanks for the sticker'),
    });
    const second = await say(shop, message(customer, 'sticker', sticker));
    expect(await outcome(second)).toEqual({
      status: 'skipped',
      source: null,
      reason: 'a sticker was already acknowledged within the hour',
      reply: null,
    });

    // Another customer, and another kind of message, are counted on their own.
    const other = await say(shop, message(newCustomer(), 'sticker', sticker));
    expect(await outcome(other)).toMatchObject({ status: 'answered', source: 'notice' });
    const unsupported = await say(
      shop,
      message(customer, 'unsupported', { type: 'pool' }, { errors: [{ code: 131051, title: 'Message type unknown' }] }),
    );
    expect(await outcome(unsupported)).toMatchObject({
      status: 'answered',
      source: 'notice',
      reply: expect.stringContaining("can't open this kind of message"),
    });

    // A notice that never reached the customer does not count.
    const customer2 = newCustomer();
    t.graph.failNext(1, {
      status: 400,
      body: { error: { message: 'Invalid parameter', type: 'OAuthException', code: 100 } },
    });
    expect(await outcome(await say(shop, message(customer2, 'sticker', sticker)))).toMatchObject({ status: 'failed' });
    expect(await outcome(await say(shop, message(customer2, 'sticker', sticker)))).toMatchObject({
      status: 'answered',
      source: 'notice',
    });
  });

  it('treats a type nobody knows like an unsupported one', async () => {
    const customer = newCustomer();
    const first = await say(shop, message(customer, 'hologram', { id: 'h1' }));
    expect(await outcome(first)).toMatchObject({ status: 'answered', source: 'notice' });
    const second = await say(shop, message(customer, 'unsupported'));
    expect(await outcome(second)).toMatchObject({
      status: 'skipped',
      reason: 'an unsupported message was already acknowledged within the hour',
    });
    const empty = await say(
      shop,
      message(customer, 'interactive', { type: 'nfm_reply', nfm_reply: { response_json: '{}' } }),
    );
    expect(await outcome(empty)).toMatchObject({
      status: 'skipped',
      reason: 'an unsupported message was already acknowledged within the hour',
    });
  });

  it('passes an order on to the people with its items, acknowledges it, and keeps answering', async () => {
    const escalationPhone = '254711955001';
    const tenant = await tenantWith({ phone: escalationPhone, email: 'orders@duka.test' });
    const customer = newCustomer();
    const ordered = await say(
      tenant,
      message(customer, 'order', {
        catalog_id: '354160437058781',
        text: 'Deliver after 5pm',
        product_items: [
          { product_retailer_id: 'GUITAR-C40', quantity: 1, item_price: 9000, currency: 'KES' },
          { product_retailer_id: 'STRINGS', quantity: 2, item_price: 500, currency: 'KES' },
        ],
      }),
    );
    const result = await outcome(ordered);
    expect(result).toMatchObject({ status: 'answered', source: 'notice' });
    expect(result.reply).toContain('Thank you for your order!');
    expect(result.reply).toContain('1 × GUITAR-C40 (9000 KES each)');
    expect(result.reply).toContain('Total: 10000 KES');

    const notice = await eventually(() => t.graph.requests.find((r) => r.body?.to === escalationPhone));
    const text = String(notice.body.text.body);
    for (const expected of [
      `+${customer}`,
      'the customer placed an order',
      '2 × STRINGS (500 KES each)',
      'Note: Deliver after 5pm',
      'The bot keeps answering',
    ]) {
      expect(text).toContain(expected);
    }
    const mail = await eventually(() => smtp.mails.find((m) => m.text.includes(`+${customer}`)));
    expect(mail.to).toEqual(['orders@duka.test']);
    expect(mail.text).toContain('the customer placed an order');
    expect(mail.text).toContain('1 × GUITAR-C40');

    // Not a handover: the next question is answered, and a second order is passed on too.
    expect(await outcome(await say(tenant, textMessage(customer, 'What are your business hours?')))).toMatchObject({
      status: 'answered',
    });
    await say(tenant, message(customer, 'order', { product_items: [{ product_retailer_id: 'PICKS', quantity: 10 }] }));
    await eventually(() => t.graph.requests.filter((r) => r.body?.to === escalationPhone).length === 2);
  });

  it('answers an edited message by its new text, or with a notice when it has none', async () => {
    const customer = newCustomer();
    const edited = await say(
      shop,
      message(customer, 'edit', {
        original_message_id: 'wamid.original',
        message: {
          context: { id: 'M0' },
          type: 'image',
          image: { caption: 'What are your business hours?', mime_type: 'image/jpeg', id: '1234567890' },
        },
      }),
    );
    expect(await outcome(edited)).toMatchObject({
      status: 'answered',
      source: 'faq',
      reply: 'Open 9AM-6PM, Monday to Saturday.',
    });
    const bare = await say(
      shop,
      message(customer, 'edit', {
        original_message_id: 'wamid.original',
        message: { type: 'image', image: { id: '1' } },
      }),
    );
    expect(await outcome(bare)).toMatchObject({
      status: 'answered',
      source: 'notice',
      reply: expect.stringContaining('edited a message'),
    });
  });

  it('stays quiet, with a reason, on deleted messages, system messages and call permission answers', async () => {
    const customer = newCustomer();
    const revoked = await say(shop, message(customer, 'revoke', { original_message_id: 'wamid.gone' }));
    expect(await outcome(revoked)).toEqual({
      status: 'skipped',
      source: null,
      reason: 'the customer deleted a message',
      reply: null,
    });
    const system = await say(
      shop,
      message(customer, 'system', { body: 'User A changed from 1 to 2', wa_id: '2', type: 'user_changed_number' }),
    );
    expect(await outcome(system)).toEqual({
      status: 'skipped',
      source: null,
      reason: 'a system message (user_changed_number) needs no answer',
      reply: null,
    });
    const call = await say(
      shop,
      message(customer, 'interactive', {
        type: 'call_permission_reply',
        call_permission_reply: { response: 'accept' },
      }),
    );
    expect(await outcome(call)).toMatchObject({
      status: 'skipped',
      reason: 'the customer answered a call permission request',
    });
  });

  it('greets a customer who opens the chat as if they had said hello', async () => {
    const opened = await say(shop, message(newCustomer(), 'request_welcome'));
    expect(await outcome(opened)).toMatchObject({
      status: 'answered',
      source: 'faq',
      reply: 'Karibu Kassangas! How can we help?',
    });
  });

  it('records a 👍 or 👎 reaction to an answer as feedback, without answering it', async () => {
    const customer = newCustomer();
    t.ai.openai.reply = 'We have violins from KES 15,000.';
    const asked = await say(shop, textMessage(customer, 'Do you sell violins?'));
    await outcome(asked);
    const [out] = await eventually(async () => {
      const rows = await t.rows<{
        whatsapp_message_id: string | null;
      }>(`SELECT o.whatsapp_message_id FROM alphadome.bot_message_logs o
        JOIN alphadome.bot_message_logs i ON o.reply_to_log_id = i.id WHERE i.whatsapp_message_id = ${lit(asked)}`);
      return rows[0]?.whatsapp_message_id ? rows : null;
    });
    const reacted = await say(
      shop,
      message(customer, 'reaction', { message_id: out?.whatsapp_message_id, emoji: '👍' }),
    );
    expect(await outcome(reacted)).toEqual({
      status: 'skipped',
      source: null,
      reason: 'reaction recorded as feedback',
      reply: null,
    });
    const ratings = await t.rows<{ rating: number; source: string; ai_model_used: string }>(
      `SELECT rating, source, ai_model_used FROM alphadome.answer_ratings WHERE bot_tenant_id = ${lit(shop.id)} AND user_phone = ${lit(customer)}`,
    );
    expect(ratings).toEqual([{ rating: 1, source: 'reaction', ai_model_used: 'openai:gpt-3.5-turbo' }]);

    const heart = await say(shop, message(customer, 'reaction', { message_id: out?.whatsapp_message_id, emoji: '❤️' }));
    expect(await outcome(heart)).toMatchObject({ status: 'skipped', reason: 'reaction recorded as feedback' });
    const removed = await say(shop, message(customer, 'reaction', { message_id: out?.whatsapp_message_id, emoji: '' }));
    expect(await outcome(removed)).toMatchObject({ status: 'skipped', reason: 'the customer removed a reaction' });
  });

  it('formats AI Markdown for WhatsApp but sends FAQ answers verbatim', async () => {
    const tenant = await seedTenant(t);
    await seedFaq(t, tenant.id, 'Do you have a **sale**?', 'Yes: **20% off** all drums this week.', 10, 0.95);
    const customer = newCustomer();
    expect(await outcome(await say(tenant, textMessage(customer, 'Do you have a sale?')))).toMatchObject({
      source: 'faq',
      reply: 'Yes: **20% off** all drums this week.',
    });
    t.ai.openai.reply = '## Drums\n- **Pearl** kit\n- See [our shop](https://duka.example/drums_2024)';
    expect(await outcome(await say(tenant, textMessage(customer, 'Which drum kits do you have?')))).toMatchObject({
      source: 'ai',
      reply: '*Drums*\n• *Pearl* kit\n• See our shop (https://duka.example/drums_2024)',
    });
  });
});
