import { z } from 'zod';
import type { ProcessorFactory } from '../../component/component.ts';
import { attributeActionSchema, type AttributeAction } from '../attribute-actions/actions.ts';
import { componentConfig } from '../../component/config-schema.ts';
import { createAttributesProcessor } from './attributes-processor.ts';

// `attributes`: the Collector contrib attributes processor
// (processor/attributesprocessor): `actions` applied in order to the attributes of
// spans, log records and metric data points. Its include/exclude match properties
// (services, span_names, match_type...) are refused at load time: not supported yet.

export interface AttributesConfig {
  actions: AttributeAction[];
}

const unsupportedMatch = z.unknown().optional();

export const attributesConfigSchema = componentConfig(
  z
    .strictObject({
      actions: z.array(attributeActionSchema).default([]),
      include: unsupportedMatch,
      exclude: unsupportedMatch,
    })
    .superRefine((config, ctx) => {
      if (config.actions.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['actions'], message: 'missing required field "actions"' });
      }
      for (const key of ['include', 'exclude'] as const) {
        if (config[key] !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key], message: `${key} matching is not supported; the actions apply to every item` });
        }
      }
    })
    .transform((config): AttributesConfig => ({ actions: config.actions })),
);

export const attributesProcessorFactory: ProcessorFactory<AttributesConfig> = {
  type: 'attributes',
  configSchema: attributesConfigSchema,
  createTracesProcessor(_settings, config, next) {
    const processor = createAttributesProcessor(config);
    return { ...processor.lifecycle, consumeTraces: async (data) => next.consumeTraces(processor.traces(data)) };
  },
  createMetricsProcessor(_settings, config, next) {
    const processor = createAttributesProcessor(config);
    return { ...processor.lifecycle, consumeMetrics: async (data) => next.consumeMetrics(processor.metrics(data)) };
  },
  createLogsProcessor(_settings, config, next) {
    const processor = createAttributesProcessor(config);
    return { ...processor.lifecycle, consumeLogs: async (data) => next.consumeLogs(processor.logs(data)) };
  },
};
