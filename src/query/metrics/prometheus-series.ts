import type { StoredAttributeMaps, StoredOrigin, StoredPoint, StoredSeries } from '../../storage/metric-series-api.ts';
import type { Labels } from './labels.ts';
import { NAME, labelsKey } from './labels.ts';
import { NativeHistogram } from './native-histogram.ts';
import { formatFloat, sanitizeLabelName } from './prometheus-naming.ts';
import type { PromFamily, SeriesRole } from './prometheus-naming.ts';

// Stored OTLP points as Prometheus samples: the kind semantics.
// - Identity: resource + scope + metric + attributes is one stored series; its
//   Prometheus labels are the sanitised attributes plus job / instance
//   (service.name, service.instance.id) and otel_scope_name / otel_scope_version
//   (the compatibility spec). Stored series with equal labels are one series.
// - Cumulative sums and histograms are Prometheus counters as they are. A new
//   StartTimestamp is a reset even when the value did not go down (a process
//   restarted and counted past its old total): the sample is flagged RESET and
//   rate/increase/resets treat it as one.
// - Delta sums and histograms become cumulative, as the Collector's
//   deltatocumulative processor does: the sum of every earlier delta (computed
//   in SQL) plus a running sum.
// - A point flagged FLAG_NO_RECORDED_VALUE (OTLP DataPointFlags bit 0) is a
//   staleness marker: the series ends there until its next point.

export const STALE = 1;
export const RESET = 2;

/** One Prometheus series' samples, by time. `h` is set for native histograms. */
export interface RawSeries {
  labels: Labels;
  t: number[];
  v: number[];
  h: Array<NativeHistogram | undefined> | undefined;
  flags: number[];
}

const NO_RECORDED_VALUE = 1;
const DELTA = 1;

/** The value of an attribute as a label value: a string as is, others in their text form. */
export function attributeLabels(maps: StoredAttributeMaps): Record<string, string> {
  const raw: Array<[string, string]> = [];
  for (const [k, v] of Object.entries(maps.string)) raw.push([k, v]);
  for (const [k, v] of Object.entries(maps.int)) raw.push([k, String(v)]);
  for (const [k, v] of Object.entries(maps.double)) raw.push([k, typeof v === 'number' ? formatFloat(v) : String(v)]);
  for (const [k, v] of Object.entries(maps.bool)) raw.push([k, v ? 'true' : 'false']);
  for (const [k, v] of Object.entries(maps.json)) raw.push([k, v]);
  // Keys that sanitise to one label are joined with ';' in key order (the spec's rule).
  raw.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const out: Record<string, string> = {};
  for (const [k, v] of raw) {
    if (v === '') continue;
    const name = sanitizeLabelName(k);
    out[name] = out[name] === undefined ? v : `${out[name]};${v}`;
  }
  return out;
}

export function originLabels(origin: StoredOrigin | undefined): Record<string, string> {
  if (origin === undefined) return {};
  const ns = origin.resourceAttributes.string['service.namespace'] ?? '';
  const out: Record<string, string> = {};
  const job = ns === '' ? origin.serviceName : `${ns}/${origin.serviceName}`;
  if (job !== '') out.job = job;
  const instance = origin.resourceAttributes.string['service.instance.id'] ?? '';
  if (instance !== '') out.instance = instance;
  if (origin.scopeName !== '') out.otel_scope_name = origin.scopeName;
  if (origin.scopeVersion !== '') out.otel_scope_version = origin.scopeVersion;
  return out;
}

/** target_info's labels: every resource attribute but those that are job and instance. */
export function targetInfoLabels(origin: StoredOrigin): Record<string, string> {
  const { string, ...rest } = origin.resourceAttributes;
  const attrs = attributeLabels({ ...rest, string: Object.fromEntries(Object.entries(string).filter(([k]) => !RESOURCE_IDENTITY.has(k))) });
  const { job, instance } = originLabels(origin);
  return { ...attrs, ...(job === undefined ? {} : { job }), ...(instance === undefined ? {} : { instance }), [NAME]: 'target_info' };
}

const RESOURCE_IDENTITY = new Set(['service.name', 'service.namespace', 'service.instance.id']);

/** The Prometheus series of one family's stored series, for one role (`_bucket`, `_sum`, ...). */
export function promSeriesOf(
  family: PromFamily,
  role: SeriesRole,
  name: string,
  stored: readonly StoredSeries[],
  origins: ReadonlyMap<string, StoredOrigin>,
): RawSeries[] {
  const byKey = new Map<string, RawSeries>();
  const target = (labels: Labels, native: boolean): RawSeries => {
    const key = labelsKey(labels);
    let s = byKey.get(key);
    if (s === undefined) {
      s = { labels, t: [], v: [], h: native ? [] : undefined, flags: [] };
      byKey.set(key, s);
    }
    return s;
  };
  // Hot path for histograms (a sample per bucket per point, bench/promql-bench.ts):
  // the target series of each label set is looked up once per stored series.
  let targets = new Map<string, RawSeries>();
  const put = (labels: Labels, t: number, v: number, flags: number, h?: NativeHistogram, extra = '') => {
    let s = targets.get(extra);
    if (s === undefined) targets.set(extra, (s = target(labels, h !== undefined)));
    s.t.push(t);
    s.v.push(v);
    s.h?.push(h);
    s.flags.push(flags);
  };
  for (const series of stored) {
    targets = new Map();
    const base = { ...attributeLabels(series.attributes), ...originLabels(origins.get(series.resourceScopeId)), [NAME]: name };
    const delta = series.temporality === DELTA;
    let running = delta ? series.deltaBase : 0;
    let runningSum = delta ? series.deltaBaseSum : 0;
    let runningBuckets = delta ? series.deltaBaseBuckets.slice() : [];
    // Delta exponential histograms start from the sum of the points before the range (merged to the coarsest scale).
    let runningHist = delta
      ? series.deltaBaseExponential.map(NativeHistogram.fromExponentialSum).reduce<NativeHistogram | undefined>((a, b) => (a === undefined ? b : a.add(b)), undefined)
      : undefined;
    let prevStart: number | undefined;
    for (const p of series.points) {
      const stale = (p.flags & NO_RECORDED_VALUE) !== 0;
      const restarted = !delta && prevStart !== undefined && p.startMs !== 0 && p.startMs !== prevStart;
      prevStart = p.startMs;
      const flags = (stale ? STALE : 0) | (restarted ? RESET : 0);
      if (stale) {
        forEachLabels(family, role, base, p, (labels) => put(labels, p.timeMs, Number.NaN, STALE, undefined, labels.le ?? labels.quantile ?? ''));
        continue;
      }
      switch (role) {
        case 'value':
          running = delta && family.stored.kind === 'sum' ? running + p.value : p.value;
          put(base, p.timeMs, running, flags);
          break;
        case 'count':
        case 'sum': {
          if (delta) {
            running += p.count;
            runningSum += p.sum ?? 0;
          }
          const v = role === 'count' ? (delta ? running : p.count) : delta ? runningSum : (p.sum ?? Number.NaN);
          put(base, p.timeMs, v, flags);
          break;
        }
        case 'bucket': {
          let counts = p.bucketCounts;
          if (delta) {
            runningBuckets = counts.map((c, i) => c + (runningBuckets[i] ?? 0));
            counts = runningBuckets;
          }
          let cumulative = 0;
          counts.forEach((c, i) => {
            cumulative += c;
            const le = i < p.bounds.length ? formatFloat(p.bounds[i]!) : '+Inf';
            let s = targets.get(le);
            if (s === undefined) targets.set(le, (s = target({ ...base, le }, false)));
            s.t.push(p.timeMs);
            s.v.push(cumulative);
            s.flags.push(flags);
          });
          break;
        }
        case 'native': {
          let h = NativeHistogram.fromExponential(p);
          if (delta) h = runningHist = runningHist === undefined ? h : runningHist.add(h);
          put(base, p.timeMs, h.count, flags, h);
          break;
        }
        case 'quantile':
          p.quantiles.forEach((q, i) => {
            const quantile = formatFloat(q);
            put({ ...base, quantile }, p.timeMs, p.quantileValues[i] ?? Number.NaN, flags, undefined, quantile);
          });
          break;
      }
    }
  }
  return [...byKey.values()].map(dedupe);
}

function forEachLabels(family: PromFamily, role: SeriesRole, base: Labels, p: StoredPoint, f: (l: Labels) => void): void {
  if (role === 'bucket') {
    for (let i = 0; i <= p.bounds.length; i++) f({ ...base, le: i < p.bounds.length ? formatFloat(p.bounds[i]!) : '+Inf' });
  } else if (role === 'quantile') {
    for (const q of p.quantiles) f({ ...base, quantile: formatFloat(q) });
  } else {
    void family;
    f(base);
  }
}

/** Samples in time order, one per timestamp (the last stored wins: OTLP delivery is at-least-once). */
function dedupe(s: RawSeries): RawSeries {
  const n = s.t.length;
  let sorted = true;
  for (let i = 1; i < n; i++) if (s.t[i]! <= s.t[i - 1]!) sorted = false;
  if (sorted) return s;
  const order = [...s.t.keys()].sort((a, b) => s.t[a]! - s.t[b]! || a - b);
  const out: RawSeries = { labels: s.labels, t: [], v: [], h: s.h === undefined ? undefined : [], flags: [] };
  for (const i of order) {
    const last = out.t.length - 1;
    if (last >= 0 && out.t[last] === s.t[i]) {
      out.v[last] = s.v[i]!;
      if (out.h) out.h[last] = s.h![i];
      out.flags[last] = s.flags[i]!;
      continue;
    }
    out.t.push(s.t[i]!);
    out.v.push(s.v[i]!);
    out.h?.push(s.h![i]);
    out.flags.push(s.flags[i]!);
  }
  return out;
}
