// The test database opened with a counter of the statements sent through it, for tests that bound
// round trips, and LISTEN for its change notifications. Migrated already (a copy of the template).
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import pg from 'pg';
import type { AppDb } from '../../src/adapters/db/database.js';
import * as schema from '../../src/adapters/db/schema.js';
import type { TestDatabase } from './testDatabase.js';

export interface CountedDatabase {
  db: AppDb;
  /** Statements sent so far. */
  statements(): number;
  listen(channel: string, handler: (payload: string) => void): Promise<void>;
  close(): Promise<void>;
}

export async function openCountedDatabase(database: TestDatabase): Promise<CountedDatabase> {
  let count = 0;
  const logger = { logQuery: () => void (count += 1) };
  if (database.engine === 'pglite') {
    const client = await PGlite.create(path.join(database.dataDir ?? '', 'pgdata'));
    await client.exec('SET search_path TO alphadome, public');
    return {
      db: drizzlePglite({ client, schema, logger }) as unknown as AppDb,
      statements: () => count,
      listen: async (channel, handler) => void (await client.listen(channel, handler)),
      close: () => client.close(),
    };
  }
  const pool = new pg.Pool({ connectionString: database.url ?? '', max: 4 });
  const listener = new pg.Client({ connectionString: database.url ?? '' });
  // A pool resolves end() before its clients' sockets close, and dropping the database then
  // terminates them: an expected error, not an uncaught one.
  const ignore = () => undefined;
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  listener.on('error', ignore);
  await listener.connect();
  return {
    db: drizzlePg({ client: pool, schema, logger }) as unknown as AppDb,
    statements: () => count,
    async listen(channel, handler) {
      listener.on('notification', (message) => {
        if (message.channel === channel) handler(message.payload ?? '');
      });
      await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
    },
    async close() {
      await listener.end();
      await pool.end();
    },
  };
}
