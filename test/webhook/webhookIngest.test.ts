import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CORPUS_DIR, corpusFiles } from '../support/corpus.js';
import { signatureFor } from '../../src/modules/ingest/webhookSignature.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { TEST_APP_SECRET, eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { testEngines } from '../support/testDatabase.js';

const CORPUS = path.join(CORPUS_DIR, 'whatsapp-webhooks');

describe.each(testEngines())('POST /webhook (%s)', (engine) => {
  let t: TestApp;
  let tenant: SeededTenant;
  beforeAll(async () => {
    // The default tenant receives corpus payloads addressed to numbers nobody registered.
    t = await startTestApp({ engine, env: { DEFAULT_BRAND_ID: 'brand-default' } });
    tenant = await seedTenant(t);
    await t.rows(`UPDATE alphadome.bot_tenants SET brand_id = 'brand-default' WHERE id = '${tenant.id}'`);
  });
  afterAll(async () => {
    await t.stop();
  });

  const inboundCount = async () =>
    Number(
      (
        await t.rows<{ n: string }>(`SELECT count(*) AS n FROM alphadome.bot_message_logs WHERE direction = 'inbound'`)
      )[0]?.n,
    );
  const healthy = async () => (await fetch(`${t.baseUrl}/healthz`)).status === 200;

  it('accepts every corpus payload, signed, with 200, and stays healthy', async () => {
    const files = corpusFiles('whatsapp-webhooks');
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const raw = await readFile(path.join(CORPUS, file));
      const res = await fetch(`${t.baseUrl}/webhook`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureFor(raw, TEST_APP_SECRET) },
        body: raw,
      });
      expect({ file, status: res.status }).toEqual({ file, status: 200 });
      expect(((await res.json()) as { status: string }).status).toBe('received');
    }
    expect(await healthy()).toBe(true);
  });

  describe('refuses bad input with a clear 4xx and stores nothing', () => {
    const good = () => JSON.stringify(webhookPayload({ tenant, messages: [textMessage('254700222001', 'hello')] }));
    const cases: { name: string; status: number; send: () => RequestInit }[] = [
      { name: 'malformed JSON', status: 400, send: () => signed('{"object": "whatsapp_business_account", "entry": [') },
      { name: 'JSON without entry', status: 400, send: () => signed('{"object":"whatsapp_business_account"}') },
      { name: 'empty body', status: 400, send: () => signed('') },
      {
        name: 'missing signature',
        status: 401,
        send: () => ({ method: 'POST', headers: { 'content-type': 'application/json' }, body: good() }),
      },
      { name: 'wrong signature', status: 401, send: () => signed(good(), 'not-the-secret') },
      {
        name: 'malformed signature header',
        status: 401,
        send: () => ({
          method: 'POST',
          headers: { 'content-type': 'application/json', 'x-hub-signature-256': 'sha1=abc' },
          body: good(),
        }),
      },
      { name: 'wrong content type, signed', status: 415, send: () => withType(signed(good()), 'text/plain') },
      {
        name: 'body over 3 MB',
        status: 413,
        send: () => signed(JSON.stringify({ object: 'x', entry: [], pad: 'x'.repeat(3 * 1024 * 1024 + 10) })),
      },
    ];
    for (const c of cases) {
      it(c.name, async () => {
        const before = await inboundCount();
        const res = await fetch(`${t.baseUrl}/webhook`, c.send());
        expect(res.status).toBe(c.status);
        const body = (await res.json()) as { error: string; details: string };
        expect(typeof body.error).toBe('string');
        expect(body.details.length).toBeGreaterThan(0);
        expect(JSON.stringify(body)).not.toMatch(/at .*\.(ts|js):\d+/);
        expect(await inboundCount()).toBe(before);
        expect(await healthy()).toBe(true);
      });
    }
  });

  it('accepts a payload just under 3 MB', async () => {
    const message = textMessage('254700222002', 'big one');
    const payload = {
      ...webhookPayload({ tenant, messages: [message] }),
      padding: 'p'.repeat(3 * 1024 * 1024 - 2_000),
    };
    const res = await t.postWebhook(payload);
    expect(res.status).toBe(200);
  });

  it('stores every message and status of a batch: several messages, changes and entries', async () => {
    const other = await seedTenant(t);
    const messages = [1, 2, 3].map((i) => textMessage('254700222010', `batch message ${i}`));
    const elsewhere = textMessage('254700222011', 'for the other tenant');
    const payload = webhookPayload({ tenant, messages }, { tenant: other, messages: [elsewhere] });
    // A second change inside the first entry, carrying one more message.
    const extra = textMessage('254700222012', 'second change');
    (payload['entry'] as { changes: unknown[] }[])[0]?.changes.push(
      (webhookPayload({ tenant, messages: [extra] })['entry'] as { changes: unknown[] }[])[0]?.changes[0],
    );
    const res = await t.postWebhook(payload);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { message_id: string; message_ids: string[] };
    expect(body.message_ids).toHaveLength(5);
    const rows = await t.rows<{ bot_tenant_id: string; whatsapp_message_id: string }>(
      `SELECT bot_tenant_id, whatsapp_message_id FROM alphadome.bot_message_logs WHERE direction = 'inbound'
       AND whatsapp_message_id IN (${[...messages, elsewhere, extra].map((m) => `'${String(m['id'])}'`).join(',')})`,
    );
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.whatsapp_message_id === elsewhere['id'])?.bot_tenant_id).toBe(other.id);
    await eventually(
      () =>
        t.graph.sentTexts().filter((s) => ['254700222010', '254700222011', '254700222012'].includes(s.to)).length === 5,
    );
  });

  it('answers 200 before any answering work: a slow Graph API does not slow ingest', async () => {
    t.graph.delayMs = 1_500;
    try {
      const started = Date.now();
      const res = await t.postWebhook(webhookPayload({ tenant, messages: [textMessage('254700222020', 'quick?')] }));
      expect(res.status).toBe(200);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      t.graph.delayMs = 0;
    }
  });
});

function withType(init: RequestInit, contentType: string): RequestInit {
  return { ...init, headers: { ...(init.headers as Record<string, string>), 'content-type': contentType } };
}

function signed(body: string, secret = TEST_APP_SECRET): RequestInit {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureFor(body, secret) },
    body,
  };
}
