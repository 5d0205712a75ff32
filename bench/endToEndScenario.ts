// End to end: the real app WITH its worker in a child process, a fake Graph API in this process.
// Each webhook's send time is matched to the Graph send carrying its wamid in context.message_id.
import { FakeGraphApi } from '../test/fakes/fakeGraphApi.js';
import { ChildServer } from './childServer.js';
import type { ProfileSummary } from './cpuProfile.js';
import { sendPaced } from './pacedSender.js';
import { summarize, type LatencySummary } from './stats.js';
import type { WebhookFactory } from './webhookFactory.js';

export interface EndToEndSettings {
  messages: number;
  rate: number;
  warmupMessages: number;
  /** Give up when no new answer arrived for this long, or after maxWaitMs in all (keeps the run bounded). */
  stallMs: number;
  maxWaitMs: number;
}

export interface EndToEndReport {
  label: string;
  offeredRate: number;
  messages: number;
  accepted: number;
  answered: number;
  answeredExactlyOnce: number;
  duplicates: number;
  /** Accepted (200) but not answered when the wait ended: late, not necessarily lost. */
  unansweredAtDeadline: number;
  faqAnswers: number;
  messagesPerSecond: number;
  spanS: number;
  ingestLatencyMs: LatencySummary;
  endToEndLatencyMs: LatencySummary;
  rowStatuses: Record<string, number>;
  /** Database round trips of the measured run per answered message: the worker's pool (claim,
   *  controls, decision, send bookkeeping) and the webhook writes' pool (PGlite: all in main). */
  roundTripsPerAnswer: { main: number; ingest: number };
  /** The server's CPU profile over the measured run. */
  profile: ProfileSummary | null;
}

export async function measureEndToEnd(
  label: string,
  env: Record<string, string>,
  factory: WebhookFactory,
  faqAnswer: string,
  settings: EndToEndSettings,
  log: (line: string) => void,
): Promise<EndToEndReport> {
  const graph = new FakeGraphApi();
  const graphUrl = await graph.start();
  const server = await ChildServer.start('appServer.ts', { ...env, BENCH_APP_ENV: withGraph(env, graphUrl) }, label);
  try {
    // Warm-up: JIT, tenant caches, pool connections; then forget what the fake recorded.
    log(`${label}: warm-up ${settings.warmupMessages} messages`);
    const warm = await sendPaced({ url: server.url, factory, rate: 200, count: settings.warmupMessages });
    await waitForAnswers(graph, new Set(warm.acked), settings.stallMs, settings.maxWaitMs);
    graph.requests.splice(0);

    log(`${label}: ${settings.messages} messages at ${settings.rate}/s`);
    const tripsBefore = await roundTrips(server);
    await server.request('profile-start');
    const sent = await sendPaced({ url: server.url, factory, rate: settings.rate, count: settings.messages });
    const expected = new Set(sent.acked);
    await waitForAnswers(graph, expected, settings.stallMs, settings.maxWaitMs);
    const profile = ((await server.request('profile-stop'))['profile'] ?? null) as ProfileSummary | null;
    const tripsAfter = await roundTrips(server);

    const sends = new Map<string, number[]>();
    for (const r of graph.requests) {
      const id: unknown = r.body?.context?.message_id;
      if (typeof id === 'string' && expected.has(id)) sends.set(id, [...(sends.get(id) ?? []), r.receivedAt]);
    }
    const latencies: number[] = [];
    let once = 0;
    let duplicates = 0;
    let lastAnswerAt = sent.firstSentAt;
    for (const [id, times] of sends) {
      if (times.length === 1) once += 1;
      else duplicates += 1;
      const first = Math.min(...times);
      lastAnswerAt = Math.max(lastAnswerAt, first);
      latencies.push(first - (sent.sentAt.get(id) ?? first));
    }
    const faqAnswers = graph.requests.filter(
      (r) => expected.has(r.body?.context?.message_id) && r.body?.text?.body === faqAnswer,
    ).length;
    const spanS = (lastAnswerAt - sent.firstSentAt) / 1000;
    const statuses = await settledStatuses(server);
    return {
      label,
      offeredRate: settings.rate,
      messages: settings.messages,
      accepted: expected.size,
      answered: sends.size,
      answeredExactlyOnce: once,
      duplicates,
      unansweredAtDeadline: expected.size - sends.size,
      faqAnswers,
      messagesPerSecond: spanS > 0 ? sends.size / spanS : 0,
      spanS,
      ingestLatencyMs: sent.latencyMs,
      endToEndLatencyMs: summarize(latencies),
      rowStatuses: statuses,
      roundTripsPerAnswer: {
        main: sends.size > 0 ? (tripsAfter.main - tripsBefore.main) / sends.size : 0,
        ingest: sends.size > 0 ? (tripsAfter.ingest - tripsBefore.ingest) / sends.size : 0,
      },
      profile,
    };
  } finally {
    await server.stop();
    await graph.stop();
  }
}

function withGraph(env: Record<string, string>, graphUrl: string): string {
  const appEnv = JSON.parse(env['BENCH_APP_ENV'] ?? '{}') as Record<string, string>;
  return JSON.stringify({ ...appEnv, GRAPH_API_BASE_URL: graphUrl });
}

async function roundTrips(server: ChildServer): Promise<{ main: number; ingest: number }> {
  const counts = (await server.request('round-trips'))['counts'] as { main: number; ingest: number };
  return { main: counts.main, ingest: counts.ingest };
}

/** Row counts once the last jobs have written their final state (Graph answers before the row update). */
async function settledStatuses(server: ChildServer): Promise<Record<string, number>> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const counts = (await server.request('statuses'))['counts'] as Record<string, number>;
    const open = Object.keys(counts).some((k) => /:(pending|processing|sending)$/.test(k));
    if (!open || Date.now() > deadline) return counts;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Resolves when every expected wamid has a Graph send, when answers stop coming, or at the deadline. */
export async function waitForAnswers(
  graph: FakeGraphApi,
  expected: Set<string>,
  stallMs: number,
  maxWaitMs: number,
): Promise<void> {
  const answered = new Set<string>();
  let seen = 0;
  let lastProgress = Date.now();
  const deadline = Date.now() + maxWaitMs;
  while (answered.size < expected.size && Date.now() - lastProgress < stallMs && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    for (; seen < graph.requests.length; seen++) {
      const id: unknown = graph.requests[seen]?.body?.context?.message_id;
      if (typeof id === 'string' && expected.has(id) && !answered.has(id)) {
        answered.add(id);
        lastProgress = Date.now();
      }
    }
  }
}
