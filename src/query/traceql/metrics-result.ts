import type { MetricsStage } from './ast.ts';
import { fieldText } from './ast.ts';

// TraceQL metrics rows (span counts per interval, by() values and duration
// bucket; storage/traceql-metrics-sql.ts) -> Tempo's QueryRangeResponse series
// (pkg/tempopb/tempo.proto TimeSeries: typed labels, samples oldest first):
// - rate(): spans per second of the step; count_over_time(): spans per step;
//   every interval has a sample (0 where no span), as Tempo's dense series;
// - histogram_over_time(duration): a series per bucket, labelled `__bucket` with
//   its upper bound in seconds (Tempo's Log2Bucketize);
// - quantile_over_time(duration, q...): a series per quantile labelled `p`,
//   interpolated between power-of-two buckets as Tempo's Log2Quantile does;
// - without by(), a single series labelled `__name__` = the function (Tempo's
//   UngroupedAggregator, "tweaked to match what prometheus does").

export interface CountRow {
  interval: number;
  labels: [string, string][];
  bucketS: number;
  count: number;
}

export interface TempoKeyValue {
  key: string;
  value: { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
}

export interface TempoSeries {
  labels: TempoKeyValue[];
  samples: { timestampMs: string; value: number }[];
  exemplars: never[];
}

export function metricsSeries(stage: MetricsStage, rows: CountRow[], startMs: bigint, stepMs: bigint, intervals: number): TempoSeries[] {
  const groups = new Map<string, { labels: [string, string][]; byBucket: Map<number, number[]> }>();
  for (const r of rows) {
    const key = JSON.stringify(r.labels);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { labels: r.labels, byBucket: new Map() }));
    let counts = g.byBucket.get(r.bucketS);
    if (counts === undefined) g.byBucket.set(r.bucketS, (counts = new Array<number>(intervals).fill(0)));
    if (r.interval >= 0 && r.interval < intervals) counts[r.interval] = (counts[r.interval] ?? 0) + r.count;
  }
  const stepS = Number(stepMs) / 1000;
  const samples = (values: number[]) => values.map((value, i) => ({ timestampMs: (startMs + BigInt(i) * stepMs).toString(), value }));
  const out: TempoSeries[] = [];
  for (const g of groups.values()) {
    const base = byLabels(stage, g.labels);
    const buckets = [...g.byBucket.entries()].sort(([a], [b]) => a - b);
    switch (stage.fn) {
      case 'rate':
      case 'count_over_time': {
        const total = new Array<number>(intervals).fill(0);
        for (const [, counts] of buckets) counts.forEach((c, i) => (total[i] = (total[i] ?? 0) + c));
        const labels = base.length > 0 ? base : [{ key: '__name__', value: { stringValue: stage.fn } }];
        out.push({ labels, samples: samples(stage.fn === 'rate' ? total.map((c) => c / stepS) : total), exemplars: [] });
        break;
      }
      case 'histogram_over_time':
        for (const [bucketS, counts] of buckets) out.push({ labels: [...base, { key: '__bucket', value: { doubleValue: bucketS } }], samples: samples(counts), exemplars: [] });
        break;
      case 'quantile_over_time':
        for (const q of stage.quantiles) {
          const values = Array.from({ length: intervals }, (_, i) => log2Quantile(q, buckets.map(([max, counts]) => ({ max, count: counts[i] ?? 0 })).filter((b) => b.count > 0)));
          out.push({ labels: [...base, { key: 'p', value: { doubleValue: q } }], samples: samples(values), exemplars: [] });
        }
        break;
    }
  }
  return out;
}

function byLabels(stage: MetricsStage, values: [string, string][]): TempoKeyValue[] {
  return stage.by.map((f, i) => {
    const [type, text] = values[i] ?? ['', ''];
    return { key: fieldText(f), value: typedValue(type, text) };
  });
}

/** A (type, text) pair from SQL as an OTLP-JSON-shaped value; absent values are Tempo's nil, shown as "<nil>". */
export function typedValue(type: string, text: string): TempoKeyValue['value'] {
  switch (type) {
    case 'int':
      return { intValue: text };
    case 'double':
      return { doubleValue: Number(text) };
    case 'bool':
      return { boolValue: text === 'true' };
    case '':
      return { stringValue: '<nil>' };
    default:
      return { stringValue: text };
  }
}

/** Tempo's Log2Quantile (pkg/traceql/engine_metrics.go): exponential interpolation inside a power-of-two bucket. */
export function log2Quantile(p: number, buckets: { max: number; count: number }[]): number {
  const total = buckets.reduce((s, b) => s + b.count, 0);
  if (total === 0 || !(p >= 0 && p <= 1)) return 0;
  const maxSamples = Math.max(1, Math.ceil(p * total));
  let seen = 0;
  let bucket = 0;
  for (let i = 0; i < buckets.length; i++) {
    bucket = i;
    const b = buckets[i]!;
    if (seen + b.count > maxSamples) break;
    seen += b.count;
    if (seen === maxSamples) return b.max;
  }
  const b = buckets[bucket]!;
  const interp = (maxSamples - seen) / b.count;
  const maxV = Math.log2(b.max);
  const minV = bucket > 0 ? Math.log2(buckets[bucket - 1]!.max) : maxV - 1;
  return 2 ** (minV + (maxV - minV) * interp);
}
