import { connect } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lit, seedFaq, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { samplesOf, valueOf } from '../support/prometheusText.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const METRICS_TOKEN = 'metrics-token-for-tests';

describe.each(testEngines())('operations: /healthz, /readyz, /metrics (%s)', (engine) => {
  let t: TestApp;
  let shop: SeededTenant;
  let customerNo = 0;

  beforeAll(async () => {
    t = await startTestApp({ engine, env: { METRICS_TOKEN } });
    shop = await seedTenant(t, { name: 'Metrics Music Shop' });
    // Read receipts off: the only Graph calls are the replies, so a programmed failure hits a send.
    await t.rows(`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, metadata)
      VALUES (${lit(shop.id)}, '{"read_receipts": false, "typing_indicator": false}'::jsonb)`);
    await seedFaq(t, shop.id, 'What are your opening hours?', 'We open at 9 and close at 6.', 10, 0.95);
  });
  afterAll(async () => {
    await t.stop();
  });
  afterEach(() => {
    for (const provider of Object.values(t.ai)) provider.recover();
    t.ai.openai.delayMs = 0;
  });

  const customer = () => `2547440${String(++customerNo).padStart(5, '0')}`;
  const scrape = async () => {
    const res = await fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${METRICS_TOKEN}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
    return res.text();
  };
  const inboundStatus = async (wamid: string) =>
    (
      await t.rows<{ status: string }>(
        `SELECT status FROM alphadome.bot_message_logs WHERE direction = 'inbound' AND whatsapp_message_id = ${lit(wamid)}`,
      )
    )[0]?.status;
  const settled = (wamid: string) =>
    eventually(async () => {
      const status = await inboundStatus(wamid);
      return status && status !== 'pending' && status !== 'processing' ? status : null;
    });

  it('GET /healthz answers 200 and GET /readyz says ready on a migrated database', async () => {
    const health = await fetch(`${t.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', database: 'ok', migrations: 'applied' });
  });

  it('GET /readyz answers 503 naming a migration missing from the migrations table, and 200 once it is back', async () => {
    const [removed] = await t.rows<{ hash: string; created_at: string }>(`DELETE FROM drizzle.__drizzle_migrations
      WHERE created_at = (SELECT max(created_at) FROM drizzle.__drizzle_migrations) RETURNING hash, created_at`);
    expect(removed).toBeDefined();
    const res = await fetch(`${t.baseUrl}/readyz`);
    expect(res.status).toBe(503);
    const body = (await res.json()) as { error: string; details: string };
    expect(Object.keys(body).sort()).toEqual(['details', 'error']);
    expect(body.details).toMatch(/^migrations not applied: \d{4}_\w+$/);

    await t.rows(
      `INSERT INTO drizzle.__drizzle_migrations (hash, created_at) VALUES (${lit(removed!.hash)}, ${removed!.created_at})`,
    );
    expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(200);
  });

  it('GET /metrics needs the bearer token when METRICS_TOKEN is set; the probes do not', async () => {
    const refused: Record<string, string>[] = [
      {},
      { authorization: 'Bearer wrong-token' },
      { authorization: METRICS_TOKEN },
    ];
    for (const headers of refused) {
      const res = await fetch(`${t.baseUrl}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect(res.headers.get('www-authenticate')).toBe('Bearer');
      const body = (await res.json()) as Record<string, string>;
      expect(body).toEqual({ error: 'Unauthorized', details: expect.stringContaining('Authorization: Bearer') });
    }
    const text = await scrape();
    expect(text).toContain('# TYPE alphadome_messages_ingested_total counter');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
    expect((await fetch(`${t.baseUrl}/readyz`)).status).toBe(200);
  });

  it('counts webhook requests and ingested messages by outcome, and FAQ replies with their latency', async () => {
    const before = await scrape();
    const messages = [customer(), customer(), customer()].map((from) =>
      textMessage(from, 'what are your opening hours'),
    );
    expect((await t.postWebhook(webhookPayload({ tenant: shop, messages }))).status).toBe(200);
    const stranger = { id: 'x', phone: '254799999999', phoneNumberId: '999000111222', accessToken: 'none' };
    expect(
      (await t.postWebhook(webhookPayload({ tenant: stranger, messages: [textMessage(customer(), 'hello?')] }))).status,
    ).toBe(200);
    expect(
      (
        await t.postWebhook(webhookPayload({ tenant: shop, messages: [textMessage(customer(), 'hi')] }), {
          secret: 'not-the-secret',
        })
      ).status,
    ).toBe(401);
    for (const m of messages) expect(await settled(String(m['id']))).toBe('answered');

    const after = await scrape();
    const rise = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(rise('alphadome_messages_ingested_total', { outcome: 'stored' })).toBe(3);
    expect(rise('alphadome_messages_ingested_total', { outcome: 'unrouted' })).toBe(1);
    expect(rise('alphadome_messages_ingested_total', { outcome: 'refused' })).toBe(0);
    expect(rise('alphadome_webhook_requests_total', { method: 'POST', status: '200' })).toBe(2);
    expect(rise('alphadome_webhook_requests_total', { method: 'POST', status: '401' })).toBe(1);
    expect(rise('alphadome_replies_sent_total', { source: 'faq' })).toBe(3);
    expect(rise('alphadome_answer_latency_seconds_count', { source: 'faq' })).toBe(3);
    expect(rise('alphadome_answer_latency_seconds_bucket', { source: 'faq', le: '+Inf' })).toBe(3);
    expect(rise('alphadome_answer_latency_seconds_count', { source: 'ai' })).toBe(0);
    // No tenant becomes a label value: tenants' figures are not the operator's to scrape.
    expect(after).not.toContain(shop.id);
    expect(after).not.toContain(shop.phoneNumberId);
  });

  it('shows the event-loop lag since the previous scrape: a 400 ms block of the loop is in the max', async () => {
    await scrape();
    // The app runs in this process: blocking here blocks its event loop, as a heavy parse would.
    const blockedUntil = performance.now() + 400;
    while (performance.now() < blockedUntil);
    const text = await scrape();
    expect(text).toContain('# TYPE alphadome_event_loop_lag_seconds gauge');
    const lag = (stat: string) => valueOf(text, 'alphadome_event_loop_lag_seconds', { stat });
    expect(lag('max')).toBeGreaterThanOrEqual(0.3);
    expect(lag('p99')).toBeGreaterThan(0);
    expect(lag('p50')).toBeGreaterThan(0);
    expect(lag('p50')).toBeLessThanOrEqual(lag('max'));
    expect(samplesOf(text, 'alphadome_event_loop_lag_seconds').map((s) => Object.keys(s.labels))).toEqual([
      ['stat'],
      ['stat'],
      ['stat'],
    ]);
  });

  it('shows the queue: a message being answered and one waiting behind it in the same conversation', async () => {
    t.ai.openai.delayMs = 1_500;
    const from = customer();
    const first = textMessage(from, 'Tell me about your violins');
    const second = textMessage(from, 'And your cellos?');
    const aiCallsBefore = t.ai.openai.requests.length;
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [first, second] }));
    await eventually(() => t.ai.openai.requests.length > aiCallsBefore);

    const during = await scrape();
    expect(valueOf(during, 'alphadome_queue_depth', { state: 'processing' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(during, 'alphadome_queue_depth', { state: 'pending' })).toBeGreaterThanOrEqual(1);
    expect(valueOf(during, 'alphadome_queue_oldest_pending_age_seconds')).toBeGreaterThan(0);

    expect(await settled(String(second['id']))).toBe('answered');
    const idle = await scrape();
    expect(valueOf(idle, 'alphadome_queue_depth', { state: 'pending' })).toBe(0);
    expect(valueOf(idle, 'alphadome_queue_depth', { state: 'processing' })).toBe(0);
    expect(valueOf(idle, 'alphadome_queue_oldest_pending_age_seconds')).toBe(0);
  });

  it('counts an AI provider failure, the fallback that answered, and the AI reply by source', async () => {
    const before = await scrape();
    t.ai.openai.failAll(500);
    t.ai.openrouter.reply = 'Answer from OpenRouter';
    const message = textMessage(customer(), 'Do you repair saxophones?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    expect(await settled(String(message['id']))).toBe('answered');

    const after = await scrape();
    const rise = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(rise('alphadome_ai_provider_errors_total', { provider: 'openai', reason: 'http_5xx' })).toBe(1);
    expect(rise('alphadome_ai_fallbacks_total', { provider: 'openrouter' })).toBe(1);
    expect(rise('alphadome_replies_sent_total', { source: 'ai' })).toBe(1);
    expect(rise('alphadome_answer_latency_seconds_count', { source: 'ai' })).toBe(1);
  });

  it("counts a Graph API send refused with Meta's code 131047 under that code, and no reply sent", async () => {
    const before = await scrape();
    t.graph.failNext(1, {
      status: 400,
      body: {
        error: {
          message: 'Re-engagement message',
          type: 'OAuthException',
          code: 131047,
          error_data: { messaging_product: 'whatsapp', details: 'More than 24 hours have passed' },
          fbtrace_id: 'AbC',
        },
      },
    });
    const message = textMessage(customer(), 'What are your opening hours?');
    await t.postWebhook(webhookPayload({ tenant: shop, messages: [message] }));
    expect(await settled(String(message['id']))).toBe('failed');

    const after = await scrape();
    const rise = (name: string, labels: Record<string, string>) =>
      valueOf(after, name, labels) - valueOf(before, name, labels);
    expect(rise('alphadome_graph_send_errors_total', { code: '131047', status: '400' })).toBe(1);
    expect(rise('alphadome_replies_sent_total', { source: 'faq' })).toBe(0);
    expect(
      samplesOf(after, 'alphadome_graph_send_errors_total').every((s) => /^(\d+|none)$/.test(s.labels['code'] ?? '')),
    ).toBe(true);
  });
});

describe.each(testEngines())('operations when the database or the process goes away (%s)', (engine) => {
  it('GET /readyz answers 503 when the database is closed, while /healthz and /metrics still answer', async () => {
    const t = await startTestApp({ engine });
    try {
      await t.app.database.close();
      const res = await fetch(`${t.baseUrl}/readyz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ error: 'Service unavailable', details: 'the database did not answer' });
      expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);
      const metrics = await fetch(`${t.baseUrl}/metrics`);
      expect(metrics.status).toBe(200);
      expect(Number.isNaN(valueOf(await metrics.text(), 'alphadome_queue_oldest_pending_age_seconds'))).toBe(true);
    } finally {
      // The database is already closed, so the app's own stop cannot close it again.
      await t.stop().catch(() => undefined);
      await Promise.all([t.graph.stop(), ...Object.values(t.ai).map((p) => p.stop())]);
      await t.database.drop();
    }
  });

  it('GET /readyz answers 503 in the spec shape once shutdown has begun, without touching the database', async () => {
    const t = await startTestApp({ engine });
    const { port } = new URL(t.baseUrl);
    const socket = connect(Number(port), '127.0.0.1');
    const received: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => received.push(chunk));
    const ended = new Promise((resolve) => socket.on('close', resolve));
    try {
      await new Promise((resolve) => socket.once('connect', resolve));
      // A request under way keeps its connection through close(): send its first line now...
      socket.write('GET /readyz HTTP/1.1\r\nHost: localhost\r\n');
      await new Promise((resolve) => setTimeout(resolve, 100));
      const stopping = t.stop();
      await eventually(() => !t.app.server.server.listening);
      // ...and the end of its headers once the server has begun to shut down.
      socket.write('\r\n');
      await ended;
      await stopping;
      const response = Buffer.concat(received).toString('utf8');
      expect(response).toMatch(/^HTTP\/1\.1 503 /);
      const body = JSON.parse(response.slice(response.indexOf('\r\n\r\n') + 4)) as unknown;
      expect(body).toEqual({ error: 'Service unavailable', details: 'the server is shutting down' });
    } finally {
      socket.destroy();
    }
  });
});
