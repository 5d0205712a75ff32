// The webhook simulator end to end: the real app (PGlite, fake AI providers) sends its replies to
// the simulator's stand-in Graph API, and the simulator runs as a newcomer would run it.
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFaq, seedTenant, type SeededTenant } from '../support/seed.js';
import { startTestApp, TEST_APP_SECRET, type TestApp } from '../support/testApp.js';

const SIMULATOR = fileURLToPath(new URL('../../webhook_simulator.js', import.meta.url));
const HOURS = 'Open Monday-Friday 9AM-6PM, Saturday 10AM-4PM, Closed Sunday';

interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('webhook simulator (one-shot)', () => {
  let t: TestApp;
  let shop: SeededTenant;
  let graphPort: number;
  // An empty working folder, so a developer's .env cannot change what the simulator does here.
  let cwd: string;

  beforeAll(async () => {
    graphPort = await freePort();
    t = await startTestApp({ engine: 'pglite', env: { GRAPH_API_BASE_URL: `http://127.0.0.1:${graphPort}` } });
    shop = await seedTenant(t, { name: 'Kassangas Music Shop' });
    await seedFaq(t, shop.id, 'What are your business hours?', HOURS, 10, 0.95);
    cwd = await mkdtemp(path.join(tmpdir(), 'alphadome-simulator-'));
  });
  afterAll(async () => {
    await t?.stop();
    if (cwd) await rm(cwd, { recursive: true, force: true });
  });

  function runSimulator(message: string, options: { secret?: string; from?: string } = {}): Promise<RunResult> {
    const args = [
      SIMULATOR,
      '--server',
      t.baseUrl,
      '--graph-port',
      String(graphPort),
      '--phone-number-id',
      shop.phoneNumberId,
      '--tenant-phone',
      shop.phone,
      '--from',
      options.from ?? '254700000001',
      '--message',
      message,
      '--timeout',
      '20',
    ];
    const env: NodeJS.ProcessEnv = { ...process.env, WHATSAPP_APP_SECRET: options.secret ?? TEST_APP_SECRET };
    delete env['WHATSAPP_PHONE_NUMBER_ID'];
    delete env['PORT'];
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
      // A backstop well past the simulator's own --timeout, so a hang fails the test instead of stalling it.
      const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
      child.on('error', reject);
      child.on('close', (code) => {
        clearTimeout(killer);
        resolve({ code, stdout, stderr });
      });
    });
  }

  it('sends a signed webhook and prints the FAQ answer threaded to it', async () => {
    const run = await runSimulator('what are your business hours');
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).not.toContain('✗');
    expect(run.stdout).toContain(`bot → 254700000001: ${HOURS}`);
    expect(run.stdout).toContain('(↩ #1)');
    expect(t.ai.openai.requests).toHaveLength(0);
  }, 45_000);

  it('prints the AI answer when no FAQ matches', async () => {
    t.ai.openai.reply = 'For beginners, I recommend a Yamaha C40 classical guitar.';
    const run = await runSimulator('Can you recommend a guitar for a beginner?', { from: '254700000002' });
    expect(run.code, run.stdout + run.stderr).toBe(0);
    expect(run.stderr).not.toContain('✗');
    expect(run.stdout).toContain('bot → 254700000002: For beginners, I recommend a Yamaha C40 classical guitar.');
  }, 45_000);

  it('exits 1 and prints the 401 when the app secret is wrong', async () => {
    const run = await runSimulator('what are your business hours', { secret: 'not-the-app-secret' });
    expect(run.code, run.stdout + run.stderr).toBe(1);
    expect(run.stderr).toContain('HTTP 401');
    expect(run.stderr).toContain('"error":"Invalid signature"');
    expect(run.stdout).not.toContain('bot →');
  }, 45_000);
});
