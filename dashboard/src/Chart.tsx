// One chart.js chart with its numbers in a table beside it: the table is what screen readers and
// anyone wanting the exact figure read; the canvas is a picture of the same data.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart as ChartJs,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { useEffect, useRef } from 'preact/hooks';

ChartJs.register(
  BarController,
  BarElement,
  CategoryScale,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Legend,
  Tooltip,
);

export interface Series {
  label: string;
  values: (number | null)[];
  /** Bars with the same stack sit on top of each other. */
  stack?: string;
}

export interface ChartProps {
  title: string;
  kind: 'bar' | 'line';
  labels: string[];
  series: Series[];
  /** Bars running left to right (long labels such as model names read better). */
  horizontal?: boolean;
  /** How a value reads in the table (defaults to the number itself). */
  formatValue?: (value: number) => string;
  /** Shown instead of the chart when there is nothing to draw. */
  empty?: string;
}

const COLORS = ['#1f6feb', '#2da44e', '#d4a72c', '#cf222e', '#8250df', '#0a7d83'];

export function Chart({ title, kind, labels, series, horizontal = false, formatValue = String, empty }: ChartProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const nothing = labels.length === 0 || series.every((s) => s.values.every((v) => !v));
  const signature = JSON.stringify([kind, labels, series, horizontal]);

  useEffect(() => {
    if (!canvas.current || nothing) return;
    const chart = new ChartJs(canvas.current, configOf(kind, labels, series, horizontal, formatValue));
    return () => chart.destroy();
    // Rebuilt only when what is drawn changes (the signature), not on every render.
  }, [signature, nothing]);

  return (
    <figure class="chart">
      <figcaption>{title}</figcaption>
      {nothing && empty ? (
        <p class="muted">{empty}</p>
      ) : (
        <div class="chart-box">
          <canvas ref={canvas} role="img" aria-label={`${title}: chart; the numbers are in the table below`} />
        </div>
      )}
      {labels.length > 0 && (
        <details>
          <summary>Numbers</summary>
          <div class="table-scroll">
            <table>
              <thead>
                <tr>
                  <th scope="col">{horizontal ? '' : 'When'}</th>
                  {series.map((s) => (
                    <th scope="col" key={s.label}>
                      {s.label}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {labels.map((label, i) => (
                  <tr key={label}>
                    <th scope="row">{label}</th>
                    {series.map((s) => {
                      const value = s.values[i];
                      return <td key={s.label}>{value === null || value === undefined ? '–' : formatValue(value)}</td>;
                    })}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      )}
    </figure>
  );
}

function configOf(
  kind: 'bar' | 'line',
  labels: string[],
  series: Series[],
  horizontal: boolean,
  formatValue: (value: number) => string,
): ChartConfiguration<'bar' | 'line'> {
  const stacked = series.some((s) => s.stack);
  // Motion off for people (and test runs) that ask the system for less of it.
  const still = window.matchMedia('(prefers-reduced-motion: reduce)').matches;
  // Long names (models, reasons) are cut on the axis of a narrow chart; the table has them whole.
  const shortLabel = (_value: string | number, index: number) => {
    const label = labels[index] ?? '';
    return label.length > 22 ? `${label.slice(0, 21)}…` : label;
  };
  // The value axis reads like the table (ms, $); counts get whole-number ticks only.
  const tick = (value: string | number) => {
    const n = Number(value);
    return formatValue === String && !Number.isInteger(n) ? '' : formatValue(n);
  };
  return {
    type: kind,
    data: {
      labels,
      datasets: series.map((s, i) => ({
        label: s.label,
        data: s.values,
        stack: s.stack,
        backgroundColor: COLORS[i % COLORS.length],
        borderColor: COLORS[i % COLORS.length],
        spanGaps: true,
      })),
    },
    options: {
      animation: still ? false : undefined,
      responsive: true,
      maintainAspectRatio: false,
      indexAxis: horizontal ? 'y' : 'x',
      plugins: { legend: { display: series.length > 1, position: 'bottom' } },
      scales: {
        x: { stacked, beginAtZero: true, ticks: horizontal ? { callback: tick } : {} },
        y: { stacked, beginAtZero: true, ticks: horizontal ? { callback: shortLabel } : { callback: tick } },
      },
    },
  };
}
