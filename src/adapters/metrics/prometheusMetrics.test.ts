import { describe, expect, it } from 'vitest';
import { samplesOf, valueOf } from '../../../test/support/prometheusText.js';
import { PrometheusMetrics } from './prometheusMetrics.js';

const backlog = (figures: { pending: number; processing: number; oldestPendingAgeSeconds: number | null }) => ({
  reads: 0,
  async read() {
    this.reads += 1;
    return figures;
  },
});

describe('PrometheusMetrics', () => {
  it('keeps label values bounded: unknown sources, providers, reasons, codes and statuses fall into one value each', async () => {
    const metrics = new PrometheusMetrics({
      queue: backlog({ pending: 0, processing: 0, oldestPendingAgeSeconds: null }),
      processMetrics: false,
    });
    metrics.replySent('tenant-1234-made-up', 1);
    metrics.aiAttemptFailed('my-own-llm', 'exploded');
    metrics.aiFallbackAnswered('my-own-llm');
    metrics.graphCallFailed(1.5, 99_999);
    metrics.graphCallFailed(-4, null);
    metrics.webhookRequest('PATCH', 200);
    const text = await metrics.render();
    expect(valueOf(text, 'alphadome_replies_sent_total', { source: 'other' })).toBe(1);
    expect(valueOf(text, 'alphadome_ai_provider_errors_total', { provider: 'other', reason: 'unexpected' })).toBe(1);
    expect(valueOf(text, 'alphadome_ai_fallbacks_total', { provider: 'other' })).toBe(1);
    expect(valueOf(text, 'alphadome_graph_send_errors_total', { code: 'none', status: 'other' })).toBe(1);
    expect(valueOf(text, 'alphadome_graph_send_errors_total', { code: 'none', status: 'none' })).toBe(1);
    expect(valueOf(text, 'alphadome_webhook_requests_total', { method: 'other', status: '200' })).toBe(1);
    expect(text).not.toContain('tenant-1234');
    expect(text).not.toContain('my-own-llm');
  });

  it('reads the queue once per scrape for both gauges, and shows 0 age when nothing waits', async () => {
    const queue = backlog({ pending: 4, processing: 2, oldestPendingAgeSeconds: null });
    const metrics = new PrometheusMetrics({ queue, processMetrics: false });
    const text = await metrics.render();
    expect(queue.reads).toBe(1);
    expect(valueOf(text, 'alphadome_queue_depth', { state: 'pending' })).toBe(4);
    expect(valueOf(text, 'alphadome_queue_depth', { state: 'processing' })).toBe(2);
    expect(valueOf(text, 'alphadome_queue_oldest_pending_age_seconds')).toBe(0);
    await metrics.render();
    expect(queue.reads).toBe(2);
  });

  it('shows every ingest outcome from the start, and the default process metrics only when asked', async () => {
    const quiet = await new PrometheusMetrics({
      queue: backlog({ pending: 0, processing: 0, oldestPendingAgeSeconds: null }),
      processMetrics: false,
    }).render();
    expect(
      samplesOf(quiet, 'alphadome_messages_ingested_total')
        .map((s) => s.labels['outcome'])
        .sort(),
    ).toEqual(['refused', 'stored', 'unrouted']);
    expect(quiet).not.toContain('process_cpu_user_seconds_total');
    const full = await new PrometheusMetrics({
      queue: backlog({ pending: 0, processing: 0, oldestPendingAgeSeconds: null }),
    }).render();
    expect(full).toContain('process_cpu_user_seconds_total');
  });
});
