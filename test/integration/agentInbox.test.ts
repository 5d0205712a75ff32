// People answer from the inbox over real HTTP: an agent's reply goes out through the Graph API as
// the tenant's number and takes the conversation over (the bot stays quiet) until resolved; text
// outside the 24-hour window is refused (409) while a template goes; assignment; the approved
// templates, cached; the event stream, which never carries another tenant's event; and escalation
// notices that link to the conversation in the dashboard.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN } from '../support/adminClient.js';
import { openEventStream } from '../support/eventStream.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { invitedAndSignedIn, request, type SignedInPerson } from '../support/teamSession.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

describe.each(testEngines())('agent replies and the live inbox (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant, other: SeededTenant;
  let agent: SignedInPerson, otherOwner: SignedInPerson;
  let customerCounter = 0;
  const customer = () =>
    `2547991${String(process.pid % 1000).padStart(3, '0')}${String(++customerCounter).padStart(2, '0')}`;
  const api = (tenant: SeededTenant, path: string) => `/api/v1/tenants/${tenant.id}${path}`;
  const write = async (tenant: SeededTenant, from: string, text: string) => {
    const message = textMessage(from, text);
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    return String(message['id']);
  };
  const settled = () =>
    eventually(async () => {
      const [row] = await t.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM alphadome.bot_message_logs WHERE status IN ('pending', 'processing', 'sending')`,
      );
      return row?.n === 0;
    });
  const botAnswered = (wamid: string) => t.graph.sentTexts().some((s) => s.replyTo === wamid);

  beforeAll(async () => {
    t = await startTestApp({
      engine,
      env: { ADMIN_API_TOKEN: ADMIN_TOKEN, PUBLIC_BASE_URL: 'https://bot.example.com' },
    });
    shop = await seedTenant(t, { name: 'Inbox Shop' });
    other = await seedTenant(t, { name: 'Other Shop' });
    await t.rows(`UPDATE alphadome.bot_tenants SET whatsapp_business_account_id = 'WABA-SHOP' WHERE id = '${shop.id}'`);
    agent = await invitedAndSignedIn(t.baseUrl, shop.id, {
      email: `agent-${engine}@shop.example.com`,
      name: 'Agnes',
      role: 'agent',
    });
    otherOwner = await invitedAndSignedIn(t.baseUrl, other.id, {
      email: `owner-${engine}@other.example.com`,
      name: 'Otto',
      role: 'owner',
    });
  }, 60_000);
  afterAll(async () => t?.stop());

  it("sends the agent's text as the tenant's number, takes the conversation over until resolved", async () => {
    const who = customer();
    const first = await write(shop, who, 'Hello, is the red bike still there?');
    await eventually(() => botAnswered(first));
    await settled();
    const sent = await agent.call('POST', api(shop, `/conversations/${who}/messages`), {
      text: 'Yes! I kept it for you.',
    });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.body).toMatchObject({
      direction: 'outbound',
      status: 'sent',
      sent_by: 'agent',
      agent_user_id: agent.userId,
      text: 'Yes! I kept it for you.',
    });
    expect(sent.body.whatsapp_message_id).toMatch(/^wamid\./);
    const out = t.graph.sentTexts().find((s) => s.body === 'Yes! I kept it for you.');
    expect(out).toMatchObject({
      phoneNumberId: shop.phoneNumberId,
      to: who,
      authorization: `Bearer ${shop.accessToken}`,
    });

    const list = await agent.call('GET', api(shop, '/conversations'));
    expect(list.body.data.find((c: { user_phone: string }) => c.user_phone === who)).toMatchObject({
      handled_by: 'person',
      assigned_user_id: agent.userId,
      unread: 0,
    });
    const quiet = await write(shop, who, 'Great, I come at five');
    await settled();
    expect(botAnswered(quiet)).toBe(false);
    const waiting = (await agent.call('GET', api(shop, '/conversations'))).body.data;
    expect(waiting[0]).toMatchObject({ user_phone: who, waiting: true, unread: 1 });

    const resolved = await agent.call('POST', api(shop, `/conversations/${who}/resolve`));
    expect(resolved.body).toMatchObject({ user_phone: who, handled_by: 'bot', paused_until: null });
    const answered = await write(shop, who, 'One more question: do you open on Sunday?');
    await eventually(() => botAnswered(answered));
    const audit = await t.rows<{ entity: string }>(
      `SELECT entity FROM alphadome.audit_log WHERE actor = 'user:${agent.userId}'`,
    );
    expect(audit.map((a) => a.entity)).toEqual(expect.arrayContaining(['agent_message', 'handoff_resolved']));
  });

  it('refuses text outside the 24-hour window (409) and sends an approved template instead', async () => {
    const who = customer();
    await write(shop, who, 'Hi there');
    await settled();
    await t.rows(
      `UPDATE alphadome.bot_message_logs SET created_at = now() - interval '25 hours' WHERE bot_tenant_id = '${shop.id}' AND user_phone = '${who}'`,
    );
    const refused = await agent.call('POST', api(shop, `/conversations/${who}/messages`), {
      text: 'Are you still interested?',
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('Outside the 24-hour window');
    expect(refused.body.details).toMatch(/template/);
    expect(t.graph.sentTexts().some((s) => s.body === 'Are you still interested?')).toBe(false);
    const never = await agent.call('POST', api(shop, `/conversations/${customer()}/messages`), {
      text: 'Hello stranger',
    });
    expect(never.status).toBe(409);

    const template = await agent.call('POST', api(shop, `/conversations/${who}/messages`), {
      template: { name: 'follow_up', language: 'en_US', parameters: ['Ann', 'the red bike'] },
    });
    expect(template.status, template.text).toBe(201);
    expect(template.body).toMatchObject({ message_type: 'template', sent_by: 'agent' });
    expect(t.graph.sentTemplates().at(-1)).toEqual({
      phoneNumberId: shop.phoneNumberId,
      to: who,
      name: 'follow_up',
      language: 'en_US',
      parameters: ['Ann', 'the red bike'],
    });
  });

  it("assigns a conversation to one of the tenant's people only", async () => {
    const who = customer();
    expect(
      (await agent.call('POST', api(shop, `/conversations/${who}/assign`), { user_id: agent.userId })).body,
    ).toMatchObject({ assigned_user_id: agent.userId });
    const foreign = await agent.call('POST', api(shop, `/conversations/${who}/assign`), { user_id: otherOwner.userId });
    expect(foreign.status).toBe(400);
    expect((await agent.call('POST', api(shop, `/conversations/${who}/assign`), { user_id: null })).body).toMatchObject(
      { assigned_user_id: null },
    );
  });

  it("lists the approved templates of the tenant's business account, from a cache", async () => {
    t.graph.templates.set('WABA-SHOP', [
      {
        name: 'order_ready',
        language: 'en_US',
        status: 'APPROVED',
        category: 'UTILITY',
        components: [{ type: 'BODY', text: 'Hi {{1}}, order {{2}} is ready' }],
      },
      { name: 'draft', language: 'en_US', status: 'REJECTED' },
    ]);
    const first = await agent.call('GET', api(shop, '/whatsapp-templates'));
    expect(first.status, first.text).toBe(200);
    expect(first.body.data).toEqual([
      {
        name: 'order_ready',
        language: 'en_US',
        category: 'UTILITY',
        body: 'Hi {{1}}, order {{2}} is ready',
        parameter_count: 2,
      },
    ]);
    const listings = () => t.graph.requests.filter((r) => r.path.includes('/WABA-SHOP/message_templates'));
    expect(listings()).toHaveLength(1);
    expect(listings()[0]?.headers.authorization).toBe(`Bearer ${shop.accessToken}`);
    await agent.call('GET', api(shop, '/whatsapp-templates'));
    expect(listings()).toHaveLength(1);
    // A tenant without a business account id is told what to set.
    expect((await otherOwner.call('GET', api(other, '/whatsapp-templates'))).status).toBe(409);
  });

  it("streams the tenant's own messages, statuses and handoffs, and never another tenant's", async () => {
    const mine = await openEventStream(`${t.baseUrl}${api(shop, '/events')}`, { cookie: agent.headers.cookie });
    const theirs = await openEventStream(`${t.baseUrl}${api(other, '/events')}`, { cookie: otherOwner.headers.cookie });
    const stolen = await openEventStream(`${t.baseUrl}${api(shop, '/events')}`, { cookie: otherOwner.headers.cookie });
    try {
      expect([mine.status, theirs.status, stolen.status]).toEqual([200, 200, 404]);
      await eventually(() => mine.comments.includes('connected') && theirs.comments.includes('connected'));
      // Both feeds have taken their first look before anything happens.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const who = customer();
      const secretWords = 'SECRET-OF-SHOP: my order number is 4711';
      await write(shop, who, secretWords);
      const inbound = await eventually(
        () => mine.events.find((e) => e.type === 'message' && e.data.text === secretWords),
        5_000,
      );
      expect(inbound.data).toMatchObject({ user_phone: who, direction: 'inbound', sent_by: 'customer' });
      const answer = await eventually(
        () =>
          mine.events.find((e) => e.type === 'message' && e.data.direction === 'outbound' && e.data.user_phone === who),
        5_000,
      );
      const delivered = {
        id: answer.data.whatsapp_message_id,
        status: 'delivered',
        timestamp: String(Math.floor(Date.now() / 1000)),
        recipient_id: who,
      };
      expect((await t.postWebhook(webhookPayload({ tenant: shop, statuses: [delivered] }))).status).toBe(200);
      await eventually(
        () =>
          mine.events.find((e) => e.type === 'status' && e.data.id === answer.data.id && e.data.status === 'delivered'),
        5_000,
      );
      await agent.call('POST', api(shop, `/conversations/${who}/assign`), { user_id: agent.userId });
      await eventually(
        () => mine.events.find((e) => e.type === 'conversation' && e.data.assigned_user_id === agent.userId),
        5_000,
      );
      // The other tenant's stream is alive (it gets its own customer's message) and has nothing of the shop's.
      const otherWords = 'OTHER-TENANT hello';
      await write(other, customer(), otherWords);
      await eventually(() => theirs.events.find((e) => e.data.text === otherWords), 5_000);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(JSON.stringify(theirs.events)).not.toContain(who);
      expect(JSON.stringify(theirs.events)).not.toContain('SECRET-OF-SHOP');
      expect(JSON.stringify(mine.events)).not.toContain('OTHER-TENANT');
    } finally {
      mine.close();
      theirs.close();
      stolen.close();
    }
  });

  it.skipIf(engine !== 'postgres')('streams what another server process on the same database writes', async () => {
    const second = await startTestApp({ engine, database: t.database, env: { ...t.env, PORT: '0' } });
    const stream = await openEventStream(`${second.baseUrl}${api(shop, '/events')}`, { cookie: agent.headers.cookie });
    try {
      expect(stream.status).toBe(200);
      await eventually(() => stream.comments.includes('connected'));
      await new Promise((resolve) => setTimeout(resolve, 300));
      const who = customer();
      await write(shop, who, 'Written through the first process');
      await eventually(() => stream.events.find((e) => e.type === 'message' && e.data.user_phone === who), 5_000);
      await agent.call('POST', api(shop, `/conversations/${who}/assign`), { user_id: agent.userId });
      await eventually(() => stream.events.find((e) => e.type === 'conversation' && e.data.user_phone === who), 5_000);
    } finally {
      stream.close();
      await second.stop();
    }
  });

  it('bounds the streams a tenant may hold open, and frees a place when one closes', async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const streams = [];
    for (let i = 0; i < 20; i++) streams.push(await openEventStream(`${t.baseUrl}${api(other, '/events')}`, headers));
    expect(streams.map((s) => s.status)).toEqual(Array(20).fill(200));
    const refused = await request(t.baseUrl, 'GET', api(other, '/events'), headers);
    expect(refused.status).toBe(429);
    streams.pop()?.close();
    const again = await eventually(async () => {
      const s = await openEventStream(`${t.baseUrl}${api(other, '/events')}`, headers);
      if (s.status === 200) return s;
      return null;
    });
    for (const s of [...streams, again]) s.close();
  });

  it('links escalation notices to the conversation in the dashboard', async () => {
    const escalation = '254711000999';
    await request(
      t.baseUrl,
      'PATCH',
      api(shop, '/settings'),
      { authorization: `Bearer ${ADMIN_TOKEN}` },
      { escalation_phone: escalation },
    );
    const who = customer();
    await write(shop, who, 'I want to talk to a human please');
    const notice = await eventually(() =>
      t.graph.sentTexts().find((s) => s.to === escalation && s.body.includes(`+${who}`)),
    );
    expect(notice.body).toContain(`https://bot.example.com/dashboard/inbox/${who}?tenant=${shop.id}`);
  });
});
