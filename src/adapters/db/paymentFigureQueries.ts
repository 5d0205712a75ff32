// One tenant's M-Pesa figures for analytics: money collected and payments ended per UTC day,
// the success rate and failures by reason. Every statement filters by the constructor's tenant.
import { sql } from 'drizzle-orm';
import { addDays, rangeBounds, type DayRange } from '../../domain/dayRange.js';
import type { PaymentFigures } from '../../modules/analytics/analyticsReport.js';
import { queryRows, type AppDb } from './database.js';

export class DbPaymentFigures {
  constructor(
    private readonly db: AppDb,
    private readonly tenantId: string,
  ) {}

  async paymentFigures(range: DayRange): Promise<PaymentFigures> {
    const { start, end } = rangeBounds(range);
    const ended = await queryRows<{ day: string; status: string; reason: string | null; n: number; kes: number }>(
      this.db,
      sql`
      SELECT to_char(settled_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, status, failure_reason AS reason,
             count(*)::int AS n, coalesce(sum(amount), 0)::bigint AS kes
      FROM alphadome.payments
      WHERE bot_tenant_id = ${this.tenantId} AND status IN ('paid', 'failed') AND settled_at >= ${start} AND settled_at < ${end}
      GROUP BY 1, 2, 3`,
    );
    const [pending] = await queryRows<{ n: number }>(
      this.db,
      sql`
      SELECT count(*)::int AS n FROM alphadome.payments
      WHERE bot_tenant_id = ${this.tenantId} AND status = 'pending' AND created_at >= ${start} AND created_at < ${end}`,
    );
    const days = new Map<string, { date: string; collected_kes: number; paid: number; failed: number }>();
    for (let day = range.from; day <= range.to; day = addDays(day, 1))
      days.set(day, { date: day, collected_kes: 0, paid: 0, failed: 0 });
    const reasons = new Map<string, number>();
    for (const row of ended) {
      const bucket = days.get(row.day);
      if (!bucket) continue;
      if (row.status === 'paid') {
        bucket.paid += Number(row.n);
        bucket.collected_kes += Number(row.kes);
      } else {
        bucket.failed += Number(row.n);
        const reason = row.reason ?? 'other';
        reasons.set(reason, (reasons.get(reason) ?? 0) + Number(row.n));
      }
    }
    const daily = [...days.values()];
    const paid = daily.reduce((sum, d) => sum + d.paid, 0);
    const failed = daily.reduce((sum, d) => sum + d.failed, 0);
    return {
      collected_kes: daily.reduce((sum, d) => sum + d.collected_kes, 0),
      paid,
      failed,
      pending: Number(pending?.n ?? 0),
      success_rate: paid + failed === 0 ? null : Math.round((paid / (paid + failed)) * 10_000) / 10_000,
      daily,
      failures_by_reason: [...reasons]
        .map(([reason, count]) => ({ reason, count }))
        .sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    };
  }
}
