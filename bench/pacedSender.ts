// An open-loop sender: requests leave on a smooth schedule (rate/s, checked every millisecond or
// so) whether or not earlier ones were answered. autocannon's overallRate instead releases each
// connection's whole per-second quota at once at every 1 s tick, i.e. in bursts.
import { Agent, request } from 'node:http';
import { summarize, type LatencySummary } from './stats.js';
import type { SignedWebhook, WebhookFactory } from './webhookFactory.js';

export interface PacedOptions {
  url: string;
  factory: WebhookFactory;
  rate: number;
  count: number;
  /** Sockets to the server; requests beyond this wait in the agent (and that wait counts). */
  maxSockets?: number;
}

export interface PacedResult {
  offeredRate: number;
  sentOverS: number;
  ok: number;
  failed: number;
  latencyMs: LatencySummary;
  /** Wall-clock send time (Date.now()) of every webhook answered 200, by wamid. */
  sentAt: Map<string, number>;
  acked: string[];
  firstSentAt: number;
}

export async function sendPaced(options: PacedOptions): Promise<PacedResult> {
  const target = new URL('/webhook', options.url);
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 128 });
  const latencies: number[] = [];
  const sentAt = new Map<string, number>();
  const acked: string[] = [];
  let failed = 0;
  let sent = 0;
  const pending: Promise<void>[] = [];

  const send = (webhook: SignedWebhook): Promise<void> =>
    new Promise<void>((resolve) => {
      const started = performance.now();
      // Date.now(), like FakeGraphApi's receivedAt, so the two can be subtracted.
      const wallClock = Date.now();
      const req = request(
        target,
        {
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/json',
            'x-hub-signature-256': webhook.signature,
            'content-length': Buffer.byteLength(webhook.body),
          },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - started);
            if (res.statusCode === 200) {
              acked.push(webhook.id);
              sentAt.set(webhook.id, wallClock);
            } else failed += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        failed += 1;
        resolve();
      });
      req.end(webhook.body);
    });

  const start = performance.now();
  const firstSentAt = Date.now();
  while (sent < options.count) {
    const due = Math.min(options.count, Math.floor(((performance.now() - start) * options.rate) / 1000) + 1);
    while (sent < due) {
      pending.push(send(options.factory.next()));
      sent += 1;
    }
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
  const sentOverS = (performance.now() - start) / 1000;
  await Promise.all(pending);
  agent.destroy();
  return {
    offeredRate: options.rate,
    sentOverS,
    ok: acked.length,
    failed,
    latencyMs: summarize(latencies),
    sentAt,
    acked,
    firstSentAt,
  };
}
