// The statements on every message's path, run as named prepared statements: PostgreSQL parses
// and plans each once per connection instead of at every message, and no query builder runs.
// (PGlite, in this process, takes the same text and parameters.)
import { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import type { AppDb } from './database.js';

export interface PreparedStatement {
  /** Unique per statement text: PostgreSQL keeps one plan per name and connection. */
  name: string;
  /** SQL with $1, $2... placeholders; every placeholder cast, so its type never depends on usage. */
  text: string;
}

export async function preparedRows<T>(db: AppDb, statement: PreparedStatement, values: unknown[]): Promise<T[]> {
  const client = (db as unknown as { $client: unknown }).$client;
  if (client instanceof PGlite) return (await client.query<T>(statement.text, values)).rows;
  const result = await (client as pg.Pool).query<T & pg.QueryResultRow>({
    name: statement.name,
    text: statement.text,
    values,
  });
  return result.rows;
}
