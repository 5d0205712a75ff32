// Ingest only: one server (bare Fastify, or the real app with WORKER_ENABLED=false) in a child
// process, driven to saturation and then at a fixed 1,000 requests/s; for the real app, every
// wamid it acknowledged with a 200 must then be found stored (the durability check).
import { ChildServer } from './childServer.js';
import { runLoad, type LoadResult } from './loadTest.js';
import { sendPaced } from './pacedSender.js';
import type { LatencySummary } from './stats.js';
import type { WebhookFactory } from './webhookFactory.js';

export interface IngestSettings {
  warmupS: number;
  saturationS: number;
  connections: number;
  fixedRate: number;
  fixedRateS: number;
  fixedRateConnections: number;
}

export interface IngestTarget {
  label: string;
  script: 'bareServer.ts' | 'appServer.ts';
  env: Record<string, string>;
  factory: WebhookFactory;
  /** Ask the child which wamids it stored (only the real app can answer). */
  checkDurability: boolean;
}

export interface IngestReport {
  label: string;
  saturation: Omit<LoadResult, 'acked'>;
  fixedRate: Omit<LoadResult, 'acked'>;
  paced: { offeredRate: number; sentOverS: number; ok: number; failed: number; latencyMs: LatencySummary };
  /** storedNotAcked may be up to inFlightAtStop: requests autocannon cut off when a timed run ended. */
  durability: {
    acked: number;
    stored: number;
    ackedButMissing: number;
    storedNotAcked: number;
    inFlightAtStop: number;
  } | null;
}

export async function measureIngest(
  target: IngestTarget,
  settings: IngestSettings,
  log: (line: string) => void,
): Promise<IngestReport> {
  const server = await ChildServer.start(target.script, target.env, target.label);
  try {
    const acked: string[] = [];
    const keep = ({ acked: ids, ...rest }: LoadResult) => {
      for (const id of ids) acked.push(id);
      return rest;
    };
    const base = { url: server.url, factory: target.factory, connections: settings.connections };
    log(`${target.label}: warm-up ${settings.warmupS} s`);
    keep(await runLoad({ ...base, durationS: settings.warmupS }));
    log(`${target.label}: saturation ${settings.saturationS} s x ${settings.connections} connections`);
    const saturation = keep(await runLoad({ ...base, durationS: settings.saturationS }));
    log(`${target.label}: autocannon overallRate ${settings.fixedRate}/s for ${settings.fixedRateS} s`);
    const fixedRate = keep(
      await runLoad({
        ...base,
        connections: settings.fixedRateConnections,
        durationS: settings.fixedRateS,
        overallRate: settings.fixedRate,
      }),
    );
    log(`${target.label}: paced ${settings.fixedRate}/s for ${settings.fixedRateS} s`);
    const {
      sentAt: _sentAt,
      acked: pacedAcked,
      firstSentAt: _first,
      ...paced
    } = await sendPaced({
      url: server.url,
      factory: target.factory,
      rate: settings.fixedRate,
      count: settings.fixedRate * settings.fixedRateS,
    });
    acked.push(...pacedAcked);

    let durability: IngestReport['durability'] = null;
    if (target.checkDurability) {
      const stored = new Set((await server.request('inbound', 60_000))['ids'] as string[]);
      const ackedSet = new Set(acked);
      let ackedButMissing = 0;
      for (const id of ackedSet) if (!stored.has(id)) ackedButMissing += 1;
      let storedNotAcked = 0;
      for (const id of stored) if (!ackedSet.has(id)) storedNotAcked += 1;
      const inFlightAtStop = 2 * settings.connections + settings.fixedRateConnections;
      durability = { acked: ackedSet.size, stored: stored.size, ackedButMissing, storedNotAcked, inFlightAtStop };
    }
    return { label: target.label, saturation, fixedRate, paced, durability };
  } finally {
    await server.stop();
  }
}
