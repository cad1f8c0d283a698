import type { Component } from '../../component/component.ts';
import type { LogsData, MetricsData, TracesData } from '../../pdata/model.ts';
import { compileActions } from '../attribute-actions/actions.ts';
import type { AttributesConfig } from './factory.ts';

// Applies the configured actions to each span's, log record's and metric data
// point's attributes (not to span events, links or resources, as in the Collector).
//
// The data is changed in place: by the consumer contract it belongs to this
// processor once passed in, and a fan-out that hands one request to several
// pipelines copies it first (the pipeline's job). Only the items' `attributes`
// fields are reassigned; the attribute arrays themselves are never written to (see
// attribute-actions/actions.ts), so arrays shared with other requests stay intact.

export interface AttributesProcessor {
  traces(data: TracesData): TracesData;
  metrics(data: MetricsData): MetricsData;
  logs(data: LogsData): LogsData;
  lifecycle: Component;
}

export function createAttributesProcessor(config: AttributesConfig): AttributesProcessor {
  const apply = compileActions(config.actions);
  return {
    lifecycle: { async start() {}, async shutdown() {} },
    traces(data) {
      for (const rs of data.resourceSpans) {
        for (const ss of rs.scopeSpans) for (const span of ss.spans) span.attributes = apply(span.attributes);
      }
      return data;
    },
    metrics(data) {
      for (const rm of data.resourceMetrics) {
        for (const sm of rm.scopeMetrics) {
          for (const metric of sm.metrics) {
            for (const point of metric.data?.dataPoints ?? []) point.attributes = apply(point.attributes);
          }
        }
      }
      return data;
    },
    logs(data) {
      for (const rl of data.resourceLogs) {
        for (const sl of rl.scopeLogs) for (const record of sl.logRecords) record.attributes = apply(record.attributes);
      }
      return data;
    },
  };
}
