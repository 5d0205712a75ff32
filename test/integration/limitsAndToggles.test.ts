import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RATE_LIMIT_NOTICE } from '../../src/modules/replies/messageControls.js';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { createTestDatabase, testEngines } from '../support/testDatabase.js';

const HOURS_ANSWER = 'Open Monday-Friday 9AM-6PM';
const HOURS_QUESTION = 'What are your business hours?';

interface InboundRow {
  status: string;
  message_text: string | null;
  ai_response: string | null;
  error_message: string | null;
  skip_reason: string | null;
  metadata: Record<string, unknown>;
}

let customerCounter = 0;
const newCustomer = () => `2547330${String(10_000 + (customerCounter += 1)).slice(-5)}`;

/** Counts are per UTC hour: start a counting test well inside one. */
async function awayFromHourBoundary(): Promise<void> {
  const intoHour = Date.now() % 3_600_000;
  if (intoHour > 3_600_000 - 20_000) await new Promise((resolve) => setTimeout(resolve, 3_600_000 - intoHour + 100));
}

async function configure(
  t: TestApp,
  tenant: SeededTenant,
  fields: Record<string, string | number | boolean | object>,
): Promise<void> {
  const value = (v: string | number | boolean | object) =>
    typeof v === 'object' ? `${lit(JSON.stringify(v))}::jsonb` : typeof v === 'string' ? lit(v) : String(v);
  const columns = Object.keys(fields);
  await t.rows(`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, ${columns.join(', ')})
    VALUES (${lit(tenant.id)}, ${Object.values(fields).map(value).join(', ')})
    ON CONFLICT (bot_tenant_id) DO UPDATE SET ${columns.map((c) => `${c} = EXCLUDED.${c}`).join(', ')}`);
}

async function send(t: TestApp, tenant: SeededTenant, from: string, body: string, sentAt?: Date): Promise<string> {
  const message = textMessage(from, body);
  if (sentAt) message['timestamp'] = String(Math.floor(sentAt.getTime() / 1000));
  const res = await t.postWebhook(webhookPayload({ tenant, messages: [message] }));
  expect(res.status).toBe(200);
  return String(message['id']);
}

const inbound = async (t: TestApp, wamid: string) =>
  (
    await t.rows<InboundRow>(`SELECT status, message_text, ai_response, error_message, metadata->>'skip_reason' AS skip_reason, metadata
    FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`)
  )[0];

/** Waits until the worker is done with the message. */
const settled = (t: TestApp, wamid: string) =>
  eventually(async () => {
    const row = await inbound(t, wamid);
    return row && row.status !== 'pending' && row.status !== 'processing' ? row : null;
  });

const sentTo = (t: TestApp, tenant: SeededTenant, customer: string) =>
  t.graph.sentTexts().filter((s) => s.to === customer && s.phoneNumberId === tenant.phoneNumberId);

describe.each(testEngines())('limits, switches and the 24-hour window (%s)', (engine) => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ engine });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function shop(fields: Record<string, string | number | boolean | object> = {}): Promise<SeededTenant> {
    const tenant = await seedTenant(t);
    await seedFaq(t, tenant.id, HOURS_QUESTION, HOURS_ANSWER);
    if (Object.keys(fields).length > 0) await configure(t, tenant, fields);
    return tenant;
  }

  it('answers with every switch at its default, and keeps bodies in the log', async () => {
    const tenant = await shop();
    const customer = newCustomer();
    const wamid = await send(t, tenant, customer, HOURS_QUESTION);
    expect(await settled(t, wamid)).toMatchObject({
      status: 'answered',
      message_text: HOURS_QUESTION,
      ai_response: HOURS_ANSWER,
    });
    expect(sentTo(t, tenant, customer).map((s) => s.body)).toEqual([HOURS_ANSWER]);
  });

  it.each([
    ['is_bot_enabled', 'bot is disabled for this tenant'],
    ['enable_auto_reply', 'auto-reply is off for this tenant'],
  ])('stores and does not answer with %s off', async (column, reason) => {
    const tenant = await shop({ [column]: false });
    const customer = newCustomer();
    const wamid = await send(t, tenant, customer, HOURS_QUESTION);
    expect(await settled(t, wamid)).toMatchObject({
      status: 'skipped',
      skip_reason: reason,
      message_text: HOURS_QUESTION,
    });
    expect(sentTo(t, tenant, customer)).toEqual([]);
  });

  it('answers nothing for an inactive tenant', async () => {
    const tenant = await shop();
    await t.rows(`UPDATE alphadome.bot_tenants SET is_active = false WHERE id = ${lit(tenant.id)}`);
    const customer = newCustomer();
    const wamid = await send(t, tenant, customer, HOURS_QUESTION);
    expect(await settled(t, wamid)).toMatchObject({ status: 'skipped', skip_reason: 'tenant is inactive' });
    expect(sentTo(t, tenant, customer)).toEqual([]);
  });

  it("with AI responses off, answers from the FAQ only and sends the tenant's fallback text otherwise", async () => {
    const fallback = "Thanks! We'll get back to you soon.";
    const tenant = await shop({ enable_ai_responses: false, metadata: { fallback_message: fallback } });
    const customer = newCustomer();
    const aiCalls = t.ai.openai.requests.length;
    const faq = await send(t, tenant, customer, HOURS_QUESTION);
    expect(await settled(t, faq)).toMatchObject({ status: 'answered' });
    const other = await send(t, tenant, customer, 'Do you repair violins?');
    expect(await settled(t, other)).toMatchObject({ status: 'answered', ai_response: fallback });
    expect(sentTo(t, tenant, customer).map((s) => s.body)).toEqual([HOURS_ANSWER, fallback]);
    expect(t.ai.openai.requests.length).toBe(aiCalls);
  });

  it('with log_conversations off, answers and then keeps no message bodies', async () => {
    const tenant = await shop({ log_conversations: false });
    const customer = newCustomer();
    const wamid = await send(t, tenant, customer, HOURS_QUESTION);
    const row = await settled(t, wamid);
    expect(row).toMatchObject({ status: 'answered', message_text: null, ai_response: null });
    expect(row.metadata['whatsapp']).toBeUndefined();
    expect(sentTo(t, tenant, customer).map((s) => s.body)).toEqual([HOURS_ANSWER]);
    const outbound = await t.rows<{ status: string; message_text: string | null; ai_response: string | null }>(`
      SELECT status, message_text, ai_response FROM alphadome.bot_message_logs
      WHERE direction = 'outbound' AND bot_tenant_id = ${lit(tenant.id)}`);
    expect(outbound).toEqual([{ status: 'sent', message_text: null, ai_response: null }]);
  });

  it('with log_errors off, keeps the status and no error text', async () => {
    const tenant = await shop({ log_errors: false });
    const logged = await shop();
    for (const provider of Object.values(t.ai)) provider.failAll(500);
    try {
      const quiet = await send(t, tenant, newCustomer(), 'Is the red Fender still available?');
      const loud = await send(t, logged, newCustomer(), 'Is the red Fender still available?');
      expect(await settled(t, quiet)).toMatchObject({ status: 'answered', error_message: null });
      expect((await settled(t, loud)).error_message).toContain('All AI providers failed');
    } finally {
      for (const provider of Object.values(t.ai)) provider.recover();
    }
  });

  it('answers the first messages of the hour up to the limit, stores the rest, and sends one notice', async () => {
    await awayFromHourBoundary();
    const tenant = await shop({ max_messages_per_hour: 3 });
    const customer = newCustomer();
    const wamids: string[] = [];
    for (let i = 0; i < 5; i++) wamids.push(await send(t, tenant, customer, HOURS_QUESTION));
    const rows = await Promise.all(wamids.map((w) => settled(t, w)));
    expect(rows.map((r) => r.status)).toEqual(['answered', 'answered', 'answered', 'skipped', 'skipped']);
    expect(rows.slice(3).map((r) => r.skip_reason)).toEqual(['rate_limited:tenant_hour', 'rate_limited:tenant_hour']);
    expect(rows.slice(3).every((r) => r.message_text === HOURS_QUESTION)).toBe(true);
    expect(sentTo(t, tenant, customer).map((s) => s.body)).toEqual([
      HOURS_ANSWER,
      HOURS_ANSWER,
      HOURS_ANSWER,
      DEFAULT_RATE_LIMIT_NOTICE,
    ]);
    const [counter] = await t.rows<{ count: number }>(
      `SELECT count FROM alphadome.rate_counters WHERE bot_tenant_id = ${lit(tenant.id)} AND scope = 'tenant_hour'`,
    );
    expect(Number(counter?.count)).toBe(5);
  });

  it("limits each customer per day, with the tenant's notice text, leaving other customers alone", async () => {
    await awayFromHourBoundary();
    const notice = 'Daily message limit reached, talk tomorrow!';
    const tenant = await shop({ max_messages_per_user_per_day: 2, metadata: { rate_limit_message: notice } });
    const chatty = newCustomer();
    const other = newCustomer();
    const wamids: string[] = [];
    for (let i = 0; i < 4; i++) wamids.push(await send(t, tenant, chatty, HOURS_QUESTION));
    const rows = await Promise.all(wamids.map((w) => settled(t, w)));
    expect(rows.map((r) => r.skip_reason ?? r.status)).toEqual([
      'answered',
      'answered',
      'rate_limited:user_day',
      'rate_limited:user_day',
    ]);
    expect(sentTo(t, tenant, chatty).map((s) => s.body)).toEqual([HOURS_ANSWER, HOURS_ANSWER, notice]);
    expect(await settled(t, await send(t, tenant, other, HOURS_QUESTION))).toMatchObject({ status: 'answered' });
  });

  it('does not count messages sent while a person has the conversation against the limits', async () => {
    await awayFromHourBoundary();
    const tenant = await shop({ max_messages_per_user_per_day: 2 });
    const customer = newCustomer();
    await t.rows(`INSERT INTO alphadome.conversations (bot_tenant_id, user_phone, last_inbound_at, paused_until, pause_reason)
      VALUES (${lit(tenant.id)}, ${lit(customer)}, now(), now() + interval '1 hour', 'the customer asked for a person')`);
    const during = [];
    for (let i = 0; i < 3; i++) during.push(await send(t, tenant, customer, `message ${i} for the person`));
    expect((await Promise.all(during.map((w) => settled(t, w)))).map((r) => r.skip_reason)).toEqual([
      'handed_over',
      'handed_over',
      'handed_over',
    ]);

    await t.rows(
      `UPDATE alphadome.conversations SET paused_until = NULL WHERE bot_tenant_id = ${lit(tenant.id)} AND user_phone = ${lit(customer)}`,
    );
    const after = [await send(t, tenant, customer, HOURS_QUESTION), await send(t, tenant, customer, HOURS_QUESTION)];
    expect((await Promise.all(after.map((w) => settled(t, w)))).map((r) => r.skip_reason ?? r.status)).toEqual([
      'answered',
      'answered',
    ]);
    expect(sentTo(t, tenant, customer).map((s) => s.body)).toEqual([HOURS_ANSWER, HOURS_ANSWER]);
  });

  it('treats a limit of 0 as "no messages"', async () => {
    const tenant = await shop({ max_messages_per_hour: 0 });
    const customer = newCustomer();
    const wamid = await send(t, tenant, customer, HOURS_QUESTION);
    expect(await settled(t, wamid)).toMatchObject({ status: 'skipped', skip_reason: 'rate_limited:tenant_hour' });
    expect(sentTo(t, tenant, customer).map((s) => s.body)).toEqual([DEFAULT_RATE_LIMIT_NOTICE]);
  });

  it('never sends free text outside the 24-hour window, and tracks the last inbound time', async () => {
    const tenant = await shop();
    const customer = newCustomer();
    const old = new Date(Date.now() - 25 * 3_600_000);
    const wamid = await send(t, tenant, customer, HOURS_QUESTION, old);
    expect(await settled(t, wamid)).toMatchObject({
      status: 'skipped',
      skip_reason: 'outside the 24-hour customer service window',
    });
    expect(sentTo(t, tenant, customer)).toEqual([]);
    const lastInbound = async () =>
      (
        await t.rows<{ at: string }>(`SELECT last_inbound_at AS at FROM alphadome.conversations
        WHERE bot_tenant_id = ${lit(tenant.id)} AND user_phone = ${lit(customer)}`)
      )[0]?.at;
    expect(new Date(String(await lastInbound())).getTime()).toBe(Math.floor(old.getTime() / 1000) * 1000);

    const fresh = await send(t, tenant, customer, HOURS_QUESTION);
    expect(await settled(t, fresh)).toMatchObject({ status: 'answered' });
    expect(Date.now() - new Date(String(await lastInbound())).getTime()).toBeLessThan(60_000);
  });
});

describe.runIf(testEngines().includes('postgres'))(
  'limits under concurrent load from two server processes on one PostgreSQL',
  () => {
    it('answers exactly the limit, never more, and sends at most one notice per customer', async () => {
      const database = await createTestDatabase('postgres');
      const a = await startTestApp({ engine: 'postgres', database });
      const b = await startTestApp({ engine: 'postgres', database });
      try {
        await awayFromHourBoundary();
        const tenant = await seedTenant(a);
        await seedFaq(a, tenant.id, HOURS_QUESTION, HOURS_ANSWER);
        await configure(a, tenant, { max_messages_per_hour: 25 });
        // 20 customers, 2 messages each, every message to either node: 40 messages, limit 25.
        const customers = Array.from({ length: 20 }, () => newCustomer());
        const messages = customers.flatMap((c) => [textMessage(c, HOURS_QUESTION), textMessage(c, HOURS_QUESTION)]);
        const responses = await Promise.all(
          messages.map((m, i) => (i % 3 === 0 ? a : b).postWebhook(webhookPayload({ tenant, messages: [m] }))),
        );
        expect(responses.every((r) => r.status === 200)).toBe(true);

        const rows = await eventually(async () => {
          const r = await a.rows<{ user_phone: string; status: string; skip_reason: string | null }>(`
          SELECT user_phone, status, metadata->>'skip_reason' AS skip_reason FROM alphadome.bot_message_logs
          WHERE direction = 'inbound' AND bot_tenant_id = ${lit(tenant.id)} AND status IN ('answered', 'skipped')`);
          return r.length === 40 ? r : null;
        }, 30_000);
        expect(rows.filter((r) => r.status === 'answered')).toHaveLength(25);
        const limited = rows.filter((r) => r.skip_reason === 'rate_limited:tenant_hour');
        expect(limited).toHaveLength(15);

        const sent = [...a.graph.sentTexts(), ...b.graph.sentTexts()].filter(
          (s) => s.phoneNumberId === tenant.phoneNumberId,
        );
        expect(sent.filter((s) => s.body === HOURS_ANSWER)).toHaveLength(25);
        const notices = sent.filter((s) => s.body === DEFAULT_RATE_LIMIT_NOTICE).map((s) => s.to);
        expect(new Set(notices).size).toBe(notices.length);
        expect(notices.sort()).toEqual([...new Set(limited.map((r) => r.user_phone))].sort());
      } finally {
        await b.stop();
        await a.stop();
        await database.drop();
      }
    }, 60_000);
  },
);
