import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { ConfigError, loadConfig } from '../../src/config.js';
import { queryRows } from '../../src/adapters/db/database.js';
import { REDACTED_PATHS } from '../../src/logger.js';
import { signatureFor } from '../../src/modules/ingest/webhookSignature.js';
import { FakeAiProvider } from '../fakes/fakeAiProvider.js';
import { FakeGraphApi } from '../fakes/fakeGraphApi.js';
import { seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { TEST_APP_SECRET, eventually, startTestApp } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';

const run = promisify(execFile);
// The spec's Example 1 inserts these, in plain text, by SQL.
const TOKEN = 'EAAX...encrypted...';
const AI_KEY = 'sk-...encrypted...';
const EXAMPLE_1 = { id: '', phone: '254700123456', phoneNumberId: '119202345678901', accessToken: TOKEN };
const hexKey = () => randomBytes(32).toString('hex');

/** What a test needs of a running app; `startTestApp` gives it, and so does `startWithLogs`. */
interface Running {
  graph: FakeGraphApi;
  ai: { openai: FakeAiProvider };
  database: TestDatabase;
  app: {
    reencryptAllSecrets(): Promise<{ rewritten: number; unreadable: number }>;
    database: { runScript(s: string): Promise<void> };
  };
  postWebhook(body: unknown, options?: { secret?: string | null }): Promise<Response>;
  rows<T = Record<string, unknown>>(query: string): Promise<T[]>;
  stop(): Promise<void>;
}

/** The real app on the test fakes, with a trace-level logger whose every line is kept. */
async function startWithLogs(database: TestDatabase, env: Record<string, string>, lines: string[]): Promise<Running> {
  const graph = new FakeGraphApi();
  const openai = new FakeAiProvider('openai');
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  const logger = pino({ level: 'trace', redact: { paths: REDACTED_PATHS, censor: '[redacted]' } }, destination);
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    WHATSAPP_APP_SECRET: TEST_APP_SECRET,
    AI_TIMEOUT_MS: '2000',
    GRAPH_API_BASE_URL: await graph.start(),
    OPENAI_BASE_URL: await openai.start(),
    ...database.env,
    ...env,
  });
  const app = await buildApp(config, logger);
  const baseUrl = (await app.start()).replace('[::1]', '127.0.0.1');
  return {
    graph,
    ai: { openai },
    database,
    app,
    postWebhook: (body, options = {}) => {
      const raw = JSON.stringify(body);
      const secret = options.secret === undefined ? TEST_APP_SECRET : options.secret;
      const headers: Record<string, string> = {
        'content-type': 'application/json',
        ...(secret ? { 'x-hub-signature-256': signatureFor(raw, secret) } : {}),
      };
      return fetch(`${baseUrl}/webhook`, { method: 'POST', headers, body: raw });
    },
    rows: <T>(query: string) => queryRows<T>(app.database.db, sql.raw(query)),
    async stop() {
      await app.stop(2_000);
      await Promise.all([graph.stop(), openai.stop()]);
    },
  };
}

async function runExample1(t: Running): Promise<void> {
  if (t.database.url) {
    await run('psql', ['-v', 'ON_ERROR_STOP=1', '-q', '-d', t.database.url, '-f', 'test/fixtures/specExample1.sql']);
  } else {
    await t.app.database.runScript(await readFile(path.resolve('test/fixtures/specExample1.sql'), 'utf8'));
  }
}

/** Posts one customer message to the tenant and waits until it is sent; returns what Meta got. */
async function ask(t: Running, tenant: SeededTenant, text: string, secret?: string) {
  const message = textMessage('254700444001', text);
  expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }), { secret })).status).toBe(200);
  return eventually(() => t.graph.sentTexts().find((s) => s.replyTo === message['id']));
}

/** Every credential value stored for a tenant, fallback keys included. */
async function storedSecrets(t: Running, tenantId: string): Promise<string[]> {
  const [row] = await t.rows<{
    token: string | null;
    ai: string | null;
    app: string | null;
    fallback: Record<string, string> | null;
  }>(`
    SELECT whatsapp_access_token AS token, ai_api_key AS ai, whatsapp_app_secret AS app, metadata->'fallback_keys' AS fallback
    FROM alphadome.bot_tenants WHERE id = '${tenantId}'`);
  if (!row) throw new Error('no such tenant');
  return [row.token, row.ai, row.app, ...Object.values(row.fallback ?? {})].filter((v): v is string => Boolean(v));
}

/** Every row of every table of schema alphadome, as text. */
async function everyRowAsText(t: Running): Promise<string> {
  const tables = await t.rows<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'alphadome'`,
  );
  expect(tables.map((r) => r.name)).toContain('bot_tenants');
  const texts = await Promise.all(
    tables.map((r) => t.rows<{ row: string }>(`SELECT r::text AS row FROM alphadome."${r.name}" r`)),
  );
  return texts
    .flat()
    .map((r) => r.row)
    .join('\n');
}

const keyIdsOf = (values: string[]) => values.map((v) => /^enc:v2:([^:]+):/.exec(v)?.[1] ?? 'plaintext');

describe.each(testEngines())('credentials at rest (%s)', (engine) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const started = <T extends { stop(): Promise<void> }>(t: T): T => {
    cleanups.push(() => t.stop());
    return t;
  };
  const freshDatabase = async () => {
    const database = await createTestDatabase(engine);
    cleanups.push(() => database.drop());
    return database;
  };

  it("encrypts the spec's Example 1 plain text in place within moments, and still answers with the real token", async () => {
    const t = started(await startTestApp({ engine }));
    await runExample1(t);
    const [tenant] = await t.rows<{ id: string }>(
      `SELECT id FROM alphadome.bot_tenants WHERE client_phone = '254700123456'`,
    );
    // No message is needed: the change notification alone gets the row sealed.
    await eventually(async () => {
      const values = await storedSecrets(t, tenant?.id ?? '');
      return values.length === 2 && values.every((v) => v.startsWith('enc:v2:')) ? values : null;
    });
    const everything = await everyRowAsText(t);
    expect(everything).not.toContain(TOKEN);
    expect(everything).not.toContain(AI_KEY);
    if (
      t.database.url &&
      (await run('pg_dump', ['--version']).then(
        () => true,
        () => false,
      ))
    ) {
      const { stdout } = await run('pg_dump', ['--data-only', '-d', t.database.url], { maxBuffer: 64 * 1024 * 1024 });
      expect(stdout).toContain('enc:v2:');
      expect(stdout).not.toContain(TOKEN);
      expect(stdout).not.toContain(AI_KEY);
    }

    const faq = await ask(t, EXAMPLE_1, 'What are your business hours?');
    expect(faq).toMatchObject({ phoneNumberId: '119202345678901', authorization: `Bearer ${TOKEN}` });
    t.ai.openai.reply = 'We sell guitars.';
    const viaAi = await ask(t, EXAMPLE_1, 'Do you sell guitars?');
    expect(viaAi).toMatchObject({ body: 'We sell guitars.', authorization: `Bearer ${TOKEN}` });
    expect(t.ai.openai.requests.at(-1)?.headers.authorization).toBe(`Bearer ${AI_KEY}`);
  });

  it('rotates keys without downtime: old values still open, the command re-seals all, the old key can go', async () => {
    const database = await freshDatabase();
    const [k1, k2] = [hexKey(), hexKey()];
    let t = started(await startTestApp({ engine, database, env: { ENCRYPTION_KEYS: `k1:${k1}` } }));
    const tenant = await seedTenant(t, { aiApiKey: 'sk-rotating-tenant' });
    await t.rows(`UPDATE alphadome.bot_tenants SET whatsapp_app_secret = 'tenant-own-app-secret',
      metadata = '{"fallback_keys": {"openrouter": "sk-or-rotating", "huggingface": "hf_rotating"}}' WHERE id = '${tenant.id}'`);
    await eventually(async () => {
      const ids = keyIdsOf(await storedSecrets(t, tenant.id));
      return ids.length === 5 && ids.every((id) => id === 'k1');
    });
    const before = await storedSecrets(t, tenant.id);
    await t.stop();

    t = started(await startTestApp({ engine, database, env: { ENCRYPTION_KEYS: `k2:${k2},k1:${k1}` } }));
    // Signed with the tenant's own app secret, so that secret is decrypted too.
    expect(await ask(t, tenant, 'hello after the new key arrived', 'tenant-own-app-secret')).toMatchObject({
      authorization: `Bearer ${tenant.accessToken}`,
    });
    expect(t.ai.openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-rotating-tenant');
    expect(await t.app.reencryptAllSecrets()).toEqual({ rewritten: 5, unreadable: 0 });
    const after = await storedSecrets(t, tenant.id);
    expect(keyIdsOf(after)).toEqual(['k2', 'k2', 'k2', 'k2', 'k2']);
    expect(after.some((v) => before.includes(v))).toBe(false);
    expect(await t.app.reencryptAllSecrets()).toEqual({ rewritten: 0, unreadable: 0 });
    await t.stop();

    t = started(await startTestApp({ engine, database, env: { ENCRYPTION_KEYS: `k2:${k2}` } }));
    expect(await ask(t, tenant, 'hello with only the new key', 'tenant-own-app-secret')).toMatchObject({
      authorization: `Bearer ${tenant.accessToken}`,
    });
    // The tenant's provider fails: its fallback key for the next provider is decrypted and used.
    t.ai.openai.failAll(500);
    await ask(t, tenant, 'is anyone there?');
    expect(t.ai.openrouter.requests.at(-1)?.headers.authorization).toBe('Bearer sk-or-rotating');
  });

  it('without the key of the stored values: production refuses to start, otherwise the message fails naming the key id', async () => {
    const database = await freshDatabase();
    const [k1, k2] = [hexKey(), hexKey()];
    const first = started(await startTestApp({ engine, database, env: { ENCRYPTION_KEYS: `k1:${k1}` } }));
    const tenant = await seedTenant(first);
    await eventually(async () => keyIdsOf(await storedSecrets(first, tenant.id)).every((id) => id === 'k1'));
    await first.stop();

    const refusal = await buildApp(
      loadConfig({ ...first.env, NODE_ENV: 'production', ENCRYPTION_KEYS: `k2:${k2}`, LOG_LEVEL: 'silent' }),
    ).then(
      () => null,
      (err: unknown) => err as Error,
    );
    expect(refusal).toBeInstanceOf(ConfigError);
    expect(refusal?.message).toMatch(/key id\(s\) "k1"/);

    const lines: string[] = [];
    const t = started(await startWithLogs(database, { ENCRYPTION_KEYS: `k2:${k2}`, WORKER_MAX_ATTEMPTS: '1' }, lines));
    const message = textMessage('254700444002', 'hello?');
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    const [row] = await eventually(async () => {
      const rows = await t.rows<{ status: string; error_message: string | null }>(
        `SELECT status, error_message FROM alphadome.bot_message_logs WHERE whatsapp_message_id = '${String(message['id'])}'`,
      );
      return rows[0]?.status === 'failed' ? rows : null;
    });
    expect(row?.error_message).toMatch(new RegExp(`whatsapp_access_token of tenant ${tenant.id}.*key id "k1"`));
    expect(row?.error_message).not.toContain(tenant.accessToken);
    expect(t.graph.requests).toHaveLength(0);
    const logged = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        tenantId: tenant.id,
        column: 'whatsapp_access_token',
        keyId: 'k1',
        msg: 'stored credential cannot be decrypted',
      }),
    );
    expect(lines.join('')).not.toContain(tenant.accessToken);
  });

  it('never writes a secret or a key to a log line, from plain-text insert to rotation', async () => {
    const database = await freshDatabase();
    const [k1, k2] = [hexKey(), hexKey()];
    const lines: string[] = [];
    let t = started(await startWithLogs(database, { ENCRYPTION_KEYS: `k1:${k1}` }, lines));
    await runExample1(t);
    const [tenant] = await t.rows<{ id: string }>(
      `SELECT id FROM alphadome.bot_tenants WHERE client_phone = '254700123456'`,
    );
    await eventually(() => lines.some((l) => l.includes('plaintext credentials found')));
    expect(await ask(t, EXAMPLE_1, 'What are your business hours?')).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
    });
    t.graph.failNext(1, { status: 500, body: { error: { message: 'temporary', type: 'OAuthException', code: 2 } } });
    t.ai.openai.failNext(1, { status: 503 });
    await ask(t, EXAMPLE_1, 'Can I pay with M-Pesa?');
    await t.stop();

    t = started(await startWithLogs(database, { ENCRYPTION_KEYS: `k2:${k2},k1:${k1}` }, lines));
    expect((await t.app.reencryptAllSecrets()).rewritten).toBe(2);
    expect(await ask(t, EXAMPLE_1, 'What are your business hours?')).toMatchObject({
      authorization: `Bearer ${TOKEN}`,
    });

    const warning = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l['msg'] === 'plaintext credentials found in the database; encrypted in place');
    expect(warning).toMatchObject({
      level: 40,
      tenantId: tenant?.id,
      columns: expect.arrayContaining(['whatsapp_access_token', 'ai_api_key']),
    });
    const everything = lines.join('');
    expect(lines.length).toBeGreaterThan(5);
    for (const secret of [TOKEN, AI_KEY, 'EAAX', k1, k2]) expect(everything).not.toContain(secret);
  });
});

describe('a malformed encryption key', () => {
  it('stops the start with an error naming the setting, not the value', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'alphadome-badkey-'));
    try {
      const short = randomBytes(16).toString('hex');
      const config = loadConfig({
        NODE_ENV: 'production',
        WHATSAPP_APP_SECRET: 'x',
        ENCRYPTION_KEY: short,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'silent',
      });
      const error = await buildApp(config).then(
        () => null,
        (err: unknown) => err as Error,
      );
      expect(error).toBeInstanceOf(ConfigError);
      expect(error?.message).toMatch(/ENCRYPTION_KEY.*entry 1.*64 hex characters or the base64 of 32 bytes/);
      expect(error?.message).not.toContain(short);
      expect(() => loadConfig({ NODE_ENV: 'production', WHATSAPP_APP_SECRET: 'x' })).toThrow(
        /ENCRYPTION_KEY is required/,
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
