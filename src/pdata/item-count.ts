import type { LogsData, Metric, MetricsData, TracesData } from '../pdata/model.ts';

// Items as the Collector counts them for batching and its own telemetry: spans,
// metric data points, log records.

export function countSpans(data: TracesData): number {
  let total = 0;
  for (const rs of data.resourceSpans) for (const ss of rs.scopeSpans) total += ss.spans.length;
  return total;
}

export function countDataPoints(data: MetricsData): number {
  let total = 0;
  for (const rm of data.resourceMetrics) for (const sm of rm.scopeMetrics) for (const m of sm.metrics) total += countMetricPoints(m);
  return total;
}

/** A metric without data holds no points. */
export function countMetricPoints(metric: Metric): number {
  return metric.data?.dataPoints.length ?? 0;
}

export function countLogRecords(data: LogsData): number {
  let total = 0;
  for (const rl of data.resourceLogs) for (const sl of rl.scopeLogs) total += sl.logRecords.length;
  return total;
}
