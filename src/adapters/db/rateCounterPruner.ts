// Housekeeping across tenants: rate-limit windows that ended long ago count nothing any more.
// It deletes by age only and reads no tenant's data.
import { sql } from 'drizzle-orm';
import type { RateCounterPruner } from '../../modules/replies/controlPorts.js';
import { queryRows, type AppDb } from './database.js';

export class DbRateCounterPruner implements RateCounterPruner {
  constructor(private readonly db: AppDb) {}

  async pruneWindowsBefore(cutoff: Date): Promise<number> {
    const rows = await queryRows(
      this.db,
      sql`
      DELETE FROM alphadome.rate_counters WHERE window_start < ${cutoff.toISOString()}::timestamptz RETURNING 1`,
    );
    return rows.length;
  }
}
