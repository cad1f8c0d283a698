import { z } from 'zod';
import { parseComponentId } from '../../component/component.ts';
import { componentConfig } from '../../component/config-schema.ts';

// `sending_queue`: the Collector's exporterhelper QueueBatchConfig. Supported: the
// default request sizer (`queue_size` counts requests, i.e. batches), `num_consumers`
// and `storage`. The rest is accepted only at its default value, with a message
// that says why, rather than silently behaving differently from the Collector.

export interface QueueConfig {
  enabled: boolean;
  /** Workers sending from the queue concurrently. */
  numConsumers: number;
  /** Requests the queue holds before it refuses more (BackpressureError). */
  queueSize: number;
  /**
   * The storage extension id (e.g. `file_storage`) when the queue is persistent;
   * Tracehouse keeps it under its own data directory, whatever the extension.
   */
  storage: string | undefined;
}

function onlyDefault<T extends z.ZodType>(schema: T, message: string) {
  return schema.optional().superRefine((value, ctx) => {
    if (value !== undefined) ctx.addIssue({ code: 'custom', message });
  });
}

/** `enabledByDefault`: true for otlp and otlphttp, false for debug (as in the Collector). */
export function queueConfigSchema(enabledByDefault: boolean) {
  return componentConfig(
    z
      .strictObject({
        enabled: z.boolean().default(enabledByDefault),
        num_consumers: z.number().int().default(10),
        queue_size: z.number().int().default(1000),
        storage: z.string().optional(),
        sizer: z
          .literal('requests', { message: 'only the requests sizer is supported (queue_size counts requests)' })
          .default('requests'),
        wait_for_result: z
          .literal(false, { message: 'wait_for_result is not supported: disable sending_queue to wait for the result' })
          .default(false),
        block_on_overflow: z
          .literal(false, {
            message: 'block_on_overflow is not supported: a full queue refuses data so the sender retries',
          })
          .default(false),
        batch: onlyDefault(
          z.unknown(),
          'sending_queue.batch is not supported: put a batch processor in the pipeline instead',
        ),
      })
      .superRefine((config, ctx) => {
        if (config.num_consumers <= 0) {
          ctx.addIssue({ code: 'custom', path: ['num_consumers'], message: 'must be positive' });
        }
        if (config.queue_size <= 0) {
          ctx.addIssue({ code: 'custom', path: ['queue_size'], message: 'must be positive' });
        }
        if (config.storage !== undefined && parseComponentId(config.storage) === undefined) {
          ctx.addIssue({
            code: 'custom',
            path: ['storage'],
            message: `must be a storage extension id such as "file_storage" or "file_storage/queue", got ${JSON.stringify(config.storage)}`,
          });
        }
      })
      .transform(
        (config): QueueConfig => ({
          enabled: config.enabled,
          numConsumers: config.num_consumers,
          queueSize: config.queue_size,
          storage: config.storage,
        }),
      ),
  );
}
