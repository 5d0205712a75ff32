// Overview: how the bot did over a range of days, as figures and charts (GET .../analytics).
import { useState } from 'preact/hooks';
import type { AnalyticsReport } from './apiTypes.js';
import { Chart } from './Chart.js';
import { DateRangePicker } from './DateRangePicker.js';
import { lastDays, type DateRange } from './dates.js';
import { ErrorNote } from './ErrorNote.js';
import { FigureTiles } from './FigureTiles.js';
import { format } from './format.js';
import type { PageProps } from './pageProps.js';
import { useLoad } from './useLoad.js';

export function OverviewPage({ client, tenantId }: PageProps) {
  const [range, setRange] = useState<DateRange>(() => lastDays(7));
  const report = useLoad(
    () => client.get<AnalyticsReport>(`/tenants/${tenantId}/analytics`, { from: range.from, to: range.to }),
    [tenantId, range.from, range.to],
  );

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <DateRangePicker value={range} onChange={setRange} />
      <ErrorNote error={report.error} />
      {report.loading && !report.data && <p aria-live="polite">Loading figures…</p>}
      {report.data && <Report report={report.data} />}
    </section>
  );
}

function Report({ report }: { report: AnalyticsReport }) {
  const t = report.totals;
  const days = report.daily.map((d) => d.date);
  const tiles: [string, string][] = [
    ['Messages in', format.count(t.messages_in)],
    ['Messages out', format.count(t.messages_out)],
    ['Customers', format.count(t.unique_customers)],
    ['Answered by FAQ', format.count(t.answered_faq)],
    ['Answered by AI', format.count(t.answered_ai)],
    ['Not answered', format.count(t.not_answered)],
    ['FAQ hit rate', format.percent(t.faq_hit_rate)],
    ['AI calls saved by the FAQ', format.count(t.ai_calls_saved)],
    ['AI calls', format.count(t.ai_calls)],
    ['Estimated AI cost', format.usd(t.estimated_cost_usd)],
    ['Median reply time', format.duration(t.reply_latency_ms.median)],
    ['95th percentile reply time', format.duration(t.reply_latency_ms.p95)],
    ['Escalations', format.count(t.escalations)],
    ['Rate-limited messages', format.count(t.rate_limited)],
    ['Delivery failures', format.count(t.delivery_failures)],
    ['Fallbacks taken', format.count(t.fallbacks)],
    ['Provider failures', format.count(t.provider_failures)],
  ];

  return (
    <>
      <FigureTiles label="Totals for the chosen days" tiles={tiles} />
      <div class="charts">
        <Chart
          title="Messages per day"
          kind="bar"
          labels={days}
          series={[
            { label: 'In', values: report.daily.map((d) => d.messages_in) },
            { label: 'Out', values: report.daily.map((d) => d.messages_out) },
          ]}
        />
        <Chart
          title="How questions were answered"
          kind="bar"
          labels={days}
          series={[
            { label: 'FAQ', values: report.daily.map((d) => d.answered_faq), stack: 'answers' },
            { label: 'AI', values: report.daily.map((d) => d.answered_ai), stack: 'answers' },
            { label: 'Not answered', values: report.daily.map((d) => d.not_answered), stack: 'answers' },
          ]}
        />
        <Chart
          title="Reply time per day"
          kind="line"
          labels={days}
          series={[
            { label: 'Median', values: report.daily.map((d) => d.reply_latency_ms.median) },
            { label: '95th percentile', values: report.daily.map((d) => d.reply_latency_ms.p95) },
          ]}
          formatValue={format.duration}
          empty="No replies in these days."
        />
        <Chart
          title="Estimated AI cost per model (USD)"
          kind="bar"
          horizontal
          labels={report.ai_usage.map((u) => `${u.provider}:${u.model}`)}
          series={[{ label: 'Cost', values: report.ai_usage.map((u) => u.estimated_cost_usd) }]}
          formatValue={format.usd}
          empty="No priced AI calls in these days."
        />
        <Chart
          title="Escalations by reason"
          kind="bar"
          horizontal
          labels={report.escalations.map((e) => e.reason)}
          series={[{ label: 'Escalations', values: report.escalations.map((e) => e.count) }]}
          empty="No escalations in these days."
        />
        <Chart
          title="Delivery failures by WhatsApp error code"
          kind="bar"
          horizontal
          labels={report.delivery_failures.map((f) => `${f.code ?? 'no code'}${f.title ? ` ${f.title}` : ''}`)}
          series={[{ label: 'Failures', values: report.delivery_failures.map((f) => f.count) }]}
          empty="No failed deliveries in these days."
        />
        <Chart
          title="Busiest hours (UTC)"
          kind="bar"
          labels={report.busiest_hours.map((h) => `${String(h.hour).padStart(2, '0')}:00`)}
          series={[{ label: 'Messages in', values: report.busiest_hours.map((h) => h.messages_in) }]}
          empty="No messages in these days."
        />
      </div>
      {report.unpriced_models.length > 0 && (
        <p class="muted">No price is configured for {report.unpriced_models.join(', ')}; their cost counts as 0.</p>
      )}
      {report.provider_failures.length > 0 && (
        <p class="muted">
          Provider failures:{' '}
          {report.provider_failures.map((f) => `${f.provider}:${f.model} ${format.count(f.failures)}`).join(', ')}.
        </p>
      )}
    </>
  );
}
