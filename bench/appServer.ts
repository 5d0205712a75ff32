// Child process: the real app, built exactly as production builds it (buildApp(loadConfig(env))),
// on a scratch database with one benchmark tenant. Speaks JSON lines: ready/answers on stdout,
// commands on stdin; the app's own logs go to stderr so they never mix with the protocol.
// BENCH_SHARED_DATABASE=1 starts a second process on a database another one has seeded: nothing
// is emptied or seeded then.
import { sql } from 'drizzle-orm';
import { pino } from 'pino';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { queryRows } from '../src/adapters/db/database.js';
import { REDACTED_PATHS } from '../src/logger.js';
import { CpuProfiler } from './cpuProfile.js';
import { manyTenant } from './webhookFactory.js';

interface Seed {
  phone: string;
  phoneNumberId: string;
  accessToken: string;
  faq: { question: string; answer: string } | null;
  /** Further tenants (manyTenant(0..n-1)), each with the same FAQ and no limits in the way. */
  manyTenants?: number;
}

const appEnv = JSON.parse(process.env['BENCH_APP_ENV'] ?? '{}') as Record<string, string>;
const seed = JSON.parse(process.env['BENCH_SEED'] ?? 'null') as Seed | null;
const config = loadConfig(appEnv);

// This process empties the database below: refuse anything but a benchmark scratch database.
const scratch = config.databaseUrl
  ? new URL(config.databaseUrl).pathname.startsWith('/alphadome_bench_')
  : config.dataDir.includes('alphadome-bench-');
if (!scratch) {
  process.stderr.write('appServer: refusing to run on a database that is not a bench scratch database\n');
  process.exit(2);
}

const logger = pino(
  { level: config.logLevel, redact: { paths: REDACTED_PATHS, censor: '[redacted]' } },
  pino.destination(2),
);
const app = await buildApp(config, logger);
const { db } = app.database;

const shared = process.env['BENCH_SHARED_DATABASE'] === '1';
// A fresh start for each scenario: earlier rows would be claimed by the worker or skew counts.
if (!shared) await db.execute(sql`TRUNCATE alphadome.bot_tenants CASCADE`);
if (seed && !shared) {
  const [tenant] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token,
          ai_provider, ai_model, ai_api_key, is_active, is_verified)
        VALUES ('Bench Tenant', ${seed.phone}, ${seed.phoneNumberId}, ${seed.accessToken}, 'openai', 'gpt-3.5-turbo', 'sk-bench', true, true)
        RETURNING id`,
  );
  if (tenant) {
    // The bench measures throughput, not the tenant's limits (100/hour by default).
    await db.execute(sql`INSERT INTO alphadome.bot_control_settings (bot_tenant_id, max_messages_per_hour, max_messages_per_user_per_day)
      VALUES (${tenant.id}, 1000000, 1000000)`);
  }
  if (seed.faq && tenant) {
    await db.execute(sql`INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer, priority, confidence_score)
      VALUES (${tenant.id}, 'faq', ${seed.faq.question}, ${seed.faq.answer}, 5, 0.95)`);
  }
}

if (seed?.manyTenants && !shared) await seedManyTenants(seed.manyTenants, seed.faq);

/** The many tenants in three statements, then a wait until the app has sealed their access tokens. */
async function seedManyTenants(count: number, faq: Seed['faq']): Promise<void> {
  const tenants = Array.from({ length: count }, (_, i) => ({ i, ...manyTenant(i) }));
  await db.execute(sql`
    INSERT INTO alphadome.bot_tenants (client_name, client_phone, whatsapp_phone_number_id, whatsapp_access_token, is_active, is_verified)
    SELECT 'Bench Tenant ' || t.i, t.phone, t."phoneNumberId", t."accessToken", true, true
    FROM json_to_recordset(${JSON.stringify(tenants)}::json) AS t(i int, phone text, "phoneNumberId" text, "accessToken" text)`);
  await db.execute(sql`
    INSERT INTO alphadome.bot_control_settings (bot_tenant_id, max_messages_per_hour, max_messages_per_user_per_day)
    SELECT id, 1000000, 1000000 FROM alphadome.bot_tenants WHERE client_name LIKE 'Bench Tenant %'`);
  if (faq) {
    await db.execute(sql`
      INSERT INTO alphadome.bot_training_data (bot_tenant_id, data_type, question, answer, priority, confidence_score)
      SELECT id, 'faq', ${faq.question}, ${faq.answer}, 5, 0.95 FROM alphadome.bot_tenants WHERE client_name LIKE 'Bench Tenant %'`);
  }
  // Tokens inserted by SQL are sealed by the app in the background, each a write and a change
  // notification: measuring starts once that settles, bounded to a minute.
  const deadline = Date.now() + 60_000;
  for (;;) {
    const [row] = await queryRows<{ n: string }>(
      db,
      sql`SELECT count(*) AS n FROM alphadome.bot_tenants WHERE whatsapp_access_token NOT LIKE 'enc:%'`,
    );
    if (Number(row?.n ?? 0) === 0 || Date.now() > deadline) break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  await new Promise((resolve) => setTimeout(resolve, 1_000));
}

const url = (await app.start()).replace('[::1]', '127.0.0.1');
reply({ bench: 'ready', url, engine: app.database.engine });

const profiler = new CpuProfiler();
const PROFILE_TOP = 12;

let stopping = false;
async function stop(): Promise<void> {
  if (stopping) return;
  stopping = true;
  await app.stop(2_000).catch((err: unknown) => process.stderr.write(`appServer: stop failed: ${String(err)}\n`));
  reply({ bench: 'stopped' });
  process.exit(0);
}

async function handle(cmd: string): Promise<void> {
  if (cmd === 'stop') return stop();
  if (cmd === 'inbound') {
    // The durability check: which wamids are stored, compared by the parent with its 200s.
    const rows = await queryRows<{ id: string }>(
      db,
      sql`SELECT whatsapp_message_id AS id FROM alphadome.bot_message_logs WHERE direction = 'inbound'`,
    );
    return reply({ bench: 'inbound', ids: rows.map((r) => r.id) });
  }
  if (cmd === 'round-trips') return reply({ bench: 'round-trips', counts: app.database.roundTrips() });
  if (cmd === 'profile-start') {
    await profiler.start();
    return reply({ bench: 'profile-start' });
  }
  if (cmd === 'profile-stop') return reply({ bench: 'profile-stop', profile: await profiler.stop(PROFILE_TOP) });
  if (cmd === 'statuses') {
    const rows = await queryRows<{ direction: string; status: string; n: string }>(
      db,
      sql`SELECT direction, status, count(*) AS n FROM alphadome.bot_message_logs GROUP BY 1, 2 ORDER BY 1, 2`,
    );
    return reply({
      bench: 'statuses',
      counts: Object.fromEntries(rows.map((r) => [`${r.direction}:${r.status}`, Number(r.n)])),
    });
  }
  reply({ bench: 'error', error: `unknown command ${cmd}` });
}

let buffered = '';
process.stdin.on('data', (chunk) => {
  buffered += chunk.toString();
  let newline: number;
  while ((newline = buffered.indexOf('\n')) >= 0) {
    const line = buffered.slice(0, newline);
    buffered = buffered.slice(newline + 1);
    const { cmd } = JSON.parse(line) as { cmd: string };
    handle(cmd).catch((err: unknown) => reply({ bench: 'error', error: String(err) }));
  }
});
process.stdin.on('end', () => void stop());

function reply(message: object): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}
