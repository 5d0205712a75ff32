import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postStatusWebhook, type FakeStatus } from '../fakes/fakeStatusWebhooks.js';
import { seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, TEST_APP_SECRET, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

interface PartRow {
  id: string;
  status: string;
  whatsapp_message_id: string | null;
  error_message: string | null;
  resent_at: string | null;
}

describe.each(testEngines())('exactly once to the customer, even across a crash (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  let other: SeededTenant;
  let customerCounter = 0;

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { SEND_CONFIRM_WAIT_S: '1' } });
    shop = await seedTenant(t, { name: 'Confirm Shop' });
    other = await seedTenant(t, { name: 'Other Shop' });
    for (const tenant of [shop, other])
      await seedFaq(t, tenant.id, 'What are your business hours?', 'Nine to six, every day.', 10, 0.95);
  });
  afterAll(async () => {
    await t.stop();
  });

  const target = () => ({ url: `${t.baseUrl}/webhook`, secret: TEST_APP_SECRET });
  const part = async (id: string) =>
    (
      await t.rows<PartRow>(`SELECT id, status, whatsapp_message_id, error_message, metadata->>'resent_at' AS resent_at
      FROM alphadome.bot_message_logs WHERE id = '${id}'`)
    )[0];
  const sendsOf = (partId: string) => t.graph.sentTexts().filter((s) => s.callbackData === partId);

  /** A customer's question, answered; resolves with the inbound wamid and its outbound part's row id. */
  async function answered(tenant: SeededTenant): Promise<{ wamid: string; partId: string; customer: string }> {
    customerCounter += 1;
    const customer = `25470066${String(customerCounter).padStart(4, '0')}`;
    const message = textMessage(customer, 'What are your business hours?');
    const wamid = String(message['id']);
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    const row = await eventually(async () => {
      const [r] = await t.rows<{ id: string; status: string }>(`SELECT o.id, o.status FROM alphadome.bot_message_logs o
        JOIN alphadome.bot_message_logs i ON o.reply_to_log_id = i.id
        WHERE i.whatsapp_message_id = '${wamid}' AND o.direction = 'outbound' AND o.part_index = 0`);
      return r && r.status !== 'sending' ? r : null;
    });
    return { wamid, partId: row.id, customer };
  }

  /** What a SIGKILL during the Graph call leaves after the retried job ran: no wamid, `unconfirmed`. */
  async function interrupt(partId: string): Promise<void> {
    await t.rows(`UPDATE alphadome.bot_message_logs SET status = 'unconfirmed', whatsapp_message_id = NULL,
      error_message = 'attempt interrupted during the Graph API call', status_updated_at = now() WHERE id = '${partId}'`);
  }

  it('sends every part with its own row id as biz_opaque_callback_data, and the status webhook echoing it lands', async () => {
    t.graph.statusWebhooks = target();
    try {
      const { wamid, partId } = await answered(shop);
      const [sent] = sendsOf(partId);
      expect(sent).toMatchObject({ replyTo: wamid, callbackData: partId });
      const request = t.graph.requests.find((r) => r.body?.biz_opaque_callback_data === partId);
      expect(request?.body).toMatchObject({ type: 'text', to: sent?.to, biz_opaque_callback_data: partId });
      await eventually(() => t.graph.statusWebhookAnswers.length > 0);
      expect(t.graph.statusWebhookAnswers.every((status) => status === 200)).toBe(true);
      expect(await part(partId)).toMatchObject({
        status: 'sent',
        whatsapp_message_id: expect.stringMatching(/^wamid\.fake-/),
      });
    } finally {
      t.graph.statusWebhooks = null;
    }
  });

  it('confirms an unconfirmed part from a status naming it, and does not resend it', async () => {
    const confirmed = await answered(shop);
    const control = await answered(shop);
    await interrupt(confirmed.partId);
    await interrupt(control.partId);
    const status: FakeStatus = {
      phoneNumberId: shop.phoneNumberId,
      wamid: 'wamid.meta-had-it',
      recipient: confirmed.customer,
      status: 'delivered',
      callbackData: confirmed.partId,
    };
    expect(await postStatusWebhook(target(), status)).toBe(200);
    expect(await part(confirmed.partId)).toMatchObject({
      status: 'delivered',
      whatsapp_message_id: 'wamid.meta-had-it',
      error_message: null,
      resent_at: null,
    });

    // The control part, unconfirmed at the same moment, is resent: the sweep has been past both.
    await eventually(() => sendsOf(control.partId).length === 1);
    expect(sendsOf(confirmed.partId)).toHaveLength(1);
    // Later statuses by wamid keep moving the confirmed part forward.
    expect(await postStatusWebhook(target(), { ...status, status: 'read', callbackData: null })).toBe(200);
    expect(await part(confirmed.partId)).toMatchObject({ status: 'read' });
  });

  it('resends a part unconfirmed with no status exactly once after SEND_CONFIRM_WAIT_S', async () => {
    const { wamid, partId } = await answered(shop);
    await interrupt(partId);
    const resent = await eventually(async () => {
      const row = await part(partId);
      return row?.status === 'sent' ? row : null;
    });
    expect(resent.resent_at).not.toBeNull();
    const sends = sendsOf(partId);
    expect(sends).toHaveLength(2);
    // Same words, same thread (part 0 replies to the customer's message), same callback data.
    expect(sends[1]).toMatchObject({
      body: sends[0]?.body,
      replyTo: wamid,
      authorization: `Bearer ${shop.accessToken}`,
    });
    expect(resent.whatsapp_message_id).toMatch(/^wamid\.fake-/);

    // A crash during the resend would leave it unconfirmed again: the mark stops a second resend.
    await interrupt(partId);
    const control = await answered(shop);
    await interrupt(control.partId);
    await eventually(() => sendsOf(control.partId).length === 2);
    expect(sendsOf(partId)).toHaveLength(2);
    expect(await part(partId)).toMatchObject({ status: 'unconfirmed' });
  });

  it('fails a due part outside the 24-hour window instead of sending it', async () => {
    const { partId, customer } = await answered(shop);
    await t.rows(`UPDATE alphadome.conversations SET last_inbound_at = now() - interval '25 hours'
      WHERE bot_tenant_id = '${shop.id}' AND user_phone = '${customer}'`);
    await interrupt(partId);
    const failed = await eventually(async () => {
      const row = await part(partId);
      return row?.status === 'failed' ? row : null;
    });
    expect(failed.error_message).toBe('not resent: outside the 24-hour customer service window');
    expect(sendsOf(partId)).toHaveLength(1);
  });

  it("ignores a status naming another tenant's part, or an id that is not a uuid", async () => {
    const mine = await answered(shop);
    await interrupt(mine.partId);
    const foreign: FakeStatus = {
      phoneNumberId: other.phoneNumberId,
      wamid: 'wamid.other-tenant',
      recipient: mine.customer,
      status: 'delivered',
      callbackData: mine.partId,
    };
    expect(await postStatusWebhook(target(), foreign)).toBe(200);
    expect(
      await postStatusWebhook(target(), {
        ...foreign,
        phoneNumberId: shop.phoneNumberId,
        wamid: 'wamid.not-a-uuid',
        callbackData: `${mine.partId}x`,
      }),
    ).toBe(200);
    const rows = await t.rows<{ n: number }>(`SELECT count(*)::int AS n FROM alphadome.bot_message_logs
      WHERE whatsapp_message_id IN ('wamid.other-tenant', 'wamid.not-a-uuid')`);
    expect(rows[0]?.n).toBe(0);
    // Nothing confirmed it, so it is resent (once), by its own tenant's credentials.
    await eventually(() => sendsOf(mine.partId).length === 2);
    expect(sendsOf(mine.partId)[1]).toMatchObject({
      phoneNumberId: shop.phoneNumberId,
      authorization: `Bearer ${shop.accessToken}`,
    });
  });
});
