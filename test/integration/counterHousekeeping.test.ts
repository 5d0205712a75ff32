// Rate-limit windows that ended days ago are deleted at start (and hourly), for every tenant;
// current windows, and the counts that still limit anyone, stay.
import { afterEach, describe, expect, it } from 'vitest';
import { lit, seedTenant } from '../support/seed.js';
import { eventually, startTestApp, type TestApp } from '../support/testApp.js';
import { createTestDatabase, testEngines, type TestDatabase } from '../support/testDatabase.js';

const HOUR = 60 * 60_000;

describe.each(testEngines())('pruning old rate-limit windows (%s)', (engine) => {
  let t: TestApp | null = null;
  let database: TestDatabase | null = null;
  afterEach(async () => {
    await t?.stop();
    await database?.drop();
    t = null;
    database = null;
  });

  it('deletes windows older than two days for every tenant at start, and keeps the rest', async () => {
    database = await createTestDatabase(engine);
    t = await startTestApp({ engine, database });
    const a = await seedTenant(t);
    const b = await seedTenant(t);
    const at = (hoursAgo: number) => lit(new Date(Date.now() - hoursAgo * HOUR).toISOString());
    const rows: [string, string, string, string][] = [
      [a.id, 'tenant_hour', '', at(0)],
      [a.id, 'user_day', '254700555001', at(30)],
      [a.id, 'tenant_hour', '', at(72)],
      [b.id, 'user_day', '254700555002', at(24 * 10)],
      [b.id, 'tenant_hour', '', at(1)],
    ];
    await t.rows(`INSERT INTO alphadome.rate_counters (bot_tenant_id, scope, subject, window_start, count) VALUES
      ${rows.map(([tenant, scope, subject, start]) => `(${lit(tenant)}, ${lit(scope)}, ${lit(subject)}, ${start}::timestamptz, 3)`).join(',\n')}`);
    await t.stop();

    t = await startTestApp({ engine, database });
    const app = t;
    const left = await eventually(async () => {
      const r = await app.rows<{ bot_tenant_id: string; scope: string; count: number }>(
        'SELECT bot_tenant_id, scope, count FROM alphadome.rate_counters ORDER BY window_start DESC',
      );
      return r.length === 3 ? r : null;
    });
    expect(left.map((r) => [r.bot_tenant_id, r.scope, Number(r.count)])).toEqual([
      [a.id, 'tenant_hour', 3],
      [b.id, 'tenant_hour', 3],
      [a.id, 'user_day', 3],
    ]);
  });
});
