// The server reads .env from its working folder at start; a .env it cannot read stops the start
// with one line naming the problem, never a stack trace.
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const TSX_LOADER = pathToFileURL(path.resolve('node_modules/tsx/dist/loader.mjs')).href;
const MAIN = path.resolve('src/main.ts');

describe('the server and .env', () => {
  let folder = '';
  afterAll(async () => {
    if (folder) await rm(folder, { recursive: true, force: true });
  });

  it('a .env that cannot be read: exit 1 with "Cannot start" and the reason, no stack trace', async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'alphadome-envfile-'));
    await mkdir(path.join(folder, '.env'));
    const child = spawn(process.execPath, ['--import', TSX_LOADER, MAIN], {
      cwd: folder,
      env: { PATH: process.env['PATH'] ?? '', DATA_DIR: path.join(folder, 'data'), PORT: '0', HOST: '127.0.0.1' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    expect(code).toBe(1);
    expect(output).toMatch(/^Cannot start: .env could not be read \(.+\)$/m);
    expect(output).not.toMatch(/^\s+at .+[:(]/m);
  });
});
