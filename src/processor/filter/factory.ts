import { z } from 'zod';
import type { ProcessorFactory } from '../../component/component.ts';
import { componentConfig } from '../../component/config-schema.ts';
import { compileCondition, describeConditionError } from '../ottl/compile.ts';
import type { ContextKind } from '../ottl/contexts.ts';
import { createFilterProcessor } from './filter-processor.ts';

// `filter`: the Collector contrib filter processor in its OTTL form
// (processor/filterprocessor): an item is dropped when ANY of its conditions is
// true. Conditions are compiled while the config loads, so an unsupported path,
// enum or function is a start-up error naming the condition, not a runtime one.
// The legacy include/exclude form (match_type strict/regexp/expr) is refused.

export type ErrorMode = 'propagate' | 'ignore' | 'silent';

export interface FilterConfig {
  errorMode: ErrorMode;
  traces: { span: string[]; spanevent: string[] };
  metrics: { metric: string[]; datapoint: string[] };
  logs: { logRecord: string[] };
}

const conditions = z.array(z.string()).default([]);
const legacy = z.unknown().optional();
const legacyMessage = 'the include/exclude form is not supported; write OTTL conditions instead';

export const filterConfigSchema = componentConfig(
  z
    .strictObject({
      error_mode: z.enum(['propagate', 'ignore', 'silent']).default('propagate'),
      traces: z.strictObject({ span: conditions, spanevent: conditions }).default({ span: [], spanevent: [] }),
      metrics: z
        .strictObject({ metric: conditions, datapoint: conditions, include: legacy, exclude: legacy, regexp: legacy })
        .default({ metric: [], datapoint: [] }),
      logs: z.strictObject({ log_record: conditions, include: legacy, exclude: legacy }).default({ log_record: [] }),
      spans: legacy,
    })
    .superRefine((config, ctx) => {
      const lists: Array<[path: [string, string], list: string[], kind: ContextKind]> = [
        [['traces', 'span'], config.traces.span, 'span'],
        [['traces', 'spanevent'], config.traces.spanevent, 'spanevent'],
        [['metrics', 'metric'], config.metrics.metric, 'metric'],
        [['metrics', 'datapoint'], config.metrics.datapoint, 'datapoint'],
        [['logs', 'log_record'], config.logs.log_record, 'log'],
      ];
      for (const [path, list, kind] of lists) {
        list.forEach((condition, index) => {
          try {
            compileCondition(condition, kind);
          } catch (error) {
            ctx.addIssue({
              code: 'custom',
              path: [...path, index],
              message: `${describeConditionError(error)} in condition '${condition}'`,
            });
          }
        });
      }
      const legacyKeys: Array<[string[], unknown]> = [
        [['spans'], config.spans],
        [['metrics', 'include'], config.metrics.include],
        [['metrics', 'exclude'], config.metrics.exclude],
        [['metrics', 'regexp'], config.metrics.regexp],
        [['logs', 'include'], config.logs.include],
        [['logs', 'exclude'], config.logs.exclude],
      ];
      for (const [path, value] of legacyKeys) {
        if (value !== undefined) ctx.addIssue({ code: 'custom', path, message: legacyMessage });
      }
    })
    .transform(
      (config): FilterConfig => ({
        errorMode: config.error_mode,
        traces: { span: config.traces.span, spanevent: config.traces.spanevent },
        metrics: { metric: config.metrics.metric, datapoint: config.metrics.datapoint },
        logs: { logRecord: config.logs.log_record },
      }),
    ),
);

export const filterProcessorFactory: ProcessorFactory<FilterConfig> = {
  type: 'filter',
  configSchema: filterConfigSchema,
  createTracesProcessor(settings, config, next) {
    const filter = createFilterProcessor(settings, config);
    return {
      ...filter.lifecycle,
      consumeTraces: async (data) => {
        const kept = filter.filterTraces(data);
        return kept ? next.consumeTraces(kept) : {};
      },
    };
  },
  createMetricsProcessor(settings, config, next) {
    const filter = createFilterProcessor(settings, config);
    return {
      ...filter.lifecycle,
      consumeMetrics: async (data) => {
        const kept = filter.filterMetrics(data);
        return kept ? next.consumeMetrics(kept) : {};
      },
    };
  },
  createLogsProcessor(settings, config, next) {
    const filter = createFilterProcessor(settings, config);
    return {
      ...filter.lifecycle,
      consumeLogs: async (data) => {
        const kept = filter.filterLogs(data);
        return kept ? next.consumeLogs(kept) : {};
      },
    };
  },
};
