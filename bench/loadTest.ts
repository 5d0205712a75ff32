// autocannon, in this (parent) process, against a server in a child process. Every request gets a
// fresh signed body from setupRequest; latencies are kept raw (see stats.ts) and the wamids the
// server acknowledged with a 200 are collected for the durability check.
import autocannon from 'autocannon';
import { summarize, type LatencySummary } from './stats.js';
import type { WebhookFactory } from './webhookFactory.js';

export interface LoadOptions {
  url: string;
  factory: WebhookFactory;
  durationS: number;
  connections: number;
  /** Fixed offered rate (autocannon overallRate); omitted means "as fast as the server answers". */
  overallRate?: number;
}

export interface LoadResult {
  mode: 'saturation' | 'fixed-rate';
  durationS: number;
  connections: number;
  offeredRate: number | null;
  ok: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  non2xx: number;
  errors: number;
  timeouts: number;
  /** wamids the server answered 200 for (its promise that they are stored). */
  acked: string[];
}

const MESSAGE_ID = /"message_id":"([^"]+)"/;

export async function runLoad(options: LoadOptions): Promise<LoadResult> {
  const latencies: number[] = [];
  const acked: string[] = [];
  let ok = 0;
  const instance = autocannon({
    url: `${options.url}/webhook`,
    method: 'POST',
    connections: options.connections,
    duration: options.durationS,
    timeout: 10,
    ...(options.overallRate
      ? {
          overallRate: options.overallRate,
          // autocannon's correction assumes an interval of ceil(1/rate) = 1 ms (per-connection rate read
          // as per ms) and would add made-up samples; raw latencies are the honest figure here.
          ignoreCoordinatedOmission: true,
        }
      : {}),
    requests: [
      {
        setupRequest: (request) => {
          const webhook = options.factory.next();
          request.headers = { 'content-type': 'application/json', 'x-hub-signature-256': webhook.signature };
          request.body = webhook.body;
          return request;
        },
        onResponse: (status, body) => {
          if (status !== 200) return;
          ok += 1;
          const id = MESSAGE_ID.exec(body)?.[1];
          if (id) acked.push(id);
        },
      },
    ],
  });
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTimeMs: number) => {
    latencies.push(responseTimeMs);
  });
  const started = performance.now();
  const result = await instance;
  const elapsedS = (performance.now() - started) / 1000;
  return {
    mode: options.overallRate ? 'fixed-rate' : 'saturation',
    durationS: elapsedS,
    connections: options.connections,
    offeredRate: options.overallRate ?? null,
    ok,
    requestsPerSecond: ok / elapsedS,
    latencyMs: summarize(latencies),
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    acked,
  };
}
