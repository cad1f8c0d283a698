import type { MetricKind } from '../pdata/model.ts';
import type { ReadOptions } from './api.ts';

// Read contracts behind PromQL (src/query/promql/): the storage side selects the
// series and the points a query needs, in SQL; what Prometheus calls a series is
// built from them in src/query/metrics/. Part of TelemetryReader (api.ts).

/** One stored metric (name + kind + temporality + unit): what naming needs. */
export interface StoredMetricInfo {
  name: string;
  kind: MetricKind;
  /** 1 = delta, 2 = cumulative, 0 = unspecified (gauges, summaries). */
  temporality: number;
  monotonic: boolean;
  unit: string;
  description: string;
}

/** Where a Prometheus label's value comes from, in SQL. */
export type LabelSource =
  /** Data point attributes whose sanitised key is the label (several: joined by ';', by key). */
  | { type: 'attributes'; keys: readonly string[] }
  /** `service.namespace/service.name`, or `service.name` alone. */
  | { type: 'job' }
  /** `service.instance.id`. */
  | { type: 'instance' }
  | { type: 'scopeName' }
  | { type: 'scopeVersion' }
  /** A label no stored series has: always ''. */
  | { type: 'none' };

/** A label matcher with its value source resolved; `value` of =~/!~ is the anchored RE2 pattern. */
export interface ResolvedMatcher {
  source: LabelSource;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
}

/** Which columns a series read returns per point. */
export type PointShape = 'number' | 'histogram' | 'exponentialHistogram' | 'summary';

export interface SeriesQuery {
  metricNames: readonly string[];
  shape: PointShape;
  matchers: readonly ResolvedMatcher[];
  /** Unix ms, both inclusive (Prometheus's ranges are closed). */
  startMs: number;
  endMs: number;
  /** Only which series exist (each with its last point): /api/v1/series, labels, label values. */
  identitiesOnly?: boolean;
}

/** The stored identity of one series and its points, oldest first. */
export interface StoredSeries {
  metricName: string;
  resourceScopeId: string;
  temporality: number;
  attributes: StoredAttributeMaps;
  /** Delta series: the sum of every point before startMs (bucket-wise for histograms). */
  deltaBase: number;
  deltaBaseSum: number;
  deltaBaseBuckets: number[];
  /** Delta exponential histograms: the sum of the points before startMs, one per scale seen there. */
  deltaBaseExponential: StoredExponentialSum[];
  points: StoredPoint[];
}

/** Exponential histogram points of one scale added up; buckets as [OTLP index, count]. */
export interface StoredExponentialSum {
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  count: number;
  sum: number;
  positive: Array<[index: number, count: number]>;
  negative: Array<[index: number, count: number]>;
}

export interface StoredAttributeMaps {
  string: Record<string, string>;
  int: Record<string, string>;
  double: Record<string, number | string>;
  bool: Record<string, boolean>;
  json: Record<string, string>;
}

export interface StoredPoint {
  timeMs: number;
  startMs: number;
  flags: number;
  value: number;
  count: number;
  sum: number | null;
  bucketCounts: number[];
  bounds: number[];
  scale: number;
  zeroCount: number;
  zeroThreshold: number;
  positiveOffset: number;
  positiveCounts: number[];
  negativeOffset: number;
  negativeCounts: number[];
  quantiles: number[];
  quantileValues: number[];
}

/** The resource and scope behind a ResourceScopeId: job, instance, target_info. */
export interface StoredOrigin {
  id: string;
  serviceName: string;
  resourceAttributes: StoredAttributeMaps;
  scopeName: string;
  scopeVersion: string;
}

/** Server-span RED of one route: the whole range (bucket undefined) or one step. */
export interface RouteSpanRow {
  route: string;
  /** Step index from the range start; undefined for the whole range. */
  bucket: number | undefined;
  requests: number;
  errors: number;
  /** Seconds. */
  p50: number;
  p95: number;
  p99: number;
}

/** What a windowed read computes (metric-window-sql.ts). */
export type WindowValue = 'number' | 'bucket' | 'count' | 'sum';

export interface WindowQuery {
  metricNames: readonly string[];
  value: WindowValue;
  matchers: readonly ResolvedMatcher[];
  func: 'rate' | 'increase' | 'delta';
  /** Window ends: firstEndMs + i * stepMs for i < steps. */
  firstEndMs: number;
  stepMs: number;
  steps: number;
  rangeMs: number;
  /**
   * `sum by` these labels of point attributes (and `le`, the element of each
   * result), in SQL: a label is the attributes whose sanitised key it is, found
   * per series (no read of every key of the metric first).
   */
  sumBy?: readonly string[];
}

/** One group's summed windows (WindowQuery.sumBy): the group's label values in sumBy order. */
export interface StoredWindowSum {
  groupValues: string[];
  bounds: number[];
  /** Per value element (one per `le` for buckets), per step: the sum, undefined where no series had a window. */
  elements: Array<Array<number | undefined>>;
}

/** One series' rate/increase/delta per step window, computed in SQL (metric-window-sql.ts). */
export interface StoredWindowSeries {
  metricName: string;
  resourceScopeId: string;
  attributes: StoredAttributeMaps;
  /** Histogram bucket bounds (the `le` of each result element but the last, +Inf). */
  bounds: number[];
  /** Per value element, per step: the result, undefined where the window has fewer than 2 samples. */
  elements: Array<Array<number | undefined>>;
}

/** One series' exemplars in a range (OTLP/JSON objects as stored). */
export interface StoredExemplarSeries {
  metricName: string;
  resourceScopeId: string;
  attributes: StoredAttributeMaps;
  bounds: number[];
  exemplars: Array<{ timeUnixNano: string; value: number; traceId: string; spanId: string; filteredAttributes: Record<string, string> }>;
}

export interface MetricSeriesReader {
  metricExemplars(metricNames: readonly string[], matchers: readonly ResolvedMatcher[], startMs: number, endMs: number, options?: ReadOptions): Promise<StoredExemplarSeries[]>;
  metricWindows(query: WindowQuery, options?: ReadOptions): Promise<StoredWindowSeries[]>;
  metricWindowSums(query: WindowQuery & { sumBy: readonly string[] }, options?: ReadOptions): Promise<StoredWindowSum[]>;
  /** RED per route from SERVER spans (red-spans-sql.ts): /api/v1/red when a service sends no HTTP duration metric. */
  serverSpanRed(input: { service: string; startMs: number; endMs: number; stepMs: number }, options?: ReadOptions): Promise<RouteSpanRow[]>;
  /** Metrics with points in [startMs, endMs]. */
  metricCatalog(startMs: number, endMs: number, options?: ReadOptions): Promise<StoredMetricInfo[]>;
  /** Distinct data point attribute keys of these metrics in the range. */
  metricAttributeKeys(metricNames: readonly string[], startMs: number, endMs: number, options?: ReadOptions): Promise<string[]>;
  metricSeries(query: SeriesQuery, options?: ReadOptions): Promise<StoredSeries[]>;
  origins(ids: readonly string[], options?: ReadOptions): Promise<StoredOrigin[]>;
  /** Resources with metric points in the range, with the point times (target_info). */
  originTimes(startMs: number, endMs: number, matchers: readonly ResolvedMatcher[], options?: ReadOptions): Promise<Array<{ id: string; timesMs: number[] }>>;
}
