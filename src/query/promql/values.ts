import type { Labels } from '../metrics/labels.ts';
import type { NativeHistogram } from '../metrics/native-histogram.ts';

// Values during evaluation. The evaluator runs every node over all steps of the
// query at once (as Prometheus's range evaluation does), so a vector is a list
// of series with one slot per step, undefined where the series has no value.

export interface StepSeries {
  labels: Labels;
  v: Array<number | undefined>;
  /** Native histogram values; set only for series that carry them. */
  h?: Array<NativeHistogram | undefined>;
}

export type Value =
  | { type: 'scalar'; v: number[] }
  | { type: 'vector'; series: StepSeries[] }
  | { type: 'string'; value: string };

export interface Steps {
  startMs: number;
  endMs: number;
  stepMs: number;
  /** The evaluation times: startMs + i * stepMs up to endMs. */
  times: number[];
}

export function stepsOf(startMs: number, endMs: number, stepMs: number): Steps {
  const times: number[] = [];
  for (let t = startMs; t <= endMs; t += stepMs) times.push(t);
  return { startMs, endMs, stepMs, times };
}

/** Whether the series has a float or a histogram at step i. */
export function has(s: StepSeries, i: number): boolean {
  return s.v[i] !== undefined || s.h?.[i] !== undefined;
}
