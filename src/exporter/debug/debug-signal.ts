import { countDataPoints, countLogRecords, countSpans } from '../../pdata/item-count.ts';
import type { LogsData, MetricsData, TracesData } from '../../pdata/model.ts';
import { logsDetailed, logsNormal } from './text-logs.ts';
import { metricsDetailed, metricsNormal } from './text-metrics.ts';
import { tracesDetailed, tracesNormal } from './text-traces.ts';

// Per signal: the message name and counts of the one-line summary (the Collector's
// basic output), and the text of the other verbosity levels.

export interface DebugSignal<T> {
  readonly message: 'Traces' | 'Metrics' | 'Logs';
  summary(data: T): Record<string, number>;
  normal(data: T): string[];
  detailed(data: T): string[];
}

export const tracesDebug: DebugSignal<TracesData> = {
  message: 'Traces',
  summary: (data) => ({ 'resource spans': data.resourceSpans.length, spans: countSpans(data) }),
  normal: tracesNormal,
  detailed: tracesDetailed,
};

export const metricsDebug: DebugSignal<MetricsData> = {
  message: 'Metrics',
  summary: (data) => ({
    'resource metrics': data.resourceMetrics.length,
    metrics: data.resourceMetrics.reduce((n, rm) => n + rm.scopeMetrics.reduce((m, sm) => m + sm.metrics.length, 0), 0),
    'data points': countDataPoints(data),
  }),
  normal: metricsNormal,
  detailed: metricsDetailed,
};

export const logsDebug: DebugSignal<LogsData> = {
  message: 'Logs',
  summary: (data) => ({ 'resource logs': data.resourceLogs.length, 'log records': countLogRecords(data) }),
  normal: logsNormal,
  detailed: logsDetailed,
};
