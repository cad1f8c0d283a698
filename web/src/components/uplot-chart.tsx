import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useThemeVersion } from './theme-toggle.tsx';

// One uPlot instance per mounted chart: created once per options (and theme,
// since uPlot draws colours onto a canvas), fed new data with setData, sized to
// its container. Callers memoize `makeOptions` on what changes the chart's shape.

export interface UPlotChartProps {
  makeOptions: (width: number) => uPlot.Options;
  data: uPlot.AlignedData;
  height: number;
  /** Describes the chart for assistive technology (the canvas has no text). */
  label: string;
  className?: string;
  /** The x range shown, as data-x-min / data-x-max (for people reading the DOM and for tests). */
  xRange?: readonly [number, number];
}

export function UPlotChart({ makeOptions, data, height, label, className, xRange }: UPlotChartProps) {
  const container = useRef<HTMLDivElement>(null);
  const chart = useRef<uPlot | null>(null);
  const latestData = useRef(data);
  latestData.current = data;
  const theme = useThemeVersion();

  useEffect(() => {
    const element = container.current;
    if (element === null) return;
    const width = Math.max(100, element.clientWidth);
    const plot = new uPlot({ ...makeOptions(width), width, height }, latestData.current, element);
    chart.current = plot;
    const observer = new ResizeObserver(() => {
      const next = Math.max(100, element.clientWidth);
      if (next !== plot.width) plot.setSize({ width: next, height });
    });
    observer.observe(element);
    return () => {
      observer.disconnect();
      plot.destroy();
      chart.current = null;
    };
  }, [makeOptions, height, theme]);

  useEffect(() => {
    chart.current?.setData(data);
  }, [data]);

  return (
    <div
      ref={container}
      className={className ?? 'chart'}
      role="img"
      aria-label={label}
      data-x-min={xRange?.[0]}
      data-x-max={xRange?.[1]}
    />
  );
}
