// /healthz while the app processes a PDF bomb (2 GB of inflated zeros in a 2 MB file) and a
// 4,096-character one-word text message, against an idle baseline of the same server in the same
// run. The app runs in a child process with its worker on; the fake Graph API (serving the PDF and
// taking the replies) and the probe run here. Bounded: at most ~35 s after the server has started.
import { FakeGraphApi } from '../test/fakes/fakeGraphApi.js';
import { inflatingPdf } from '../test/support/documentBombs.js';
import { signatureFor } from '../src/modules/ingest/webhookSignature.js';
import { ChildServer } from './childServer.js';
import { summarize, type LatencySummary } from './stats.js';
import type { BenchTenant } from './webhookFactory.js';

export interface DocumentBombReport {
  label: string;
  idle: LatencySummary;
  underLoad: LatencySummary;
  /** Seconds from sending to each reply (null: none within the bench's bound). */
  answeredAfterS: { bomb: number | null; longWord: number | null };
  /** What the customer was told, so a download refused before parsing cannot pass for a parsed bomb. */
  replies: { bomb: string | null; longWord: string | null };
}

export interface DocumentBombSettings {
  secret: string;
  tenant: BenchTenant;
  idleS: number;
  maxWaitS: number;
}

const PROBE_EVERY_MS = 20;

export async function measureDocumentBomb(
  label: string,
  appEnv: Record<string, string>,
  settings: DocumentBombSettings,
  log: (line: string) => void,
): Promise<DocumentBombReport> {
  const graph = new FakeGraphApi();
  const graphUrl = await graph.start();
  graph.addMedia('bench-bomb', { bytes: inflatingPdf(2048), mimeType: 'application/pdf' });
  const env = {
    ...appEnv,
    BENCH_APP_ENV: JSON.stringify({
      ...JSON.parse(appEnv['BENCH_APP_ENV'] ?? '{}'),
      GRAPH_API_BASE_URL: graphUrl,
      MEDIA_ALLOWED_HOSTS: graphUrl,
    }),
  };
  const server = await ChildServer.start('appServer.ts', env, label);
  try {
    log(`${label}: idle /healthz for ${settings.idleS} s`);
    const idle = await probe(server.url, () => false, settings.idleS * 1000);

    const started = performance.now();
    const bomb = await post(server.url, settings, 'bomb', {
      type: 'document',
      document: { id: 'bench-bomb', mime_type: 'application/pdf', filename: 'invoice.pdf', sha256: 'bench' },
    });
    const longWord = await post(server.url, settings, 'long-word', { type: 'text', text: { body: 'a'.repeat(4096) } });
    const answeredAt = new Map<string, number>();
    const replies = new Map<string, string>();
    const answered = () => {
      for (const sent of graph.sentTexts()) {
        if (!sent.replyTo || answeredAt.has(sent.replyTo)) continue;
        answeredAt.set(sent.replyTo, (performance.now() - started) / 1000);
        replies.set(sent.replyTo, sent.body);
      }
      return answeredAt.has(bomb) && answeredAt.has(longWord);
    };
    log(
      `${label}: a PDF bomb and a 4,096-character word sent; probing /healthz until both are answered (at most ${settings.maxWaitS} s)`,
    );
    const underLoad = await probe(server.url, answered, settings.maxWaitS * 1000);
    return {
      label,
      idle,
      underLoad,
      answeredAfterS: { bomb: answeredAt.get(bomb) ?? null, longWord: answeredAt.get(longWord) ?? null },
      replies: { bomb: replies.get(bomb) ?? null, longWord: replies.get(longWord) ?? null },
    };
  } finally {
    await server.stop();
    await graph.stop();
  }
}

export function printDocumentBombReport(report: DocumentBombReport): void {
  const { idle, underLoad } = report;
  const ratio = (value: number, base: number) => (base > 0 ? `${(value / base).toFixed(1)}x` : 'n/a');
  const answered = (s: number | null) => (s === null ? 'not answered' : `answered after ${s.toFixed(1)} s`);
  const out = [
    '',
    `/healthz while a PDF bomb (2 GB inflated) and a 4,096-character word are processed (${report.label}; probe every ${PROBE_EVERY_MS} ms)`,
    `  idle        n=${idle.count}  p50 ${idle.p50.toFixed(1)} ms  p99 ${idle.p99.toFixed(1)} ms  max ${idle.max.toFixed(1)} ms`,
    `  under load  n=${underLoad.count}  p50 ${underLoad.p50.toFixed(1)} ms (${ratio(underLoad.p50, idle.p50)})  p99 ${underLoad.p99.toFixed(1)} ms (${ratio(underLoad.p99, idle.p99)})  max ${underLoad.max.toFixed(1)} ms (${ratio(underLoad.max, idle.max)})`,
    `  bomb ${answered(report.answeredAfterS.bomb)}; long word ${answered(report.answeredAfterS.longWord)}`,
    `  the bomb's answer: ${JSON.stringify(report.replies.bomb?.slice(0, 100) ?? null)}`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
}

/** Probes until `done()` or `maxMs`; a probe that takes seconds is itself the figure. */
async function probe(url: string, done: () => boolean, maxMs: number): Promise<LatencySummary> {
  const samples: number[] = [];
  const deadline = performance.now() + maxMs;
  while (performance.now() < deadline && !done()) {
    const started = performance.now();
    const res = await fetch(`${url}/healthz`, {
      signal: AbortSignal.timeout(Math.max(1, Math.ceil(deadline - started))),
    }).catch(() => null);
    await res?.arrayBuffer();
    samples.push(performance.now() - started);
    await new Promise((resolve) => setTimeout(resolve, PROBE_EVERY_MS));
  }
  return summarize(samples);
}

async function post(
  url: string,
  settings: DocumentBombSettings,
  tag: string,
  message: Record<string, unknown>,
): Promise<string> {
  const id = `wamid.bench-${process.pid}-${tag}-${Date.now()}`;
  const from = tag === 'bomb' ? '254711000001' : '254711000002';
  const body = JSON.stringify({
    object: 'whatsapp_business_account',
    entry: [
      {
        id: 'WABA-BENCH',
        changes: [
          {
            field: 'messages',
            value: {
              messaging_product: 'whatsapp',
              metadata: { display_phone_number: settings.tenant.phone, phone_number_id: settings.tenant.phoneNumberId },
              contacts: [{ profile: { name: 'Bench Customer' }, wa_id: from }],
              messages: [{ from, id, timestamp: String(Math.floor(Date.now() / 1000)), ...message }],
            },
          },
        ],
      },
    ],
  });
  const res = await fetch(`${url}/webhook`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-hub-signature-256': signatureFor(body, settings.secret) },
    body,
  });
  if (res.status !== 200) throw new Error(`POST /webhook (${tag}): ${res.status} ${await res.text()}`);
  return id;
}
