// Images cannot be pulled on this machine, so the Dockerfile and compose.yaml are checked for what
// can be checked here: they parse, every file and npm script they use exists, every setting they
// name is one src/config.ts reads, and the health probe they run says ready against a real server
// (and not ready without one).
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { freePort } from '../support/serverProcess.js';
import { startTestApp, type TestApp } from '../support/testApp.js';

const run = promisify(execFile);

/** The environment names envSchema in src/config.ts reads. */
async function configSettings(): Promise<Set<string>> {
  const source = await readFile('src/config.ts', 'utf8');
  const schema = source.slice(
    source.indexOf('const envSchema = z.object({'),
    source.indexOf('\n});', source.indexOf('const envSchema')),
  );
  return new Set([...schema.matchAll(/^ {2}([A-Z][A-Z0-9_]*):/gm)].map((m) => m[1] ?? ''));
}

interface Instruction {
  keyword: string;
  args: string;
}

/** Dockerfile instructions, with continued lines joined and comments dropped. */
function dockerInstructions(text: string): Instruction[] {
  const joined = text.replace(/\\\n\s*/g, ' ');
  return joined
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
}

/** ENV a=1 b=2 -> [a, b] */
const envNames = (args: string) => [...args.matchAll(/([A-Z][A-Z0-9_]*)=/g)].map((m) => m[1] ?? '');

describe('Dockerfile, compose.yaml and .dockerignore', () => {
  let settings: Set<string>;
  let scripts: Record<string, string>;
  beforeAll(async () => {
    settings = await configSettings();
    scripts = (JSON.parse(await readFile('package.json', 'utf8')) as { scripts: Record<string, string> }).scripts;
    expect(settings.has('DATABASE_URL')).toBe(true);
  });

  it('Dockerfile: stages build, install production dependencies and run as a non-root user, using only files and scripts that exist', async () => {
    const steps = dockerInstructions(await readFile('Dockerfile', 'utf8'));
    const stages = steps.filter((s) => s.keyword === 'FROM');
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.args).toMatch(/^node:(?:22|24)-slim AS \w+$/);

    for (const step of steps.filter((s) => s.keyword === 'RUN')) {
      const npmRun = /^npm run (\S+)/.exec(step.args);
      if (npmRun) expect(scripts, step.args).toHaveProperty(npmRun[1] ?? '');
      else expect(step.args).toMatch(/^(?:npm ci\b|mkdir -p \/app\/data && chown node:node \/app\/data$)/);
    }
    expect(steps.some((s) => s.keyword === 'RUN' && s.args.startsWith('npm ci --omit=dev'))).toBe(true);

    for (const step of steps.filter((s) => s.keyword === 'COPY' && !s.args.includes('--from='))) {
      const parts = step.args.split(/\s+/).filter((part) => !part.startsWith('--'));
      for (const source of parts.slice(0, -1)) expect(existsSync(source), `COPY ${source}`).toBe(true);
    }
    // What the runtime stage copies from the build stage is what `npm run build` writes.
    expect(steps.some((s) => s.keyword === 'COPY' && /--from=build .*\/app\/dist/.test(s.args))).toBe(true);
    expect(scripts['build']).toContain('tsc -p tsconfig.build.json');

    const user = steps.filter((s) => s.keyword === 'USER').at(-1);
    expect(user?.args).toBe('node');
    const cmd = JSON.parse(steps.find((s) => s.keyword === 'CMD')?.args ?? 'null') as string[];
    expect(cmd).toEqual(['node', 'dist/main.js']);
    expect(existsSync('src/main.ts')).toBe(true);
    const healthcheck = steps.find((s) => s.keyword === 'HEALTHCHECK')?.args ?? '';
    expect(JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD ') + 4))).toEqual(['node', 'scripts/healthcheck.mjs']);

    for (const step of steps.filter((s) => s.keyword === 'ENV'))
      for (const name of envNames(step.args)) expect(settings.has(name), name).toBe(true);
  });

  it('compose.yaml: PostgreSQL and the server, env from .env, healthchecks, the server waiting for a healthy database, a volume', async () => {
    const compose = parseYaml(await readFile('compose.yaml', 'utf8')) as {
      services: Record<
        string,
        {
          image?: string;
          build?: string;
          env_file?: string | string[];
          environment?: Record<string, string>;
          healthcheck?: { test: string[] };
          depends_on?: Record<string, { condition: string }>;
          volumes?: string[];
        }
      >;
      volumes: Record<string, unknown>;
    };
    const { postgres, server } = compose.services;
    expect(postgres?.image).toMatch(/^postgres:\d+/);
    expect(postgres?.healthcheck?.test.join(' ')).toContain('pg_isready');
    const volume = postgres?.volumes?.[0]?.split(':')[0] ?? '';
    expect(compose.volumes).toHaveProperty(volume);

    expect(server?.build).toBe('.');
    expect([server?.env_file].flat()).toContain('.env');
    expect(server?.depends_on?.['postgres']?.condition).toBe('service_healthy');
    expect(server?.healthcheck?.test).toEqual(['CMD', 'node', 'scripts/healthcheck.mjs']);
    for (const name of Object.keys(server?.environment ?? {})) expect(settings.has(name), name).toBe(true);
    expect(server?.environment?.['DATABASE_URL']).toMatch(/@postgres:5432\//);
  });

  it('.dockerignore keeps installed packages, local data and secrets out of the image', async () => {
    const ignored = (await readFile('.dockerignore', 'utf8')).split('\n').map((l) => l.trim());
    for (const entry of ['node_modules', 'data', '.env']) expect(ignored).toContain(entry);
  });

  describe('the health probe (pglite)', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ engine: 'pglite' });
    });
    afterAll(async () => {
      await t?.stop();
    });

    it('exits 0 against a ready server on PORT, 1 when nothing answers there', async () => {
      const port = new URL(t.baseUrl).port;
      const ready = await run(process.execPath, ['scripts/healthcheck.mjs'], { env: { ...process.env, PORT: port } });
      expect(ready.stderr).toBe('');
      const closed = String(await freePort());
      const failure = await run(process.execPath, ['scripts/healthcheck.mjs'], {
        env: { ...process.env, PORT: closed },
      }).then(
        () => null,
        (err: { code: number; stderr: string }) => err,
      );
      expect(failure?.code).toBe(1);
      expect(failure?.stderr).toContain('/readyz did not answer');
    });
  });
});
