import { z } from 'zod';
import type { ProcessorFactory } from '../../component/component.ts';
import { attributeActionSchema, type AttributeAction } from '../attribute-actions/actions.ts';
import { componentConfig } from '../../component/config-schema.ts';
import { createResourceProcessor } from './resource-processor.ts';

// `resource`: the Collector contrib resource processor (processor/resourceprocessor):
// the attribute actions of the attributes processor, listed under `attributes`,
// applied to resource attributes.

export interface ResourceConfig {
  attributes: AttributeAction[];
}

export const resourceConfigSchema = componentConfig(
  z
    .strictObject({ attributes: z.array(attributeActionSchema).default([]) })
    .superRefine((config, ctx) => {
      if (config.attributes.length === 0) {
        ctx.addIssue({ code: 'custom', path: ['attributes'], message: 'missing required field "attributes"' });
      }
    })
    .transform((config): ResourceConfig => ({ attributes: config.attributes })),
);

export const resourceProcessorFactory: ProcessorFactory<ResourceConfig> = {
  type: 'resource',
  configSchema: resourceConfigSchema,
  createTracesProcessor(_settings, config, next) {
    const processor = createResourceProcessor(config);
    return { ...processor.lifecycle, consumeTraces: async (data) => next.consumeTraces(processor.traces(data)) };
  },
  createMetricsProcessor(_settings, config, next) {
    const processor = createResourceProcessor(config);
    return { ...processor.lifecycle, consumeMetrics: async (data) => next.consumeMetrics(processor.metrics(data)) };
  },
  createLogsProcessor(_settings, config, next) {
    const processor = createResourceProcessor(config);
    return { ...processor.lifecycle, consumeLogs: async (data) => next.consumeLogs(processor.logs(data)) };
  },
};
