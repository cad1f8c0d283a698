import { useCallback, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import { cssVar } from '../lib/colors.ts';
import { formatDurationNs } from '../lib/durations.ts';
import { UPlotChart } from './uplot-chart.tsx';

export interface ScatterPoint {
  id: string;
  startMs: number;
  durationNs: number;
  error: boolean;
}

/**
 * Duration over time, one point per trace (Jaeger's search scatter): click a
 * point to open it, drag across to narrow the time range to the selection.
 */
export function DurationScatter({ points, startMs, endMs, onOpen, onSelectRange }: {
  points: readonly ScatterPoint[];
  startMs: number;
  endMs: number;
  onOpen: (id: string) => void;
  onSelectRange: (fromMs: number, toMs: number) => void;
}) {
  const sorted = useMemo(() => [...points].sort((a, b) => a.startMs - b.startMs), [points]);
  const data = useMemo<uPlot.AlignedData>(
    () => [
      sorted.map((p) => p.startMs / 1000),
      sorted.map((p) => (p.error ? null : p.durationNs / 1e6)),
      sorted.map((p) => (p.error ? p.durationNs / 1e6 : null)),
    ],
    [sorted],
  );
  // Handlers read the latest values through refs: the chart is built once per shape.
  const latest = useRef({ sorted, onOpen, onSelectRange });
  latest.current = { sorted, onOpen, onSelectRange };

  const makeOptions = useCallback(
    (width: number): uPlot.Options => {
      const axisColor = cssVar('--muted');
      const grid = { stroke: cssVar('--grid'), width: 1 };
      let selecting = false;
      return {
        width,
        height: 200,
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 10 } },
        scales: { x: { time: true, range: () => [startMs / 1000, endMs / 1000] }, y: { range: (_u, _min, max) => [0, Math.max(1, max) * 1.1] } },
        axes: [
          { stroke: axisColor, grid, ticks: grid },
          { stroke: axisColor, grid, ticks: grid, size: 70, values: (_u, splits) => splits.map((v) => formatDurationNs(v * 1e6)) },
        ],
        series: [
          {},
          { label: 'ok', stroke: cssVar('--accent'), fill: cssVar('--accent'), paths: () => null, points: { show: true, size: 7, space: 0 } },
          { label: 'error', stroke: cssVar('--error'), fill: cssVar('--error'), paths: () => null, points: { show: true, size: 8, space: 0 } },
        ],
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width < 4) return;
              selecting = true;
              const from = u.posToVal(u.select.left, 'x') * 1000;
              const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              latest.current.onSelectRange(from, to);
            },
          ],
          ready: [
            (u) => {
              u.over.addEventListener('click', (event) => {
                if (selecting) {
                  selecting = false;
                  return;
                }
                const rect = u.over.getBoundingClientRect();
                const x = event.clientX - rect.left;
                const y = event.clientY - rect.top;
                let best: ScatterPoint | undefined;
                let bestDistance = 12 * 12;
                for (const p of latest.current.sorted) {
                  const dx = u.valToPos(p.startMs / 1000, 'x') - x;
                  const dy = u.valToPos(p.durationNs / 1e6, 'y') - y;
                  const distance = dx * dx + dy * dy;
                  if (distance < bestDistance) {
                    bestDistance = distance;
                    best = p;
                  }
                }
                if (best !== undefined) latest.current.onOpen(best.id);
              });
            },
          ],
        },
      };
    },
    [startMs, endMs],
  );
  return (
    <UPlotChart
      className="chart scatter"
      makeOptions={makeOptions}
      data={data}
      height={200}
      xRange={[startMs, endMs]}
      label={`Duration over time of ${points.length} traces; click a point to open a trace, drag to narrow the range`}
    />
  );
}
