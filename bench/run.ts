// `npm run bench`: ingest and end-to-end throughput and latency of the real app, each shown as a
// ratio to a bare Fastify baseline measured in the same run. Loopback only, a few minutes at most.
// Servers run in child processes; the load generators (autocannon, the pacer) and the fake Graph
// API run here. Set BENCH_ONLY=bare,ingest-pglite,ingest-pg,e2e-pg,e2e-pglite,analytics-pg,matcher,embeddings,
// document-bomb,tenants-pg,scaleout-pg to run a subset.
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { measureAnalytics, printAnalyticsReport, type AnalyticsBenchReport } from './analyticsScenario.js';
import { measureDocumentBomb, printDocumentBombReport, type DocumentBombReport } from './documentBombScenario.js';
import { measureEmbeddings, printEmbeddingReport, type EmbeddingBenchReport } from './embeddingScenario.js';
import { measureEndToEnd, type EndToEndSettings } from './endToEndScenario.js';
import { measureIngest, type IngestSettings } from './ingestScenario.js';
import { measureMatcherCost } from './matcherCostScenario.js';
import { measureMatcherScale } from './matcherScaleScenario.js';
import { printReport, type BenchReport } from './report.js';
import { measureScaleOut, printScaleOutReport, type ScaleOutReport } from './scaleOutScenario.js';
import { createScratchDatabases } from './scratchDatabases.js';
import { measureTenantCount, printTenantCountReport, type TenantCountReport } from './tenantCountScenario.js';
import { WebhookFactory, type BenchTenant } from './webhookFactory.js';

const INGEST: IngestSettings = {
  warmupS: 2,
  saturationS: 10,
  connections: 50,
  fixedRate: 1_000,
  fixedRateS: 10,
  fixedRateConnections: 20,
};
const E2E_POSTGRES: EndToEndSettings = {
  messages: 3_000,
  rate: 1_000,
  warmupMessages: 200,
  stallMs: 15_000,
  maxWaitMs: 60_000,
};
const E2E_PGLITE: EndToEndSettings = {
  messages: 1_000,
  rate: 250,
  warmupMessages: 100,
  stallMs: 15_000,
  maxWaitMs: 40_000,
};
// One message to each of 2,000 tenants against as many to one tenant; then one process against two.
const TENANT_COUNT = {
  tenants: 2_000,
  count: 2_000,
  rate: 1_000,
  warmupMessages: 200,
  stallMs: 15_000,
  maxWaitMs: 60_000,
};
const SCALE_OUT = {
  customers: 500,
  count: 2_000,
  rate: 1_000,
  warmupMessages: 200,
  stallMs: 15_000,
  maxWaitMs: 60_000,
};
// ~1M log rows for the measured tenant (525k inbound, 90% answered with one part), 150k for others.
const ANALYTICS = { inbound: 525_000, otherTenants: 3, otherInbound: 40_000, calls: 7 };
const CUSTOMERS = 500;
const MATCHER_RUNS = 7;
const E2E_TARGET_PER_S = 1_000;
const P99_TARGET_MS = 20;
const SECRET = 'bench-app-secret';
const TENANT: BenchTenant = { phone: '254700000001', phoneNumberId: '109999000000001', accessToken: 'EAAbenchtoken' };
const FAQ = { question: 'What are your business hours?', answer: 'We are open Monday to Friday, 8am to 6pm.' };
// Nothing listens on port 9: if the FAQ ever misses, the AI call fails fast on loopback.
const NOWHERE = 'http://127.0.0.1:9';

const only = process.env['BENCH_ONLY']?.split(',').map((s) => s.trim());
const wanted = (name: string) => !only || only.includes(name);
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

// One key for the whole run: the scenarios share a database, and its stored secrets.
const ENCRYPTION_KEY = randomBytes(32).toString('base64');

function appEnv(database: Record<string, string>, worker: boolean, faq: boolean): Record<string, string> {
  const config = {
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'warn',
    WHATSAPP_APP_SECRET: SECRET,
    ENCRYPTION_KEY: ENCRYPTION_KEY,
    WORKER_ENABLED: String(worker),
    WORKER_CONCURRENCY: '64',
    GRAPH_API_BASE_URL: NOWHERE,
    GRAPH_API_TIMEOUT_MS: '5000',
    OPENAI_BASE_URL: `${NOWHERE}/v1`,
    OPENROUTER_BASE_URL: `${NOWHERE}/v1`,
    HUGGINGFACE_BASE_URL: `${NOWHERE}/v1`,
    AI_TIMEOUT_MS: '2000',
    ...database,
  };
  return { BENCH_APP_ENV: JSON.stringify(config), BENCH_SEED: JSON.stringify({ ...TENANT, faq: faq ? FAQ : null }) };
}

const factory = (tag: string, text: string) =>
  new WebhookFactory({ secret: SECRET, tenant: TENANT, customers: CUSTOMERS, text, tag });

async function main(): Promise<void> {
  const started = performance.now();
  const report: BenchReport = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, loadAverage: loadavg(), node: process.version },
    notes: [
      `servers under test run in child processes and the load generators in the parent, but this machine has ${cpus().length} cores shared by generator, server and PostgreSQL (and other users): absolute figures are pessimistic; compare the ratios within one run.`,
    ],
    ingest: [],
    endToEnd: [],
    matcherCost: null,
    matcherScale: null,
    e2eTargetPerSecond: E2E_TARGET_PER_S,
    p99TargetMs: P99_TARGET_MS,
    wallClockS: 0,
  };
  let analytics: AnalyticsBenchReport | null = null;
  let documentBomb: DocumentBombReport | null = null;
  let embeddings: EmbeddingBenchReport | null = null;
  let tenantCount: TenantCountReport | null = null;
  let scaleOut: ScaleOutReport | null = null;
  const scratch = await createScratchDatabases();
  const onSignal = () => void scratch.cleanup().finally(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  if (scratch.pgNote) report.notes.push(scratch.pgNote);
  const engines = [
    { name: 'pglite', db: { DATA_DIR: scratch.pgliteDir } as Record<string, string> },
    ...(scratch.postgresUrl ? [{ name: 'pg', db: { DATABASE_URL: scratch.postgresUrl } }] : []),
  ];
  try {
    if (wanted('matcher')) {
      log('matcher: timing hostile texts against the evaluation FAQs');
      report.matcherCost = measureMatcherCost(MATCHER_RUNS);
      log('matcher: 10,000 FAQ rows with and without the word vectors');
      report.matcherScale = await measureMatcherScale();
    }
    if (wanted('embeddings')) {
      log('embeddings: requests per message through the webhook, and the blend at 100 to 10,000 rows');
      embeddings = await measureEmbeddings(log);
    }
    if (wanted('bare')) {
      const target = {
        label: 'bare-fastify',
        script: 'bareServer.ts' as const,
        env: {},
        factory: factory('bare', 'hello'),
        checkDurability: false,
      };
      report.ingest.push(await measureIngest(target, INGEST, log));
    }
    for (const engine of engines) {
      if (!wanted(`ingest-${engine.name}`)) continue;
      const label = `app-${engine.name === 'pg' ? 'postgres' : 'pglite'}`;
      const target = {
        label,
        script: 'appServer.ts' as const,
        env: appEnv(engine.db, false, false),
        factory: factory(label, 'hello, is this in stock?'),
        checkDurability: true,
      };
      report.ingest.push(await measureIngest(target, INGEST, log));
    }
    for (const engine of [...engines].reverse()) {
      if (!wanted(`e2e-${engine.name}`)) continue;
      const label = `e2e-${engine.name === 'pg' ? 'postgres' : 'pglite'}`;
      const settings = engine.name === 'pg' ? E2E_POSTGRES : E2E_PGLITE;
      const text = 'what are your business hours?';
      report.endToEnd.push(
        await measureEndToEnd(label, appEnv(engine.db, true, true), factory(label, text), FAQ.answer, settings, log),
      );
    }
    if (wanted('tenants-pg') && scratch.postgresUrl) {
      const env = appEnv({ DATABASE_URL: scratch.postgresUrl }, true, true);
      const options = { secret: SECRET, tenant: TENANT, text: 'what are your business hours?' };
      tenantCount = await measureTenantCount(env, options, TENANT_COUNT, log);
    }
    if (wanted('scaleout-pg') && scratch.postgresUrl) {
      const env = appEnv({ DATABASE_URL: scratch.postgresUrl }, true, true);
      const options = { secret: SECRET, tenant: TENANT, text: 'what are your business hours?' };
      scaleOut = await measureScaleOut(env, options, SCALE_OUT, log);
    }
    if (wanted('analytics-pg') && scratch.postgresUrl) {
      const config = JSON.parse(
        appEnv({ DATABASE_URL: scratch.postgresUrl }, false, false).BENCH_APP_ENV ?? '{}',
      ) as Record<string, string>;
      analytics = await measureAnalytics(config, ANALYTICS, log);
    }
    if (wanted('document-bomb')) {
      // PGlite: the figure is the event loop's, not the database's; the FAQ matches nothing here.
      const engine = engines[0]!;
      documentBomb = await measureDocumentBomb(
        `document-bomb-${engine.name}`,
        appEnv(engine.db, true, true),
        { secret: SECRET, tenant: TENANT, idleS: 3, maxWaitS: 30 },
        log,
      );
    }
  } finally {
    await scratch.cleanup();
  }
  report.wallClockS = (performance.now() - started) / 1000;
  printReport(report);
  if (analytics) printAnalyticsReport(analytics);
  if (documentBomb) printDocumentBombReport(documentBomb);
  if (embeddings) printEmbeddingReport(embeddings);
  if (tenantCount) printTenantCountReport(tenantCount);
  if (scaleOut) printScaleOutReport(scaleOut);
  // The machine-readable line, always last.
  const extra = { analytics, documentBomb, embeddings, tenantCount, scaleOut };
  const present = Object.fromEntries(Object.entries(extra).filter(([, value]) => value !== null));
  process.stdout.write(`${JSON.stringify({ bench: 'alphadome', ...report, ...present })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
