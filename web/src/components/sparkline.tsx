import { useCallback, useMemo } from 'react';
import type uPlot from 'uplot';
import { cssVar } from '../lib/colors.ts';
import { UPlotChart } from './uplot-chart.tsx';

/** A small line over equal-width buckets (Sparkline of src/api/types.ts); no axes. */
export function SparklineChart({ values, label, colorVar = '--accent' }: {
  values: readonly (number | null)[];
  label: string;
  colorVar?: string;
}) {
  const data = useMemo<uPlot.AlignedData>(() => [values.map((_, i) => i), [...values]], [values]);
  const sparse = values.filter((v) => v !== null).length < 3;
  const makeOptions = useCallback(
    (width: number): uPlot.Options => ({
      width,
      height: 28,
      cursor: { show: false },
      legend: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false } },
      axes: [{ show: false }, { show: false }],
      // Gaps (buckets without requests) are bridged; a lone bucket with data shows as a dot.
      series: [{}, { stroke: cssVar(colorVar), width: 1.5, fill: `${cssVar(colorVar)}22`, spanGaps: true, points: { show: sparse, size: 4, fill: cssVar(colorVar) } }],
      padding: [2, 0, 2, 0],
    }),
    [colorVar, sparse],
  );
  return <UPlotChart className="sparkline" makeOptions={makeOptions} data={data} height={28} label={label} />;
}
