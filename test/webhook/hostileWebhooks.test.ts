// POST /webhook as an attacker sends it: unsigned, forged, garbage, huge, nested, slow, or packed
// with more items than Meta ever sends. Every answer is a 4xx in the spec's shape, nothing is
// stored, and the server keeps answering /healthz meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { signatureFor } from '../../src/modules/ingest/webhookSignature.js';
import { valueOf } from '../support/prometheusText.js';
import { lit, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { trickle } from '../support/slowClient.js';
import { TEST_APP_SECRET, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const THREE_MB = 3 * 1024 * 1024;
const TENANT_SECRET = 'tenant-own-app-secret-hostile-91f3';

interface Answer {
  status: number;
  body: { error: string; details: string };
  elapsedMs: number;
}

async function post(t: TestApp, body: string | Buffer, headers: Record<string, string>): Promise<Answer> {
  const started = Date.now();
  const res = await fetch(`${t.baseUrl}/webhook`, { method: 'POST', headers, body });
  const answer = { status: res.status, body: (await res.json()) as Answer['body'], elapsedMs: Date.now() - started };
  expect(typeof answer.body.error).toBe('string');
  expect(answer.body.details.length).toBeGreaterThan(0);
  return answer;
}

const json = { 'content-type': 'application/json' };
const signedBy = (secret: string, body: string | Buffer) => ({
  ...json,
  'x-hub-signature-256': signatureFor(body, secret),
});
const healthy = async (t: TestApp) => (await fetch(`${t.baseUrl}/healthz`)).status === 200;
const inboundCount = async (t: TestApp) =>
  Number(
    (await t.rows<{ n: string }>(`SELECT count(*) AS n FROM alphadome.bot_message_logs WHERE direction = 'inbound'`))[0]
      ?.n,
  );
/** The smallest message the parser stores: many of them fit well under 3 MB. */
const tinyMessage = (i: number) => ({
  id: `wamid.hostile-${Date.now()}-${i}`,
  from: '254700333001',
  type: 'text',
  text: { body: 'x' },
});

describe.each(testEngines())('hostile webhooks (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  let ownApp: SeededTenant;
  beforeAll(async () => {
    // Nothing is answered: these tests are about what ingest takes in.
    t = await startTestApp({ engine, env: { WORKER_ENABLED: 'false' } });
    shop = await seedTenant(t);
    ownApp = await seedTenant(t);
    await t.rows(
      `UPDATE alphadome.bot_tenants SET whatsapp_app_secret = ${lit(TENANT_SECRET)} WHERE id = ${lit(ownApp.id)}`,
    );
  });
  afterAll(async () => {
    await t?.stop();
  });

  describe('without a valid signature: 401 whatever the body, nothing parsed or stored', () => {
    const valid = () =>
      JSON.stringify(webhookPayload({ tenant: shop, messages: [textMessage('254700333010', 'forged')] }));
    const cases: { name: string; body: () => string | Buffer; headers: () => Record<string, string> }[] = [
      { name: 'unsigned garbage', body: () => '{"entry": [ not json at all', headers: () => json },
      // A Buffer body: fetch then sends no Content-Type at all.
      { name: 'unsigned, no content type', body: () => Buffer.from('{"entry": []}'), headers: () => ({}) },
      { name: 'unsigned empty body', body: () => '', headers: () => json },
      { name: 'unsigned, wrong content type', body: () => 'hello', headers: () => ({ 'content-type': 'text/plain' }) },
      { name: 'unsigned valid JSON', body: valid, headers: () => json },
      {
        name: 'valid JSON, signature by another secret',
        body: valid,
        headers: () => signedBy('not-the-app-secret', valid()),
      },
      {
        name: 'valid JSON, signature of other bytes',
        body: valid,
        headers: () => signedBy(TEST_APP_SECRET, `${valid()} `),
      },
      {
        name: 'garbage, malformed signature header',
        body: () => '[[[',
        headers: () => ({ ...json, 'x-hub-signature-256': 'sha256=zz' }),
      },
      {
        name: 'unsigned nesting 100,000 deep',
        body: () => '['.repeat(100_000) + ']'.repeat(100_000),
        headers: () => json,
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const before = await inboundCount(t);
        const answer = await post(t, c.body(), c.headers());
        expect({ status: answer.status, error: answer.body.error }).toEqual({
          status: 401,
          error: 'Invalid signature',
        });
        expect(await inboundCount(t)).toBe(before);
      });
    }
  });

  it('refuses a 3 MB unsigned body with 401, about as fast as a tiny one (its JSON is never parsed)', async () => {
    const tiny = await post(t, '{}', json);
    // Valid JSON that would parse (slowly) and route: only the missing signature stops it.
    const message = textMessage('254700333011', 'big forged');
    const big = JSON.stringify({
      ...webhookPayload({ tenant: shop, messages: [message] }),
      padding: 'p'.repeat(THREE_MB - 2_000),
    });
    expect(Buffer.byteLength(big)).toBeLessThanOrEqual(THREE_MB);
    const answer = await post(t, big, json);
    expect(answer.status).toBe(401);
    expect(answer.elapsedMs).toBeLessThan(tiny.elapsedMs * 20 + 1_000);
    expect(
      await t.rows(
        `SELECT 1 FROM alphadome.bot_message_logs WHERE whatsapp_message_id = ${lit(String(message['id']))}`,
      ),
    ).toHaveLength(0);
  });

  it('answers signed garbage with 400, and a signed wrong content type with 415', async () => {
    const garbage = '{"entry": [ not json at all';
    const answer = await post(t, garbage, signedBy(TEST_APP_SECRET, garbage));
    expect(answer).toMatchObject({
      status: 400,
      body: { error: 'Invalid message format', details: 'Body is not valid JSON' },
    });
    const typed = await post(t, garbage, { ...signedBy(TEST_APP_SECRET, garbage), 'content-type': 'text/plain' });
    expect(typed.status).toBe(415);
  });

  it('admits a tenant own app secret before parsing, and still only for that tenant once routed', async () => {
    const garbage = 'not json';
    expect((await post(t, garbage, signedBy(TENANT_SECRET, garbage))).status).toBe(400);
    const own = JSON.stringify(webhookPayload({ tenant: ownApp, messages: [textMessage('254700333012', 'mine')] }));
    const ok = await fetch(`${t.baseUrl}/webhook`, {
      method: 'POST',
      headers: signedBy(TENANT_SECRET, own),
      body: own,
    });
    expect(ok.status).toBe(200);
    const before = await inboundCount(t);
    const other = JSON.stringify(webhookPayload({ tenant: shop, messages: [textMessage('254700333013', 'not mine')] }));
    expect((await post(t, other, signedBy(TENANT_SECRET, other))).status).toBe(401);
    expect(await inboundCount(t)).toBe(before);
  });

  it('refuses 20,000 messages in one signed body with 413, stores none, and /healthz answers meanwhile', async () => {
    const before = await inboundCount(t);
    const body = JSON.stringify(
      webhookPayload({ tenant: shop, messages: Array.from({ length: 20_000 }, (_, i) => tinyMessage(i)) }),
    );
    expect(Buffer.byteLength(body)).toBeLessThan(THREE_MB);
    let settled = false;
    const pending = post(t, body, signedBy(TEST_APP_SECRET, body)).finally(() => (settled = true));
    const probes: boolean[] = [];
    do probes.push(await healthy(t));
    while (!settled);
    const answer = await pending;
    expect(answer).toMatchObject({ status: 413, body: { error: 'Payload too large' } });
    expect(answer.body.details).toMatch(/20002 entries, changes, messages and statuses in one body; at most 1000/);
    expect(probes.length).toBeGreaterThan(0);
    expect(probes.every(Boolean)).toBe(true);
    expect(await inboundCount(t)).toBe(before);
  });

  it('refuses 20,000 statuses in one signed body with 413', async () => {
    const statuses = Array.from({ length: 20_000 }, (_, i) => ({
      id: `wamid.out-${i}`,
      status: 'delivered',
      recipient_id: '254700333001',
    }));
    const body = JSON.stringify(webhookPayload({ tenant: shop, statuses }));
    expect((await post(t, body, signedBy(TEST_APP_SECRET, body))).status).toBe(413);
  });

  it('stores a body of exactly WEBHOOK_MAX_ITEMS items (1 entry, 1 change, 998 messages)', async () => {
    const messages = Array.from({ length: 998 }, (_, i) => tinyMessage(i));
    const body = JSON.stringify(webhookPayload({ tenant: shop, messages }));
    const res = await fetch(`${t.baseUrl}/webhook`, { method: 'POST', headers: signedBy(TEST_APP_SECRET, body), body });
    expect(res.status).toBe(200);
    const ids = messages.map((m) => lit(m.id)).join(',');
    expect(await t.rows(`SELECT 1 FROM alphadome.bot_message_logs WHERE whatsapp_message_id IN (${ids})`)).toHaveLength(
      998,
    );
  });

  it('answers 400 to signed JSON nested 100,000 deep, with no stack overflow, and keeps serving', async () => {
    const bare = '['.repeat(100_000) + ']'.repeat(100_000);
    expect(await post(t, bare, signedBy(TEST_APP_SECRET, bare))).toMatchObject({
      status: 400,
      body: { error: 'Invalid message format', details: 'JSON nested deeper than 32 levels' },
    });
    // Inside an otherwise valid delivery, in a field the parser keeps as raw JSON.
    const deep = { ...tinyMessage(1), extra: JSON.parse('['.repeat(200) + ']'.repeat(200)) as unknown };
    const wrapped = JSON.stringify(webhookPayload({ tenant: shop, messages: [deep] }));
    expect((await post(t, wrapped, signedBy(TEST_APP_SECRET, wrapped))).status).toBe(400);
    expect(await healthy(t)).toBe(true);
  });

  it('does not count brackets inside strings as nesting', async () => {
    const message = textMessage('254700333014', `${'[{'.repeat(500)} "quoted \\" [[ ${'}]'.repeat(500)}`);
    const body = JSON.stringify(webhookPayload({ tenant: shop, messages: [message] }));
    const res = await fetch(`${t.baseUrl}/webhook`, { method: 'POST', headers: signedBy(TEST_APP_SECRET, body), body });
    expect(res.status).toBe(200);
  });
});

describe.each(testEngines())('forged signatures from one address (%s)', (engine) => {
  const FORGER = '203.0.113.7';
  const META = '198.51.100.9';
  const FAILURES = 'alphadome_webhook_signature_failures_total';
  const lines: string[] = [];
  let t: TestApp;
  let shop: SeededTenant;
  beforeAll(async () => {
    // Behind a trusted proxy, so X-Forwarded-For names the client and two addresses can be told apart.
    const logger = createLogger('info', { write: (l: string) => void lines.push(l) });
    t = await startTestApp({ engine, env: { WORKER_ENABLED: 'false', TRUST_PROXY: 'true' }, logger });
    shop = await seedTenant(t);
    // Tenants on Meta apps of their own: each distinct secret is one more HMAC per forgery.
    for (let i = 0; i < 3; i += 1) {
      const own = await seedTenant(t);
      await t.rows(
        `UPDATE alphadome.bot_tenants SET whatsapp_app_secret = ${lit(`${TENANT_SECRET}-${i}`)} WHERE id = ${lit(own.id)}`,
      );
    }
  });
  afterAll(async () => {
    await t?.stop();
  });

  it('answers 401 twenty times, then 429 with Retry-After, while global-secret deliveries from any address are stored', async () => {
    const delivery = (text: string) =>
      JSON.stringify(webhookPayload({ tenant: shop, messages: [textMessage('254700333030', text)] }));
    const forged = delivery('forged');
    // Every fifth one has a malformed header (refused without an HMAC), the rest a wrong secret's.
    const forgedHeaders = (i: number) => ({
      ...json,
      'x-forwarded-for': FORGER,
      'x-hub-signature-256': i % 5 === 0 ? 'sha256=not-hex' : signatureFor(forged, 'a-guessed-secret'),
    });
    const answers: { status: number; retryAfter: string | null; body: unknown }[] = [];
    for (let i = 0; i < 25; i += 1) {
      const res = await fetch(`${t.baseUrl}/webhook`, { method: 'POST', headers: forgedHeaders(i), body: forged });
      answers.push({ status: res.status, retryAfter: res.headers.get('retry-after'), body: await res.json() });
    }
    expect(answers.map((a) => a.status)).toEqual([...Array<number>(20).fill(401), ...Array<number>(5).fill(429)]);
    expect(answers[0]).toEqual({
      status: 401,
      retryAfter: null,
      body: { error: 'Invalid signature', details: expect.any(String) },
    });
    const last = answers[24];
    expect(last?.body).toEqual({
      error: 'Too many requests',
      details: expect.stringMatching(/^Too many failed webhook signatures from this address; try again in \d+ s$/),
    });
    const retryAfter = Number(last?.retryAfter);
    expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(retryAfter)).toBe(true);

    // Meta shares addresses between tenants: a throttled address still gets the global secret's one
    // HMAC, so a correctly signed delivery is taken; only the sweep over tenant secrets is refused.
    const fromShared = delivery('good global signature, throttled address');
    const taken = await fetch(`${t.baseUrl}/webhook`, {
      method: 'POST',
      headers: { ...signedBy(TEST_APP_SECRET, fromShared), 'x-forwarded-for': FORGER },
      body: fromShared,
    });
    expect(taken.status).toBe(200);
    const ownSecret = delivery('signed by a tenant secret, throttled address');
    const refused = await fetch(`${t.baseUrl}/webhook`, {
      method: 'POST',
      headers: { ...signedBy(`${TENANT_SECRET}-0`, ownSecret), 'x-forwarded-for': FORGER },
      body: ownSecret,
    });
    expect(refused.status).toBe(429);
    expect(await inboundCount(t)).toBe(1);

    // Meta's address is another one: its correctly signed delivery is accepted and stored.
    const genuine = webhookPayload({ tenant: shop, messages: [textMessage('254700333031', 'from Meta')] });
    const genuineId = String(
      (genuine as { entry: { changes: { value: { messages: { id: string }[] } }[] }[] }).entry[0]?.changes[0]?.value
        .messages[0]?.id,
    );
    const body = JSON.stringify(genuine);
    const accepted = await fetch(`${t.baseUrl}/webhook`, {
      method: 'POST',
      headers: { ...signedBy(TEST_APP_SECRET, body), 'x-forwarded-for': META },
      body,
    });
    expect(accepted.status).toBe(200);
    expect(
      await t.rows(`SELECT 1 FROM alphadome.bot_message_logs WHERE whatsapp_message_id = ${lit(genuineId)}`),
    ).toHaveLength(1);
    expect(await inboundCount(t)).toBe(2);

    const metrics = await (await fetch(`${t.baseUrl}/metrics`)).text();
    expect(valueOf(metrics, FAILURES, { reason: 'malformed' })).toBe(4);
    expect(valueOf(metrics, FAILURES, { reason: 'mismatch' })).toBe(16);
    expect(valueOf(metrics, FAILURES, { reason: 'throttled' })).toBe(6);
    expect(valueOf(metrics, FAILURES, { reason: 'missing' })).toBe(0);

    const logged = lines.map((l) => JSON.parse(l) as { level: number; msg: string; address?: string; reason?: string });
    const failures = logged.filter((l) => l.msg === 'webhook signature failed');
    expect(failures).toHaveLength(20);
    expect(failures[0]).toMatchObject({ level: 40, address: FORGER, reason: 'malformed' });
    expect(failures[1]).toMatchObject({ level: 40, address: FORGER, reason: 'mismatch' });
    expect(logged.filter((l) => l.msg.startsWith('webhook: too many failed signatures'))).toHaveLength(1);
    // Neither the signature nor the body reaches the log.
    const text = lines.join('\n');
    expect(text).not.toContain(signatureFor(forged, 'a-guessed-secret').slice(7));
    expect(text).not.toContain('forged');
  });
});

describe.each(testEngines())('unsigned webhooks (%s)', (engine) => {
  const unsigned = (tenant: SeededTenant, text: string) =>
    JSON.stringify(webhookPayload({ tenant, messages: [textMessage('254700333020', text)] }));

  it('are refused from loopback when no secret is configured and ALLOW_UNSIGNED_WEBHOOKS is not set, with a warning at start', async () => {
    const lines: string[] = [];
    const t = await startTestApp({
      engine,
      env: { WHATSAPP_APP_SECRET: '' },
      logger: createLogger('warn', { write: (l: string) => void lines.push(l) }),
    });
    try {
      const shop = await seedTenant(t);
      const answer = await post(t, unsigned(shop, 'from loopback'), json);
      expect(answer).toMatchObject({ status: 401, body: { error: 'Invalid signature' } });
      expect(await inboundCount(t)).toBe(0);
      expect(lines.some((l) => l.includes('WHATSAPP_APP_SECRET is not set'))).toBe(true);
    } finally {
      await t.stop();
    }
  });

  it('are accepted with ALLOW_UNSIGNED_WEBHOOKS=true and no secret (logged loudly), but never for a tenant with its own secret', async () => {
    const lines: string[] = [];
    const env = { WHATSAPP_APP_SECRET: '', ALLOW_UNSIGNED_WEBHOOKS: 'true' };
    const t = await startTestApp({
      engine,
      env,
      logger: createLogger('warn', { write: (l: string) => void lines.push(l) }),
    });
    try {
      const shop = await seedTenant(t);
      const res = await fetch(`${t.baseUrl}/webhook`, {
        method: 'POST',
        headers: json,
        body: unsigned(shop, 'allowed'),
      });
      expect(res.status).toBe(200);
      expect(await inboundCount(t)).toBe(1);
      const warning = lines
        .map((l) => JSON.parse(l) as { level: number; msg: string })
        .find((l) => l.msg.startsWith('ALLOW_UNSIGNED_WEBHOOKS=true'));
      expect(warning?.level).toBe(40);

      const guarded = await seedTenant(t);
      await t.rows(
        `UPDATE alphadome.bot_tenants SET whatsapp_app_secret = ${lit(TENANT_SECRET)} WHERE id = ${lit(guarded.id)}`,
      );
      const refused = await post(t, unsigned(guarded, 'not for a tenant with a secret'), json);
      expect(refused.status).toBe(401);
      expect(await inboundCount(t)).toBe(1);
    } finally {
      await t.stop();
    }
  });
});

describe('slow clients', () => {
  let t: TestApp;
  beforeAll(async () => {
    // No database work is involved, so one engine is enough. Small limits keep the test short.
    t = await startTestApp({
      engine: 'pglite',
      env: { HTTP_REQUEST_TIMEOUT_MS: '3000', HTTP_HEADERS_TIMEOUT_MS: '1000', WORKER_ENABLED: 'false' },
    });
  });
  afterAll(async () => {
    await t?.stop();
  });

  const host = () => `Host: ${new URL(t.baseUrl).host}\r\n`;

  it('cuts a body sent a byte every 500 ms (request timeout) and headers sent so (headers timeout, sooner), and keeps serving', async () => {
    const body = JSON.stringify({ entry: [] }).padEnd(1_000, ' ');
    const head = `POST /webhook HTTP/1.1\r\n${host()}Content-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const slowBody = trickle(t.baseUrl, head, body, 500, 20_000);
    // Headers arrive a byte every 500 ms: the headers timeout (1 s) cuts them.
    const slowHead = trickle(
      t.baseUrl,
      'POST /webhook HTTP/1.1\r\n',
      `${host()}X-Padding: ${'a'.repeat(200)}\r\n\r\n`,
      500,
      20_000,
    );
    expect(await healthy(t)).toBe(true);
    const [bodyCut, headCut] = await Promise.all([slowBody, slowHead]);
    expect(bodyCut.response).toMatch(/^HTTP\/1\.1 408/);
    expect(headCut.response).toMatch(/^HTTP\/1\.1 408/);
    // Far fewer bytes than were on their way; the head, on a shorter limit, is cut first.
    expect(bodyCut.dripped).toBeLessThan(body.length / 10);
    expect(headCut.elapsedMs).toBeLessThan(bodyCut.elapsedMs);
    expect(await healthy(t)).toBe(true);
  }, 30_000);
});
