import { createHash, randomBytes } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../../config.js';
import { loadKeyring, type KeyringOptions } from './encryptionKeys.js';

const HEX = randomBytes(32).toString('hex');
const BASE64 = randomBytes(32).toString('base64');

let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  dirs = [];
});

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'alphadome-keys-'));
  dirs.push(dir);
  return dir;
}

function options(encryptionKeys: string | null, extra: Partial<KeyringOptions> = {}): KeyringOptions {
  return { encryptionKeys, nodeEnv: 'production', dataDir: '/nonexistent', warn: () => undefined, ...extra };
}

async function configError(promise: Promise<unknown>): Promise<ConfigError> {
  const error = await promise.then(
    () => null,
    (err: unknown) => err,
  );
  expect(error).toBeInstanceOf(ConfigError);
  return error as ConfigError;
}

describe('loadKeyring', () => {
  it('reads hex and base64 keys, named or bare; the first is current', async () => {
    const keyring = await loadKeyring(options(` k2:${BASE64} , k1:${HEX.toUpperCase()},`));
    expect(keyring.map((k) => k.id)).toEqual(['k2', 'k1']);
    expect(keyring[0]?.key).toEqual(Buffer.from(BASE64, 'base64'));
    expect(keyring[1]?.key).toEqual(Buffer.from(HEX, 'hex'));
  });

  it('names a bare key after the first 8 hex characters of its SHA-256, whatever its spelling', async () => {
    const key = Buffer.from(HEX, 'hex');
    const expected = createHash('sha256').update(key).digest('hex').slice(0, 8);
    expect((await loadKeyring(options(HEX)))[0]?.id).toBe(expected);
    expect((await loadKeyring(options(key.toString('base64'))))[0]?.id).toBe(expected);
    expect((await loadKeyring(options(key.toString('base64url'))))[0]?.id).toBe(expected);
  });

  it('refuses a bad entry by its position, without echoing it', async () => {
    const short = HEX.slice(0, 32);
    const error = await configError(loadKeyring(options(`k1:${HEX},k2:${short}`)));
    expect(error.message).toMatch(/entry 2.*64 hex characters or the base64 of 32 bytes/);
    expect(error.message).not.toContain(short);
    expect((await configError(loadKeyring(options(randomBytes(24).toString('base64'))))).message).toMatch(/entry 1/);
    expect((await configError(loadKeyring(options(`${HEX}:k1`)))).message).not.toContain(HEX);
    expect((await configError(loadKeyring(options(`bad id:${HEX}`)))).message).toMatch(/entry 1: the key id/);
    expect((await configError(loadKeyring(options(`k1:${HEX},k1:${BASE64}`)))).message).toMatch(
      /entry 2: key id "k1" appears twice/,
    );
    expect((await configError(loadKeyring(options(' , ')))).message).toMatch(/no key/);
  });

  it('refuses to run without a key in production', async () => {
    expect((await configError(loadKeyring(options(null)))).message).toMatch(/ENCRYPTION_KEY is required/);
  });

  it('outside production makes a development key once, keeps it in DATA_DIR (0600) and warns', async () => {
    const dataDir = path.join(await tempDir(), 'nested');
    const warnings: string[] = [];
    const dev = options(null, { nodeEnv: 'development', dataDir, warn: (m) => warnings.push(m) });
    const first = await loadKeyring(dev);
    const second = await loadKeyring(dev);
    expect(second).toEqual(first);
    expect(first[0]?.key).toHaveLength(32);
    const file = path.join(dataDir, 'encryption.key');
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    expect((await readFile(file, 'utf8')).trim()).toBe(first[0]?.key.toString('hex'));
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('development key in DATA_DIR');
    expect(warnings[0]).toContain('set ENCRYPTION_KEY in production');
  });

  it('gives every process starting at once the same development key', async () => {
    const dataDir = await tempDir();
    const dev = options(null, { nodeEnv: 'test', dataDir });
    const keyrings = await Promise.all(Array.from({ length: 8 }, () => loadKeyring(dev)));
    for (const keyring of keyrings) expect(keyring).toEqual(keyrings[0]);
    expect(await readdir(dataDir)).toEqual(['encryption.key']);
  });
});
