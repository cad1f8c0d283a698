import { z } from 'zod';
import { componentConfig } from '../../component/config-schema.ts';
import { durationMsSchema } from '../../component/config-duration.ts';

// `retry_on_failure`: the Collector's configretry.BackOffConfig, same keys, defaults
// and checks, so its exporterhelper README applies as written.

export interface RetryConfig {
  enabled: boolean;
  /** Wait after the first failure. */
  initialIntervalMs: number;
  /** Each wait is drawn from interval * (1 ± randomizationFactor). */
  randomizationFactor: number;
  /** Growth of the interval after each retry. */
  multiplier: number;
  /** Upper bound of the interval (before randomization). */
  maxIntervalMs: number;
  /** Time after the first attempt past which a request is dropped; 0 retries forever. */
  maxElapsedTimeMs: number;
}

export const retryConfigSchema = componentConfig(
  z
    .strictObject({
      enabled: z.boolean().default(true),
      initial_interval: durationMsSchema.default(5_000),
      randomization_factor: z.number().default(0.5),
      multiplier: z.number().default(1.5),
      max_interval: durationMsSchema.default(30_000),
      max_elapsed_time: durationMsSchema.default(300_000),
    })
    .superRefine((config, ctx) => {
      const issue = (path: string, message: string): void => {
        ctx.addIssue({ code: 'custom', path: [path], message });
      };
      if (config.initial_interval < 0) issue('initial_interval', 'must be greater than or equal to 0');
      if (config.max_interval < 0) issue('max_interval', 'must be greater than or equal to 0');
      if (config.max_elapsed_time < 0) issue('max_elapsed_time', 'must be greater than or equal to 0');
      if (config.multiplier < 0) issue('multiplier', 'must be greater than or equal to 0');
      if (config.randomization_factor < 0 || config.randomization_factor > 1) {
        issue('randomization_factor', 'must be between 0 and 1');
      }
      if (config.max_elapsed_time > 0) {
        if (config.max_elapsed_time < config.initial_interval) {
          issue('max_elapsed_time', 'must not be less than initial_interval (or 0: retry forever)');
        }
        if (config.max_elapsed_time < config.max_interval) {
          issue('max_elapsed_time', 'must not be less than max_interval (or 0: retry forever)');
        }
      }
    })
    .transform(
      (config): RetryConfig => ({
        enabled: config.enabled,
        initialIntervalMs: config.initial_interval,
        randomizationFactor: config.randomization_factor,
        multiplier: config.multiplier,
        maxIntervalMs: config.max_interval,
        maxElapsedTimeMs: config.max_elapsed_time,
      }),
    ),
);
