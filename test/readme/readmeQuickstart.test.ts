// README.md's "Try it without Meta" is run as written: its marked shell blocks are read from the
// file (so the README and this test cannot drift) and run, in order, in a copy of the repository
// with a fresh embedded database: `run` blocks to the end, the `serve` block in the background
// until the server is ready. The last block must get the FAQ's answer back through the simulator.
// Only the port numbers are chosen here (PORT and GRAPH_API_BASE_URL in the environment win over
// .env), so parallel runs and a developer's own server do not collide.
import { spawn, type ChildProcess } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { cp, mkdir, mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/serverProcess.js';

interface Block {
  kind: 'run' | 'serve';
  script: string;
}

/** The marked blocks of one README section, in order. */
function quickstartBlocks(readme: string, heading: string): Block[] {
  const start = readme.indexOf(`\n## ${heading}\n`);
  if (start < 0) throw new Error(`README.md has no "## ${heading}" section`);
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const marked = /<!-- quickstart: (run|serve) -->\s*\n```bash\n([\s\S]*?)\n```/g;
  return [...section.matchAll(marked)].map((m) => ({ kind: m[1] as Block['kind'], script: m[2] ?? '' }));
}

/** The repository's files as git sees them (tracked, or new and not ignored), copied to `target`. */
async function copyRepository(target: string): Promise<void> {
  const files = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], { encoding: 'utf8' })
    .split('\0')
    .filter(Boolean);
  for (const file of files) {
    if (file === 'node_modules' || !existsSync(file)) continue;
    await mkdir(path.join(target, path.dirname(file)), { recursive: true });
    await cp(file, path.join(target, file));
  }
  await symlink(await realpath('node_modules'), path.join(target, 'node_modules'), 'dir');
  // A fresh build here is reused (its stamps match the same sources); otherwise `npm start` builds.
  if (existsSync('dist')) await cp('dist', path.join(target, 'dist'), { recursive: true });
}

/** This process's environment without anything that would change what the README's commands do. */
function cleanEnvironment(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value === undefined || /^(?:npm_|VITEST|TEST_)/i.test(name)) continue;
    if (
      [
        'NODE_ENV',
        'NODE_OPTIONS',
        'DATABASE_URL',
        'DATA_DIR',
        'ADMIN_API_TOKEN',
        'ALPHADOME_URL',
        'WHATSAPP_APP_SECRET',
        'ALLOW_UNSIGNED_WEBHOOKS',
        'GRAPH_API_BASE_URL',
        'PORT',
        'HOST',
      ].includes(name)
    )
      continue;
    env[name] = value;
  }
  return { ...env, ...extra };
}

interface Shell {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

function shell(script: string, cwd: string, env: Record<string, string>): Shell {
  // Its own process group, so the server and what npm starts under it are stopped together.
  const child = spawn('bash', ['-e', '-o', 'pipefail', '-c', script], {
    cwd,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

async function untilReady(server: Shell, url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (server.child.exitCode !== null)
      throw new Error(`the server exited (${server.child.exitCode}):\n${server.output()}`);
    if (
      await fetch(url).then(
        (r) => r.status === 200,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline)
      throw new Error(`the server was not ready within ${timeoutMs / 1000} s:\n${server.output()}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('README "Try it without Meta", run as written (pglite)', () => {
  let workDir = '';
  let server: Shell | null = null;
  afterAll(async () => {
    if (server?.child.pid && server.child.exitCode === null) {
      process.kill(-server.child.pid, 'SIGTERM');
      await server.exited;
    }
    if (workDir) await rm(workDir, { recursive: true, force: true });
  });

  it('setup, start, a tenant with a dummy token, the FAQ from examples/, and the simulator gets its answer', async () => {
    const readme = await readFile('README.md', 'utf8');
    const blocks = quickstartBlocks(readme, 'Try it without Meta');
    expect(blocks.map((b) => b.kind)).toEqual(['run', 'serve', 'run']);
    const faq = await readFile('examples/faq.csv', 'utf8');
    const hoursAnswer = /^What are your business hours\?,"([^"]+)"/m.exec(faq)?.[1];
    expect(hoursAnswer).toBeDefined();

    workDir = await mkdtemp(path.join(tmpdir(), 'alphadome-readme-'));
    await copyRepository(workDir);
    const [port, graphPort] = [await freePort(), await freePort()];
    const env = cleanEnvironment({
      PORT: String(port),
      HOST: '127.0.0.1',
      GRAPH_API_BASE_URL: `http://127.0.0.1:${graphPort}`,
    });

    const outputs: string[] = [];
    for (const block of blocks) {
      if (block.kind === 'serve') {
        server = shell(block.script, workDir, env);
        await untilReady(server, `http://127.0.0.1:${port}/readyz`, 300_000);
        continue;
      }
      const run = shell(block.script, workDir, env);
      const code = await run.exited;
      outputs.push(run.output());
      expect(code, `${block.script}\n---\n${run.output()}\n--- server ---\n${server?.output() ?? ''}`).toBe(0);
    }

    const last = outputs.at(-1) ?? '';
    expect(last).toContain(`bot → 254700000001: ${hoursAnswer}`);
    // npm prints each command line it runs: the README's commands name secrets, never show them.
    const dotEnv = await readFile(path.join(workDir, '.env'), 'utf8');
    const secrets = [
      ...dotEnv.matchAll(/^(?:ADMIN_API_TOKEN|ENCRYPTION_KEY|WHATSAPP_APP_SECRET|WEBHOOK_VERIFY_TOKEN)=(.+)$/gm),
    ].map((m) => m[1] ?? '');
    expect(secrets).toHaveLength(4);
    const everything = [...outputs, server?.output() ?? ''].join('\n');
    for (const secret of [...secrets, 'any-dummy-token']) expect(everything).not.toContain(secret);
    // The setup wrote what the features need; the server said which ones stay off.
    const serverLog = server?.output() ?? '';
    expect(serverLog).toContain('SMTP_URL is not set');
    expect(serverLog).not.toContain('ADMIN_API_TOKEN is not set');
    expect(serverLog).not.toContain('WEBHOOK_VERIFY_TOKEN is not set');

    // Running the setup again leaves the .env (and its encryption key) alone.
    const again = shell(blocks[0]!.script, workDir, env);
    expect(await again.exited).not.toBe(0);
    expect(again.output()).toContain('.env exists and is left as it is');
    expect(await readFile(path.join(workDir, '.env'), 'utf8')).toBe(dotEnv);
  }, 420_000);
});
