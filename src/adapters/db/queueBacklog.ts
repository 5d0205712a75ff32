// The queue's totals across every tenant, for /metrics. This crosses tenants on purpose and
// returns only counts and an age: no tenant id, no phone number, no text ever leaves here.
import { sql } from 'drizzle-orm';
import type { QueueBacklog } from '../../modules/operations/ports.js';
import { queryRows, type AppDb } from './database.js';

interface BacklogRow {
  pending: string | number;
  processing: string | number;
  oldest_pending_age_seconds: string | number | null;
}

export class DbQueueBacklog implements QueueBacklog {
  constructor(private readonly db: AppDb) {}

  async read(): Promise<{ pending: number; processing: number; oldestPendingAgeSeconds: number | null }> {
    // The WHERE clause is the predicate of the partial queue index, so this reads only open
    // messages (the backlog), never the whole log; one statement per scrape.
    const [row] = await queryRows<BacklogRow>(
      this.db,
      sql`
      SELECT count(*) FILTER (WHERE status = 'pending') AS pending,
             count(*) FILTER (WHERE status = 'processing') AS processing,
             EXTRACT(EPOCH FROM now() - min(created_at) FILTER (WHERE status = 'pending')) AS oldest_pending_age_seconds
      FROM alphadome.bot_message_logs
      WHERE direction = 'inbound' AND status IN ('pending', 'processing')`,
    );
    const age = row?.oldest_pending_age_seconds;
    return {
      pending: Number(row?.pending ?? 0),
      processing: Number(row?.processing ?? 0),
      oldestPendingAgeSeconds: age === null || age === undefined ? null : Math.max(0, Number(age)),
    };
  }
}
