import type { Labels } from '../metrics/labels.ts';
import { groupLabels, labelsKey } from '../metrics/labels.ts';
import type { NativeHistogram } from '../metrics/native-histogram.ts';
import { formatFloat } from '../metrics/prometheus-naming.ts';
import { execution } from './errors.ts';
import type { AggregateExpr } from './plan.ts';
import type { StepSeries } from './values.ts';

// Aggregation operators (promql/engine.go aggregation(), Prometheus 2.42):
// per step, the series present are grouped by their `by` labels (or all but
// the `without` ones and __name__), then folded as Prometheus folds them
// (incremental mean for avg, Welford for stddev/stdvar), so the results agree
// with Prometheus to the last bits in all but pathological cases.

/** Prometheus's quantile(): linear interpolation between the closest ranks. */
export function quantileOf(q: number, values: number[]): number {
  if (values.length === 0) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (Number.isNaN(q)) return Number.NaN;
  const sorted = [...values].sort((a, b) => (Number.isNaN(a) ? -1 : Number.isNaN(b) ? 1 : a - b));
  const n = sorted.length;
  const rank = q * (n - 1);
  const lower = Math.max(0, Math.floor(rank));
  const upper = Math.min(n - 1, lower + 1);
  const weight = rank - Math.floor(rank);
  return sorted[lower]! * (1 - weight) + sorted[upper]! * weight;
}

interface Group {
  labels: Labels;
  members: Array<{ labels: Labels; v: number; h: NativeHistogram | undefined }>;
}

export function aggregate(e: AggregateExpr, input: StepSeries[], steps: number, param: number[] | string | undefined): StepSeries[] {
  const out = new Map<string, StepSeries>();
  const emit = (labels: Labels, i: number, v: number | undefined, h?: NativeHistogram) => {
    const key = labelsKey(labels);
    let s = out.get(key);
    if (s === undefined) {
      s = { labels, v: new Array<number | undefined>(steps).fill(undefined) };
      out.set(key, s);
    }
    if (h !== undefined) (s.h ??= new Array<NativeHistogram | undefined>(steps).fill(undefined))[i] = h;
    else s.v[i] = v;
  };
  // A series' group is the same at every step: computed once (count_values' depends on the value).
  const grouped = input.map((s) => {
    const labels = groupLabels(s.labels, e.grouping, e.without);
    return { labels, key: labelsKey(labels) };
  });
  for (let i = 0; i < steps; i++) {
    const groups = new Map<string, Group>();
    for (let j = 0; j < input.length; j++) {
      const s = input[j]!;
      const v = s.v[i];
      const h = s.h?.[i];
      if (v === undefined && h === undefined) continue;
      let { labels, key } = grouped[j]!;
      if (e.op === 'count_values') {
        labels = { ...labels, [param as string]: formatFloat(v ?? Number.NaN) };
        key = labelsKey(labels);
      }
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { labels, members: [] }));
      g.members.push({ labels: s.labels, v: v ?? Number.NaN, h });
    }
    const p = Array.isArray(param) ? param[i]! : Number.NaN;
    for (const g of groups.values()) fold(e.op, g, p, i, emit);
  }
  return [...out.values()];
}

function fold(
  op: AggregateExpr['op'],
  g: Group,
  p: number,
  i: number,
  emit: (labels: Labels, i: number, v: number | undefined, h?: NativeHistogram) => void,
): void {
  const vs = g.members.map((m) => m.v);
  switch (op) {
    case 'sum': {
      const hs = g.members.map((m) => m.h);
      if (hs[0] !== undefined) {
        if (hs.some((h) => h === undefined)) return; // a mix of floats and histograms: no result (Prometheus 2.42)
        emit(g.labels, i, undefined, (hs as NativeHistogram[]).reduce((a, b) => a.add(b)));
        return;
      }
      let s = 0;
      for (const v of vs) s += v;
      return emit(g.labels, i, s);
    }
    case 'avg': {
      let mean = 0;
      let count = 0;
      for (const v of vs) {
        count++;
        if (!Number.isFinite(mean) && !Number.isNaN(mean)) {
          if (!Number.isFinite(v) && !Number.isNaN(v) && mean > 0 === v > 0) continue;
          if (Number.isFinite(v)) continue;
        }
        mean += v / count - mean / count;
      }
      return emit(g.labels, i, mean);
    }
    case 'min':
    case 'max': {
      let m = vs[0]!;
      for (const v of vs) if ((op === 'min' ? v < m : v > m) || Number.isNaN(m)) m = v;
      return emit(g.labels, i, m);
    }
    case 'count':
      return emit(g.labels, i, vs.length);
    case 'group':
      return emit(g.labels, i, 1);
    case 'count_values':
      return emit(g.labels, i, vs.length);
    case 'stddev':
    case 'stdvar': {
      let count = 0;
      let mean = 0;
      let value = 0;
      for (const v of vs) {
        count++;
        const delta = v - mean;
        mean += delta / count;
        value += delta * (v - mean);
      }
      const variance = value / count;
      return emit(g.labels, i, op === 'stddev' ? Math.sqrt(variance) : variance);
    }
    case 'quantile':
      return emit(g.labels, i, quantileOf(p, vs));
    case 'topk':
    case 'bottomk': {
      if (!Number.isFinite(p)) throw execution(`Parameter value is ${p}, should be a finite number`);
      const k = Math.trunc(p);
      if (k < 1) return;
      const sign = op === 'topk' ? -1 : 1;
      // NaN sorts last for both, as Prometheus's heaps treat it.
      const sorted = [...g.members].sort((a, b) => (Number.isNaN(a.v) ? 1 : Number.isNaN(b.v) ? -1 : sign * (a.v - b.v)));
      for (const m of sorted.slice(0, k)) emit(m.labels, i, m.v);
      return;
    }
  }
}

