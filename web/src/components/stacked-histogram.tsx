import { useCallback, useMemo } from 'react';
import uPlot from 'uplot';
import { cssVar } from '../lib/colors.ts';
import { UPlotChart } from './uplot-chart.tsx';

export interface HistogramLayer {
  label: string;
  colorVar: string;
  counts: readonly number[];
}

/**
 * Counts per bucket stacked by layer (bottom layer first). uPlot draws series
 * in order and does not stack, so each series is the running sum and the
 * tallest is drawn first, the shorter ones over it.
 */
export function StackedHistogram({ bucketStartsMs, stepMs, layers, label, onSelectRange }: {
  bucketStartsMs: readonly number[];
  stepMs: number;
  layers: readonly HistogramLayer[];
  label: string;
  onSelectRange?: (fromMs: number, toMs: number) => void;
}) {
  const data = useMemo<uPlot.AlignedData>(() => {
    const sums: number[][] = [];
    let running = bucketStartsMs.map(() => 0);
    for (const layer of layers) {
      running = running.map((v, i) => v + (layer.counts[i] ?? 0));
      sums.push(running);
    }
    return [bucketStartsMs.map((ms) => (ms + stepMs / 2) / 1000), ...sums.reverse()];
  }, [bucketStartsMs, stepMs, layers]);

  const layerKey = layers.map((l) => l.colorVar).join();
  const makeOptions = useCallback(
    (width: number): uPlot.Options => {
      const axisColor = cssVar('--muted');
      const grid = { stroke: cssVar('--grid'), width: 1 };
      const bars = uPlot.paths.bars!({ size: [0.9, 40] });
      return {
        width,
        height: 120,
        legend: { show: false },
        cursor: { drag: { x: true, y: false, setScale: false } },
        axes: [{ stroke: axisColor, grid, ticks: grid }, { stroke: axisColor, grid, ticks: grid, size: 50 }],
        scales: { y: { range: (_u, _min, max) => [0, Math.max(1, max)] } },
        series: [
          {},
          ...[...layerKey.split(',')].reverse().map((colorVar) => ({
            stroke: cssVar(colorVar),
            fill: cssVar(colorVar),
            paths: bars,
            points: { show: false },
          })),
        ],
        hooks: {
          setSelect: [
            (u) => {
              if (u.select.width < 4 || onSelectRange === undefined) return;
              const from = u.posToVal(u.select.left, 'x') * 1000;
              const to = u.posToVal(u.select.left + u.select.width, 'x') * 1000;
              u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
              onSelectRange(from, to);
            },
          ],
        },
      };
    },
    [layerKey, onSelectRange],
  );
  return <UPlotChart className="chart histogram" makeOptions={makeOptions} data={data} height={120} label={label} />;
}
