// Tenant isolation, as a reviewer would check it: tenants A and B (and C, whose own key proves the
// calls valid) onboarded through the admin API, then B's key thrown at every route the OpenAPI
// document lists, A's ids under B's own tenant, no key and broken keys, the worker's prompts and
// sends, forged webhooks, and dumps of the database.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, uniquePhone, type AdminClient } from '../support/adminClient.js';
import {
  ADMIN_ONLY,
  API,
  CALLER_ONLY,
  PLANTED_SECRETS,
  PUBLIC_ROUTES,
  callsFor,
  databaseDumps,
  databaseSnapshot,
  everyRow,
  leaked,
  routesOf,
  send,
  shape,
  tenantSnapshot,
  type OpenApiDocument,
  type RouteCall,
} from '../support/isolationRoutes.js';
import { textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';
import { invitedAndSignedIn, type SignedInPerson } from '../support/teamSession.js';
import { FakeDaraja } from '../fakes/fakeDaraja.js';

const MISSING = randomUUID();
const UUIDS = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
// The single-tenant setup of the environment is on too: its token must stay the server's.
const ENV_PNID = `ENV-PNID-${process.pid}`;
const ENV_TOKEN = 'EAA-environment-token-000000-ENVZ';

interface Tenant {
  label: string;
  id: string;
  name: string;
  seeded: SeededTenant;
  aiKey: string;
  appSecret: string;
  key: { id: string; key: string; prefix: string };
  templateId: string;
  rowId: string;
  paymentId: string;
  faq: { question: string; answer: string };
  customer: string;
  /** The tenant's owner, signed in to the dashboard (a session cookie). */
  person: SignedInPerson;
  /** Every credential it ever had and its raw API keys. */
  secrets: string[];
  /** Nothing of this may reach another tenant: its words, secrets, identifiers and every id the administrator sees. */
  data: string[];
}

describe.each(testEngines())('tenant isolation (%s)', (engine) => {
  let t: TestApp;
  let api: AdminClient;
  let routes: string[];
  let A: Tenant, B: Tenant, C: Tenant;
  let revokedKeyOfB: string;
  let daraja: FakeDaraja;
  const createdKeys: string[] = [];

  const admin = async (method: string, path: string, status: number, body?: unknown) => {
    const res = await api.call(method, `${API}${path}`, body === undefined ? {} : { body });
    expect(res.status, `${method} ${path}: ${res.text}`).toBe(status);
    return res.body;
  };
  const tenantRoutes = () => routes.filter((route) => route.includes('{tenantId}'));
  const idsOf = (x: Tenant) => ({
    tenantId: x.id,
    templateId: x.templateId,
    rowId: x.rowId,
    keyId: x.key.id,
    userId: x.person.userId,
    paymentId: x.paymentId,
  });
  const as = (x: Tenant) => `Bearer ${x.key.key}`;
  const what = (call: RouteCall) => `${call.method} ${call.url}`;
  const settled = () =>
    eventually(async () => {
      const [row] = await t.rows<{ n: number }>(
        `SELECT count(*)::int AS n FROM alphadome.bot_message_logs WHERE status IN ('pending', 'processing', 'sending')`,
      );
      return row?.n === 0;
    });
  /** Customer `from` writes `texts` to the tenant; resolves with the replies, once all is written down. */
  const converse = async (x: Tenant, from: string, texts: string[], secret?: string) => {
    const messages = texts.map((text) => textMessage(from, text));
    const res = await t.postWebhook(webhookPayload({ tenant: x.seeded, messages }), secret ? { secret } : {});
    expect(res.status).toBe(200);
    const replies = [];
    for (const m of messages)
      replies.push(await eventually(() => t.graph.sentTexts().find((s) => s.replyTo === m['id'])));
    await settled();
    return replies;
  };

  const onboard = async (L: string, name: string, faq: { question: string; answer: string }): Promise<Tenant> => {
    const tail = (kind: string) => `${kind}${L}ZQ`; // upper case, not hex: never in a UUID or a timestamp by chance
    const creds = {
      whatsapp_access_token: `EAA-secret-token-${L}-123456-${tail('T')}`,
      ai_api_key: `sk-ai-key-${L}-7f3k9q-${tail('K')}`,
      whatsapp_app_secret: `app-secret-${L}-q8w7e6-${tail('S')}`,
    };
    const fallback = {
      openai: `sk-fallback-openai-${L}-${tail('O')}`,
      openrouter: `sk-or-fallback-${L}-${tail('R')}`,
      huggingface: `hf_fallback_${L}_${tail('H')}`,
    };
    const token = `EAA-rotated-token-${L}-654321-${tail('W')}`;
    const mpesa = {
      mpesa_consumer_key: `mpesa-key-${L}-${tail('C')}`,
      mpesa_consumer_secret: `mpesa-secret-${L}-${tail('D')}`,
      mpesa_passkey: `mpesa-passkey-${L}-${tail('P')}`,
    };
    const shortcode = { A: '174301', B: '174302', C: '174303' }[L] ?? '174309';
    daraja.addApp({
      consumerKey: mpesa.mpesa_consumer_key,
      consumerSecret: mpesa.mpesa_consumer_secret,
      shortcode,
      passkey: mpesa.mpesa_passkey,
    });
    const [phone, escalation, customer] = [uniquePhone(), uniquePhone(), uniquePhone()];
    const ids = { pnid: `PNID-${L}-${process.pid}`, waba: `WABA-${L}-${process.pid}` };
    const { id } = await admin('POST', '/tenants', 201, {
      client_name: name,
      client_phone: phone,
      whatsapp_phone_number_id: ids.pnid,
      whatsapp_business_account_id: ids.waba,
      brand_id: `BRAND-${L}`,
      ai_provider: 'openai',
      ai_model: `gpt-model-${L}`,
      webhook_url: `https://hooks.example.com/${L}-private`,
      metadata: { city: `CITY-${L}` },
      credentials: creds,
    });
    const base = `/tenants/${id}`;
    await admin('PUT', `${base}/credentials`, 200, { whatsapp_access_token: token, fallback_keys: fallback, ...mpesa });
    await admin('PATCH', base, 200, { metadata: { city: `CITY-${L}`, note: `NOTE-${L}` } });
    const template = await admin('POST', `${base}/templates`, 201, {
      template_name: `TEMPLATE-${L}`,
      system_prompt: `PROMPT-${L}: you speak for ${name} only.`,
    });
    const row = await admin('POST', `${base}/training`, 201, { ...faq, priority: 10, confidence_score: 0.95 });
    await admin('POST', `${base}/training/import`, 200, {
      rows: [
        { question: `RULE-${L}`, answer: `RULE-${L}: always sign as ${name}.`, data_type: 'rule' },
        { question: `EXAMPLE-${L} question?`, answer: `EXAMPLE-${L} answer.`, data_type: 'example' },
      ],
    });
    const email = `owner-${L.toLowerCase()}@example.com`;
    await admin('PUT', `${base}/settings`, 200, {
      escalation_email: email,
      escalation_phone: escalation,
      metadata: { fallback_message: `FALLBACK-${L}: we will call you.` },
      enable_payment_flow: true,
      mpesa_shortcode: shortcode,
    });
    const payment = await admin('POST', `${base}/payments`, 201, {
      phone: customer,
      amount: 4321,
      reference: `PAY-${L}`,
      description: `DESC-${L}`,
    });
    const key = await admin('POST', `${base}/api-keys`, 201, { name: `dashboard-${L}` });
    const person = await invitedAndSignedIn(t.baseUrl, id, {
      email: `person-${L.toLowerCase()}@example.com`,
      name: `PERSON-${L}`,
      role: 'owner',
    });
    const secrets = [
      ...Object.values(creds),
      ...Object.values(fallback),
      ...Object.values(mpesa),
      token,
      key.key,
      key.key.slice(13),
      person.password,
      person.setupToken,
      person.sessionToken,
    ];
    const words = [
      name,
      `PERSON-${L}`,
      `person-${L.toLowerCase()}@example.com`,
      `CITY-${L}`,
      `NOTE-${L}`,
      `BRAND-${L}`,
      `gpt-model-${L}`,
      `${L}-private`,
      `TEMPLATE-${L}`,
      `PROMPT-${L}`,
      `RULE-${L}`,
      `EXAMPLE-${L}`,
      `FALLBACK-${L}`,
      `MSG-${L}`,
      `PAY-${L}`,
      `DESC-${L}`,
      payment.checkout_request_id,
    ];
    return {
      label: L,
      id,
      name,
      faq,
      customer,
      key,
      person,
      aiKey: creds.ai_api_key,
      appSecret: creds.whatsapp_app_secret,
      templateId: template.id,
      rowId: row.id,
      paymentId: payment.id,
      seeded: { id, phone, phoneNumberId: ids.pnid, accessToken: token },
      secrets,
      // The API shows a credential's last four characters: those are the tenant's too.
      data: [
        ...words,
        faq.question,
        faq.answer,
        email,
        phone,
        escalation,
        customer,
        ids.pnid,
        ids.waba,
        ...secrets,
        ...[...Object.values(creds), ...Object.values(fallback), ...Object.values(mpesa), token].map((s) =>
          s.slice(-4),
        ),
      ],
    };
  };

  beforeAll(async () => {
    // AUTH_FAILURE_BURST=0: this suite sends hundreds of bad keys from one address on purpose.
    daraja = new FakeDaraja();
    // Payments stay pending for the whole suite (no query during it), so snapshots compare equal.
    t = await startTestApp({
      engine,
      env: {
        ADMIN_API_TOKEN: ADMIN_TOKEN,
        WHATSAPP_PHONE_NUMBER_ID: ENV_PNID,
        WHATSAPP_ACCESS_TOKEN: ENV_TOKEN,
        AUTH_FAILURE_BURST: '0',
        MPESA_BASE_URL: await daraja.start(),
        PUBLIC_BASE_URL: 'https://pay.isolation.test',
        MPESA_QUERY_AFTER_S: '86400',
      },
    });
    api = adminClient(t.baseUrl);
    A = await onboard('A', 'Alpha Guitars', {
      question: 'What time do you open on Sundays?',
      answer: 'ANSWER-A: Alpha Guitars opens on Sundays from 10 to 4.',
    });
    B = await onboard('B', 'Bravo Bakery', {
      question: 'Do you bake gluten free bread?',
      answer: 'ANSWER-B: gluten free loaves every Friday.',
    });
    C = await onboard('C', 'Charlie Cycles', {
      question: 'Do you fix punctures?',
      answer: 'ANSWER-C: while you wait.',
    });
    const old = await admin('POST', `/tenants/${B.id}/api-keys`, 201, { name: 'old laptop' });
    await admin('DELETE', `/tenants/${B.id}/api-keys/${old.id}`, 204);
    revokedKeyOfB = old.key;
    B.secrets.push(old.key);
    // Each tenant's customer asks its FAQ (answered verbatim) and something only the AI answers.
    for (const x of [A, B, C])
      await converse(x, x.customer, [x.faq.question, `MSG-${x.label}: please keep the blue one for me`]);
    const doc = await api.call('GET', '/docs/json', { token: null });
    expect(doc.status).toBe(200);
    ({ routes } = routesOf(doc.body as OpenApiDocument));
    for (const x of [A, B, C]) x.data.push(...(JSON.stringify(await tenantSnapshot(api, x.id)).match(UUIDS) ?? []));
  }, 120_000);
  afterAll(async () => {
    await t?.stop();
    await daraja?.stop();
  });

  it('takes every route from the OpenAPI document, and has a body for every write among them', async () => {
    const doc = (await api.call('GET', '/docs/json', { token: null })).body as OpenApiDocument;
    expect(routesOf(doc).problems).toEqual([]);
    expect(tenantRoutes().length).toBeGreaterThanOrEqual(25);
    expect(routes.filter((route) => !route.includes('{tenantId}')).sort()).toEqual(
      [...[...ADMIN_ONLY].filter((r) => !r.includes('{tenantId}')), ...CALLER_ONLY, ...PUBLIC_ROUTES].sort(),
    );
  });

  it("answers B's key on every route of A exactly as for a tenant that does not exist, and changes nothing", async () => {
    const before = { a: await tenantSnapshot(api, A.id), db: await databaseSnapshot(t) };
    const calls = callsFor(tenantRoutes(), idsOf(A));
    for (const call of calls) {
      const res = await send(t.baseUrl, call, as(B));
      const ghost = await send(t.baseUrl, { ...call, url: call.url.replaceAll(A.id, MISSING) }, as(B));
      expect(res.status, what(call)).toBe(call.adminOnly ? 403 : 404);
      expect(shape(res, A.id), what(call)).toEqual(shape(ghost, MISSING));
      expect(leaked(res, A.data, call.url), what(call)).toEqual([]);
    }
    expect(calls.map((call) => call.route)).toEqual(
      expect.arrayContaining([
        `POST ${API}/tenants/{tenantId}/training/import`,
        `DELETE ${API}/tenants/{tenantId}/api-keys/{keyId}`,
      ]),
    );
    expect(await tenantSnapshot(api, A.id)).toEqual(before.a);
    expect(await databaseSnapshot(t)).toEqual(before.db);
    // A's key, which B tried to revoke, still works.
    expect((await api.call('GET', `${API}/tenants/${A.id}/api-keys`, { token: A.key.key })).body.data[0]).toMatchObject(
      { id: A.key.id, revoked_at: null },
    );
  });

  it("answers B's owner session (cookie and CSRF header) on every route of A as for a tenant that does not exist, and changes nothing", async () => {
    const before = { a: await tenantSnapshot(api, A.id), db: await databaseSnapshot(t) };
    for (const call of callsFor(tenantRoutes(), idsOf(A))) {
      const res = await send(t.baseUrl, call, null, B.person.headers);
      const ghost = await send(t.baseUrl, { ...call, url: call.url.replaceAll(A.id, MISSING) }, null, B.person.headers);
      expect(res.status, what(call)).toBe(call.adminOnly ? 403 : 404);
      expect(shape(res, A.id), what(call)).toEqual(shape(ghost, MISSING));
      expect(leaked(res, A.data, call.url), what(call)).toEqual([]);
    }
    // The routes without a tenant: /me tells B about B only; signing in tells nothing of A.
    for (const call of callsFor(
      [...CALLER_ONLY, ...PUBLIC_ROUTES, ...ADMIN_ONLY].filter((r) => !r.includes('{tenantId}')),
      {},
    )) {
      const res = await send(t.baseUrl, call, null, B.person.headers);
      expect(res.status, what(call)).toBeLessThan(500);
      expect(leaked(res, A.data, call.url), what(call)).toEqual([]);
    }
    expect(await tenantSnapshot(api, A.id)).toEqual(before.a);
    const after = await databaseSnapshot(t);
    // The logout above ended B's session (its row now says so); nothing else changed.
    expect({ ...after, team_sessions: [] }).toEqual({ ...before.db, team_sessions: [] });
    B.person = await invitedAndSignedIn(t.baseUrl, B.id, {
      email: `person-b-again-${process.pid}@example.com`,
      name: 'PERSON-B',
      role: 'owner',
    });
    B.secrets.push(B.person.password, B.person.setupToken, B.person.sessionToken);
  });

  it('answers those very calls with 2xx when the owner makes them (so the 404s are not bad input)', async () => {
    for (const route of tenantRoutes()) {
      // Deletes use things up: every route with a template, row or key id gets fresh ones of C's.
      const fresh = /\{(templateId|rowId|keyId|userId|paymentId)\}/.test(route);
      const ids = fresh
        ? {
            tenantId: C.id,
            templateId: (await admin('POST', `/tenants/${C.id}/templates`, 201, { template_name: 'Spare' })).id,
            rowId: (await admin('POST', `/tenants/${C.id}/training`, 201, { question: 'Spare?', answer: 'Spare.' })).id,
            paymentId: C.paymentId,
            // Minted with C's own key: the administrator's keys are the administrator's to revoke.
            keyId: await api
              .call('POST', `${API}/tenants/${C.id}/api-keys`, { token: C.key.key, body: { name: 'spare' } })
              .then((res) => {
                createdKeys.push(res.body.key);
                return res.body.id as string;
              }),
            userId: (
              await admin('POST', `/tenants/${C.id}/users`, 201, {
                email: `spare-${randomUUID()}@example.com`,
                name: 'Spare',
                role: 'agent',
              })
            ).id,
          }
        : idsOf(C);
      for (const call of callsFor([route], ids)) {
        const res = await send(t.baseUrl, call, as(C));
        if (typeof res.body?.key === 'string') createdKeys.push(res.body.key);
        if (call.adminOnly) expect(res.status, what(call)).toBe(403);
        else expect(res.status >= 200 && res.status < 300, `${what(call)}: ${res.status} ${res.text}`).toBe(true);
        // A deactivated tenant's keys answer 403 everywhere: only the administrator turns it back on.
        if (call.route.endsWith('/deactivate')) await admin('PATCH', `/tenants/${C.id}`, 200, { is_active: true });
      }
    }
  });

  it("answers 401 to no key, a revoked key and broken keys on every route, and 403 to B's key on the administrator's", async () => {
    const before = { a: await tenantSnapshot(api, A.id), db: await databaseSnapshot(t) };
    const forged = [
      null,
      'Bearer',
      `Bearer ${revokedKeyOfB}`,
      `Basic ${A.key.key}`,
      `Bearer ${A.key.key} ${B.key.key}`,
      `Token ${A.key.key}`,
      `Bearer ${A.key.key}x`,
      `Bearer ${A.key.key.slice(0, -1)}${A.key.key.endsWith('A') ? 'B' : 'A'}`,
      `Bearer ${A.key.prefix}_${'A'.repeat(43)}`,
      `Bearer ${A.key.prefix}`,
      `Bearer ${createHash('sha256').update(A.key.key).digest('hex')}`,
      `Bearer ${ADMIN_TOKEN}x`,
      `Bearer ${ADMIN_TOKEN.toUpperCase()}`,
    ];
    // Signing in needs no caller: those routes answer about the credentials they are sent.
    const calls = callsFor(
      routes.filter((route) => !PUBLIC_ROUTES.has(route)),
      idsOf(A),
    );
    for (const authorization of forged) {
      for (const call of calls) {
        const res = await send(t.baseUrl, call, authorization);
        const label = `${authorization} ${what(call)}`;
        expect(res.status, label).toBe(401);
        expect(res.headers.get('www-authenticate'), label).toBe('Bearer');
        if (call.method !== 'HEAD') expect(res.body?.error, label).toBe('Unauthorized');
        expect(leaked(res, A.data, call.url), label).toEqual([]);
      }
    }
    // The revoked key opens not even its own tenant.
    for (const call of callsFor(tenantRoutes(), idsOf(B)))
      expect((await send(t.baseUrl, call, `Bearer ${revokedKeyOfB}`)).status, what(call)).toBe(401);

    const adminOnly = [
      ...callsFor([...ADMIN_ONLY], idsOf(A)),
      ...callsFor([`DELETE ${API}/tenants/{tenantId}`], { tenantId: B.id }),
      ...[A.name, A.seeded.phone, 'a'].map((q) => ({
        ...callsFor([`GET ${API}/tenants`], {})[0]!,
        url: `${API}/tenants?q=${encodeURIComponent(q)}`,
      })),
    ];
    for (const call of adminOnly) {
      const res = await send(t.baseUrl, call, as(B));
      expect(res.status, what(call)).toBe(403);
      if (call.method !== 'HEAD')
        expect(res.body, what(call)).toEqual({
          error: 'Forbidden',
          details: 'Only the platform administrator may call this endpoint',
        });
      expect(leaked(res, A.data, call.url), what(call)).toEqual([]);
    }
    // The OpenAPI document needs no key, and shows shapes only.
    for (const page of ['/docs/json', '/docs'])
      expect(leaked(await (await fetch(`${t.baseUrl}${page}`)).text(), [...A.data, ...B.data])).toEqual([]);
    expect(await tenantSnapshot(api, A.id)).toEqual(before.a);
    expect(await databaseSnapshot(t)).toEqual(before.db);
  });

  it("answers 404 to A's template, row and key ids under B's own tenant id, and B's reads show nothing of A", async () => {
    const before = { a: await tenantSnapshot(api, A.id), db: await databaseSnapshot(t) };
    const childIds = [A.templateId, A.rowId, A.key.id, A.person.userId, A.paymentId];
    const childRoutes = tenantRoutes().filter((route) => /\{(templateId|rowId|keyId|userId|paymentId)\}/.test(route));
    for (const call of callsFor(childRoutes, {
      tenantId: B.id,
      templateId: A.templateId,
      rowId: A.rowId,
      keyId: A.key.id,
      userId: A.person.userId,
      paymentId: A.paymentId,
    })) {
      const id = childIds.find((child) => call.url.includes(child))!;
      const res = await send(t.baseUrl, call, as(B));
      const ghost = await send(t.baseUrl, { ...call, url: call.url.replaceAll(id, MISSING) }, as(B));
      expect(res.status, what(call)).toBe(404);
      expect(shape(res, id), what(call)).toEqual(shape(ghost, MISSING));
      expect(leaked(res, A.data, call.url), what(call)).toEqual([]);
    }
    const reads = callsFor(
      tenantRoutes().filter((route) => route.startsWith('GET ')),
      idsOf(B),
    );
    for (const query of [
      `training?q=${encodeURIComponent('Sundays')}`,
      `messages?user_phone=${A.customer}`,
      `audit?limit=100&page=1`,
    ]) {
      reads.push({ ...reads[0]!, method: 'GET', url: `${API}/tenants/${B.id}/${query}` });
    }
    for (const call of reads) {
      const res = await send(t.baseUrl, call, as(B));
      expect(res.status, what(call)).toBe(200);
      expect(leaked(res, [A.id, ...A.data], call.url), what(call)).toEqual([]);
    }
    expect(await tenantSnapshot(api, A.id)).toEqual(before.a);
    expect(await databaseSnapshot(t)).toEqual(before.db);
  });

  it("never gives B's customers A's answers, nor puts one tenant's words in another's AI prompts", async () => {
    const shared = uniquePhone();
    const [fromA] = await converse(A, shared, [A.faq.question]);
    expect(fromA?.body).toBe(A.faq.answer);
    // The same customer sends B the very words of A's FAQ, then both tenants something only the AI answers.
    const [fromB] = await converse(B, shared, [A.faq.question]);
    expect(fromB).toMatchObject({
      phoneNumberId: B.seeded.phoneNumberId,
      to: shared,
      authorization: `Bearer ${B.seeded.accessToken}`,
    });
    expect(leaked(fromB?.body ?? '', A.data)).toEqual([]);
    await converse(A, shared, [`MSG-A: what about ${B.faq.question}`]);
    const promptOfB = JSON.stringify(
      t.ai.openai.requests.filter((r) => r.headers.authorization === `Bearer ${B.aiKey}`).at(-1)?.body,
    );
    expect(promptOfB).toContain('PROMPT-B');
    expect(promptOfB).toContain(A.faq.question);

    // Every AI request and every send of the whole run, told apart by the key or the number it used.
    const tenants = [A, B, C];
    const others = (x: Tenant) =>
      tenants.filter((o) => o !== x).flatMap((o) => o.data.filter((d) => d !== o.faq.question));
    const requests = Object.values(t.ai).flatMap((provider) => provider.requests);
    expect(requests.length).toBeGreaterThanOrEqual(5);
    for (const request of requests) {
      const owner = tenants.find((x) => request.headers.authorization === `Bearer ${x.aiKey}`);
      expect(owner, String(request.headers.authorization)).toBeDefined();
      expect(request.body.model).toBe(`gpt-model-${owner?.label}`);
      expect(leaked(JSON.stringify(request.body), others(owner!)), owner?.label).toEqual([]);
    }
    for (const sent of t.graph.sentTexts()) {
      const owner = tenants.find((x) => x.seeded.phoneNumberId === sent.phoneNumberId);
      expect(owner, sent.phoneNumberId).toBeDefined();
      expect(owner?.secrets).toContain(sent.authorization?.replace(/^Bearer /, ''));
      expect(leaked(sent.body, others(owner!)), owner?.label).toEqual([]);
    }
  });

  it('refuses a webhook that B signs with its own app secret but that carries a message for A', async () => {
    const intruder = uniquePhone();
    const [toB, toA] = [textMessage(intruder, 'hello B'), textMessage(intruder, A.faq.question)];
    const payload = webhookPayload({ tenant: B.seeded, messages: [toB] }, { tenant: A.seeded, messages: [toA] });
    expect((await t.postWebhook(payload, { secret: B.appSecret })).status).toBe(401);
    const stored = await t.rows(
      `SELECT id FROM alphadome.bot_message_logs WHERE whatsapp_message_id IN ('${toB['id']}', '${toA['id']}')`,
    );
    expect(stored).toEqual([]);
    // B's own secret still vouches for B's own messages.
    const [reply] = await converse(B, intruder, ['MSG-B: signed by B for B'], B.appSecret);
    expect(reply?.phoneNumberId).toBe(B.seeded.phoneNumberId);
    expect(t.graph.sentTexts().filter((s) => s.to === intruder && s.phoneNumberId !== B.seeded.phoneNumberId)).toEqual(
      [],
    );
  });

  it("does not let a tenant key mark its tenant as the environment's, to send with the server's WhatsApp token", async () => {
    const res = await api.call('PATCH', `${API}/tenants/${B.id}`, {
      token: B.key.key,
      body: { metadata: { source: 'environment' } },
    });
    expect(res.status, res.text).toBe(400);
    const [reply] = await converse(B, uniquePhone(), ['MSG-B: who is answering?']);
    expect(reply).toMatchObject({
      phoneNumberId: B.seeded.phoneNumberId,
      authorization: `Bearer ${B.seeded.accessToken}`,
    });
    expect(t.graph.sentTexts().filter((s) => s.authorization === `Bearer ${ENV_TOKEN}`)).toEqual([]);
  });

  it('keeps none of the tokens or keys in clear anywhere in the database', async () => {
    const secrets = [
      ...A.secrets,
      ...B.secrets,
      ...C.secrets,
      ...PLANTED_SECRETS,
      ...createdKeys,
      ...createdKeys.map((k) => k.slice(13)),
      ENV_TOKEN,
      ADMIN_TOKEN,
    ];
    const rows = await everyRow(t);
    expect(Object.keys(rows)).toEqual(
      expect.arrayContaining([
        'api_keys',
        'audit_log',
        'bot_message_logs',
        'bot_templates',
        'bot_tenants',
        'bot_training_data',
      ]),
    );
    const dumps = await databaseDumps(t);
    // The dumps do hold the tenants; the rows their sealed credentials and their keys' visible prefixes.
    for (const seen of [A.key.prefix, B.key.prefix, 'enc:v2:']) expect(dumps[0]?.bytes.includes(seen), seen).toBe(true);
    expect(dumps.length, dumps.map((d) => d.what).join(', ')).toBeGreaterThanOrEqual(t.database.url ? 1 : 2);
    for (const dump of dumps) {
      expect(dump.bytes.includes(A.name) && dump.bytes.includes(B.name), dump.what).toBe(true);
      expect(
        secrets.filter((secret) => dump.bytes.includes(secret)),
        dump.what,
      ).toEqual([]);
    }
  });
});
