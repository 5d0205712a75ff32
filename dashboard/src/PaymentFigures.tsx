// The payments part of analytics for a range of days: money collected per day, how many ended
// paid or failed, the success rate and why the failed ones failed.
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

const kes = (n: number) => `KES ${format.count(n)}`;

export function PaymentFigures({ client, tenantId, reasons }: PageProps & { reasons: Record<string, string> }) {
  const [range, setRange] = useState<DateRange>(() => lastDays(30));
  const report = useLoad(
    () => client.get<AnalyticsReport>(`/tenants/${tenantId}/analytics`, { from: range.from, to: range.to }),
    [tenantId, range.from, range.to],
  );
  const p = report.data?.payments;
  return (
    <section aria-labelledby="payment-figures-title">
      <h2 id="payment-figures-title">Money collected</h2>
      <DateRangePicker value={range} onChange={setRange} />
      <ErrorNote error={report.error} />
      {p && (
        <>
          <FigureTiles
            label="Payments in the chosen days"
            tiles={[
              ['Collected', kes(p.collected_kes)],
              ['Paid', format.count(p.paid)],
              ['Failed', format.count(p.failed)],
              ['Success rate', format.percent(p.success_rate)],
              ['Still waiting', format.count(p.pending)],
            ]}
          />
          <div class="charts">
            <Chart
              title="Money collected per day (KES)"
              kind="bar"
              labels={p.daily.map((d) => d.date)}
              series={[{ label: 'Collected', values: p.daily.map((d) => d.collected_kes) }]}
              formatValue={kes}
              empty="No payments in these days."
            />
            <Chart
              title="Failed payments by reason"
              kind="bar"
              horizontal
              labels={p.failures_by_reason.map((r) => reasons[r.reason] ?? r.reason)}
              series={[{ label: 'Failed', values: p.failures_by_reason.map((r) => r.count) }]}
              empty="No failed payments in these days."
            />
          </div>
        </>
      )}
    </section>
  );
}
