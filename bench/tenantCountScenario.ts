// tenants-pg: does the cost of a message grow with the number of tenants? One app process on
// PostgreSQL holds the bench tenant and `tenants` more, each with the same FAQ. The same number of
// FAQ questions is answered twice over: all to the one tenant (from as many customers), then one to
// each of the many tenants (their contexts cold: each first message loads its tenant), and once more
// (warm). The figure is the many-tenant rate over the one-tenant rate (target 0.8 or more).
// Loopback only; bounded by the message count and each round's wait.
import { FakeGraphApi } from '../test/fakes/fakeGraphApi.js';
import { answerRound, roundLine, type RoundReport, type RoundSettings } from './answerRound.js';
import { ChildServer } from './childServer.js';
import { manyTenant, WebhookFactory, type WebhookFactoryOptions } from './webhookFactory.js';

export interface TenantCountSettings extends RoundSettings {
  tenants: number;
  warmupMessages: number;
}

export interface TenantCountReport {
  tenants: number;
  oneTenant: RoundReport;
  manyCold: RoundReport;
  manyWarm: RoundReport;
  coldRatio: number;
  warmRatio: number;
}

export const TENANT_COUNT_TARGET_RATIO = 0.8;

export async function measureTenantCount(
  env: Record<string, string>,
  factoryOptions: Omit<WebhookFactoryOptions, 'tag' | 'customers' | 'tenants'>,
  settings: TenantCountSettings,
  log: (line: string) => void,
): Promise<TenantCountReport> {
  const graph = new FakeGraphApi();
  const graphUrl = await graph.start();
  const appEnv = JSON.parse(env['BENCH_APP_ENV'] ?? '{}') as Record<string, string>;
  const seed = JSON.parse(env['BENCH_SEED'] ?? '{}') as Record<string, unknown>;
  log(`tenants-pg: seeding ${settings.tenants} tenants`);
  const server = await ChildServer.start(
    'appServer.ts',
    {
      BENCH_APP_ENV: JSON.stringify({ ...appEnv, GRAPH_API_BASE_URL: graphUrl }),
      BENCH_SEED: JSON.stringify({ ...seed, manyTenants: settings.tenants }),
    },
    'tenants-pg',
    180_000,
  );
  try {
    const tenants = Array.from({ length: settings.tenants }, (_, i) => manyTenant(i));
    const factory = (tag: string, many: boolean) =>
      new WebhookFactory({
        ...factoryOptions,
        tag,
        customers: settings.count,
        ...(many ? { tenants } : {}),
      });
    const sender = (tag: string, many: boolean) => [{ url: server.url, factory: factory(tag, many) }];
    log(`tenants-pg: warm-up ${settings.warmupMessages} messages to one tenant`);
    await answerRound('warm-up', graph, sender('tc-warm', false), { ...settings, count: settings.warmupMessages });
    log(`tenants-pg: ${settings.count} messages to one tenant`);
    const oneTenant = await answerRound('one tenant', graph, sender('tc-one', false), settings);
    log(`tenants-pg: one message to each of ${settings.tenants} tenants (cold), then again (warm)`);
    const manyCold = await answerRound(
      `${settings.tenants} tenants, first message`,
      graph,
      sender('tc-cold', true),
      settings,
    );
    const manyWarm = await answerRound(
      `${settings.tenants} tenants, second message`,
      graph,
      sender('tc-warm2', true),
      settings,
    );
    const ratio = (round: RoundReport) =>
      oneTenant.answersPerSecond > 0 ? round.answersPerSecond / oneTenant.answersPerSecond : 0;
    return {
      tenants: settings.tenants,
      oneTenant,
      manyCold,
      manyWarm,
      coldRatio: ratio(manyCold),
      warmRatio: ratio(manyWarm),
    };
  } finally {
    await server.stop();
    await graph.stop();
  }
}

export function printTenantCountReport(report: TenantCountReport): void {
  const out = [
    '',
    `Many tenants (tenants-pg, PostgreSQL): the same number of FAQ questions to one tenant, then one to each of ${report.tenants} tenants`,
    roundLine(report.oneTenant),
    roundLine(report.manyCold),
    roundLine(report.manyWarm),
    `  ${report.tenants} tenants vs one: ${report.coldRatio.toFixed(2)}x with cold contexts, ${report.warmRatio.toFixed(2)}x warm (target ${TENANT_COUNT_TARGET_RATIO}x or more)`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
