// scaleout-pg: one app process against two on one PostgreSQL. The first process seeds the bench
// tenant and answers a round alone; a second process joins on the same database, and a round of the
// same size is sent half to each (the same customers write to both, so conversations cross
// processes). Each process's own answers come from its /metrics. The figure is two processes' rate
// over one's; on a machine with few cores the processes, the load generator and PostgreSQL share
// them, so it shows what a second process costs here as much as what it adds.
// Loopback only; bounded by the message count and each round's wait.
import { FakeGraphApi } from '../test/fakes/fakeGraphApi.js';
import { valueOf } from '../test/support/prometheusText.js';
import { answerRound, roundLine, type RoundReport, type RoundSettings } from './answerRound.js';
import { ChildServer } from './childServer.js';
import { WebhookFactory, type WebhookFactoryOptions } from './webhookFactory.js';

export interface ScaleOutSettings extends RoundSettings {
  customers: number;
  warmupMessages: number;
}

export interface ScaleOutReport {
  one: RoundReport;
  two: RoundReport;
  /** Answers each process sent in the two-process round, and their rate over the round's span. */
  perProcess: { answered: number; answersPerSecond: number }[];
  ratio: number;
}

export async function measureScaleOut(
  env: Record<string, string>,
  factoryOptions: Omit<WebhookFactoryOptions, 'tag' | 'customers'>,
  settings: ScaleOutSettings,
  log: (line: string) => void,
): Promise<ScaleOutReport> {
  const graph = new FakeGraphApi();
  const graphUrl = await graph.start();
  const appEnv = JSON.stringify({
    ...(JSON.parse(env['BENCH_APP_ENV'] ?? '{}') as Record<string, string>),
    GRAPH_API_BASE_URL: graphUrl,
  });
  const servers: ChildServer[] = [];
  const factory = (tag: string) => new WebhookFactory({ ...factoryOptions, tag, customers: settings.customers });
  try {
    servers.push(await ChildServer.start('appServer.ts', { ...env, BENCH_APP_ENV: appEnv }, 'scaleout-pg-1'));
    const [first] = servers;
    if (!first) throw new Error('scaleout-pg: no first server');
    log(`scaleout-pg: warm-up ${settings.warmupMessages} messages, then ${settings.count} to one process`);
    const firstWarmUp = await answerRound('warm-up', graph, [{ url: first.url, factory: factory('so-warm1') }], {
      ...settings,
      count: settings.warmupMessages,
    });
    const one = await answerRound('one process', graph, [{ url: first.url, factory: factory('so-one') }], settings);

    servers.push(
      await ChildServer.start('appServer.ts', { BENCH_APP_ENV: appEnv, BENCH_SHARED_DATABASE: '1' }, 'scaleout-pg-2'),
    );
    const [, second] = servers;
    if (!second) throw new Error('scaleout-pg: no second server');
    log(`scaleout-pg: warm-up of the second process, then ${settings.count} messages split over both`);
    const secondWarmUp = await answerRound('warm-up', graph, [{ url: second.url, factory: factory('so-warm2') }], {
      ...settings,
      count: settings.warmupMessages,
    });
    const answeredBefore = firstWarmUp.answered + one.answered + secondWarmUp.answered;
    const before = await settledCounts(servers, answeredBefore);
    const two = await answerRound(
      'two processes',
      graph,
      [
        { url: first.url, factory: factory('so-two-a') },
        { url: second.url, factory: factory('so-two-b') },
      ],
      settings,
    );
    const after = await settledCounts(servers, answeredBefore + two.answered);
    const perProcess = after.map((total, i) => {
      const answered = total - (before[i] ?? 0);
      return { answered, answersPerSecond: two.spanS > 0 ? answered / two.spanS : 0 };
    });
    return { one, two, perProcess, ratio: one.answersPerSecond > 0 ? two.answersPerSecond / one.answersPerSecond : 0 };
  } finally {
    for (const server of servers.reverse()) await server.stop();
    await graph.stop();
  }
}

/**
 * Each process's FAQ answers once they add up to `total` (a process counts an answer after Graph has
 * taken it and its row is written, so the last few lag the fake's record), or after 5 s.
 */
async function settledCounts(servers: readonly ChildServer[], total: number): Promise<number[]> {
  for (let wait = 0; ; wait++) {
    const counts = await Promise.all(servers.map(faqAnswersOf));
    if (counts.reduce((sum, n) => sum + n, 0) >= total || wait >= 50) return counts;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function faqAnswersOf(server: ChildServer): Promise<number> {
  const res = await fetch(`${server.url}/metrics`);
  return valueOf(await res.text(), 'alphadome_replies_sent_total', { source: 'faq' });
}

export function printScaleOutReport(report: ScaleOutReport): void {
  const out = [
    '',
    'Scale-out (scaleout-pg, PostgreSQL): one app process, then two on the same database',
    roundLine(report.one),
    roundLine(report.two),
    `  per process in the two-process round: ${report.perProcess.map((p, i) => `#${i + 1} ${p.answered} answers (${p.answersPerSecond.toFixed(0)}/s)`).join(', ')}`,
    `  two processes vs one: ${report.ratio.toFixed(2)}x`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}
