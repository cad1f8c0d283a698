import { useCallback, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import uPlot from 'uplot';
import type { PromExemplarSet, PromSeries } from '../../api/prometheus.ts';
import { UPlotChart } from '../../components/uplot-chart.tsx';
import { cssVar, serviceColor } from '../../lib/colors.ts';
import { alignSeries, seriesName } from './metric-queries.ts';

export interface ExemplarPoint {
  traceId: string;
  timestampS: number;
  value: number;
}

export function exemplarPoints(sets: readonly PromExemplarSet[] | undefined): ExemplarPoint[] {
  const out: ExemplarPoint[] = [];
  for (const set of sets ?? []) {
    for (const e of set.exemplars) {
      const traceId = e.labels['trace_id'];
      const value = Number(e.value);
      if (traceId !== undefined && Number.isFinite(value)) out.push({ traceId, timestampS: e.timestamp, value });
    }
  }
  return out;
}

function formatValue(v: number): string {
  if (v === 0) return '0';
  const abs = Math.abs(v);
  if (abs >= 1e6 || abs < 1e-3) return v.toExponential(2);
  return Number(v.toPrecision(4)).toString();
}

/**
 * A range query's answer as lines, one per series, with a legend (each
 * series in Prometheus notation) and exemplars as diamonds that link to their
 * trace. data-series-count / data-series carry what is drawn, for tests and
 * for people reading the DOM.
 */
export function SeriesChart({ series, exemplars, startMs, endMs, title }: {
  series: readonly PromSeries[];
  exemplars: readonly ExemplarPoint[];
  startMs: number;
  endMs: number;
  title: string;
}) {
  const names = useMemo(() => series.map((s) => seriesName(s.metric)), [series]);
  const data = useMemo<uPlot.AlignedData>(() => {
    const { xs, ys } = alignSeries(series);
    return [xs, ...ys];
  }, [series]);
  const counts = useMemo(() => series.map((s) => s.values?.length ?? 0), [series]);
  // Where each exemplar lands on the plot, in CSS pixels of the wrapper: links are
  // real elements (keyboard and screen readers reach them), placed after each draw.
  const [marks, setMarks] = useState<{ traceId: string; left: number; top: number }[]>([]);
  const wrapper = useRef<HTMLDivElement>(null);
  const latest = useRef(exemplars);
  latest.current = exemplars;

  const makeOptions = useCallback(
    (width: number): uPlot.Options => {
      const axisColor = cssVar('--muted');
      const grid = { stroke: cssVar('--grid'), width: 1 };
      return {
        width,
        height: 260,
        legend: { show: false },
        scales: {
          x: { time: true, range: () => [startMs / 1000, endMs / 1000] },
          // The exemplars' values too, so a diamond above the lines is still on the plot.
          y: {
            range: (_u, min, max) => {
              let lo = min;
              let hi = max;
              for (const e of latest.current) {
                lo = Math.min(lo, e.value);
                hi = Math.max(hi, e.value);
              }
              const pad = hi === lo ? Math.abs(hi) * 0.1 || 1 : (hi - lo) * 0.1;
              return [lo >= 0 && lo - pad < 0 ? 0 : lo - pad, hi + pad];
            },
          },
        },
        axes: [
          { stroke: axisColor, grid, ticks: grid },
          { stroke: axisColor, grid, ticks: grid, size: 70, values: (_u, splits) => splits.map(formatValue) },
        ],
        series: [
          {},
          ...names.map((name, i) => ({
            label: name,
            stroke: serviceColor(name),
            width: 1.5,
            spanGaps: false,
            // A series of a few points (fresh data, a sparse one) would be invisible as a line alone.
            points: { show: (counts[i] ?? 0) < 30, size: 5, fill: serviceColor(name) },
          })),
        ],
        hooks: {
          draw: [
            (u) => {
              const host = wrapper.current;
              if (host === null) return;
              const hostBox = host.getBoundingClientRect();
              const overBox = u.over.getBoundingClientRect();
              const ctx = u.ctx;
              ctx.save();
              ctx.fillStyle = cssVar('--accent');
              const placed: { traceId: string; left: number; top: number }[] = [];
              for (const e of latest.current) {
                const x = u.valToPos(e.timestampS, 'x');
                const y = u.valToPos(e.value, 'y');
                if (!Number.isFinite(x) || !Number.isFinite(y) || x < 0 || y < 0 || x > overBox.width || y > overBox.height) continue;
                const cx = u.valToPos(e.timestampS, 'x', true);
                const cy = u.valToPos(e.value, 'y', true);
                const r = 5 * devicePixelRatio;
                ctx.beginPath();
                ctx.moveTo(cx, cy - r);
                ctx.lineTo(cx + r, cy);
                ctx.lineTo(cx, cy + r);
                ctx.lineTo(cx - r, cy);
                ctx.closePath();
                ctx.fill();
                placed.push({ traceId: e.traceId, left: overBox.left - hostBox.left + x, top: overBox.top - hostBox.top + y });
              }
              ctx.restore();
              setMarks(placed);
            },
          ],
        },
      };
    },
    // Exemplars often answer after the series: a new set redraws the chart with them.
    [names, counts, startMs, endMs, exemplars],
  );
  return (
    <figure className="metric-chart" data-series-count={series.length} data-series={JSON.stringify(names)} data-exemplar-count={exemplars.length}>
      <figcaption>{title}</figcaption>
      <div className="metric-plot" ref={wrapper}>
        <UPlotChart
          makeOptions={makeOptions}
          data={data}
          height={260}
          xRange={[startMs, endMs]}
          label={`${title}: ${series.length} series${exemplars.length === 0 ? '' : `, ${exemplars.length} exemplars`}`}
        />
        {marks.map((m, i) => (
          <Link
            key={`${m.traceId}-${i}`}
            className="exemplar-mark"
            to={`/trace/${m.traceId}`}
            style={{ left: m.left, top: m.top }}
            aria-label={`Exemplar: open trace ${m.traceId}`}
            title={`Exemplar: trace ${m.traceId}`}
          />
        ))}
      </div>
      <ul className="metric-legend" aria-label={`Legend of ${title}`}>
        {names.map((name) => (
          <li key={name}>
            <span className="swatch" style={{ background: serviceColor(name) }} aria-hidden="true" />
            {name}
          </li>
        ))}
      </ul>
    </figure>
  );
}
