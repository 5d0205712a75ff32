// One measured round of the throughput scenarios that compare two set-ups (tenants-pg, scaleout-pg):
// `count` messages offered at `rate` (split evenly over the servers given), then a bounded wait for
// their answers at the fake Graph API. The rate is the answered messages over the span from the first
// send to the last first answer, as in the end-to-end scenario.
import type { FakeGraphApi } from '../test/fakes/fakeGraphApi.js';
import { waitForAnswers } from './endToEndScenario.js';
import { sendPaced } from './pacedSender.js';
import type { WebhookFactory } from './webhookFactory.js';

export interface RoundSettings {
  count: number;
  rate: number;
  /** Give up when no new answer arrived for this long, or after maxWaitMs in all. */
  stallMs: number;
  maxWaitMs: number;
}

export interface RoundReport {
  label: string;
  offered: number;
  accepted: number;
  answered: number;
  duplicates: number;
  spanS: number;
  answersPerSecond: number;
}

export interface RoundSender {
  url: string;
  factory: WebhookFactory;
}

export async function answerRound(
  label: string,
  graph: FakeGraphApi,
  senders: readonly RoundSender[],
  settings: RoundSettings,
): Promise<RoundReport> {
  graph.requests.splice(0);
  const share = Math.ceil(settings.count / senders.length);
  const sent = await Promise.all(
    senders.map(({ url, factory }) => sendPaced({ url, factory, rate: settings.rate / senders.length, count: share })),
  );
  const expected = new Set(sent.flatMap((s) => s.acked));
  const firstSentAt = Math.min(...sent.map((s) => s.firstSentAt));
  await waitForAnswers(graph, expected, settings.stallMs, settings.maxWaitMs);
  const answers = new Map<string, number>();
  let lastAnswerAt = firstSentAt;
  for (const request of graph.requests) {
    const id: unknown = request.body?.context?.message_id;
    if (typeof id !== 'string' || !expected.has(id)) continue;
    if (!answers.has(id)) lastAnswerAt = Math.max(lastAnswerAt, request.receivedAt);
    answers.set(id, (answers.get(id) ?? 0) + 1);
  }
  const spanS = (lastAnswerAt - firstSentAt) / 1000;
  return {
    label,
    offered: share * senders.length,
    accepted: expected.size,
    answered: answers.size,
    duplicates: [...answers.values()].filter((n) => n > 1).length,
    spanS,
    answersPerSecond: spanS > 0 ? answers.size / spanS : 0,
  };
}

export function roundLine(round: RoundReport): string {
  return `  ${round.label.padEnd(34)} ${round.answersPerSecond.toFixed(0).padStart(5)} answers/s  (${round.answered}/${round.accepted} answered in ${round.spanS.toFixed(1)} s, ${round.duplicates} twice)`;
}
