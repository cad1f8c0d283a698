import type { Component, CreateSettings } from '../../component/component.ts';
import { formatComponentId } from '../../component/component.ts';
import { PermanentError } from '../../consumer/errors.ts';
import type {
  InstrumentationScope,
  LogsData,
  Metric,
  MetricData,
  MetricsData,
  Resource,
  Span,
  TracesData,
} from '../../pdata/model.ts';
import { countMetricPoints } from '../../pdata/item-count.ts';
import { compileCondition, type Condition } from '../ottl/compile.ts';
import type { ContextByKind, ContextKind, DataPoint } from '../ottl/contexts.ts';
import type { ErrorMode, FilterConfig } from './factory.ts';

// Drops spans, span events, metrics, data points and log records for which any
// condition is true (see factory.ts). As in the Collector:
// - a dropped span's events and a dropped metric's points are not looked at;
// - a span whose events are all dropped is kept; a metric whose points are all
//   dropped is dropped;
// - scopes and resources left empty are removed, and when nothing is left `next`
//   is not called: dropping is success, the caller's promise resolves normally;
// - error_mode decides what an evaluation error does: `propagate` fails the whole
//   request with a PermanentError (the data is the same on a retry), `ignore`
//   logs it and treats the condition as false, `silent` only treats it as false.
// The input is not changed: what is kept is returned in new wrapper objects that
// share the unchanged items.

export interface FilterProcessor {
  /** What is left, or undefined when nothing is. */
  filterTraces(data: TracesData): TracesData | undefined;
  filterMetrics(data: MetricsData): MetricsData | undefined;
  filterLogs(data: LogsData): LogsData | undefined;
  lifecycle: Component;
}

export function createFilterProcessor(settings: CreateSettings, config: FilterConfig): FilterProcessor {
  const id = formatComponentId(settings.id);
  const labels = { processor: id };
  const filteredSpans = settings.metrics
    .counter('otelcol_processor_filter_spans_filtered', 'Number of spans dropped by the filter processor', ['processor'])
    .labels(labels);
  const filteredPoints = settings.metrics
    .counter(
      'otelcol_processor_filter_datapoints_filtered',
      'Number of metric data points dropped by the filter processor',
      ['processor'],
    )
    .labels(labels);
  const filteredLogs = settings.metrics
    .counter('otelcol_processor_filter_logs_filtered', 'Number of log records dropped by the filter processor', [
      'processor',
    ])
    .labels(labels);

  const compileAll = <K extends ContextKind>(list: string[], kind: K): Matcher<ContextByKind[K]> | undefined => {
    if (list.length === 0) return undefined;
    return matcher(
      list.map((text) => ({ text, test: compileCondition(text, kind) })),
      config.errorMode,
      (text, error) => settings.logger.warn('filter condition failed; treated as false', { processor: id, condition: text, error }),
    );
  };
  const span = compileAll(config.traces.span, 'span');
  const spanEvent = compileAll(config.traces.spanevent, 'spanevent');
  const metric = compileAll(config.metrics.metric, 'metric');
  const dataPoint = compileAll(config.metrics.datapoint, 'datapoint');
  const logRecord = compileAll(config.logs.logRecord, 'log');

  return {
    lifecycle: { async start() {}, async shutdown() {} },

    filterTraces(data) {
      if (!span && !spanEvent) return data;
      let dropped = 0;
      const resourceSpans = keepNonEmpty(data.resourceSpans, (rs) => {
        const scopeSpans = keepNonEmpty(rs.scopeSpans, (ss) => {
          const spans: Span[] = [];
          for (const item of ss.spans) {
            const context = { resource: rs.resource, scope: ss.scope, span: item };
            if (span?.(context)) {
              dropped += 1;
              continue;
            }
            if (spanEvent && item.events.length > 0) {
              const events = item.events.filter((event) => !spanEvent({ ...context, event }));
              spans.push(events.length === item.events.length ? item : { ...item, events });
            } else {
              spans.push(item);
            }
          }
          return spans.length > 0 ? { ...ss, spans } : undefined;
        });
        return scopeSpans.length > 0 ? { ...rs, scopeSpans } : undefined;
      });
      filteredSpans.add(dropped);
      return resourceSpans.length > 0 ? { resourceSpans } : undefined;
    },

    filterMetrics(data) {
      if (!metric && !dataPoint) return data;
      let dropped = 0;
      const resourceMetrics = keepNonEmpty(data.resourceMetrics, (rm) => {
        const scopeMetrics = keepNonEmpty(rm.scopeMetrics, (sm) => {
          const metrics: Metric[] = [];
          for (const item of sm.metrics) {
            const context = { resource: rm.resource, scope: sm.scope, metric: item };
            if (metric?.(context)) {
              dropped += countMetricPoints(item);
              continue;
            }
            const kept = dataPoint && item.data ? filterPoints(item, item.data, context, dataPoint) : item;
            dropped += countMetricPoints(item) - countMetricPoints(kept);
            const emptied = countMetricPoints(kept) === 0 && countMetricPoints(item) > 0;
            if (!emptied) metrics.push(kept);
          }
          return metrics.length > 0 ? { ...sm, metrics } : undefined;
        });
        return scopeMetrics.length > 0 ? { ...rm, scopeMetrics } : undefined;
      });
      filteredPoints.add(dropped);
      return resourceMetrics.length > 0 ? { resourceMetrics } : undefined;
    },

    filterLogs(data) {
      if (!logRecord) return data;
      let dropped = 0;
      const resourceLogs = keepNonEmpty(data.resourceLogs, (rl) => {
        const scopeLogs = keepNonEmpty(rl.scopeLogs, (sl) => {
          const logRecords = sl.logRecords.filter((log) => {
            const drop = logRecord({ resource: rl.resource, scope: sl.scope, log });
            if (drop) dropped += 1;
            return !drop;
          });
          return logRecords.length > 0 ? { ...sl, logRecords } : undefined;
        });
        return scopeLogs.length > 0 ? { ...rl, scopeLogs } : undefined;
      });
      filteredLogs.add(dropped);
      return resourceLogs.length > 0 ? { resourceLogs } : undefined;
    },
  };
}

/** True when any condition is true for the item. */
type Matcher<C> = (context: C) => boolean;

function matcher<C>(
  conditions: Array<{ text: string; test: Condition<C> }>,
  errorMode: ErrorMode,
  logIgnored: (text: string, error: unknown) => void,
): Matcher<C> {
  return (context) => {
    for (const { text, test } of conditions) {
      try {
        if (test(context)) return true;
      } catch (error) {
        if (errorMode === 'propagate') {
          throw new PermanentError(`filter condition '${text}' failed: ${(error as Error).message}`, { cause: error });
        }
        if (errorMode === 'ignore') logIgnored(text, error);
      }
    }
    return false;
  };
}

function filterPoints(
  metric: Metric,
  data: MetricData,
  context: { resource: Resource; scope: InstrumentationScope; metric: Metric },
  drop: Matcher<ContextByKind['datapoint']>,
): Metric {
  const keep = (point: DataPoint): boolean => !drop({ ...context, point });
  let filtered: MetricData;
  // One case per variant keeps each point type; a filter over the union would not.
  switch (data.type) {
    case 'gauge':
      filtered = { ...data, dataPoints: data.dataPoints.filter(keep) };
      break;
    case 'sum':
      filtered = { ...data, dataPoints: data.dataPoints.filter(keep) };
      break;
    case 'histogram':
      filtered = { ...data, dataPoints: data.dataPoints.filter(keep) };
      break;
    case 'exponentialHistogram':
      filtered = { ...data, dataPoints: data.dataPoints.filter(keep) };
      break;
    case 'summary':
      filtered = { ...data, dataPoints: data.dataPoints.filter(keep) };
      break;
  }
  return filtered.dataPoints.length === data.dataPoints.length ? metric : { ...metric, data: filtered };
}

/** Maps each entry; entries mapped to undefined (left empty) are removed. */
function keepNonEmpty<E>(entries: readonly E[], map: (entry: E) => E | undefined): E[] {
  const kept: E[] = [];
  for (const entry of entries) {
    const result = map(entry);
    if (result !== undefined) kept.push(result);
  }
  return kept;
}
