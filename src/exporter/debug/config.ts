import { z } from 'zod';
import { componentConfig } from '../../component/config-schema.ts';
import { queueConfigSchema } from '../exporterhelper/queue-config.ts';
import type { QueueConfig } from '../exporterhelper/queue-config.ts';

// `debug` exporter config: the Collector's debugexporter.Config, same keys and
// defaults. Output goes to stdout (Tracehouse's own log is on stderr, which keeps
// stdout for this exporter); `use_internal_logger: false` with `output_paths:
// [stderr]` sends it to stderr. Files are not supported.

export type Verbosity = 'basic' | 'normal' | 'detailed';

export interface DebugConfig {
  verbosity: Verbosity;
  /** Messages written each second before sampling starts. */
  samplingInitial: number;
  /** After that, every n-th message is written; 1 writes all. */
  samplingThereafter: number;
  output: 'stdout' | 'stderr';
  queue: QueueConfig;
}

export const debugConfigSchema = componentConfig(
  z
    .strictObject({
      // configtelemetry.Level reads its names case-insensitively.
      verbosity: z
        .string()
        .default('basic')
        .transform((value, ctx): Verbosity => {
          const level = value.toLowerCase();
          if (level === 'basic' || level === 'normal' || level === 'detailed') return level;
          ctx.addIssue({ code: 'custom', message: `verbosity level ${JSON.stringify(value)} is not supported (basic, normal, detailed)` });
          return z.NEVER;
        }),
      sampling_initial: z.number().int().min(0).default(2),
      sampling_thereafter: z.number().int().min(0).default(1),
      use_internal_logger: z.boolean().default(true),
      output_paths: z.array(z.string()).optional(),
      sending_queue: queueConfigSchema(false),
    })
    .superRefine((config, ctx) => {
      if (config.output_paths === undefined) return;
      if (config.use_internal_logger) {
        ctx.addIssue({ code: 'custom', path: ['output_paths'], message: 'output_paths is not supported when use_internal_logger is true' });
        return;
      }
      if (config.output_paths.length !== 1 || (config.output_paths[0] !== 'stdout' && config.output_paths[0] !== 'stderr')) {
        ctx.addIssue({ code: 'custom', path: ['output_paths'], message: 'Tracehouse supports one of ["stdout"] or ["stderr"]' });
      }
    })
    .transform(
      (config): DebugConfig => ({
        verbosity: config.verbosity,
        samplingInitial: config.sampling_initial,
        samplingThereafter: config.sampling_thereafter,
        output: config.output_paths?.[0] === 'stderr' ? 'stderr' : 'stdout',
        queue: config.sending_queue,
      }),
    ),
);
