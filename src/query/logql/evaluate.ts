import type { SampleBucketRow, SampleBucketsInput, SeriesKey } from '../../storage/logql-api.ts';
import type { BinaryOp, Grouping, MetricExpr } from './ast.ts';
import { LogqlError } from './logql-error.ts';

// Metric queries over all steps at once, as Loki's range evaluation does. Range
// aggregations come from SQL as per-bucket counts and bytes (a bucket width that
// divides both the step and the range, so every step's window (t - range, t] is a
// run of whole buckets: logql-query-sql.ts); this file adds the runs up, then
// applies vector aggregations and arithmetic step by step. `sum by/without`
// directly over a range aggregation is pushed into the SQL grouping.

/** Loki's default max_query_series and its 11,000 points per series. */
export const MAX_SERIES = 500;
export const MAX_STEPS = 11_000;
/** Rows of (series, bucket) a range aggregation may read back. */
const MAX_BUCKET_ROWS = 500_000;

export interface Steps {
  startNs: bigint;
  stepNs: bigint;
  count: number;
}

export interface StepSeries {
  labels: Record<string, string>;
  /** One value per step; undefined where the series has no sample. */
  values: Array<number | undefined>;
}

export type EvalResult = { kind: 'scalar'; values: number[] } | { kind: 'vector'; series: StepSeries[] };

export type BucketSource = (input: SampleBucketsInput) => Promise<SampleBucketRow[]>;

export function stepsOf(startNs: bigint, endNs: bigint, stepNs: bigint): Steps {
  const count = Number((endNs - startNs) / stepNs) + 1;
  if (count > MAX_STEPS) {
    throw new LogqlError(`exceeded maximum resolution of ${MAX_STEPS} points per timeseries. Try increasing the value of the step parameter`);
  }
  return { startNs, stepNs, count };
}

export async function evaluate(expr: MetricExpr, steps: Steps, source: BucketSource): Promise<EvalResult> {
  switch (expr.kind) {
    case 'number':
      return { kind: 'scalar', values: new Array<number>(steps.count).fill(expr.value) };
    case 'vector':
      return { kind: 'vector', series: [{ labels: {}, values: new Array<number>(steps.count).fill(expr.value) }] };
    case 'range':
      return { kind: 'vector', series: await rangeSeries(expr, { kind: 'labels' }, steps, source) };
    case 'aggregate': {
      if (expr.op === 'sum' && expr.inner.kind === 'range') {
        const key: SeriesKey = expr.grouping === undefined ? { kind: 'by', labels: [] } : { kind: expr.grouping.without ? 'without' : 'by', labels: expr.grouping.labels };
        return { kind: 'vector', series: await rangeSeries(expr.inner, key, steps, source) };
      }
      const inner = await evaluate(expr.inner, steps, source);
      if (inner.kind === 'scalar') throw new LogqlError(`parse error: ${expr.op}() expects a vector, not a scalar`);
      return { kind: 'vector', series: aggregate(expr.op, expr.grouping, expr.k, inner.series, steps.count) };
    }
    case 'binary': {
      const [left, right] = await Promise.all([evaluate(expr.left, steps, source), evaluate(expr.right, steps, source)]);
      return binary(expr.op, left, right, steps.count);
    }
  }
}

async function rangeSeries(expr: Extract<MetricExpr, { kind: 'range' }>, key: SeriesKey, steps: Steps, source: BucketSource): Promise<StepSeries[]> {
  const bucketNs = steps.count > 1 ? gcd(steps.stepNs, expr.rangeNs) : expr.rangeNs;
  const lastNs = steps.startNs + BigInt(steps.count - 1) * steps.stepNs;
  const rows = await source({ selector: expr.selector, afterNs: steps.startNs - expr.rangeNs, untilNs: lastNs, bucketNs, key, maxRows: MAX_BUCKET_ROWS });
  if (rows.length > MAX_BUCKET_ROWS) throw new LogqlError('the query reads too many series or buckets: narrow the time range, raise the step or aggregate with sum by (...)');
  const bySeries = new Map<string, { labels: Record<string, string>; rows: SampleBucketRow[] }>();
  for (const row of rows) {
    const labels = Array.isArray(row.key) ? byLabels(key.kind === 'by' ? key.labels : [], row.key) : row.key;
    const id = signature(labels);
    let entry = bySeries.get(id);
    if (entry === undefined) bySeries.set(id, (entry = { labels, rows: [] }));
    entry.rows.push(row);
  }
  if (bySeries.size > MAX_SERIES) throw new LogqlError(`maximum of series (${MAX_SERIES}) reached for a single query; aggregate with sum by (...)`);
  const stepBuckets = Number(steps.stepNs / bucketNs);
  const rangeBuckets = Number(expr.rangeNs / bucketNs);
  const rangeSeconds = Number(expr.rangeNs) / 1e9;
  const out: StepSeries[] = [];
  for (const { labels, rows: sorted } of bySeries.values()) {
    sorted.sort((a, b) => a.bucket - b.bucket);
    // Prefix sums over the sparse buckets; a step's window is two binary searches.
    const cumCount = [0];
    const cumBytes = [0];
    for (const r of sorted) {
      cumCount.push(cumCount.at(-1)! + r.count);
      cumBytes.push(cumBytes.at(-1)! + r.bytes);
    }
    const firstAtLeast = (bucket: number) => {
      let lo = 0;
      let hi = sorted.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (sorted[mid]!.bucket < bucket) lo = mid + 1;
        else hi = mid;
      }
      return lo;
    };
    const values = new Array<number | undefined>(steps.count);
    for (let k = 0; k < steps.count; k++) {
      const from = firstAtLeast(k * stepBuckets);
      const to = firstAtLeast(k * stepBuckets + rangeBuckets);
      const count = cumCount[to]! - cumCount[from]!;
      if (count === 0) continue;
      const bytes = cumBytes[to]! - cumBytes[from]!;
      values[k] = expr.op === 'count_over_time' ? count : expr.op === 'rate' ? count / rangeSeconds : expr.op === 'bytes_over_time' ? bytes : bytes / rangeSeconds;
    }
    out.push({ labels, values });
  }
  return out;
}

function byLabels(names: string[], values: string[]): Record<string, string> {
  const labels: Record<string, string> = {};
  names.forEach((n, i) => {
    const v = values[i] ?? '';
    if (v !== '') labels[n] = v;
  });
  return labels;
}

function signature(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function groupLabels(labels: Record<string, string>, grouping: Grouping | undefined): Record<string, string> {
  if (grouping === undefined) return {};
  if (grouping.without) return Object.fromEntries(Object.entries(labels).filter(([k]) => !grouping.labels.includes(k)));
  return Object.fromEntries(grouping.labels.filter((l) => labels[l] !== undefined && labels[l] !== '').map((l) => [l, labels[l]!]));
}

function aggregate(op: Extract<MetricExpr, { kind: 'aggregate' }>['op'], grouping: Grouping | undefined, k: number | undefined, series: StepSeries[], stepCount: number): StepSeries[] {
  const groups = new Map<string, { labels: Record<string, string>; members: StepSeries[] }>();
  for (const s of series) {
    const labels = groupLabels(s.labels, grouping);
    const id = signature(labels);
    let g = groups.get(id);
    if (g === undefined) groups.set(id, (g = { labels, members: [] }));
    g.members.push(s);
  }
  if (op === 'topk' || op === 'bottomk') {
    // Each member keeps its labels and only the steps where it ranks in its group's k.
    const kept = new Map<StepSeries, StepSeries>();
    for (const { members } of groups.values()) {
      for (let step = 0; step < stepCount; step++) {
        const present = members.filter((m) => m.values[step] !== undefined);
        present.sort((a, b) => (op === 'topk' ? b.values[step]! - a.values[step]! : a.values[step]! - b.values[step]!));
        for (const m of present.slice(0, k)) {
          let out = kept.get(m);
          if (out === undefined) kept.set(m, (out = { labels: m.labels, values: new Array<number | undefined>(stepCount) }));
          out.values[step] = m.values[step];
        }
      }
    }
    return [...kept.values()];
  }
  const out: StepSeries[] = [];
  for (const { labels, members } of groups.values()) {
    const values = new Array<number | undefined>(stepCount);
    for (let step = 0; step < stepCount; step++) {
      const xs = members.map((m) => m.values[step]).filter((v): v is number => v !== undefined);
      if (xs.length === 0) continue;
      values[step] =
        op === 'sum' ? xs.reduce((a, b) => a + b, 0)
        : op === 'avg' ? xs.reduce((a, b) => a + b, 0) / xs.length
        : op === 'min' ? Math.min(...xs)
        : op === 'max' ? Math.max(...xs)
        : xs.length;
    }
    out.push({ labels, values });
  }
  return out;
}

function apply(op: BinaryOp, a: number, b: number): number {
  switch (op) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      return a / b;
    case '%':
      return a % b;
    case '^':
      return a ** b;
  }
}

function binary(op: BinaryOp, left: EvalResult, right: EvalResult, stepCount: number): EvalResult {
  if (left.kind === 'scalar' && right.kind === 'scalar') {
    return { kind: 'scalar', values: left.values.map((v, i) => apply(op, v, right.values[i]!)) };
  }
  if (left.kind === 'scalar' || right.kind === 'scalar') {
    const scalarLeft = left.kind === 'scalar';
    const scalar = (scalarLeft ? left : right) as Extract<EvalResult, { kind: 'scalar' }>;
    const vector = (scalarLeft ? right : left) as Extract<EvalResult, { kind: 'vector' }>;
    return {
      kind: 'vector',
      series: vector.series.map((s) => ({
        labels: s.labels,
        values: s.values.map((v, i) => (v === undefined ? undefined : scalarLeft ? apply(op, scalar.values[i]!, v) : apply(op, v, scalar.values[i]!))),
      })),
    };
  }
  // Vector to vector: one-to-one on the whole label set (no on/ignoring here).
  const rightBySignature = new Map(right.series.map((s) => [signature(s.labels), s]));
  const series: StepSeries[] = [];
  for (const l of left.series) {
    const r = rightBySignature.get(signature(l.labels));
    if (r === undefined) continue;
    const values = new Array<number | undefined>(stepCount);
    for (let i = 0; i < stepCount; i++) {
      const a = l.values[i];
      const b = r.values[i];
      if (a !== undefined && b !== undefined) values[i] = apply(op, a, b);
    }
    series.push({ labels: l.labels, values });
  }
  return { kind: 'vector', series };
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a;
}
