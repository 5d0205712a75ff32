// Which key minted which: a key made with a tenant key has created_by "api_key:<prefix of the
// minting key>" (prefixes are unique and rows are never deleted on revoke), so the existing
// column is the link and no migration is needed. A key lives only while every key above it does.
import { sql } from 'drizzle-orm';
import { MINTED_BY_KEY } from '../../modules/tenants/principal.js';
import { queryRows, type AppDb } from './database.js';

/** Rows written by hand could make a loop; no real lineage is anywhere near this deep. */
const MAX_DEPTH = 64;

/** True when a key above this one (the key that minted it, and so on up) is revoked. */
export async function hasRevokedAncestor(db: AppDb, tenantId: string, createdBy: string): Promise<boolean> {
  if (!createdBy.startsWith(MINTED_BY_KEY)) return false;
  const [row] = await queryRows<{ revoked: boolean | null }>(
    db,
    sql`
    WITH RECURSIVE up(prefix, created_by, revoked_at, depth) AS (
      SELECT prefix, created_by, revoked_at, 1 FROM alphadome.api_keys
        WHERE bot_tenant_id = ${tenantId} AND ${MINTED_BY_KEY} || prefix = ${createdBy}
      UNION ALL
      SELECT k.prefix, k.created_by, k.revoked_at, up.depth + 1 FROM alphadome.api_keys k
        JOIN up ON ${MINTED_BY_KEY} || k.prefix = up.created_by AND k.bot_tenant_id = ${tenantId}
        WHERE up.depth < ${MAX_DEPTH}
    )
    SELECT bool_or(revoked_at IS NOT NULL) AS revoked FROM up`,
  );
  return row?.revoked === true;
}

/** The ids of every live key minted through this one (its children, theirs, ...). */
export async function liveDescendantIds(db: AppDb, tenantId: string, prefix: string): Promise<string[]> {
  const rows = await queryRows<{ id: string }>(
    db,
    sql`
    WITH RECURSIVE down(id, prefix, revoked_at, depth) AS (
      SELECT id, prefix, revoked_at, 1 FROM alphadome.api_keys
        WHERE bot_tenant_id = ${tenantId} AND created_by = ${MINTED_BY_KEY + prefix}
      UNION ALL
      SELECT k.id, k.prefix, k.revoked_at, down.depth + 1 FROM alphadome.api_keys k
        JOIN down ON k.created_by = ${MINTED_BY_KEY} || down.prefix AND k.bot_tenant_id = ${tenantId}
        WHERE down.depth < ${MAX_DEPTH}
    )
    SELECT DISTINCT id FROM down WHERE revoked_at IS NULL`,
  );
  return rows.map((r) => r.id);
}
