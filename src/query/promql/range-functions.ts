import type { NativeHistogram } from '../metrics/native-histogram.ts';
import { RESET } from '../metrics/prometheus-series.ts';
import { quantileOf } from './aggregations.ts';

// Functions over a range of samples (promql/functions.go of Prometheus 2.42,
// the reference the oracle test runs): one series' samples in the window
// [rangeStart, rangeEnd] (both inclusive in 2.x), staleness markers removed.
// A sample flagged RESET (a new OTLP start time) counts as a counter reset even
// when its value did not fall.

export interface Window {
  t: readonly number[];
  v: readonly number[];
  h: ReadonlyArray<NativeHistogram | undefined> | undefined;
  flags: readonly number[];
  /** First and last index in the window, inclusive; a > b when empty. */
  a: number;
  b: number;
  rangeStartMs: number;
  rangeEndMs: number;
  rangeMs: number;
}

export type RangeResult = number | NativeHistogram | undefined;

const isReset = (w: Window, i: number): boolean => (w.flags[i]! & RESET) !== 0 || w.v[i]! < w.v[i - 1]!;

function kahanInc(inc: number, sum: number, c: number): [number, number] {
  const t = sum + inc;
  if (Math.abs(sum) >= Math.abs(inc)) c += sum - t + inc;
  else c += inc - t + sum;
  return [t, c];
}

/** rate, increase, delta: Prometheus's extrapolatedRate. */
function extrapolated(w: Window, isCounter: boolean, isRate: boolean): RangeResult {
  const n = w.b - w.a + 1;
  if (n < 2) return undefined;
  const first = w.a;
  const last = w.b;
  let result: number;
  let hist: NativeHistogram | undefined;
  if (w.h?.[first] !== undefined) {
    // Native histograms: the same, bucket-wise (histogramRate).
    let acc = w.h[last]!.sub(w.h[first]!);
    for (let i = first + 1; i <= last; i++) {
      const cur = w.h[i];
      const prev = w.h[i - 1]!;
      if (cur === undefined) return undefined;
      if (isCounter && ((w.flags[i]! & RESET) !== 0 || prev.resetBefore(cur))) acc = acc.add(prev);
    }
    hist = acc;
    result = acc.count;
  } else {
    result = w.v[last]! - w.v[first]!;
    if (isCounter) for (let i = first + 1; i <= last; i++) if (isReset(w, i)) result += w.v[i - 1]!;
  }
  let durationToStart = (w.t[first]! - w.rangeStartMs) / 1000;
  const durationToEnd = (w.rangeEndMs - w.t[last]!) / 1000;
  const sampledInterval = (w.t[last]! - w.t[first]!) / 1000;
  const averageDurationBetweenSamples = sampledInterval / (n - 1);
  const firstValue = hist === undefined ? w.v[first]! : w.h![first]!.count;
  if (isCounter && result > 0 && firstValue >= 0) {
    const durationToZero = sampledInterval * (firstValue / result);
    if (durationToZero < durationToStart) durationToStart = durationToZero;
  }
  const threshold = averageDurationBetweenSamples * 1.1;
  let extrapolateToInterval = sampledInterval;
  extrapolateToInterval += durationToStart < threshold ? durationToStart : averageDurationBetweenSamples / 2;
  extrapolateToInterval += durationToEnd < threshold ? durationToEnd : averageDurationBetweenSamples / 2;
  let factor = extrapolateToInterval / sampledInterval;
  if (isRate) factor /= w.rangeMs / 1000;
  return hist === undefined ? result * factor : hist.scale(factor);
}

/** irate, idelta: Prometheus's instantValue. */
function instant(w: Window, isRate: boolean): RangeResult {
  if (w.b - w.a + 1 < 2) return undefined;
  const last = w.v[w.b]!;
  const prev = w.v[w.b - 1]!;
  const value = isRate && isReset(w, w.b) ? last : last - prev;
  const interval = w.t[w.b]! - w.t[w.b - 1]!;
  if (interval === 0) return undefined;
  return isRate ? value / (interval / 1000) : value;
}

function values(w: Window): number[] {
  return w.v.slice(w.a, w.b + 1) as number[];
}

function linearRegressionSlope(w: Window): number {
  const interceptTime = w.t[w.a]!;
  let n = 0;
  let [sumX, cX, sumY, cY, sumXY, cXY, sumX2, cX2] = [0, 0, 0, 0, 0, 0, 0, 0];
  const initY = w.v[w.a]!;
  let constY = true;
  for (let i = w.a; i <= w.b; i++) {
    const y = w.v[i]!;
    if (constY && i > w.a && y !== initY) constY = false;
    n += 1;
    const x = (w.t[i]! - interceptTime) / 1000;
    [sumX, cX] = kahanInc(x, sumX, cX);
    [sumY, cY] = kahanInc(y, sumY, cY);
    [sumXY, cXY] = kahanInc(x * y, sumXY, cXY);
    [sumX2, cX2] = kahanInc(x * x, sumX2, cX2);
  }
  if (constY) return Number.isFinite(initY) ? 0 : Number.NaN;
  sumX += cX;
  sumY += cY;
  sumXY += cXY;
  sumX2 += cX2;
  const covXY = sumXY - (sumX * sumY) / n;
  const varX = sumX2 - (sumX * sumX) / n;
  return covXY / varX;
}

function variance(vs: number[]): number {
  // Welford, as Prometheus's stdvar_over_time.
  let count = 0;
  let mean = 0;
  let m2 = 0;
  for (const v of vs) {
    count++;
    const delta = v - mean;
    mean += delta / count;
    m2 += delta * (v - mean);
  }
  return m2 / count;
}

export function evalRangeFunction(func: string, w: Window, param: number | undefined): RangeResult {
  const n = w.b - w.a + 1;
  switch (func) {
    case 'rate':
      return extrapolated(w, true, true);
    case 'increase':
      return extrapolated(w, true, false);
    case 'delta':
      return extrapolated(w, false, false);
    case 'irate':
      return instant(w, true);
    case 'idelta':
      return instant(w, false);
    case 'last_over_time':
      return n < 1 ? undefined : (w.h?.[w.b] ?? w.v[w.b]);
    case 'present_over_time':
      return n < 1 ? undefined : 1;
    case 'count_over_time':
      return n < 1 ? undefined : n;
  }
  if (n < 1) return undefined;
  if (w.h?.[w.a] !== undefined) return undefined; // float-only functions skip histogram samples, as Prometheus does
  switch (func) {
    case 'deriv':
      return n < 2 ? undefined : linearRegressionSlope(w);
    case 'resets': {
      let r = 0;
      for (let i = w.a + 1; i <= w.b; i++) if (isReset(w, i)) r++;
      return r;
    }
    case 'changes': {
      let c = 0;
      for (let i = w.a + 1; i <= w.b; i++) {
        const cur = w.v[i]!;
        const prev = w.v[i - 1]!;
        if (cur !== prev && !(Number.isNaN(cur) && Number.isNaN(prev))) c++;
      }
      return c;
    }
    case 'sum_over_time': {
      let [s, c] = [0, 0];
      for (const v of values(w)) [s, c] = kahanInc(v, s, c);
      return s + c;
    }
    case 'avg_over_time': {
      let [mean, c, count] = [0, 0, 0];
      for (const v of values(w)) {
        count++;
        if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
          if (Number.isFinite(v)) continue;
          if (!Number.isNaN(v) && Math.sign(v) === Math.sign(mean)) continue;
        }
        [mean, c] = kahanInc(v / count - mean / count, mean, c);
      }
      return Number.isFinite(mean) ? mean + c : mean;
    }
    case 'min_over_time': {
      let m = w.v[w.a]!;
      for (const v of values(w)) if (v < m || Number.isNaN(m)) m = v;
      return m;
    }
    case 'max_over_time': {
      let m = w.v[w.a]!;
      for (const v of values(w)) if (v > m || Number.isNaN(m)) m = v;
      return m;
    }
    case 'quantile_over_time':
      return quantileOf(param ?? Number.NaN, values(w));
    case 'stdvar_over_time':
      return variance(values(w));
    case 'stddev_over_time':
      return Math.sqrt(variance(values(w)));
  }
  return undefined;
}

export const RANGE_FUNCTIONS = new Set([
  'rate', 'irate', 'increase', 'delta', 'idelta', 'deriv', 'resets', 'changes', 'avg_over_time', 'min_over_time', 'max_over_time',
  'sum_over_time', 'count_over_time', 'last_over_time', 'quantile_over_time', 'stddev_over_time', 'stdvar_over_time',
  'present_over_time', 'absent_over_time',
]);
