// Safe defaults, through real HTTP: a production start refuses a short admin token; failed
// authentications are throttled per client address, logged without the token and counted;
// every answer carries the security headers; DATA_DIR and the key file are owner-only; the FAQ
// CSV export cannot run formulas in a spreadsheet and imports back to the same text.
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { CONTENT_SECURITY_POLICY } from '../../src/http/securityHeaders.js';
import { createLogger } from '../../src/logger.js';
import { ADMIN_TOKEN, adminClient } from '../support/adminClient.js';
import { valueOf } from '../support/prometheusText.js';
import { seedTenant } from '../support/seed.js';
import { startTestApp, TEST_APP_SECRET, TEST_VERIFY_TOKEN, type TestApp } from '../support/testApp.js';
import { createTestDatabase, testEngines } from '../support/testDatabase.js';

const PRODUCTION = {
  NODE_ENV: 'production',
  WHATSAPP_APP_SECRET: TEST_APP_SECRET,
  ENCRYPTION_KEY: 'cd'.repeat(32),
  LOG_LEVEL: 'silent',
};
const TOKEN_31 = 'p'.repeat(31);
const TOKEN_32 = 'q'.repeat(32);
const WRONG_TOKEN = 'wrong-token-do-not-log-7f3a9c';
const FAILURES = 'alphadome_auth_failures_total';
const METRICS_TOKEN = 'metrics-token-for-the-proxy-tests';

interface LogLine {
  level: number;
  msg: string;
  [key: string]: unknown;
}

function capturedLogger() {
  const raw: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void raw.push(line) });
  return { logger, raw, lines: () => raw.map((line) => JSON.parse(line) as LogLine) };
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const metricsOf = async (t: TestApp) => (await fetch(`${t.baseUrl}/metrics`)).text();

describe('a production start and the length of ADMIN_API_TOKEN', () => {
  it('refuses 31 characters with a clear error that does not echo the token, accepts 32 or none', () => {
    let error: unknown;
    try {
      loadConfig({ ...PRODUCTION, ADMIN_API_TOKEN: TOKEN_31 });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(
      /ADMIN_API_TOKEN must be at least 32 characters when NODE_ENV=production \(it has 31\)/,
    );
    expect((error as Error).message).not.toContain(TOKEN_31);
    expect(loadConfig({ ...PRODUCTION, ADMIN_API_TOKEN: TOKEN_32 }).adminApiToken).toBe(TOKEN_32);
    expect(loadConfig({ ...PRODUCTION }).adminApiToken).toBeNull();
    // Outside production a short token still works (development convenience).
    expect(loadConfig({ NODE_ENV: 'development', ADMIN_API_TOKEN: 'short' }).adminApiToken).toBe('short');
  });

  it('the server process exits 1 and says why', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'alphadome-start-'));
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: {
          PATH: process.env['PATH'] ?? '',
          ...PRODUCTION,
          DATA_DIR: dataDir,
          PORT: '0',
          HOST: '127.0.0.1',
          ADMIN_API_TOKEN: TOKEN_31,
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(output.trim()).toBe(
        'Cannot start: ADMIN_API_TOKEN must be at least 32 characters when NODE_ENV=production (it has 31); make one with: openssl rand -hex 32',
      );
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe.each(testEngines())('safe defaults (%s)', (engine) => {
  it('starts in production with a 32-character admin token, which then works', async () => {
    const t = await startTestApp({ engine, env: { ...PRODUCTION, ENCRYPTION_KEY: '', ADMIN_API_TOKEN: TOKEN_32 } });
    try {
      expect((await adminClient(t.baseUrl, TOKEN_32).call('GET', '/api/v1/tenants')).status).toBe(200);
    } finally {
      await t.stop();
    }
  });

  describe('failed authentications from one address (no proxy trusted)', () => {
    const log = capturedLogger();
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN }, logger: log.logger });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('answers 401 twenty times, then 429 with Retry-After, even to the right token; logs and counts each', async () => {
      const api = adminClient(t.baseUrl);
      const statuses: number[] = [];
      let last: Awaited<ReturnType<typeof api.call>> | null = null;
      for (let i = 0; i < 25; i += 1) {
        last = await api.call('GET', '/api/v1/tenants', { token: i % 5 === 0 ? null : WRONG_TOKEN });
        statuses.push(last.status);
      }
      expect(statuses).toEqual([...Array<number>(20).fill(401), ...Array<number>(5).fill(429)]);
      expect(last?.body).toEqual({
        error: 'Too many requests',
        details: expect.stringMatching(/^Too many failed authentications from this address; try again in \d+ s$/),
      });
      const retryAfter = Number(last?.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, String(retryAfter)).toBe(true);

      // Once throttled, the address waits out its window whatever it sends; X-Forwarded-For is not believed.
      const good = await fetch(`${t.baseUrl}/api/v1/tenants`, {
        headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-forwarded-for': '198.51.100.20' },
      });
      expect(good.status).toBe(429);
      expect(good.headers.get('cache-control')).toBe('no-store');
      // The rest of the server is not affected.
      expect((await fetch(`${t.baseUrl}/healthz`)).status).toBe(200);

      const failures = log.lines().filter((l) => l.msg === 'admin API authentication failed');
      expect(failures).toHaveLength(20);
      expect(failures[0]).toMatchObject({
        level: 40,
        address: '127.0.0.1',
        method: 'GET',
        route: '/api/v1/tenants',
        reason: 'missing',
      });
      expect(failures[1]).toMatchObject({
        level: 40,
        address: '127.0.0.1',
        route: '/api/v1/tenants',
        reason: 'invalid',
      });
      expect(log.lines().filter((l) => l.msg.startsWith('admin API: too many failed authentications'))).toHaveLength(1);
      expect(log.raw.join('\n')).not.toContain(WRONG_TOKEN);

      const metrics = await metricsOf(t);
      expect(valueOf(metrics, FAILURES, { reason: 'missing' })).toBe(4);
      expect(valueOf(metrics, FAILURES, { reason: 'invalid' })).toBe(16);
      expect(valueOf(metrics, FAILURES, { reason: 'throttled' })).toBe(6);
      expect(metrics).not.toMatch(/alphadome_auth_failures_total\{[^}]*tenant/);
    });
  });

  describe('behind a trusted proxy (TRUST_PROXY=true, X-Forwarded-For)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        engine,
        env: {
          ADMIN_API_TOKEN: ADMIN_TOKEN,
          METRICS_TOKEN,
          TRUST_PROXY: 'true',
          AUTH_FAILURE_BURST: '3',
          AUTH_FAILURE_WINDOW_S: '1',
        },
      });
    });
    afterAll(async () => {
      await t?.stop();
    });
    const from = (address: string, token: string) =>
      fetch(`${t.baseUrl}/api/v1/tenants`, {
        headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address },
      });

    it('throttles each client address on its own, until its window ends', async () => {
      const guesser = '203.0.113.7';
      const statuses = [];
      for (let i = 0; i < 4; i += 1) statuses.push((await from(guesser, WRONG_TOKEN)).status);
      expect(statuses).toEqual([401, 401, 401, 429]);
      const refused = await from(guesser, ADMIN_TOKEN);
      expect(refused.status).toBe(429);
      // Another customer of the same proxy is not held up by the guesser.
      expect((await from('198.51.100.9', ADMIN_TOKEN)).status).toBe(200);
      // A guesser's IPv6 neighbours (the same /64) share its count.
      for (let i = 1; i <= 3; i += 1) expect((await from(`2001:db8:1:2::${i}`, WRONG_TOKEN)).status).toBe(401);
      expect((await from('2001:db8:1:2:ffff::9', ADMIN_TOKEN)).status).toBe(429);
      expect((await from('2001:db8:1:3::1', ADMIN_TOKEN)).status).toBe(200);

      await new Promise((resolve) => setTimeout(resolve, Number(refused.headers.get('retry-after')) * 1000 + 100));
      expect((await from(guesser, ADMIN_TOKEN)).status).toBe(200);
    });

    it('throttles guesses of METRICS_TOKEN too, in the same window as the admin token', async () => {
      const scrape = (address: string, token: string) =>
        fetch(`${t.baseUrl}/metrics`, { headers: { authorization: `Bearer ${token}`, 'x-forwarded-for': address } });
      const guesser = '203.0.113.55';
      const statuses = [];
      for (let i = 0; i < 2; i += 1) statuses.push((await scrape(guesser, WRONG_TOKEN)).status);
      // The third failure is an admin-token guess: both tokens draw on one burst.
      statuses.push((await from(guesser, WRONG_TOKEN)).status);
      const refused = await scrape(guesser, METRICS_TOKEN);
      expect([...statuses, refused.status]).toEqual([401, 401, 401, 429]);
      expect(await refused.json()).toEqual({
        error: 'Too many requests',
        details: expect.stringMatching(/try again in \d+ s$/),
      });
      expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect((await scrape('198.51.100.10', METRICS_TOKEN)).status).toBe(200);
    });
  });

  describe('headers', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ engine, env: { ADMIN_API_TOKEN: ADMIN_TOKEN } });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('every answer carries the security headers; API, webhook and metrics answers are never stored', async () => {
      const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };
      const answers: [label: string, response: Response, noStore: boolean][] = [
        ['GET /api/v1/tenants', await fetch(`${t.baseUrl}/api/v1/tenants`, { headers: auth }), true],
        ['GET /api/v1/tenants unauthenticated', await fetch(`${t.baseUrl}/api/v1/tenants`), true],
        ['GET /api/v1/nothing-here', await fetch(`${t.baseUrl}/api/v1/nothing-here`, { headers: auth }), true],
        [
          'GET /webhook',
          await fetch(`${t.baseUrl}/webhook?hub.mode=subscribe&hub.verify_token=${TEST_VERIFY_TOKEN}&hub.challenge=7`),
          true,
        ],
        ['POST /webhook', await t.postWebhook({ object: 'whatsapp_business_account', entry: [] }), true],
        ['GET /metrics', await fetch(`${t.baseUrl}/metrics`), true],
        ['GET /healthz', await fetch(`${t.baseUrl}/healthz`), false],
        ['GET /dashboard/', await fetch(`${t.baseUrl}/dashboard/`), false],
        ['GET /docs', await fetch(`${t.baseUrl}/docs`), false],
        ['GET /docs/json', await fetch(`${t.baseUrl}/docs/json`), false],
        ['GET /nowhere', await fetch(`${t.baseUrl}/nowhere`), false],
      ];
      for (const [label, res] of answers) {
        expect(res.status, label).toBeLessThan(500);
        // /docs adds the hash of swagger-ui's one inline style to the same policy, nothing looser.
        const policy = res.headers.get('content-security-policy') ?? '';
        if (label.startsWith('GET /docs'))
          expect(policy, label).toMatch(
            new RegExp(`^${escapeRegExp(CONTENT_SECURITY_POLICY)}; style-src 'self' 'sha256-[A-Za-z0-9+/=]+'$`),
          );
        else expect(policy, label).toBe(CONTENT_SECURITY_POLICY);
        expect(res.headers.get('x-content-type-options'), label).toBe('nosniff');
        expect(res.headers.get('x-frame-options'), label).toBe('DENY');
        expect(res.headers.get('referrer-policy'), label).toBe('no-referrer');
      }
      for (const [label, res, noStore] of answers)
        if (noStore) expect(res.headers.get('cache-control'), label).toBe('no-store');
      expect(CONTENT_SECURITY_POLICY).toBe(
        "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; img-src 'self' data:; object-src 'none'",
      );
      // The dashboard's index is revalidated, not forbidden from caching (its hashed assets are cached for good).
      const dashboard = answers.find(([label]) => label === 'GET /dashboard/')?.[1];
      expect(dashboard?.headers.get('cache-control')).not.toBe('no-store');
    });

    it('the training CSV export neutralises formula cells, and importing it gives back the same text', async () => {
      const api = adminClient(t.baseUrl);
      const tenant = await seedTenant(t);
      const risky = ['=HYPERLINK("http://x")', '+1', '-2', '@SUM(A1)', "'quoted", "'=already quoted", 'plain question'];
      const rows = risky.map((question, i) => ({ question, answer: i % 2 ? `=1+${i}` : `answer ${i}` }));
      const base = `/api/v1/tenants/${tenant.id}/training`;
      expect((await api.call('POST', `${base}/import?mode=replace`, { body: { rows } })).status).toBe(200);

      const exported = await api.call('GET', `${base}/export?format=csv`);
      expect(exported.status).toBe(200);
      expect(exported.headers.get('cache-control')).toBe('no-store');
      const cells = (parse(exported.text, { columns: true }) as Record<string, string>[]).map((r) => [
        r['question'],
        r['answer'],
      ]);
      const byQuestion = new Map(cells.map(([q, a]) => [q, a]));
      expect([...byQuestion.keys()].sort()).toEqual(
        [
          `'=HYPERLINK("http://x")`,
          "'+1",
          "'-2",
          "'@SUM(A1)",
          "''quoted",
          "''=already quoted",
          'plain question',
        ].sort(),
      );
      expect(byQuestion.get("'+1")).toBe("'=1+1");
      // No cell a spreadsheet would run.
      for (const cell of cells.flat()) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);

      expect(
        (await api.call('POST', `${base}/import?mode=replace`, { rawBody: exported.text, contentType: 'text/csv' }))
          .status,
      ).toBe(200);
      const back = await api.call('GET', `${base}/export?format=json`);
      const texts = (back.body.rows as { question: string; answer: string }[]).map((r) => ({
        question: r.question,
        answer: r.answer,
      }));
      expect(texts.sort((a, b) => a.question.localeCompare(b.question))).toEqual(
        [...rows].sort((a, b) => a.question.localeCompare(b.question)),
      );
    });
  });

  it('makes DATA_DIR owner-only (0700) and the development key file 0600; a looser folder is tightened with a warning', async () => {
    const database = await createTestDatabase(engine);
    const parent = await mkdtemp(path.join(tmpdir(), 'alphadome-modes-'));
    // PGlite: the engine's own folder, opened up as an older version left it. PostgreSQL: a folder
    // that does not exist yet, where only the key file goes.
    const dataDir = database.dataDir ?? path.join(parent, 'fresh', 'data');
    if (database.dataDir) await chmod(database.dataDir, 0o755);
    const log = capturedLogger();
    const t = await startTestApp({
      engine,
      database,
      logger: log.logger,
      env: { NODE_ENV: 'development', ENCRYPTION_KEYS: '', DATA_DIR: dataDir },
    });
    try {
      expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
      expect((await stat(path.join(dataDir, 'encryption.key'))).mode & 0o777).toBe(0o600);
      const tightened = log.lines().filter((l) => l.level === 40 && l.msg.includes('now owner-only'));
      expect(tightened).toHaveLength(database.dataDir ? 1 : 0);
      if (!database.dataDir) expect((await stat(path.join(parent, 'fresh'))).mode & 0o777).toBe(0o700);
    } finally {
      await t.stop();
      await database.drop();
      await rm(parent, { recursive: true, force: true });
    }
  });
});
