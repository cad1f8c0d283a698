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
  const makeOptions = useCallback(
    (width: number): uPlot.Options => ({
      width,
      height: 28,
      cursor: { show: false },
      legend: { show: false },
      select: { show: false, left: 0, top: 0, width: 0, height: 0 },
      scales: { x: { time: false } },
      axes: [{ show: false }, { show: false }],
      series: [{}, { stroke: cssVar(colorVar), width: 1.5, fill: `${cssVar(colorVar)}22`, spanGaps: false, points: { show: false } }],
      padding: [2, 0, 2, 0],
    }),
    [colorVar],
  );
  return <UPlotChart className="sparkline" makeOptions={makeOptions} data={data} height={28} label={label} />;
}
