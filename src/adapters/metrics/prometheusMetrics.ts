// Metrics with prom-client, on a registry of this app's own (not the library's global one), so
// several apps in one process (tests) keep their figures apart. Every label value is bounded here.
import { createHistogram } from 'node:perf_hooks';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { AI_PROVIDERS } from '../../domain/aiTypes.js';
import {
  WEBHOOK_SIGNATURE_FAILURE_REASONS,
  type IngestedOutcome,
  type Metrics,
  type WebhookSignatureFailureReason,
} from '../../modules/operations/metrics.js';
import type { MetricsExposition, QueueBacklog } from '../../modules/operations/ports.js';
import { REPLY_SOURCES } from '../../modules/replies/ports.js';
import type { AuthFailureMetrics, AuthFailureReason } from '../../modules/tenants/adminAuth.js';

const KNOWN_SOURCES = new Set<string>(REPLY_SOURCES);
const AI_FAILURE_REASONS = new Set([
  'timeout',
  'network',
  'http_4xx',
  'http_5xx',
  'empty',
  'circuit_open',
  'unexpected',
]);
const INGESTED_OUTCOMES: IngestedOutcome[] = ['stored', 'unrouted', 'refused'];
const AUTH_FAILURE_REASONS: AuthFailureReason[] = ['missing', 'invalid', 'throttled'];
const AI_PROVIDER_NAMES = new Set<string>(AI_PROVIDERS);
// From a customer's message being stored to the reply leaving: FAQ answers take well under a
// second, AI answers a few seconds, and a backlog or retries minutes.
const LAG_SAMPLE_MS = 10;
const LATENCY_BUCKETS_SECONDS = [0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900];

export interface PrometheusMetricsOptions {
  queue: QueueBacklog;
  /** Process metrics (CPU, memory, event loop, GC); on by default. */
  processMetrics?: boolean;
  /** Database round trips so far, by pool (Database.roundTrips). */
  roundTrips?: () => Readonly<Record<string, number>>;
}

export class PrometheusMetrics implements Metrics, MetricsExposition, AuthFailureMetrics {
  private readonly registry = new Registry();
  private readonly webhookRequests: Counter<'method' | 'status'>;
  private readonly ingested: Counter<'outcome'>;
  private readonly answerLatency: Histogram<'source'>;
  private readonly replies: Counter<'source'>;
  private readonly aiErrors: Counter<'provider' | 'reason'>;
  private readonly aiFallbacks: Counter<'provider'>;
  private readonly graphErrors: Counter<'code' | 'status'>;
  private readonly authFailures: Counter<'reason'>;
  private readonly webhookSignatureFailures: Counter<'reason'>;
  private readonly lagSampler: NodeJS.Timeout;

  constructor(options: PrometheusMetricsOptions) {
    const registers = [this.registry];
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry });
    this.webhookRequests = new Counter({
      name: 'alphadome_webhook_requests_total',
      help: 'Requests to /webhook answered, by method and HTTP status',
      labelNames: ['method', 'status'],
      registers,
    });
    this.ingested = new Counter({
      name: 'alphadome_messages_ingested_total',
      help: 'Messages of authentic webhook deliveries: stored (redeliveries included), unrouted (no tenant) or refused (ambiguous tenant)',
      labelNames: ['outcome'],
      registers,
    });
    for (const outcome of INGESTED_OUTCOMES) this.ingested.inc({ outcome }, 0);
    // One query serves both queue gauges, read at scrape time (registry.metrics() collects in
    // parallel, so the two share it); a database that does not answer shows as NaN, not as 0.
    let reading: Promise<void> | null = null;
    const readBacklog = (): Promise<void> =>
      (reading ??= options.queue
        .read()
        .then(
          (figures) => {
            depth.set({ state: 'pending' }, figures.pending);
            depth.set({ state: 'processing' }, figures.processing);
            oldest.set(figures.oldestPendingAgeSeconds ?? 0);
          },
          () => {
            depth.set({ state: 'pending' }, Number.NaN);
            depth.set({ state: 'processing' }, Number.NaN);
            oldest.set(Number.NaN);
          },
        )
        .finally(() => {
          reading = null;
        }));
    const depth = new Gauge({
      name: 'alphadome_queue_depth',
      help: 'Inbound messages not finished yet, across all tenants: pending (waiting) and processing (claimed by a worker)',
      labelNames: ['state'],
      registers,
      collect: readBacklog,
    });
    const oldest = new Gauge({
      name: 'alphadome_queue_oldest_pending_age_seconds',
      help: 'Age of the oldest pending inbound message, across all tenants (0 when none waits; NaN when the database did not answer)',
      registers,
      collect: readBacklog,
    });
    this.answerLatency = new Histogram({
      name: 'alphadome_answer_latency_seconds',
      help: 'From an inbound message being stored to its reply being accepted by WhatsApp, by reply source',
      labelNames: ['source'],
      buckets: LATENCY_BUCKETS_SECONDS,
      registers,
    });
    this.replies = new Counter({
      name: 'alphadome_replies_sent_total',
      help: 'Replies accepted by WhatsApp, by source (faq, ai, fallback, handoff, rating, notice)',
      labelNames: ['source'],
      registers,
    });
    this.aiErrors = new Counter({
      name: 'alphadome_ai_provider_errors_total',
      help: 'Failed AI provider attempts, by provider and reason',
      labelNames: ['provider', 'reason'],
      registers,
    });
    this.aiFallbacks = new Counter({
      name: 'alphadome_ai_fallbacks_total',
      help: 'AI answers given by a provider after earlier targets of the chain failed, by the provider that answered',
      labelNames: ['provider'],
      registers,
    });
    this.graphErrors = new Counter({
      name: 'alphadome_graph_send_errors_total',
      help: 'Failed Graph API calls (each attempt), by Meta error code (none: no code) and HTTP status (none: no answer)',
      labelNames: ['code', 'status'],
      registers,
    });
    this.authFailures = new Counter({
      name: 'alphadome_auth_failures_total',
      help: 'Admin API requests refused before authentication: missing or invalid token (401), or throttled address (429)',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of AUTH_FAILURE_REASONS) this.authFailures.inc({ reason }, 0);
    this.webhookSignatureFailures = new Counter({
      name: 'alphadome_webhook_signature_failures_total',
      help: 'POST /webhook refused at the signature check: missing, malformed or mismatch (401), or throttled address (429, no HMAC computed)',
      labelNames: ['reason'],
      registers,
    });
    for (const reason of WEBHOOK_SIGNATURE_FAILURE_REASONS) this.webhookSignatureFailures.inc({ reason }, 0);
    const readRoundTrips = options.roundTrips;
    if (readRoundTrips) {
      // The database adapter keeps the running totals; each scrape adds what came since the last.
      const reported: Record<string, number> = {};
      new Counter({
        name: 'alphadome_db_round_trips_total',
        help: 'Statements sent to the database and waited for, by pool: main (worker, admin API) or ingest (webhook writes)',
        labelNames: ['pool'],
        registers,
        collect() {
          for (const [pool, total] of Object.entries(readRoundTrips())) {
            this.inc({ pool }, total - (reported[pool] ?? 0));
            reported[pool] = total;
          }
        },
      });
    }

    // Our own 10 ms sampler rather than perf_hooks.monitorEventLoopDelay: that one forgets its last
    // tick when reset, so a block starting just after a scrape went unseen. Each scrape reads and
    // restarts the histogram, so each value covers the time since the previous scrape.
    const delay = createHistogram();
    let expectedAt = performance.now() + LAG_SAMPLE_MS;
    this.lagSampler = setInterval(() => {
      const now = performance.now();
      delay.record(Math.max(1, Math.round((now - expectedAt) * 1e6)));
      expectedAt = now + LAG_SAMPLE_MS;
    }, LAG_SAMPLE_MS).unref();
    new Gauge({
      name: 'alphadome_event_loop_lag_seconds',
      help: 'Event-loop delay since the previous scrape: stat = p50, p99 or max (what every request and tenant waited on top of its own work)',
      labelNames: ['stat'],
      registers,
      collect() {
        // Without a sample yet (two scrapes within 10 ms) the histogram reads 0 everywhere, which is right.
        this.set({ stat: 'p50' }, delay.percentile(50) / 1e9);
        this.set({ stat: 'p99' }, delay.percentile(99) / 1e9);
        this.set({ stat: 'max' }, delay.max / 1e9);
        delay.reset();
      },
    });
  }

  /** Gauges of the tenant context cache (tenants held, estimated bytes), read at scrape time. */
  watchTenantContexts(cache: { usage(): { entries: number; bytes: number } }): void {
    new Gauge({
      name: 'alphadome_tenant_context_cache_entries',
      help: 'Tenants whose configuration and FAQ index this process holds (least recently used ones are dropped past TENANT_CONTEXT_CACHE_MB)',
      registers: [this.registry],
      collect() {
        this.set(cache.usage().entries);
      },
    });
    new Gauge({
      name: 'alphadome_tenant_context_cache_bytes',
      help: 'Estimated memory of the cached tenant contexts (training rows and FAQ indexes), against TENANT_CONTEXT_CACHE_MB',
      registers: [this.registry],
      collect() {
        this.set(cache.usage().bytes);
      },
    });
  }

  /** Stops the event-loop sampler (the app's stop calls this). */
  close(): void {
    clearInterval(this.lagSampler);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }

  webhookRequest(method: string, statusCode: number): void {
    this.webhookRequests.inc({
      method: method === 'GET' || method === 'POST' ? method : 'other',
      status: httpStatusLabel(statusCode),
    });
  }

  messagesIngested(outcome: IngestedOutcome, count: number): void {
    if (count > 0) this.ingested.inc({ outcome }, count);
  }

  replySent(source: string, secondsSinceArrival: number): void {
    const label = KNOWN_SOURCES.has(source) ? source : 'other';
    this.replies.inc({ source: label });
    if (Number.isFinite(secondsSinceArrival))
      this.answerLatency.observe({ source: label }, Math.max(0, secondsSinceArrival));
  }

  aiAttemptFailed(provider: string, reason: string): void {
    this.aiErrors.inc({
      provider: providerLabel(provider),
      reason: AI_FAILURE_REASONS.has(reason) ? reason : 'unexpected',
    });
  }

  aiFallbackAnswered(provider: string): void {
    this.aiFallbacks.inc({ provider: providerLabel(provider) });
  }

  authFailed(reason: AuthFailureReason): void {
    this.authFailures.inc({ reason: AUTH_FAILURE_REASONS.includes(reason) ? reason : 'invalid' });
  }

  webhookSignatureFailed(reason: WebhookSignatureFailureReason): void {
    this.webhookSignatureFailures.inc({
      reason: WEBHOOK_SIGNATURE_FAILURE_REASONS.includes(reason) ? reason : 'mismatch',
    });
  }

  graphCallFailed(code: number | null, httpStatus: number | null): void {
    // Meta's codes are small integers; anything else would be an unbounded label.
    const codeLabel = code !== null && Number.isInteger(code) && code >= 0 && code < 10_000_000 ? String(code) : 'none';
    this.graphErrors.inc({ code: codeLabel, status: httpStatus === null ? 'none' : httpStatusLabel(httpStatus) });
  }
}

function providerLabel(provider: string): string {
  return AI_PROVIDER_NAMES.has(provider) ? provider : 'other';
}

function httpStatusLabel(status: number): string {
  return Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : 'other';
}
