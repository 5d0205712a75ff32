// Stored secrets are bound to where they are stored, and verify tokens are stored hashed: a value
// copied to another tenant's row does not open there, v1 values and clear verify tokens are
// rewritten at start, and GET /webhook still verifies with the token Meta presents.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, queryRows } from '../../src/adapters/db/database.js';
import { createLogger } from '../../src/logger.js';
import { ADMIN_TOKEN, adminClient } from '../support/adminClient.js';
import { sealV1 } from '../support/legacySecret.js';
import { lit, seedTenant, textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp, type TestAppOptions } from '../support/testApp.js';
import { createTestDatabase, testEngines, type Engine, type TestDatabase } from '../support/testDatabase.js';

// testApp's ENCRYPTION_KEYS.
const TEST_KEY = { id: 'test', key: Buffer.from('ab'.repeat(32), 'hex') };
const hexKey = (byte: string) => byte.repeat(32);

interface SecretRow {
  token: string | null;
  ai: string | null;
  app: string | null;
  fallback: Record<string, string> | null;
  verify: string | null;
  verified: boolean;
}

async function secretsOf(t: TestApp, tenantId: string): Promise<SecretRow> {
  const [row] =
    await t.rows<SecretRow>(`SELECT whatsapp_access_token AS token, ai_api_key AS ai, whatsapp_app_secret AS app,
    metadata->'fallback_keys' AS fallback, webhook_verify_token AS verify, is_verified AS verified
    FROM alphadome.bot_tenants WHERE id = ${lit(tenantId)}`);
  if (!row) throw new Error('no such tenant');
  return row;
}

/** Every row of every table of schema alphadome, as text: what a database dump would show. */
async function everyRowAsText(t: TestApp): Promise<string> {
  const tables = await t.rows<{ name: string }>(
    `SELECT tablename AS name FROM pg_tables WHERE schemaname = 'alphadome'`,
  );
  const texts = await Promise.all(
    tables.map((r) => t.rows<{ row: string }>(`SELECT r::text AS row FROM alphadome."${r.name}" r`)),
  );
  return texts
    .flat()
    .map((r) => r.row)
    .join('\n');
}

const verify = (t: TestApp, token: string, challenge = 'challenge-42') =>
  fetch(
    `${t.baseUrl}/webhook?hub.mode=subscribe&hub.verify_token=${encodeURIComponent(token)}&hub.challenge=${challenge}`,
  );

async function expectVerifies(t: TestApp, token: string): Promise<void> {
  const res = await verify(t, token);
  expect(res.status).toBe(200);
  expect(await res.text()).toBe('challenge-42');
}

async function expectRefused(t: TestApp, token: string): Promise<void> {
  const res = await verify(t, token);
  expect(res.status).toBe(401);
  expect(await res.json()).toEqual({ error: 'Invalid webhook token', details: 'hub.verify_token does not match' });
}

describe.each(testEngines())('secrets bound to their tenant and column (%s)', (engine: Engine) => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  const start = async (options: Omit<TestAppOptions, 'engine'> = {}): Promise<TestApp> => {
    const t = await startTestApp({ engine, ...options });
    cleanups.push(() => t.stop());
    return t;
  };
  const freshDatabase = async (): Promise<TestDatabase> => {
    const database = await createTestDatabase(engine);
    cleanups.push(() => database.drop());
    return database;
  };
  const sealed = (t: TestApp, ids: string[]) =>
    eventually(async () => {
      const rows = await Promise.all(ids.map((id) => secretsOf(t, id)));
      return rows.every((r) => r.token?.startsWith('enc:v2:') && r.ai?.startsWith('enc:v2:'));
    });
  async function ask(t: TestApp, tenant: SeededTenant, text: string) {
    const message = textMessage('254700555001', text);
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [message] }))).status).toBe(200);
    return eventually(() => t.graph.sentTexts().find((s) => s.replyTo === message['id']));
  }

  it("refuses a token copied from one tenant's row to another's: B is not answered with A's token, and the log says why", async () => {
    const raw: string[] = [];
    const t = await start({
      env: { WORKER_MAX_ATTEMPTS: '1' },
      logger: createLogger('debug', { write: (line: string) => void raw.push(line) }),
    });
    const a = await seedTenant(t, { name: 'Tenant A' });
    const b = await seedTenant(t, { name: 'Tenant B' });
    await sealed(t, [a.id, b.id]);
    await t.rows(`UPDATE alphadome.bot_tenants SET whatsapp_access_token =
      (SELECT whatsapp_access_token FROM alphadome.bot_tenants WHERE id = ${lit(a.id)}) WHERE id = ${lit(b.id)}`);
    const copied = (await secretsOf(t, a.id)).token;
    const requestsBefore = t.graph.requests.length;

    const message = textMessage('254700555002', 'hello from a customer of B');
    expect((await t.postWebhook(webhookPayload({ tenant: b, messages: [message] }))).status).toBe(200);
    const row = await eventually(async () => {
      const [r] = await t.rows<{ status: string; error_message: string | null }>(
        `SELECT status, error_message FROM alphadome.bot_message_logs WHERE whatsapp_message_id = ${lit(String(message['id']))}`,
      );
      return r?.status === 'failed' ? r : null;
    });
    expect(row.error_message).toMatch(
      new RegExp(`whatsapp_access_token of tenant ${b.id}.*copied from another tenant or column`),
    );
    const sinceCopy = t.graph.requests.slice(requestsBefore);
    expect(sinceCopy.filter((r) => r.headers.authorization === `Bearer ${a.accessToken}`)).toEqual([]);
    expect(sinceCopy.filter((r) => r.path.includes(b.phoneNumberId))).toEqual([]);
    const logged = raw.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged).toContainEqual(
      expect.objectContaining({
        level: 50,
        tenantId: b.id,
        column: 'whatsapp_access_token',
        keyId: 'test',
        msg: 'stored credential cannot be decrypted',
        error: expect.stringContaining('copied from another tenant or column'),
      }),
    );
    expect(raw.join('')).not.toContain(a.accessToken);
    // The background migration leaves it unreadable: it is never re-sealed as B's.
    expect((await secretsOf(t, b.id)).token).toBe(copied);
    // A's own customers are still answered with A's token.
    expect(await ask(t, a, 'hello from a customer of A')).toMatchObject({ authorization: `Bearer ${a.accessToken}` });
  });

  it('rewrites v1 values as v2 and hashes a clear verify token at start, before the first request', async () => {
    const database = await freshDatabase();
    const opened = await openDatabase({ databaseUrl: database.url, dataDir: database.dataDir ?? '' });
    const v1 = (plain: string) => sealV1(TEST_KEY.id, TEST_KEY.key, plain);
    const [inserted] = await queryRows<{ id: string }>(
      opened.db,
      sql.raw(`INSERT INTO alphadome.bot_tenants
      (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token, ai_provider, ai_model, ai_api_key,
       whatsapp_app_secret, webhook_verify_token, is_verified, metadata)
      VALUES ('Legacy Shop', '254700777001', '119202777001', ${lit(v1('EAAlegacy-token'))}, 'openai', 'gpt-4o-mini',
       ${lit(v1('sk-legacy-key'))}, ${lit(v1('legacy-app-secret'))}, 'legacy-verify-token-0001', false,
       ${lit(JSON.stringify({ fallback_keys: { openrouter: v1('sk-or-legacy') } }))}::jsonb) RETURNING id`),
    );
    await opened.close();
    const id = inserted?.id ?? '';

    const raw: string[] = [];
    const t = await start({
      database,
      logger: createLogger('debug', { write: (line: string) => void raw.push(line) }),
    });
    // No waiting: the start itself rewrote them.
    const row = await secretsOf(t, id);
    for (const value of [row.token, row.ai, row.app, row.fallback?.['openrouter']])
      expect(value).toMatch(/^enc:v2:test:/);
    expect(row.verify).toMatch(/^hmac:v1:test:[A-Za-z0-9_-]{43}$/);
    const dump = await everyRowAsText(t);
    for (const clear of ['legacy-verify-token-0001', 'enc:v1:']) expect(dump).not.toContain(clear);
    expect(raw.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        tenantId: id,
        msg: 'v1 credentials re-encrypted as v2, bound to their tenant and column',
        columns: expect.arrayContaining([
          'whatsapp_access_token',
          'ai_api_key',
          'whatsapp_app_secret',
          'fallback_keys.openrouter',
        ]),
      }),
    );

    const tenant = { id, phone: '254700777001', phoneNumberId: '119202777001', accessToken: 'EAAlegacy-token' };
    expect(await ask(t, tenant, 'Do you sell drums?')).toMatchObject({ authorization: 'Bearer EAAlegacy-token' });
    expect(t.ai.openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-legacy-key');
    await expectVerifies(t, 'legacy-verify-token-0001');
    expect((await secretsOf(t, id)).verified).toBe(true);
    await expectRefused(t, 'legacy-verify-token-0002');
    // The stored hash is not a token: a database dump does not let anyone verify a webhook.
    await expectRefused(t, row.verify ?? '');
  });

  it("keeps the spec's contract: a tenant inserted by its SQL with a clear verify token verifies, and the token is hashed within moments", async () => {
    const t = await start();
    await t.app.database.runScript(await readFile(path.resolve('test/fixtures/specExample1.sql'), 'utf8'));
    await expectVerifies(t, 'verify_token_123');
    await eventually(async () => !(await everyRowAsText(t)).includes('verify_token_123'));
    const [row] = await t.rows<{ verify: string }>(
      `SELECT webhook_verify_token AS verify FROM alphadome.bot_tenants WHERE client_phone = '254700123456'`,
    );
    expect(row?.verify).toMatch(/^hmac:v1:test:/);
    await expectVerifies(t, 'verify_token_123');
    await expectRefused(t, 'verify_token_124');
  });

  it('stores a verify token set through the API as a hash, shows only that it is set, and keeps tokens unique', async () => {
    const t = await start({ env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    const admin = adminClient(t.baseUrl);
    const [a, b] = [await seedTenant(t), await seedTenant(t)];
    const token = 'admin-chosen-verify-token-0123456789';
    const patched = await admin.call('PATCH', `/api/v1/tenants/${a.id}`, { body: { webhook_verify_token: token } });
    expect(patched.status).toBe(200);
    expect(patched.body.webhook_verify_token).toBe('[set]');
    expect((await secretsOf(t, a.id)).verify).toMatch(/^hmac:v1:test:/);
    expect(await everyRowAsText(t)).not.toContain(token);
    expect(patched.text).not.toContain(token);
    await expectVerifies(t, token);
    const duplicate = await admin.call('PATCH', `/api/v1/tenants/${b.id}`, { body: { webhook_verify_token: token } });
    expect(duplicate.status).toBe(409);
    expect((await secretsOf(t, b.id)).verify).toBeNull();
  });

  it('verifies through a key rotation: a hash under the old key still matches and is re-hashed under the new one', async () => {
    const database = await freshDatabase();
    const [k1, k2] = [hexKey('11'), hexKey('22')];
    let t = await start({ database, env: { ENCRYPTION_KEYS: `k1:${k1}` } });
    const tenant = await seedTenant(t);
    await t.rows(
      `UPDATE alphadome.bot_tenants SET webhook_verify_token = 'rotating-verify-token-01' WHERE id = ${lit(tenant.id)}`,
    );
    await eventually(async () => (await secretsOf(t, tenant.id)).verify?.startsWith('hmac:v1:k1:'));
    await t.stop();

    const raw: string[] = [];
    t = await start({
      database,
      env: { ENCRYPTION_KEYS: `k2:${k2},k1:${k1}` },
      logger: createLogger('info', { write: (line: string) => void raw.push(line) }),
    });
    expect(await t.app.reencryptAllSecrets()).toEqual({ rewritten: 2, unreadable: 0 });
    // Only the token can be re-hashed: the rotation says which tenants still depend on the old key.
    expect(raw.map((l) => JSON.parse(l) as Record<string, unknown>)).toContainEqual(
      expect.objectContaining({
        level: 40,
        tenants: [tenant.id],
        msg: expect.stringContaining('webhook verify tokens hashed under an older key'),
      }),
    );
    expect(raw.join('')).not.toContain('rotating-verify-token-01');
    expect((await secretsOf(t, tenant.id)).token).toMatch(/^enc:v2:k2:/);
    await expectVerifies(t, 'rotating-verify-token-01');
    expect((await secretsOf(t, tenant.id)).verify).toMatch(/^hmac:v1:k2:/);
    await t.stop();

    t = await start({ database, env: { ENCRYPTION_KEYS: `k2:${k2}` } });
    await expectVerifies(t, 'rotating-verify-token-01');
    expect(await ask(t, tenant, 'hello with only the new key')).toMatchObject({
      authorization: `Bearer ${tenant.accessToken}`,
    });
  });
});
