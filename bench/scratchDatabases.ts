// Per-run scratch storage: a PostgreSQL database alphadome_bench_<pid> (made from the admin URL,
// dropped at the end) and a temporary PGlite folder (removed at the end).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';

export interface ScratchDatabases {
  /** DATABASE_URL for the app, or null when PostgreSQL is unreachable (see pgNote). */
  postgresUrl: string | null;
  pgNote: string | null;
  /** DATA_DIR for the app (PGlite). */
  pgliteDir: string;
  cleanup(): Promise<void>;
}

export async function createScratchDatabases(): Promise<ScratchDatabases> {
  const root = await mkdtemp(path.join(tmpdir(), 'alphadome-bench-'));
  const adminUrl =
    process.env['BENCH_DATABASE_URL'] ?? process.env['TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const name = `alphadome_bench_${process.pid}`;
  let postgresUrl: string | null = null;
  let pgNote: string | null = null;
  try {
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await adminQuery(adminUrl, `CREATE DATABASE ${name}`);
    const url = new URL(adminUrl);
    url.pathname = `/${name}`;
    postgresUrl = url.toString();
  } catch (err) {
    pgNote = `PostgreSQL rows skipped: ${redact(adminUrl)} unreachable (${(err as Error).message})`;
  }
  let cleaned = false;
  return {
    postgresUrl,
    pgNote,
    pgliteDir: path.join(root, 'pglite'),
    async cleanup() {
      if (cleaned) return;
      cleaned = true;
      if (postgresUrl)
        await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
      await rm(root, { recursive: true, force: true });
    },
  };
}

async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3_000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(admin URL)';
  }
}
