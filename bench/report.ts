// Human-readable tables on stdout. Figures are shown, and compared with the baseline measured in
// the same run, but never asserted: on a shared 2-core machine they move from run to run.
import type { EndToEndReport } from './endToEndScenario.js';
import type { IngestReport } from './ingestScenario.js';
import type { MatcherCostReport } from './matcherCostScenario.js';
import type { MatcherScaleReport } from './matcherScaleScenario.js';
import type { LatencySummary } from './stats.js';

export interface BenchReport {
  startedAt: string;
  machine: { cpus: number; loadAverage: number[]; node: string };
  notes: string[];
  ingest: IngestReport[];
  endToEnd: EndToEndReport[];
  matcherCost: MatcherCostReport | null;
  matcherScale: MatcherScaleReport | null;
  e2eTargetPerSecond: number;
  p99TargetMs: number;
  wallClockS: number;
}

export function printReport(report: BenchReport): void {
  const out: string[] = [];
  const { machine } = report;
  out.push(
    '',
    `Alphadome Bot benchmark, ${report.startedAt}: node ${machine.node}, ${machine.cpus} CPUs, load average at start ${machine.loadAverage.map((n) => n.toFixed(2)).join(' ')}`,
  );
  for (const note of report.notes) out.push(`NOTE: ${note}`);
  const bare = report.ingest.find((r) => r.label === 'bare-fastify');
  const ratio = (value: number, base: number | undefined) => (base ? `${(value / base).toFixed(2)}x` : 'n/a');

  if (report.ingest.length > 0) {
    const first = report.ingest[0]!.saturation;
    out.push(
      '',
      `Ingest at saturation (autocannon, ${first.connections} connections, ~${Math.round(first.durationS)} s; signed POST /webhook, unique wamid per request)`,
    );
    out.push(
      table(
        ['server', 'req/s', 'vs bare', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'],
        report.ingest.map((r) => [
          r.label,
          r.saturation.requestsPerSecond.toFixed(0),
          ratio(r.saturation.requestsPerSecond, bare?.saturation.requestsPerSecond),
          ms(r.saturation.latencyMs.p50),
          ms(r.saturation.latencyMs.p99),
          String(r.saturation.non2xx),
          String(r.saturation.errors),
        ]),
      ),
    );
    out.push(
      '',
      `Ingest at a fixed ${report.ingest[0]!.fixedRate.offeredRate}/s, ~${Math.round(report.ingest[0]!.fixedRate.durationS)} s each (target: p99 < ${report.p99TargetMs} ms on PostgreSQL, i.e. "p99 vs target" < 1)`,
    );
    out.push(
      '  autocannon overallRate fires each connection\'s per-second quota in a burst at every 1 s tick; "paced" sends one request every ~1 ms.',
    );
    out.push(
      table(
        ['server', 'generator', 'ok/s', 'p50 ms', 'p99 ms', 'max ms', 'p99 vs bare', 'p99 vs target', 'failed'],
        report.ingest.flatMap((r) => [
          fixedRow(
            r.label,
            `autocannon x${r.fixedRate.connections}`,
            r.fixedRate.requestsPerSecond,
            r.fixedRate.latencyMs,
            bare?.fixedRate.latencyMs,
            report.p99TargetMs,
            r.fixedRate.non2xx + r.fixedRate.errors,
          ),
          fixedRow(
            r.label,
            'paced',
            r.paced.ok / r.paced.sentOverS,
            r.paced.latencyMs,
            bare?.paced.latencyMs,
            report.p99TargetMs,
            r.paced.failed,
          ),
        ]),
      ),
    );
    const durable = report.ingest.filter((r) => r.durability);
    if (durable.length > 0) {
      out.push('', 'Durability (every request of the ingest runs above: warm-up, saturation, fixed rate)');
      out.push(
        table(
          ['server', '200 responses', 'inbound rows', '200 but not stored', 'stored, no 200 seen', 'verdict'],
          durable.map((r) => {
            const d = r.durability!;
            const verdict =
              d.ackedButMissing > 0
                ? 'LOST ACKNOWLEDGED ROWS'
                : d.storedNotAcked > d.inFlightAtStop
                  ? 'UNEXPLAINED EXTRA ROWS'
                  : d.acked === d.stored
                    ? 'OK: equal'
                    : 'OK: every 200 stored';
            return [
              r.label,
              String(d.acked),
              String(d.stored),
              String(d.ackedButMissing),
              `${d.storedNotAcked} (<= ${d.inFlightAtStop})`,
              verdict,
            ];
          }),
        ),
      );
      out.push(
        '  "stored, no 200 seen": requests in flight when autocannon\'s timer ended a run (at most one per connection per timed run); the server stored them but the answer was never read.',
      );
    }
  }

  if (report.endToEnd.length > 0) {
    out.push(
      '',
      `End to end (worker on, FAQ answer; first POST sent -> last Graph send received; target ${report.e2eTargetPerSecond} messages/s per node on PostgreSQL)`,
    );
    out.push(
      table(
        [
          'server',
          'msgs',
          'offered/s',
          'answered/s',
          'vs target',
          'p50 ms',
          'p99 ms',
          'max ms',
          'exactly once',
          'dup',
          'unanswered',
          'faq',
          'db trips/answer',
        ],
        report.endToEnd.map((r) => [
          r.label,
          String(r.messages),
          String(r.offeredRate),
          r.messagesPerSecond.toFixed(0),
          ratio(r.messagesPerSecond, report.e2eTargetPerSecond),
          ms(r.endToEndLatencyMs.p50),
          ms(r.endToEndLatencyMs.p99),
          ms(r.endToEndLatencyMs.max),
          `${r.answeredExactlyOnce}/${r.accepted}`,
          String(r.duplicates),
          String(r.unansweredAtDeadline),
          String(r.faqAnswers),
          r.roundTripsPerAnswer.main.toFixed(2),
        ]),
      ),
    );
    for (const r of report.endToEnd) {
      out.push(
        `  ${r.label}: webhook POST p50/p99 ${ms(r.ingestLatencyMs.p50)}/${ms(r.ingestLatencyMs.p99)} ms while the worker ran; rows ${JSON.stringify(r.rowStatuses)}`,
      );
      out.push(
        `  ${r.label}: database round trips per answered message: ${r.roundTripsPerAnswer.main.toFixed(2)} worker and admin pool (target <= 4), ${r.roundTripsPerAnswer.ingest.toFixed(2)} webhook writes`,
      );
    }
    for (const r of report.endToEnd) {
      if (!r.profile) continue;
      const p = r.profile;
      out.push(
        '',
        `${r.label}: server CPU profile over the measured run (${(p.totalMs / 1000).toFixed(1)} s sampled, ${(p.idleShare * 100).toFixed(0)}% idle), top self time`,
      );
      out.push(
        table(
          ['function', 'self ms', 'share'],
          p.top.map((e) => [e.frame, e.selfMs.toFixed(0), `${(e.share * 100).toFixed(1)}%`]),
        ),
      );
      for (const entry of p.callers ?? []) {
        const callers = entry.callers.map((c) => `${c.owner} ${(c.share * 100).toFixed(0)}%`).join(', ');
        out.push(`  ${entry.frame} ran for: ${callers}`);
      }
    }
  }
  if (report.matcherCost) {
    const cost = report.matcherCost;
    out.push(
      '',
      `FAQ matching and question grouping of hostile texts (in process, ${cost.faqs} FAQs of the evaluation set, ${cost.runs} runs each; ratio to the ordinary row above it)`,
    );
    out.push(
      table(
        ['work', 'median ms', 'max ms', 'vs ordinary'],
        cost.rows.map((r) => [r.label, ms(r.medianMs), ms(r.maxMs), `${r.vsOrdinary.toFixed(1)}x`]),
      ),
    );
  }
  if (report.matcherScale) {
    const scale = report.matcherScale;
    out.push(
      '',
      `FAQ matching at scale (in process, ${scale.faqs} FAQ rows, the yardstick's ${scale.messages} messages)`,
    );
    out.push(
      table(
        ['signal', 'p50 ms', 'p99 ms', 'max ms', 'index ms'],
        [
          [
            'lexical',
            ms(scale.lexical.p50Ms),
            ms(scale.lexical.p99Ms),
            ms(scale.lexical.maxMs),
            ms(scale.indexMs.lexical),
          ],
          [
            'lexical + word vectors',
            ms(scale.blended.p50Ms),
            ms(scale.blended.p99Ms),
            ms(scale.blended.maxMs),
            ms(scale.indexMs.blended),
          ],
        ],
      ),
    );
    out.push(`  2,000-character message with vectors: ${ms(scale.longestMessageMs)} ms`);
    const t = scale.table;
    out.push(
      `  word vectors: ${t.words} words, ${t.megabytes.toFixed(1)} MB of vectors, ${t.heapMegabytes.toFixed(0)} MB heap with the index, loaded in ${ms(t.loadMs)} ms (longest event-loop block ${ms(t.maxEventLoopBlockMs)} ms)`,
    );
  }
  out.push('', `Whole run: ${report.wallClockS.toFixed(0)} s`, '');
  process.stdout.write(`${out.join('\n')}\n`);
}

function fixedRow(
  label: string,
  generator: string,
  okPerS: number,
  latency: LatencySummary,
  bare: LatencySummary | undefined,
  targetMs: number,
  failed: number,
): string[] {
  const vsBare = bare ? `${(latency.p99 / bare.p99).toFixed(1)}x` : 'n/a';
  return [
    label,
    generator,
    okPerS.toFixed(0),
    ms(latency.p50),
    ms(latency.p99),
    ms(latency.max),
    vsBare,
    `${(latency.p99 / targetMs).toFixed(2)}x`,
    String(failed),
  ];
}

function ms(value: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  return value < 10 ? value.toFixed(2) : value.toFixed(0);
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')}`;
  return [line(header), `  ${widths.map((w) => '-'.repeat(w)).join('  ')}`, ...rows.map(line)].join('\n');
}
