import { z } from 'zod';
import type { ProcessorFactory } from '../../component/component.ts';
import { mutatesData, readsOnly } from '../../consumer/consumer.ts';
import type { Capabilities } from '../../consumer/consumer.ts';
import { componentConfig, uint32Schema } from '../../component/config-schema.ts';
import { durationMsSchema } from '../../component/config-duration.ts';
import { createTenantBatchProcessor } from './tenant-partition.ts';
import { logsSignal, metricsSignal, tracesSignal } from './batch-signal.ts';

// `batch`: the Collector's batch processor (opentelemetry-collector
// processor/batchprocessor), same option names and defaults.

export interface BatchConfig {
  /** Time after which a batch is sent regardless of size; 0 sends at once. */
  timeoutMs: number;
  /** Items (spans, data points, log records) that trigger a send; 0 sends at once. */
  sendBatchSize: number;
  /** Upper bound of a batch; larger ones are split; 0 is no limit. */
  sendBatchMaxSize: number;
}

export const batchConfigSchema = componentConfig(
  z
    .strictObject({
      timeout: durationMsSchema.default(200),
      send_batch_size: uint32Schema.default(8192),
      send_batch_max_size: uint32Schema.default(0),
      // Batching per client metadata needs the receivers to pass request metadata
      // down the pipeline, which ours do not: only the default (none) is accepted.
      // Batches are always kept apart per tenant (tenant-partition.ts).
      metadata_keys: z
        .array(z.string())
        .max(0, { message: 'metadata_keys is not supported: Tracehouse receivers do not pass client metadata' })
        .default([]),
      metadata_cardinality_limit: uint32Schema.default(1000),
    })
    .superRefine((config, ctx) => {
      if (config.timeout < 0) {
        ctx.addIssue({ code: 'custom', path: ['timeout'], message: 'must be greater or equal to 0' });
      }
      if (config.send_batch_max_size > 0 && config.send_batch_max_size < config.send_batch_size) {
        ctx.addIssue({
          code: 'custom',
          path: ['send_batch_max_size'],
          message: `must be 0 (no limit) or >= send_batch_size (${config.send_batch_size})`,
        });
      }
    })
    .transform(
      (config): BatchConfig => ({
        timeoutMs: config.timeout,
        sendBatchSize: config.send_batch_size,
        sendBatchMaxSize: config.send_batch_max_size,
      }),
    ),
);

/** Batches are new wrappers; the callers' data is passed on, never changed here. */

const resend = (next: { readonly capabilities?: Capabilities }) => ({ downstreamMutatesData: mutatesData(next) });

export const batchProcessorFactory: ProcessorFactory<BatchConfig> = {
  type: 'batch',
  configSchema: batchConfigSchema,
  createTracesProcessor(settings, config, next) {
    const batcher = createTenantBatchProcessor(settings, config, tracesSignal, (data) => next.consumeTraces(data), resend(next));
    return { ...batcher.lifecycle, consumeTraces: batcher.consume, capabilities: readsOnly };
  },
  createMetricsProcessor(settings, config, next) {
    const batcher = createTenantBatchProcessor(settings, config, metricsSignal, (data) => next.consumeMetrics(data), resend(next));
    return { ...batcher.lifecycle, consumeMetrics: batcher.consume, capabilities: readsOnly };
  },
  createLogsProcessor(settings, config, next) {
    const batcher = createTenantBatchProcessor(settings, config, logsSignal, (data) => next.consumeLogs(data), resend(next));
    return { ...batcher.lifecycle, consumeLogs: batcher.consume, capabilities: readsOnly };
  },
};
