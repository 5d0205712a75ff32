// Locks one tenant's row for the rest of the transaction, so that changes spanning several rows
// of that tenant (the default template, an import) run one at a time.
import { sql } from 'drizzle-orm';
import type { AppDb } from './database.js';
import { queryRows } from './database.js';

/** False when the tenant does not exist. NO KEY UPDATE does not block inserts referencing the tenant (webhook ingest). */
export async function lockTenantRow(tx: AppDb, tenantId: string): Promise<boolean> {
  const rows = await queryRows(tx, sql`SELECT id FROM alphadome.bot_tenants WHERE id = ${tenantId} FOR NO KEY UPDATE`);
  return rows.length > 0;
}

/** Whether the tenant exists (for lists, which are otherwise just empty). */
export async function tenantExists(db: AppDb, tenantId: string): Promise<boolean> {
  const rows = await queryRows(db, sql`SELECT 1 FROM alphadome.bot_tenants WHERE id = ${tenantId}`);
  return rows.length > 0;
}
