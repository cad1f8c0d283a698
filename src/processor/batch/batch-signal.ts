import type {
  LogsData,
  Metric,
  MetricData,
  MetricsData,
  ResourceLogs,
  ResourceMetrics,
  ResourceSpans,
  ScopeMetrics,
  TracesData,
} from '../../pdata/model.ts';
import { countDataPoints, countLogRecords, countMetricPoints, countSpans } from '../../pdata/item-count.ts';

// What the batch processor needs to know about a signal: how many items a request
// holds (spans, metric data points, log records, as the Collector counts), how to
// take the first n items off, and how to merge requests.
//
// Neither split nor merge changes its input. A split copies the resource and scope
// wrappers it cuts through (and their Resource / InstrumentationScope objects), so
// the two halves share no object a later processor might change: a `hash` action on
// resource attributes must not run twice on one shared Resource. Spans, records,
// points and attribute arrays are not copied; each lands in exactly one half.

export interface BatchSignal<T> {
  countItems(data: T): number;
  /** [first `count` items, the rest]. */
  split(data: T, count: number): [T, T];
  merge(parts: readonly T[]): T;
  /** Calls `visit` with each item object (span, log record, data point). */
  eachItem(data: T, visit: (item: object) => void): void;
}

export const tracesSignal: BatchSignal<TracesData> = {
  countItems: countSpans,
  split(data, count) {
    const [head, rest] = splitList(data.resourceSpans, count, countResourceSpans, (rs, n) => {
      const [headScopes, restScopes] = splitList(rs.scopeSpans, n, (ss) => ss.spans.length, (ss, m) => [
        { ...ss, scope: { ...ss.scope }, spans: ss.spans.slice(0, m) },
        { ...ss, scope: { ...ss.scope }, spans: ss.spans.slice(m) },
      ]);
      return [
        { ...rs, resource: { ...rs.resource }, scopeSpans: headScopes },
        { ...rs, resource: { ...rs.resource }, scopeSpans: restScopes },
      ];
    });
    return [{ resourceSpans: head }, { resourceSpans: rest }];
  },
  merge: (parts) => ({ resourceSpans: parts.flatMap((part) => part.resourceSpans) }),
  eachItem(data, visit) {
    for (const rs of data.resourceSpans) for (const ss of rs.scopeSpans) for (const span of ss.spans) visit(span);
  },
};

export const logsSignal: BatchSignal<LogsData> = {
  countItems: countLogRecords,
  split(data, count) {
    const [head, rest] = splitList(data.resourceLogs, count, countResourceLogs, (rl, n) => {
      const [headScopes, restScopes] = splitList(rl.scopeLogs, n, (sl) => sl.logRecords.length, (sl, m) => [
        { ...sl, scope: { ...sl.scope }, logRecords: sl.logRecords.slice(0, m) },
        { ...sl, scope: { ...sl.scope }, logRecords: sl.logRecords.slice(m) },
      ]);
      return [
        { ...rl, resource: { ...rl.resource }, scopeLogs: headScopes },
        { ...rl, resource: { ...rl.resource }, scopeLogs: restScopes },
      ];
    });
    return [{ resourceLogs: head }, { resourceLogs: rest }];
  },
  merge: (parts) => ({ resourceLogs: parts.flatMap((part) => part.resourceLogs) }),
  eachItem(data, visit) {
    for (const rl of data.resourceLogs) for (const sl of rl.scopeLogs) for (const record of sl.logRecords) visit(record);
  },
};

export const metricsSignal: BatchSignal<MetricsData> = {
  countItems: countDataPoints,
  split(data, count) {
    const [head, rest] = splitList(data.resourceMetrics, count, countResourceMetrics, (rm, n) => {
      const [headScopes, restScopes] = splitList(rm.scopeMetrics, n, countScopeMetrics, (sm, m) => {
        const [headMetrics, restMetrics] = splitList(sm.metrics, m, countMetric, splitMetric);
        return [
          { ...sm, scope: { ...sm.scope }, metrics: headMetrics },
          { ...sm, scope: { ...sm.scope }, metrics: restMetrics },
        ];
      });
      return [
        { ...rm, resource: { ...rm.resource }, scopeMetrics: headScopes },
        { ...rm, resource: { ...rm.resource }, scopeMetrics: restScopes },
      ];
    });
    return [{ resourceMetrics: head }, { resourceMetrics: rest }];
  },
  merge: (parts) => ({ resourceMetrics: parts.flatMap((part) => part.resourceMetrics) }),
  eachItem(data, visit) {
    for (const rm of data.resourceMetrics) {
      for (const sm of rm.scopeMetrics) for (const metric of sm.metrics) for (const point of metric.data?.dataPoints ?? []) visit(point);
    }
  },
};

function countResourceSpans(rs: ResourceSpans): number {
  return sum(rs.scopeSpans, (ss) => ss.spans.length);
}

function countResourceLogs(rl: ResourceLogs): number {
  return sum(rl.scopeLogs, (sl) => sl.logRecords.length);
}

function countResourceMetrics(rm: ResourceMetrics): number {
  return sum(rm.scopeMetrics, countScopeMetrics);
}

function countScopeMetrics(sm: ScopeMetrics): number {
  return sum(sm.metrics, countMetric);
}

/** A metric's items are its data points; one without data counts 0 and travels along. */
const countMetric = countMetricPoints;

function splitMetric(metric: Metric, count: number): [Metric, Metric] {
  const data = metric.data!;
  return [
    { ...metric, data: withPoints(data, 0, count) },
    { ...metric, data: withPoints(data, count, undefined) },
  ];
}

function withPoints(data: MetricData, start: number, end: number | undefined): MetricData {
  // Each case keeps the point type of its variant; a spread over the union would not.
  switch (data.type) {
    case 'gauge':
      return { ...data, dataPoints: data.dataPoints.slice(start, end) };
    case 'sum':
      return { ...data, dataPoints: data.dataPoints.slice(start, end) };
    case 'histogram':
      return { ...data, dataPoints: data.dataPoints.slice(start, end) };
    case 'exponentialHistogram':
      return { ...data, dataPoints: data.dataPoints.slice(start, end) };
    case 'summary':
      return { ...data, dataPoints: data.dataPoints.slice(start, end) };
  }
}

/**
 * Splits a list whose entries hold `countOf(entry)` items each, so that the head
 * holds `count` items; the entry that straddles the boundary is cut by `cut`.
 * Entries holding no items stay with the head while it is still filling.
 */
function splitList<E>(
  entries: readonly E[],
  count: number,
  countOf: (entry: E) => number,
  cut: (entry: E, headCount: number) => [E, E],
): [E[], E[]] {
  const head: E[] = [];
  const rest: E[] = [];
  let left = count;
  for (const entry of entries) {
    if (left <= 0) {
      rest.push(entry);
      continue;
    }
    const n = countOf(entry);
    if (n <= left) {
      head.push(entry);
      left -= n;
      continue;
    }
    const [first, second] = cut(entry, left);
    head.push(first);
    rest.push(second);
    left = 0;
  }
  return [head, rest];
}

function sum<E>(entries: readonly E[], countOf: (entry: E) => number): number {
  let total = 0;
  for (const entry of entries) total += countOf(entry);
  return total;
}
