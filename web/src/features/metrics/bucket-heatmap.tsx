import { useCallback, useMemo } from 'react';
import uPlot from 'uplot';
import type { PromSeries } from '../../api/prometheus.ts';
import { UPlotChart } from '../../components/uplot-chart.tsx';
import { cssVar } from '../../lib/colors.ts';
import { bucketRows } from './metric-queries.ts';

/**
 * A histogram's bucket rates over time (Grafana's heatmap of `sum by (le)
 * (rate(x_bucket[5m]))`): one row per bucket, lowest first, a cell's opacity its
 * share of the busiest cell. Drawn as rectangles in uPlot's draw hook.
 */
export function BucketHeatmap({ series, startMs, endMs, title }: { series: readonly PromSeries[]; startMs: number; endMs: number; title: string }) {
  const rows = useMemo(() => bucketRows(series), [series]);
  // uPlot needs a series to lay out its axes; it draws nothing (all null).
  const data = useMemo<uPlot.AlignedData>(() => [rows.xs, rows.xs.map(() => null)], [rows]);
  const makeOptions = useCallback(
    (width: number): uPlot.Options => {
      const axisColor = cssVar('--muted');
      const grid = { stroke: cssVar('--grid'), width: 1 };
      const fill = cssVar('--accent');
      return {
        width,
        height: 220,
        legend: { show: false },
        cursor: { show: false },
        scales: { x: { time: true, range: () => [startMs / 1000, endMs / 1000] }, y: { auto: false, range: [0, Math.max(1, rows.les.length)] } },
        axes: [
          { stroke: axisColor, grid, ticks: grid },
          {
            stroke: axisColor,
            grid: { show: false },
            ticks: grid,
            size: 70,
            // Whole rows only; uPlot takes the smallest step that leaves room between labels.
            incrs: [1, 2, 4, 8, 16, 32],
            // A row spans [b, b + 1]; its upper bound (le) labels its top edge.
            values: (_u, splits) => splits.map((v) => (Number.isInteger(v) && v >= 1 && v <= rows.les.length ? `≤ ${rows.les[v - 1]}` : '')),
          },
        ],
        series: [{}, { label: 'buckets', paths: () => null, points: { show: false } }],
        hooks: {
          draw: [
            (u) => {
              let max = 0;
              for (const row of rows.rates) for (const v of row) if (v !== null && v > max) max = v;
              if (max === 0) return;
              const ctx = u.ctx;
              ctx.save();
              ctx.fillStyle = fill;
              const xs = rows.xs;
              const cellWidth = xs.length > 1 ? Math.abs(u.valToPos(xs[1]!, 'x', true) - u.valToPos(xs[0]!, 'x', true)) : 8;
              rows.rates.forEach((row, b) => {
                const top = u.valToPos(b + 1, 'y', true);
                const bottom = u.valToPos(b, 'y', true);
                row.forEach((v, t) => {
                  if (v === null || v <= 0) return;
                  ctx.globalAlpha = 0.15 + 0.85 * (v / max);
                  ctx.fillRect(u.valToPos(xs[t]!, 'x', true) - cellWidth / 2, top, cellWidth, bottom - top - 1);
                });
              });
              ctx.restore();
            },
          ],
        },
      };
    },
    [rows, startMs, endMs],
  );
  return (
    <figure className="metric-chart" data-bucket-count={rows.les.length}>
      <figcaption>{title}</figcaption>
      <UPlotChart
        makeOptions={makeOptions}
        data={data}
        height={220}
        xRange={[startMs, endMs]}
        label={`${title}: ${rows.les.length} buckets over time`}
      />
    </figure>
  );
}
