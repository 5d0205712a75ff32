// Opens the database the configuration names (PGlite in DATA_DIR, or PostgreSQL at DATABASE_URL),
// applies migrations, and offers one drizzle handle plus LISTEN for change notifications.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import type { sql } from 'drizzle-orm';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema.js';
import { PostgresListener } from './postgresListener.js';
import { lockDataDir } from './dataDirLock.js';
import { ensureOwnerOnlyDir } from '../files/ownerOnly.js';
import { RoundTripCounter, type RoundTripPool } from './roundTrips.js';

export type AppDb = PgDatabase<PgQueryResultHKT, typeof schema>;

export interface Database {
  readonly engine: 'pglite' | 'postgres';
  readonly db: AppDb;
  /** Webhook writes go through their own connections (the same handle on PGlite). */
  readonly ingestDb: AppDb;
  /** Wakes workers in every process sharing the database; null on PGlite (one process). */
  readonly announceWork: (() => Promise<void>) | null;
  /** Calls `handler` for every NOTIFY on `channel`, from this process or any other sharing the database. */
  listen(channel: string, handler: (payload: string) => void): Promise<void>;
  /** Statements sent and waited for since the database was opened, by pool (PGlite: all main). */
  roundTrips(): Readonly<Record<RoundTripPool, number>>;
  /** Runs a script of several SQL statements (no parameters), as psql would. */
  runScript(script: string): Promise<void>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl: string | null;
  dataDir: string;
  poolSize?: number;
  onListenError?: (err: Error) => void;
  /** Told when DATA_DIR was open to other users and has been made owner-only. */
  warn?: (message: string) => void;
}

// Same depth from src/adapters/db and dist/adapters/db: the repository root holds drizzle/.
const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../../drizzle', import.meta.url));
const MIGRATION_LOCK_KEY = 7_203_311_420;
const PGLITE_MAINTENANCE_MS = 2 * 60_000;

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  return options.databaseUrl
    ? openPostgres(options.databaseUrl, options)
    : openPglite(options.dataDir, options.warn ?? (() => undefined));
}

async function openPglite(dataDir: string, warn: (message: string) => void): Promise<Database> {
  const dir = path.resolve(dataDir);
  await ensureOwnerOnlyDir(dir, warn);
  const release = await lockDataDir(dir);
  try {
    const client = await PGlite.create(path.join(dir, 'pgdata'));
    const trips = new RoundTripCounter();
    trips.watchPglite(client);
    const db = drizzlePglite({ client, schema }) as unknown as AppDb;
    await migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    await client.exec(`SET search_path TO alphadome, public`);
    // PGlite has no autovacuum: without this, planner statistics go stale and updated message
    // rows are never reclaimed.
    const maintenance = setInterval(() => {
      client.exec('VACUUM (ANALYZE) alphadome.bot_message_logs').catch(() => undefined);
    }, PGLITE_MAINTENANCE_MS);
    maintenance.unref();
    return {
      engine: 'pglite',
      db,
      ingestDb: db,
      announceWork: null,
      roundTrips: () => trips.read(),
      async listen(channel, handler) {
        await client.listen(channel, handler);
      },
      async runScript(script) {
        await client.exec(script);
      },
      async close() {
        clearInterval(maintenance);
        await client.close();
        await release();
      },
    };
  } catch (err) {
    await release();
    throw err;
  }
}

async function openPostgres(url: string, options: DatabaseOptions): Promise<Database> {
  await migratePostgres(url);
  // The worker's statements are prepared once per connection (preparedStatements.ts) but planned
  // for their values every time: a generic plan of the claim and the completion, measured on the
  // bench, halved the end-to-end throughput on PostgreSQL.
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    options: '-c plan_cache_mode=force_custom_plan',
  });
  const trips = new RoundTripCounter();
  trips.watchPool(pool, 'main');
  // An idle client that errors (server restart) must not crash the process; the pool replaces it.
  pool.on('error', (err) => options.onListenError?.(err));
  const db = drizzlePg({ client: pool, schema }) as unknown as AppDb;
  const ingestPool = new pg.Pool({ connectionString: url, max: 4 });
  ingestPool.on('error', (err) => options.onListenError?.(err));
  trips.watchPool(ingestPool, 'ingest');
  const ingestDb = drizzlePg({ client: ingestPool, schema }) as unknown as AppDb;
  const listener = new PostgresListener(url, options.onListenError);
  return {
    engine: 'postgres',
    db,
    ingestDb,
    async announceWork() {
      await ingestPool.query(`SELECT pg_notify('alphadome_work', '')`);
    },
    roundTrips: () => trips.read(),
    listen: (channel, handler) => listener.listen(channel, handler),
    async runScript(script) {
      await pool.query(script);
    },
    async close() {
      await listener.close();
      await Promise.all([pool.end(), ingestPool.end()]);
    },
  };
}

/** Several processes may start at once on one PostgreSQL: an advisory lock lets one migrate. */
async function migratePostgres(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    await migratePg(drizzlePg({ client }), { migrationsFolder: MIGRATIONS_FOLDER });
    // The spec's examples use bare table names (bot_templates, not alphadome.bot_templates), so the
    // schema is on the search path; databases made from a template lose per-database settings, so
    // this runs at every start rather than once in a migration.
    await client.query(
      `DO $$ BEGIN EXECUTE format('ALTER DATABASE %I SET search_path TO alphadome, public', current_database()); END $$`,
    );
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}

/** Rows of a raw statement, whichever driver ran it. */
export async function queryRows<T>(db: AppDb, statement: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(statement)) as unknown as { rows: T[] };
  return result.rows;
}
