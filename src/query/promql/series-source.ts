import type { ReadOptions } from '../../storage/api.ts';
import type {
  LabelSource,
  MetricSeriesReader,
  PointShape,
  ResolvedMatcher,
  StoredMetricInfo,
  StoredOrigin,
  WindowValue,
} from '../../storage/metric-series-api.ts';
import { NAME, labelsKey } from '../metrics/labels.ts';
import { formatFloat, prometheusFamily, sanitizeLabelName } from '../metrics/prometheus-naming.ts';
import type { PromFamily, SeriesRole } from '../metrics/prometheus-naming.ts';
import { attributeLabels, originLabels, promSeriesOf, targetInfoLabels } from '../metrics/prometheus-series.ts';
import type { RawSeries } from '../metrics/prometheus-series.ts';
import { anchoredPattern, compileMatcher } from './matchers.ts';
import type { LabelMatcher } from './plan.ts';
import type { StepSeries } from './values.ts';

// Selectors -> series, over MetricSeriesReader. Metric names are resolved
// against the catalog of stored metrics named as Prometheus names them; every
// label matcher becomes a condition in SQL (metric-series-sql.ts) on the
// stored attribute keys that label stands for, or on resource_scopes for job,
// instance and otel_scope_*. Only `le` and `quantile`, which exist only once a
// point is split into series, are matched here; every matcher is checked again
// on the finished label sets, which costs nothing next to the SQL.

const ROLE_SHAPE: Record<SeriesRole, (f: PromFamily) => PointShape> = {
  value: () => 'number',
  bucket: () => 'histogram',
  sum: (f) => (f.stored.kind === 'summary' ? 'summary' : 'histogram'),
  count: (f) => (f.stored.kind === 'summary' ? 'summary' : 'histogram'),
  native: () => 'exponentialHistogram',
  quantile: () => 'summary',
};

const GENERATED_LABELS = new Set(['le', 'quantile']);

export interface SeriesSource {
  /** `identitiesOnly`: each series with its last sample only (series, labels, label values). */
  select(matchers: readonly LabelMatcher[], startMs: number, endMs: number, identitiesOnly?: boolean): Promise<RawSeries[]>;
  /**
   * rate/increase/delta per step, computed in SQL (metric-window-sql.ts), or
   * undefined when a matched series needs the point-by-point path (delta
   * temporality, native histograms, summaries, target_info).
   */
  windowed(func: 'rate' | 'increase' | 'delta', matchers: readonly LabelMatcher[], w: StepWindows): Promise<StepSeries[] | undefined>;
  /**
   * `sum by (grouping) (rate|increase|delta(selector[range]))` wholly in SQL; undefined
   * when it cannot be (see windowed; and grouping by job, instance or scope labels).
   */
  windowedSum(func: 'rate' | 'increase' | 'delta', matchers: readonly LabelMatcher[], w: StepWindows, grouping: readonly string[]): Promise<StepSeries[] | undefined>;
  /** Exemplars of the selected series (trace and span ids), Prometheus's query_exemplars shape. */
  exemplars(matchers: readonly LabelMatcher[], startMs: number, endMs: number): Promise<ExemplarSeries[]>;
  /** Metric families with points in the range (names, metadata). */
  families(startMs: number, endMs: number): Promise<PromFamily[]>;
}

/** Window ends firstEndMs + i * stepMs (i < steps), each window rangeMs long. */
export interface ExemplarSeries {
  seriesLabels: Record<string, string>;
  exemplars: Array<{ labels: Record<string, string>; value: string; timestamp: number }>;
}

export interface StepWindows {
  firstEndMs: number;
  stepMs: number;
  steps: number;
  rangeMs: number;
}

const WINDOW_VALUE: Partial<Record<SeriesRole, WindowValue>> = { value: 'number', bucket: 'bucket', count: 'count', sum: 'sum' };

export function createSeriesSource(reader: MetricSeriesReader, options: ReadOptions = {}): SeriesSource {
  const catalogs = new Map<string, Promise<StoredMetricInfo[]>>();
  const catalog = (startMs: number, endMs: number) => {
    const key = `${startMs}:${endMs}`;
    let c = catalogs.get(key);
    if (c === undefined) catalogs.set(key, (c = reader.metricCatalog(startMs, endMs, options)));
    return c;
  };

  async function families(startMs: number, endMs: number): Promise<PromFamily[]> {
    return (await catalog(startMs, endMs)).map(prometheusFamily);
  }

  async function resolve(matchers: readonly LabelMatcher[], names: readonly string[], startMs: number, endMs: number): Promise<ResolvedMatcher[]> {
    const needsKeys = matchers.some((m) => m.name !== NAME && !GENERATED_LABELS.has(m.name) && originSource(m.name) === undefined);
    const keys = needsKeys ? await reader.metricAttributeKeys(names, startMs, endMs, options) : [];
    const out: ResolvedMatcher[] = [];
    for (const m of matchers) {
      if (m.name === NAME || GENERATED_LABELS.has(m.name)) continue;
      const source: LabelSource = originSource(m.name) ?? attributeSource(m.name, keys);
      out.push({ source, op: m.op, value: m.op === '=~' || m.op === '!~' ? anchoredPattern(m.value) : m.value });
    }
    return out;
  }

  async function originsOf(ids: Iterable<string>): Promise<Map<string, StoredOrigin>> {
    const list = await reader.origins([...new Set(ids)], options);
    return new Map(list.map((o) => [o.id, o]));
  }

  async function select(matchers: readonly LabelMatcher[], startMs: number, endMs: number, identitiesOnly = false): Promise<RawSeries[]> {
    const checks = matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
    const nameChecks = checks.filter((c) => c.name === NAME);
    const wanted: Array<{ family: PromFamily; role: SeriesRole; name: string }> = [];
    for (const family of await families(startMs, endMs)) {
      for (const s of family.series) if (nameChecks.every((c) => c.test(s.name))) wanted.push({ family, role: s.role, name: s.name });
    }
    const out: RawSeries[] = [];
    const byShape = new Map<PointShape, typeof wanted>();
    for (const w of wanted) {
      const shape = ROLE_SHAPE[w.role](w.family);
      byShape.set(shape, [...(byShape.get(shape) ?? []), w]);
    }
    for (const [shape, list] of byShape) {
      const metricNames = [...new Set(list.map((w) => w.family.stored.name))];
      const resolved = await resolve(matchers, metricNames, startMs, endMs);
      const stored = await reader.metricSeries({ metricNames, shape, matchers: resolved, startMs, endMs, identitiesOnly }, options);
      const origins = await originsOf(stored.map((s) => s.resourceScopeId));
      for (const w of list) {
        const own = stored.filter((s) => s.metricName === w.family.stored.name && sameTemporality(s.temporality, w.family.stored));
        out.push(...promSeriesOf(w.family, w.role, w.name, own, origins));
      }
    }
    if (nameChecks.every((c) => c.test('target_info'))) out.push(...(await targetInfo(matchers, startMs, endMs)));
    return out.filter((s) => checks.every((c) => c.test(s.labels[c.name] ?? '')));
  }

  /** target_info: value 1 whenever the resource sent metric points (the spec's resource-attributes series). */
  async function targetInfo(matchers: readonly LabelMatcher[], startMs: number, endMs: number): Promise<RawSeries[]> {
    const originMatchers = (await resolve(matchers.filter((m) => originSource(m.name) !== undefined), [], startMs, endMs));
    const times = await reader.originTimes(startMs, endMs, originMatchers, options);
    const origins = await originsOf(times.map((t) => t.id));
    const byLabels = new Map<string, { labels: Record<string, string>; times: Set<number> }>();
    for (const { id, timesMs } of times) {
      const origin = origins.get(id);
      if (origin === undefined) continue;
      const labels = targetInfoLabels(origin);
      const key = JSON.stringify(Object.entries(labels).sort());
      const entry = byLabels.get(key) ?? { labels, times: new Set<number>() };
      for (const t of timesMs) entry.times.add(t);
      byLabels.set(key, entry);
    }
    return [...byLabels.values()].map(({ labels, times: ts }) => {
      const t = [...ts].sort((a, b) => a - b);
      return { labels, t, v: t.map(() => 1), h: undefined, flags: t.map(() => 0) };
    });
  }

  /** What a windowed read covers, or undefined when a matched series needs the point-by-point path. */
  async function windowPlan(matchers: readonly LabelMatcher[], w: StepWindows) {
    const startMs = w.firstEndMs - w.rangeMs;
    const endMs = w.firstEndMs + (w.steps - 1) * w.stepMs;
    const checks = matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
    const nameChecks = checks.filter((c) => c.name === NAME);
    if (nameChecks.every((c) => c.test('target_info'))) return undefined;
    const wanted: Array<{ family: PromFamily; role: SeriesRole; name: string; value: WindowValue }> = [];
    for (const family of await families(startMs, endMs)) {
      for (const s of family.series) {
        if (!nameChecks.every((c) => c.test(s.name))) continue;
        const value = WINDOW_VALUE[s.role];
        if (value === undefined || family.stored.temporality === 1 || family.stored.kind === 'summary') return undefined;
        wanted.push({ family, role: s.role, name: s.name, value });
      }
    }
    return { startMs, endMs, checks, wanted };
  }

  async function windowedSum(
    func: 'rate' | 'increase' | 'delta',
    matchers: readonly LabelMatcher[],
    w: StepWindows,
    grouping: readonly string[],
  ): Promise<StepSeries[] | undefined> {
    // Matchers SQL cannot apply (le, quantile) and grouping labels that are not point attributes stay in JavaScript.
    if (matchers.some((m) => GENERATED_LABELS.has(m.name))) return undefined;
    if (grouping.some((g) => g === NAME || g === 'quantile' || originSource(g) !== undefined)) return undefined;
    const plan = await windowPlan(matchers, w);
    if (plan === undefined) return undefined;
    const { startMs, endMs, wanted } = plan;
    const attributeGroups = grouping.filter((g) => g !== 'le');
    const byLe = grouping.includes('le');
    const out = new Map<string, StepSeries>();
    for (const value of new Set(wanted.map((x) => x.value))) {
      if (byLe && value !== 'bucket') return undefined;
      const metricNames = [...new Set(wanted.filter((x) => x.value === value).map((x) => x.family.stored.name))];
      const resolved = await resolve(matchers, metricNames, startMs, endMs);
      const rows = await reader.metricWindowSums({ metricNames, value, matchers: resolved, func, ...w, sumBy: attributeGroups }, options);
      for (const row of rows) {
        const base: Record<string, string> = {};
        attributeGroups.forEach((g, i) => {
          const v = row.groupValues[i] ?? '';
          if (v !== '') base[g] = v;
        });
        // Without `le` the buckets of a layout are separate series summed together, as Prometheus would.
        const width = row.elements.length;
        for (let e = 0; e < (byLe ? width : 1); e++) {
          const labels = byLe ? { ...base, le: e < row.bounds.length ? formatFloat(row.bounds[e]!) : '+Inf' } : base;
          const key = labelsKey(labels);
          let series = out.get(key);
          if (series === undefined) out.set(key, (series = { labels, v: new Array<number | undefined>(w.steps).fill(undefined) }));
          for (const element of byLe ? [row.elements[e]!] : row.elements) addInto(series.v, element);
        }
      }
    }
    return [...out.values()];
  }

  async function windowed(func: 'rate' | 'increase' | 'delta', matchers: readonly LabelMatcher[], w: StepWindows): Promise<StepSeries[] | undefined> {
    const plan = await windowPlan(matchers, w);
    if (plan === undefined) return undefined;
    const { startMs, endMs, checks, wanted } = plan;
    const out: StepSeries[] = [];
    for (const value of new Set(wanted.map((x) => x.value))) {
      const list = wanted.filter((x) => x.value === value);
      const metricNames = [...new Set(list.map((x) => x.family.stored.name))];
      const resolved = await resolve(matchers, metricNames, startMs, endMs);
      const rows = await reader.metricWindows({ metricNames, value, matchers: resolved, func, ...w }, options);
      const origins = await originsOf(rows.map((r) => r.resourceScopeId));
      const byKey = new Map<string, StepSeries>();
      for (const row of rows) {
        const entry = list.find((x) => x.family.stored.name === row.metricName);
        if (entry === undefined) continue;
        const base = { ...attributeLabels(row.attributes), ...originLabels(origins.get(row.resourceScopeId)), [NAME]: entry.name };
        row.elements.forEach((element, e) => {
          const labels = value === 'bucket' ? { ...base, le: e < row.bounds.length ? formatFloat(row.bounds[e]!) : '+Inf' } : base;
          const key = labelsKey(labels);
          const series = byKey.get(key);
          if (series === undefined) byKey.set(key, { labels, v: element });
          else element.forEach((v, step) => {
            if (v !== undefined) series.v[step] = v;
          });
        });
      }
      out.push(...byKey.values());
    }
    return out.filter((s) => checks.every((c) => c.test(s.labels[c.name] ?? '')));
  }

  async function exemplars(matchers: readonly LabelMatcher[], startMs: number, endMs: number): Promise<ExemplarSeries[]> {
    const checks = matchers.map((m) => ({ name: m.name, test: compileMatcher(m) }));
    const nameChecks = checks.filter((c) => c.name === NAME);
    const wanted = (await families(startMs, endMs)).flatMap((family) =>
      family.series.filter((s) => nameChecks.every((c) => c.test(s.name))).map((s) => ({ family, role: s.role, name: s.name })),
    );
    const metricNames = [...new Set(wanted.map((w) => w.family.stored.name))];
    const resolved = await resolve(matchers, metricNames, startMs, endMs);
    const rows = await reader.metricExemplars(metricNames, resolved, startMs, endMs, options);
    const origins = await originsOf(rows.map((r) => r.resourceScopeId));
    const out = new Map<string, ExemplarSeries>();
    for (const row of rows) {
      for (const w of wanted.filter((x) => x.family.stored.name === row.metricName)) {
        const base = { ...attributeLabels(row.attributes), ...originLabels(origins.get(row.resourceScopeId)), [NAME]: w.name };
        for (const e of row.exemplars) {
          const timestamp = Number(BigInt(e.timeUnixNano) / 1_000_000n) / 1000;
          if (timestamp * 1000 < startMs || timestamp * 1000 > endMs) continue;
          // A histogram's exemplar belongs to the bucket its value falls in (the Collector's exporter does the same).
          const at = row.bounds.findIndex((b) => e.value <= b);
          const labels: Record<string, string> = w.role === 'bucket' ? { ...base, le: at === -1 ? '+Inf' : formatFloat(row.bounds[at]!) } : base;
          if (!checks.every((c) => c.test(labels[c.name] ?? ''))) continue;
          const key = labelsKey(labels);
          let series = out.get(key);
          if (series === undefined) out.set(key, (series = { seriesLabels: labels, exemplars: [] }));
          const exemplarLabels: Record<string, string> = { ...e.filteredAttributes };
          if (e.traceId !== '') exemplarLabels.trace_id = e.traceId;
          if (e.spanId !== '') exemplarLabels.span_id = e.spanId;
          series.exemplars.push({ labels: exemplarLabels, value: formatFloat(e.value), timestamp });
        }
      }
    }
    return [...out.values()];
  }

  return { select, windowed, windowedSum, exemplars, families };
}

/** into[i] += from[i] where from has a value (undefined + x = x). */
function addInto(into: Array<number | undefined>, from: ReadonlyArray<number | undefined>): void {
  for (let i = 0; i < from.length; i++) {
    const v = from[i];
    if (v !== undefined) into[i] = (into[i] ?? 0) + v;
  }
}

function sameTemporality(t: number, m: StoredMetricInfo): boolean {
  return t === m.temporality;
}

function originSource(label: string): LabelSource | undefined {
  switch (label) {
    case 'job':
      return { type: 'job' };
    case 'instance':
      return { type: 'instance' };
    case 'otel_scope_name':
      return { type: 'scopeName' };
    case 'otel_scope_version':
      return { type: 'scopeVersion' };
    default:
      return undefined;
  }
}

function attributeSource(label: string, keys: readonly string[]): LabelSource {
  const matching = keys.filter((k) => sanitizeLabelName(k) === label).sort();
  return matching.length === 0 ? { type: 'none' } : { type: 'attributes', keys: matching };
}
