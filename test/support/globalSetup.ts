// Once per test run: a migrated PGlite folder to copy (a fresh one takes seconds to create) and,
// when TEST_DATABASE_URL is set, a migrated PostgreSQL template database to clone.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import pg from 'pg';
import { openDatabase } from '../../src/adapters/db/database.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgliteTemplateDir: string;
    postgresTemplate: { adminUrl: string; templateName: string } | null;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = await mkdtemp(path.join(tmpdir(), 'alphadome-test-'));
  const pgliteTemplateDir = path.join(root, 'pglite-template');
  const pglite = await openDatabase({ databaseUrl: null, dataDir: pgliteTemplateDir });
  await pglite.close();
  project.provide('pgliteTemplateDir', pgliteTemplateDir);

  const adminUrl = process.env['TEST_DATABASE_URL'];
  let templateName: string | null = null;
  if (adminUrl) {
    templateName = `alphadome_tpl_${process.pid}`;
    await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${templateName}`);
    await adminQuery(adminUrl, `CREATE DATABASE ${templateName}`);
    const migrated = await openDatabase({ databaseUrl: withDatabase(adminUrl, templateName), dataDir: '' });
    await migrated.close();
  }
  project.provide('postgresTemplate', adminUrl && templateName ? { adminUrl, templateName } : null);

  return async () => {
    if (adminUrl && templateName) await adminQuery(adminUrl, `DROP DATABASE IF EXISTS ${templateName} WITH (FORCE)`);
    await rm(root, { recursive: true, force: true });
  };
}

export async function adminQuery(adminUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
