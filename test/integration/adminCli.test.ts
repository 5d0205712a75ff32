// The operator's command line (src/cli/adminCli.ts) as an operator runs it: a separate process,
// in a folder without .env, talking to a running server. First-day setup end to end — tenant,
// credentials, FAQs from a CSV file, an API key, a key rotation — and then a customer's message
// answered from the imported FAQ with the token the command line set.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, adminClient, uniquePhone } from '../support/adminClient.js';
import { textMessage, webhookPayload, type SeededTenant } from '../support/seed.js';
import { freePort } from '../support/serverProcess.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';

const TSX_LOADER = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
const CLI = path.resolve('src/cli/adminCli.ts');

interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * `node --import tsx src/cli/adminCli.ts ...args` in `cwd`, with no admin settings inherited; `env`
 * adds variables, `stdin` is written to its standard input.
 */
function runCli(
  cwd: string,
  args: string[],
  extra: { env?: Record<string, string>; stdin?: string } = {},
): Promise<CliRun> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of ['ADMIN_API_TOKEN', 'ALPHADOME_URL', 'PORT', 'NODE_OPTIONS']) delete env[name];
  Object.assign(env, extra.env);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI, ...args], {
      cwd,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdin.end(extra.stdin ?? '');
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.once('error', reject);
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const noStackTrace = (run: CliRun) => expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at .+[:(]/m);
const hexKey = () => randomBytes(32).toString('hex');

const SECRETS = {
  whatsappToken: 'EAAGfirstday-whatsapp-token-0001-WXYZ',
  appSecret: 'firstday-app-secret-0002-EFGH',
  aiKey: 'sk-firstday-ai-key-0003-ABCD',
  fallbackOpenrouter: 'sk-or-firstday-fallback-0004-IJKL',
};

const FAQ_HEADER = 'question,answer,category,priority,confidence_score';
const HOURS_ANSWER = 'Open Monday-Friday 9AM-6PM, Saturday 10AM-4PM, Closed Sunday';
const faqCsv = (deliveryPriority: number) =>
  [
    FAQ_HEADER,
    `What are your business hours?,"${HOURS_ANSWER}",hours,10,0.95`,
    `Do you deliver?,"Yes, anywhere in Nairobi within a day",delivery,${deliveryPriority},0.9`,
    'Where is the shop?,"Moi Avenue 12, Nairobi",location,5,0.9',
  ].join('\n');

describe.each(testEngines())('admin command line: first-day setup without SQL (%s)', (engine) => {
  const [k1, k2] = [hexKey(), hexKey()];
  let database: TestDatabase;
  let t: TestApp;
  let workDir: string;
  const tenant: SeededTenant = {
    id: '',
    phone: uniquePhone(),
    phoneNumberId: `1192023${Date.now() % 100_000_000}`,
    accessToken: SECRETS.whatsappToken,
  };

  const start = async (keys: string) => {
    t = await startTestApp({ engine, database, env: { ADMIN_API_TOKEN: ADMIN_TOKEN, ENCRYPTION_KEYS: keys } });
  };
  /** The command line against the running test app, as the administrator (its token by variable name). */
  const admin = (...args: string[]) => adminWith({}, ...args);
  const adminWith = (extra: { env?: Record<string, string>; stdin?: string }, ...args: string[]) =>
    runCli(workDir, [...args, '--server', t.baseUrl, '--token-env', 'TEST_ADMIN_TOKEN'], {
      ...extra,
      env: { TEST_ADMIN_TOKEN: ADMIN_TOKEN, ...extra.env },
    });
  const trainingRows = async () =>
    t.rows<{ question: string; priority: number }>(
      `SELECT question, priority FROM alphadome.bot_training_data WHERE bot_tenant_id = '${tenant.id}' ORDER BY question`,
    );

  beforeAll(async () => {
    database = await createTestDatabase(engine);
    workDir = await mkdtemp(path.join(tmpdir(), 'alphadome-cli-'));
    await start(`k1:${k1}`);
  });
  afterAll(async () => {
    await t?.stop();
    await database?.drop();
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('creates a tenant with its credentials (by variable name and from standard input) and prints its id and a masked summary, never a secret', async () => {
    const run = await adminWith(
      {
        env: { WA_TOKEN: SECRETS.whatsappToken, APP_SECRET: SECRETS.appSecret, VERIFY: 'firstday-verify-token' },
        stdin: `${SECRETS.aiKey}\n`,
      },
      'tenant',
      'create',
      '--name',
      'Nairobi Music Store',
      '--phone',
      tenant.phone,
      '--phone-number-id',
      tenant.phoneNumberId,
      '--business-account-id',
      'WABA-1001',
      '--whatsapp-token-env',
      'WA_TOKEN',
      '--app-secret-env',
      'APP_SECRET',
      '--ai-provider',
      'openai',
      '--ai-model',
      'gpt-4o-mini',
      '--ai-key-stdin',
      '--verify-token-env',
      'VERIFY',
      '--brand',
      'brand-001',
    );
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toBe('');
    tenant.id = /Tenant created: ([0-9a-f-]{36})/.exec(run.stdout)?.[1] ?? '';
    expect(tenant.id).not.toBe('');
    expect(run.stdout).toMatch(/WhatsApp access token\s+set \(ends in WXYZ\)/);
    expect(run.stdout).toMatch(/AI API key\s+set \(ends in ABCD\)/);
    expect(run.stdout).toMatch(/Fallback key: OpenRouter\s+not set/);
    for (const secret of Object.values(SECRETS)) expect(run.stdout + run.stderr).not.toContain(secret);
    expect(run.stdout + run.stderr).not.toContain('firstday-verify-token');

    const read = await adminClient(t.baseUrl).call('GET', `/api/v1/tenants/${tenant.id}`);
    expect(read.body).toMatchObject({
      client_name: 'Nairobi Music Store',
      whatsapp_phone_number_id: tenant.phoneNumberId,
      whatsapp_business_account_id: 'WABA-1001',
      ai_provider: 'openai',
      ai_model: 'gpt-4o-mini',
      brand_id: 'brand-001',
      webhook_verify_token: '[set]',
      credentials: {
        whatsapp_access_token: { set: true },
        whatsapp_app_secret: { set: true },
        ai_api_key: { set: true },
      },
    });

    const credentials = await adminWith(
      { stdin: SECRETS.fallbackOpenrouter },
      'credentials',
      'set',
      tenant.id,
      '--fallback-openrouter',
      '-',
    );
    expect(credentials.code, credentials.stderr).toBe(0);
    expect(credentials.stderr).toBe('');
    expect(credentials.stdout).toMatch(/Fallback key: OpenRouter\s+set \(ends in IJKL\)/);
    expect(credentials.stdout).toMatch(/WhatsApp access token\s+set \(ends in WXYZ\)/);
    expect(credentials.stdout + credentials.stderr).not.toContain(SECRETS.fallbackOpenrouter);
    const mpesa = await admin(
      'credentials',
      'set',
      tenant.id,
      '--mpesa-consumer-key',
      'ck-daraja-0001-KEYZ',
      '--mpesa-consumer-secret',
      'cs-daraja-0001-SECZ',
      '--mpesa-passkey',
      'pk-lnmo-0001-PASZ',
    );
    expect(mpesa.code, mpesa.stderr).toBe(0);
    expect(mpesa.stdout).toMatch(/M-Pesa consumer key\s+set \(ends in KEYZ\)/);
    expect(mpesa.stdout).toMatch(/M-Pesa passkey\s+set \(ends in PASZ\)/);
    expect(mpesa.stdout + mpesa.stderr).not.toContain('pk-lnmo-0001-PASZ');
  });

  it('imports FAQs from a CSV file: a bad row is reported by row, field and problem and nothing is written; fixed, all are imported', async () => {
    const file = path.join(workDir, 'faqs.csv');
    await writeFile(file, faqCsv(11));
    const rejected = await admin('faq', 'import', tenant.id, 'faqs.csv');
    expect(rejected.code).toBe(1);
    expect(rejected.stderr).toMatch(/^ROW\s+FIELD\s+PROBLEM$/m);
    expect(rejected.stderr).toMatch(/^2\s+priority\s+must be at most 10$/m);
    expect(rejected.stderr).toContain('--partial');
    noStackTrace(rejected);
    expect(await trainingRows()).toEqual([]);

    await writeFile(file, faqCsv(8));
    const imported = await admin('faq', 'import', tenant.id, 'faqs.csv');
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stdout).toContain('Imported 3 rows');
    expect((await trainingRows()).map((r) => [r.question, r.priority])).toEqual([
      ['Do you deliver?', 8],
      ['What are your business hours?', 10],
      ['Where is the shop?', 5],
    ]);

    const exported = await admin('faq', 'export', tenant.id, '--format', 'json', '--out', 'export.json');
    expect(exported.code, exported.stderr).toBe(0);
    expect(exported.stdout).toContain('Exported 3 rows');
    const rows = JSON.parse(await readFile(path.join(workDir, 'export.json'), 'utf8')).rows as {
      question: string;
      answer: string;
    }[];
    expect(rows.find((r) => r.question === 'What are your business hours?')?.answer).toBe(HOURS_ANSWER);
  });

  it('creates an API key, shown once, that reaches its own tenant and no other', async () => {
    const run = await admin('apikey', 'create', tenant.id, '--name', 'dashboard');
    expect(run.code, run.stderr).toBe(0);
    const key = /adk_[a-z0-9]{8}_[A-Za-z0-9_-]{43}/.exec(run.stdout)?.[0];
    expect(key).toBeDefined();
    expect(run.stdout).toContain('cannot be shown again');

    const own = await fetch(`${t.baseUrl}/api/v1/tenants/${tenant.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(own.status).toBe(200);
    expect(((await own.json()) as { id: string }).id).toBe(tenant.id);
    const other = await adminClient(t.baseUrl).call('POST', '/api/v1/tenants', {
      body: { client_name: 'Another Shop', client_phone: uniquePhone() },
    });
    expect(other.status, other.text).toBe(201);
    const foreign = await fetch(`${t.baseUrl}/api/v1/tenants/${other.body.id}`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect(foreign.status).toBe(404);

    const listed = await admin('apikey', 'list', tenant.id);
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(new RegExp(`dashboard\\s+${key!.slice(0, 12)}\\s.*active`));
    expect(listed.stdout).not.toContain(key);
  });

  it('rotates the encryption key: new key first and restart, keys rotate, old key removed and restart', async () => {
    await t.stop();
    await start(`k2:${k2},k1:${k1}`);
    const run = await admin('keys', 'rotate');
    expect(run.code, run.stderr).toBe(0);
    // WhatsApp token, app secret, AI key, the OpenRouter fallback key and the three M-Pesa credentials.
    expect(run.stdout).toContain('Re-encrypted 7 stored secrets');
    expect(run.stdout).toMatch(/new key first in ENCRYPTION_KEYS/);
    expect(run.stdout).toMatch(/Remove the old key/);
    const [row] = await t.rows<{ token: string; key: string; passkey: string }>(
      `SELECT whatsapp_access_token AS token, ai_api_key AS key, mpesa_passkey AS passkey FROM alphadome.bot_tenants WHERE id = '${tenant.id}'`,
    );
    expect(row?.token).toMatch(/^enc:v2:k2:/);
    expect(row?.key).toMatch(/^enc:v2:k2:/);
    expect(row?.passkey).toMatch(/^enc:v2:k2:/);
    await t.stop();
    await start(`k2:${k2}`);
  });

  it("answers that tenant's customer with the imported FAQ, sent with the token the command line set", async () => {
    const message = textMessage('254799000123', 'what are your business hours?');
    const res = await t.postWebhook(webhookPayload({ tenant, messages: [message] }));
    expect(res.status).toBe(200);
    const sent = await eventually(() => t.graph.sentTexts().find((s) => s.replyTo === message['id']));
    expect(sent).toMatchObject({ phoneNumberId: tenant.phoneNumberId, to: '254799000123', body: HOURS_ANSWER });
    expect(sent.authorization).toBe(`Bearer ${SECRETS.whatsappToken}`);
    expect(t.ai.openai.requests).toHaveLength(0);

    // A question the FAQ cannot answer goes to the AI with the key read from standard input.
    const question = textMessage('254799000123', 'can you tune a violin with one broken peg?');
    expect((await t.postWebhook(webhookPayload({ tenant, messages: [question] }))).status).toBe(200);
    await eventually(() => t.graph.sentTexts().find((s) => s.replyTo === question['id']));
    expect(t.ai.openai.requests.map((r) => r.headers.authorization)).toContain(`Bearer ${SECRETS.aiKey}`);
  });

  it('reads the server and the token from .env in the current folder', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'alphadome-cli-env-'));
    try {
      await writeFile(path.join(folder, '.env'), `ALPHADOME_URL=${t.baseUrl}\nADMIN_API_TOKEN=${ADMIN_TOKEN}\n`);
      const run = await runCli(folder, ['tenant', 'show', tenant.id]);
      expect(run.code, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/name\s+Nairobi Music Store/);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('prints help for the program and for each command', async () => {
    const overview = await runCli(workDir, ['--help']);
    expect(overview.code).toBe(0);
    for (const command of [
      'tenant create',
      'tenant list',
      'credentials set',
      'faq import',
      'faq export',
      'apikey create',
      'apikey revoke',
      'keys rotate',
    ]) {
      expect(overview.stdout).toContain(command);
    }
    const help = await runCli(workDir, ['tenant', 'create', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/--name <name>\s+\(required\)/);
    expect(help.stdout).toContain('--ai-provider openai|openrouter|huggingface');
  });

  it('a secret typed on the command line still works, with a warning that never repeats it', async () => {
    const typed = 'sk-typed-out-openai-0005-MNOP';
    const run = await runCli(workDir, [
      'credentials',
      'set',
      tenant.id,
      '--fallback-openai',
      typed,
      '--server',
      t.baseUrl,
      '--token',
      ADMIN_TOKEN,
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/Fallback key: OpenAI\s+set \(ends in MNOP\)/);
    expect(run.stderr).toContain('Warning: --fallback-openai was given on the command line');
    expect(run.stderr).toContain('Warning: --token was given on the command line');
    expect(run.stderr).toContain('--fallback-openai-env <VAR>');
    for (const secret of [typed, ADMIN_TOKEN]) expect(run.stdout + run.stderr).not.toContain(secret);
  });

  it('refuses a secret given two ways, an unset variable and a second read of standard input, naming options only', async () => {
    const twoWays = await adminWith(
      { env: { KEY: 'sk-two-ways-0006' } },
      'credentials',
      'set',
      tenant.id,
      '--ai-key',
      'sk-two-ways-0006',
      '--ai-key-env',
      'KEY',
    );
    expect(twoWays.code).toBe(1);
    expect(twoWays.stderr).toContain('Give --ai-key one way only');
    const unset = await admin('credentials', 'set', tenant.id, '--ai-key-env', 'NOT_SET_ANYWHERE');
    expect(unset.code).toBe(1);
    expect(unset.stderr).toContain('the environment variable NOT_SET_ANYWHERE is not set');
    const twice = await adminWith(
      { stdin: 'sk-stdin-0007\n' },
      'credentials',
      'set',
      tenant.id,
      '--ai-key-stdin',
      '--fallback-openai',
      '-',
    );
    expect(twice.code).toBe(1);
    expect(twice.stderr).toContain('Only one secret can be read from standard input');
    for (const run of [twoWays, unset, twice]) {
      expect(run.stdout + run.stderr).not.toMatch(/sk-two-ways|sk-stdin/);
      noStackTrace(run);
    }
    const view = await adminClient(t.baseUrl).call('GET', `/api/v1/tenants/${tenant.id}/credentials`);
    expect(view.body.ai_api_key).toEqual({ set: true, last4: 'ABCD' });
  });

  it('a missing required flag: exit 1 with a message naming it, before any request', async () => {
    const run = await admin('tenant', 'create', '--phone', uniquePhone(), '--whatsapp-token', SECRETS.whatsappToken);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^Missing --name <name>/);
    expect(run.stderr).toContain('tenant create --help');
    expect(run.stderr).not.toContain(SECRETS.whatsappToken);
    noStackTrace(run);
  });

  it("a wrong token: exit 1 with the API's 401 details", async () => {
    const run = await runCli(workDir, ['tenant', 'list', '--server', t.baseUrl, '--token', 'not-the-admin-token']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('Error (401 Unauthorized): The bearer token is not valid');
    expect(run.stdout).toBe('');
    noStackTrace(run);
  });

  it('an unreachable server: exit 1 naming the URL and how to start the server', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    const run = await runCli(workDir, ['tenant', 'list', '--server', url, '--token', ADMIN_TOKEN]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`Cannot reach the Alphadome server at ${url}`);
    expect(run.stderr).toContain('npm start');
    noStackTrace(run);
  });
});
