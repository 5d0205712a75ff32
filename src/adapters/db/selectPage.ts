// One page of a table's rows and the total behind it: the list endpoints' shared query.
import { count, type SQL } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import type { Page, PageRequest } from '../../modules/tenants/ports.js';
import type { AppDb } from './database.js';

export async function selectPage<T extends PgTable, V>(
  db: AppDb,
  table: T,
  filter: SQL | undefined,
  order: SQL[],
  request: PageRequest,
  view: (row: T['$inferSelect']) => V,
): Promise<Page<V>> {
  const rows = (await db
    .select()
    .from(table as PgTable)
    .where(filter)
    .orderBy(...order)
    .limit(request.limit)
    .offset((request.page - 1) * request.limit)) as T['$inferSelect'][];
  const [total] = await db
    .select({ n: count() })
    .from(table as PgTable)
    .where(filter);
  return { data: rows.map(view), page: request.page, limit: request.limit, total: Number(total?.n ?? 0) };
}
