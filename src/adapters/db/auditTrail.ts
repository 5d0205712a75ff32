// Writes one audit row inside the caller's transaction, with every secret masked.
import type { AppDb } from './database.js';
import { auditLog } from './schema.js';

export interface AuditEntry {
  tenantId: string | null;
  actor: string;
  action: 'create' | 'update' | 'delete' | 'import' | 'revoke' | 'rotate';
  entity: string;
  entityId: string | null;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
}

const SECRET_KEYS = /token|secret|api_key|apikey|password|key_hash|fallback_keys/i;

/** Replaces every secret-looking value by "set, last 4" so the audit never holds a secret. */
export function maskForAudit(value: Record<string, unknown> | null): Record<string, unknown> | null {
  if (!value) return null;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEYS.test(key)) out[key] = maskValue(v);
    else if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date))
      out[key] = maskForAudit(v as Record<string, unknown>);
    else out[key] = v;
  }
  return out;
}

function maskValue(value: unknown): unknown {
  if (value === null || value === undefined || typeof value === 'boolean') return value ?? null;
  if (typeof value === 'object' && !Array.isArray(value)) {
    const masked: Record<string, unknown> = {};
    // An already masked secret ({set, last4}) shows no more than the API itself does.
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) masked[k] = k === 'last4' ? v : maskValue(v);
    return masked;
  }
  if (typeof value === 'string') return value.length === 0 ? '' : '[secret]';
  return '[secret]';
}

export async function writeAudit(tx: AppDb, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLog).values({
    botTenantId: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    entity: entry.entity,
    entityId: entry.entityId,
    before: maskForAudit(entry.before),
    after: maskForAudit(entry.after),
  });
}
