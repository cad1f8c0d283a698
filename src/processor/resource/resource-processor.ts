import type { Component } from '../../component/component.ts';
import type { LogsData, MetricsData, Resource, TracesData } from '../../pdata/model.ts';
import { compileActions } from '../attribute-actions/actions.ts';
import type { ResourceConfig } from './factory.ts';

// Applies the configured actions to the resource attributes of every resource
// entry. In place, under the same ownership rule as the attributes processor (see
// attributes/attributes-processor.ts): only `resource.attributes` is reassigned.
// The batch processor gives each half of a split request its own Resource object,
// so a resource is never processed twice through a shared object.

export interface ResourceProcessor {
  traces(data: TracesData): TracesData;
  metrics(data: MetricsData): MetricsData;
  logs(data: LogsData): LogsData;
  lifecycle: Component;
}

export function createResourceProcessor(config: ResourceConfig): ResourceProcessor {
  const apply = compileActions(config.attributes);
  const update = (resource: Resource): void => {
    resource.attributes = apply(resource.attributes);
  };
  return {
    lifecycle: { async start() {}, async shutdown() {} },
    traces(data) {
      for (const rs of data.resourceSpans) update(rs.resource);
      return data;
    },
    metrics(data) {
      for (const rm of data.resourceMetrics) update(rm.resource);
      return data;
    },
    logs(data) {
      for (const rl of data.resourceLogs) update(rl.resource);
      return data;
    },
  };
}
