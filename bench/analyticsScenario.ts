// Analytics at a million log rows for one tenant (PostgreSQL): the real app in a child process, its
// database filled with generate_series (the tenant's rows plus other tenants'), then each analytics
// request timed over HTTP as a p50 of several calls and shown as a ratio to the message-log page
// request of the same tenant, measured in the same run. A plain indexed count(*) over the tenant's
// 30 days is shown too, as the floor the database itself sets.
import pg from 'pg';
import { seedAnalyticsLog } from './analyticsLogSeed.js';
import { ChildServer } from './childServer.js';
import { summarize } from './stats.js';

export interface AnalyticsBenchSettings {
  /** Inbound rows of the measured tenant; about 90% of them get an outbound part too. */
  inbound: number;
  otherTenants: number;
  otherInbound: number;
  calls: number;
}

export interface AnalyticsBenchReport {
  tenantRows: number;
  otherRows: number;
  seedS: number;
  timings: { label: string; p50Ms: number; vsBaseline: number }[];
}

// Production start: at least 32 characters.
const ADMIN_TOKEN = 'bench-admin-token-0123456789abcdef';
const TENANT = { phone: '254700000002', phoneNumberId: '109999000000002', accessToken: 'EAAbenchtoken2' };

export async function measureAnalytics(
  appConfig: Record<string, string>,
  settings: AnalyticsBenchSettings,
  log: (line: string) => void,
): Promise<AnalyticsBenchReport> {
  const databaseUrl = appConfig['DATABASE_URL'];
  if (!databaseUrl) throw new Error('the analytics bench runs on PostgreSQL');
  const config = { ...appConfig, WORKER_ENABLED: 'false', ADMIN_API_TOKEN: ADMIN_TOKEN };
  const server = await ChildServer.start(
    'appServer.ts',
    { BENCH_APP_ENV: JSON.stringify(config), BENCH_SEED: JSON.stringify({ ...TENANT, faq: null }) },
    'analytics',
  );
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const started = performance.now();
    const { rows } = await client.query<{ id: string }>(
      'SELECT id FROM alphadome.bot_tenants WHERE client_phone = $1',
      [TENANT.phone],
    );
    const tenantId = rows[0]?.id;
    if (!tenantId) throw new Error('bench tenant missing');
    log(`analytics: writing ~${Math.round(settings.inbound * 1.9).toLocaleString('en')} log rows for the tenant`);
    const tenantRows = await seedAnalyticsLog(client, tenantId, settings.inbound, 'main');
    let otherRows = 0;
    for (let i = 0; i < settings.otherTenants; i++) {
      const other = await client.query<{ id: string }>(
        `INSERT INTO alphadome.bot_tenants (client_name, client_phone) VALUES ($1, $2) RETURNING id`,
        [`Other ${i}`, `25471000${String(i).padStart(4, '0')}`],
      );
      otherRows += await seedAnalyticsLog(client, other.rows[0]!.id, settings.otherInbound, `other${i}`);
    }
    // Steady state as autovacuum would leave it: fresh statistics and a visibility map.
    await client.query('VACUUM (ANALYZE) alphadome.bot_message_logs');
    const seedS = (performance.now() - started) / 1000;
    log(
      `analytics: ${tenantRows} rows for the tenant, ${otherRows} for ${settings.otherTenants} others, in ${seedS.toFixed(0)} s`,
    );

    const base = `${server.url}/api/v1/tenants/${tenantId}`;
    const today = new Date().toISOString().slice(0, 10);
    const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
    const baseline = await p50(settings.calls, () => get(`${base}/messages?limit=20`));
    const count = await p50(settings.calls, async () => {
      await client.query(
        `SELECT count(*) FROM alphadome.bot_message_logs WHERE bot_tenant_id = $1 AND created_at >= now() - interval '30 days'`,
        [tenantId],
      );
    });
    const cases: [string, () => Promise<void>][] = [
      ['analytics, last 30 days (default)', () => get(`${base}/analytics`)],
      ['analytics, 366 days (every row)', () => get(`${base}/analytics?from=${yearAgo}&to=${today}`)],
      ['questions to teach, last 30 days', () => get(`${base}/analytics/questions`)],
      ['questions to teach, 366 days', () => get(`${base}/analytics/questions?from=${yearAgo}&to=${today}`)],
    ];
    const timings = [
      { label: 'baseline: GET /messages?limit=20', p50Ms: baseline, vsBaseline: 1 },
      { label: 'SQL count(*) over 30 days (no HTTP)', p50Ms: count, vsBaseline: count / baseline },
    ];
    for (const [label, call] of cases) {
      log(`analytics: ${label}`);
      const ms = await p50(settings.calls, call);
      timings.push({ label, p50Ms: ms, vsBaseline: ms / baseline });
    }
    return { tenantRows, otherRows, seedS, timings };
  } finally {
    await client.end();
    await server.stop();
  }
}

export function printAnalyticsReport(report: AnalyticsBenchReport): void {
  const out = [
    '',
    `Analytics on PostgreSQL: ${report.tenantRows.toLocaleString('en')} log rows for one tenant (a year), ${report.otherRows.toLocaleString('en')} for other tenants; written in ${report.seedS.toFixed(0)} s`,
    ...report.timings.map(
      (t) =>
        `  ${t.label.padEnd(40)} p50 ${t.p50Ms.toFixed(1).padStart(8)} ms  ${t.vsBaseline.toFixed(1).padStart(6)}x baseline`,
    ),
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

async function get(url: string): Promise<void> {
  const res = await fetch(url, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body.slice(0, 200)}`);
}

/** One warm-up call, then the median of `calls` timed ones. */
async function p50(calls: number, call: () => Promise<unknown>): Promise<number> {
  await call();
  const samples: number[] = [];
  for (let i = 0; i < calls; i++) {
    const started = performance.now();
    await call();
    samples.push(performance.now() - started);
  }
  return summarize(samples).p50;
}
