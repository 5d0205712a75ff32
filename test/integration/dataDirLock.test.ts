import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../support/testDatabase.js';
import { freePort, startServerProcess, type ServerProcess } from '../support/serverProcess.js';

describe('the embedded database folder', () => {
  let server: ServerProcess | null = null;
  let database: TestDatabase | null = null;
  afterEach(async () => {
    server?.child.kill('SIGKILL');
    await server?.exited;
    await database?.drop();
  });

  it('refuses a second server on the same folder with a clear error, and is taken over after a kill', async () => {
    database = await createTestDatabase('pglite');
    const env = { ...database.env, NODE_ENV: 'test', LOG_LEVEL: 'warn', ENCRYPTION_KEYS: `test:${'ab'.repeat(32)}` };
    server = await startServerProcess(env);

    const second = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { ...process.env, ...env, PORT: String(await freePort()), HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    second.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => second.once('exit', resolve));
    expect(code).toBe(1);
    expect(stderr).toContain('Another server');
    expect(stderr).toContain(`pid ${server.child.pid}`);
    expect(stderr).not.toMatch(/\n\s+at /);

    server.child.kill('SIGKILL');
    await server.exited;
    server = await startServerProcess(env);
    expect((await fetch(`${server.baseUrl}/healthz`)).status).toBe(200);
  }, 60_000);
});
