// A fresh, migrated database for one test app: a copy of the PGlite template folder, or a
// PostgreSQL database cloned from the template database.
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { adminQuery, withDatabase } from './globalSetup.js';

export type Engine = 'pglite' | 'postgres';

/** Every integration test runs on PGlite, and on PostgreSQL too when TEST_DATABASE_URL is set. */
export function testEngines(): Engine[] {
  return inject('postgresTemplate') ? ['pglite', 'postgres'] : ['pglite'];
}

export interface TestDatabase {
  engine: Engine;
  /** Environment for the app: DATABASE_URL or DATA_DIR. */
  env: Record<string, string>;
  /** PostgreSQL URL of this database (for psql-style checks); null on PGlite. */
  url: string | null;
  dataDir: string | null;
  drop(): Promise<void>;
}

export async function createTestDatabase(engine: Engine): Promise<TestDatabase> {
  if (engine === 'pglite') {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'alphadome-pglite-'));
    await cp(path.join(inject('pgliteTemplateDir'), 'pgdata'), path.join(dataDir, 'pgdata'), { recursive: true });
    return {
      engine,
      env: { DATA_DIR: dataDir },
      url: null,
      dataDir,
      drop: () => rm(dataDir, { recursive: true, force: true }),
    };
  }
  const template = inject('postgresTemplate');
  if (!template) throw new Error('PostgreSQL tests need TEST_DATABASE_URL');
  const name = `alphadome_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await adminQuery(template.adminUrl, `CREATE DATABASE ${name} TEMPLATE ${template.templateName}`);
  const url = withDatabase(template.adminUrl, name);
  return {
    engine,
    env: { DATABASE_URL: url },
    url,
    dataDir: null,
    drop: () => adminQuery(template.adminUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
