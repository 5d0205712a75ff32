// The one place where payment lookups cross tenants: a Daraja callback names its payment only by
// the unguessable token in its URL, and the reconciliation sweep looks for due payments of every
// tenant. Both answer only (tenant, payment) ids; everything else about the payment is read and
// changed through that tenant's own store (tenantPaymentStore.ts).
import { sql } from 'drizzle-orm';
import type { PaymentDirectory } from '../../modules/payments/ports.js';
import { queryRows, type AppDb } from './database.js';

export class DbPaymentDirectory implements PaymentDirectory {
  constructor(private readonly db: AppDb) {}

  async byCallbackToken(tokenHash: string): Promise<{ tenantId: string; paymentId: string } | null> {
    const [row] = await queryRows<{ tenant_id: string; id: string }>(
      this.db,
      sql`
      SELECT bot_tenant_id AS tenant_id, id FROM alphadome.payments WHERE callback_token_hash = ${tokenHash} LIMIT 1`,
    );
    return row ? { tenantId: row.tenant_id, paymentId: row.id } : null;
  }

  async claimDueQueries(
    limit: number,
    leaseMs: number,
  ): Promise<{ tenantId: string; paymentId: string; attempts: number }[]> {
    // Pushed back by the lease in the claiming statement: another process's sweep skips it meanwhile.
    const rows = await queryRows<{ tenant_id: string; id: string; query_attempts: number }>(
      this.db,
      sql`
      UPDATE alphadome.payments SET next_query_at = now() + (${leaseMs} * interval '1 millisecond'), query_attempts = query_attempts + 1
      WHERE id IN (
        SELECT id FROM alphadome.payments
        WHERE status = 'pending' AND next_query_at <= now()
        ORDER BY next_query_at LIMIT ${limit} FOR UPDATE SKIP LOCKED)
      RETURNING bot_tenant_id AS tenant_id, id, query_attempts`,
    );
    return rows.map((r) => ({ tenantId: r.tenant_id, paymentId: r.id, attempts: Number(r.query_attempts) }));
  }
}
