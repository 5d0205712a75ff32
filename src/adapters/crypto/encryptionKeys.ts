// The keyring for stored credentials: ENCRYPTION_KEYS (or ENCRYPTION_KEY) when set; otherwise,
// outside production only, a random key made once and kept in DATA_DIR.
import { createHash, randomBytes } from 'node:crypto';
import { link, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ConfigError } from '../../config.js';
import { ensureOwnerOnlyDir, ensureOwnerOnlyFile } from '../files/ownerOnly.js';
import { KEY_ID_PATTERN, type KeyringEntry } from './secretCipher.js';

export interface KeyringOptions {
  /** ENCRYPTION_KEYS, else ENCRYPTION_KEY, as the configuration has it. */
  encryptionKeys: string | null;
  nodeEnv: string;
  dataDir: string;
  warn: (message: string) => void;
}

const DEVELOPMENT_KEY_FILE = 'encryption.key';
const HEX_KEY = /^[0-9a-fA-F]{64}$/;
// Standard or URL-safe alphabet; 43 characters (+ one "=") are exactly 32 bytes.
const BASE64_KEY = /^[A-Za-z0-9+/_-]{43}=?$/;

/** The first key encrypts, all decrypt. Throws ConfigError naming the bad entry's position, never its text. */
export async function loadKeyring(options: KeyringOptions): Promise<KeyringEntry[]> {
  if (options.encryptionKeys !== null)
    return parseKeyring(options.encryptionKeys, 'ENCRYPTION_KEYS (or ENCRYPTION_KEY)');
  if (options.nodeEnv === 'production') throw new ConfigError('ENCRYPTION_KEY is required when NODE_ENV=production');
  const file = path.resolve(options.dataDir, DEVELOPMENT_KEY_FILE);
  const keyring = parseKeyring(await readOrCreateKeyFile(file, options.warn), file);
  options.warn(`development key in DATA_DIR (${file}); set ENCRYPTION_KEY in production`);
  return keyring;
}

function parseKeyring(text: string, source: string): KeyringEntry[] {
  const keyring: KeyringEntry[] = [];
  for (const [index, raw] of text.split(',').entries()) {
    const entry = raw.trim();
    if (entry === '') continue;
    const position = `${source}: entry ${index + 1}`;
    const colon = entry.indexOf(':');
    const keyText = colon === -1 ? entry : entry.slice(colon + 1).trim();
    const key = parseKey(keyText);
    if (!key) throw new ConfigError(`${position}: the key must be 64 hex characters or the base64 of 32 bytes`);
    // A bare key is named by its own hash, so the same key always gets the same id.
    const id = colon === -1 ? createHash('sha256').update(key).digest('hex').slice(0, 8) : entry.slice(0, colon).trim();
    if (!KEY_ID_PATTERN.test(id))
      throw new ConfigError(`${position}: the key id must be 1-64 letters, digits, "_", "." or "-"`);
    if (keyring.some((k) => k.id === id)) throw new ConfigError(`${position}: key id "${id}" appears twice`);
    keyring.push({ id, key });
  }
  if (keyring.length === 0) throw new ConfigError(`${source}: no key given`);
  return keyring;
}

function parseKey(text: string): Buffer | null {
  if (HEX_KEY.test(text)) return Buffer.from(text, 'hex');
  if (!BASE64_KEY.test(text)) return null;
  const key = Buffer.from(text, 'base64');
  return key.length === 32 ? key : null;
}

async function readOrCreateKeyFile(file: string, warn: (message: string) => void): Promise<string> {
  await ensureOwnerOnlyDir(path.dirname(file), warn);
  try {
    const text = await readFile(file, 'utf8');
    await ensureOwnerOnlyFile(file, warn);
    return text;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  // Written aside and linked into place: link fails when another process was first, and no
  // process ever reads a half-written key.
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temp, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' });
  try {
    await link(temp, file);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  } finally {
    await rm(temp, { force: true });
  }
  return readFile(file, 'utf8');
}
