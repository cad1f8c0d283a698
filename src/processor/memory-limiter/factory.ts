import { z } from 'zod';
import type { ProcessorFactory } from '../../component/component.ts';
import { readsOnly } from '../../consumer/consumer.ts';
import { componentConfig, uint32Schema } from '../../component/config-schema.ts';
import { durationMsSchema } from '../../component/config-duration.ts';
import { createMemoryLimiterProcessor } from './memory-limiter.ts';

// `memory_limiter`: the Collector's memory limiter processor (opentelemetry-collector
// processor/memorylimiterprocessor, config in internal/memorylimiter), same option
// names, defaults and validation. As in the Collector, limit_mib wins when both it
// and limit_percentage are set, and a spike limit of 0 means 20% of the limit.

export interface MemoryLimiterConfig {
  checkIntervalMs: number;
  limitMib: number;
  spikeLimitMib: number;
  limitPercentage: number;
  spikeLimitPercentage: number;
  /** Only used when the process runs with --expose-gc (see memory-limiter.ts). */
  minGcIntervalWhenSoftLimitedMs: number;
  minGcIntervalWhenHardLimitedMs: number;
}

export const memoryLimiterConfigSchema = componentConfig(
  z
    .strictObject({
      check_interval: durationMsSchema.default(0),
      limit_mib: uint32Schema.default(0),
      spike_limit_mib: uint32Schema.default(0),
      limit_percentage: uint32Schema.default(0),
      spike_limit_percentage: uint32Schema.default(0),
      min_gc_interval_when_soft_limited: durationMsSchema.default(10_000),
      min_gc_interval_when_hard_limited: durationMsSchema.default(0),
      // Accepted for Collector configs; the forced-GC backoff they cap is not
      // implemented (V8 collects on its own; see memory-limiter.ts).
      max_gc_interval_when_soft_limited: durationMsSchema.default(30_000),
      max_gc_interval_when_hard_limited: durationMsSchema.default(30_000),
    })
    .superRefine((c, ctx) => {
      const issue = (path: string, message: string): void => {
        ctx.addIssue({ code: 'custom', path: [path], message });
      };
      // The Collector's checks, in its order, with its wording.
      if (c.check_interval <= 0) issue('check_interval', 'must be greater than zero');
      if (c.min_gc_interval_when_soft_limited < c.min_gc_interval_when_hard_limited) {
        issue('min_gc_interval_when_soft_limited', "should be larger than 'min_gc_interval_when_hard_limited'");
      }
      if (c.max_gc_interval_when_soft_limited < 0) issue('max_gc_interval_when_soft_limited', 'must be non-negative');
      if (c.max_gc_interval_when_hard_limited < 0) issue('max_gc_interval_when_hard_limited', 'must be non-negative');
      if (c.limit_mib === 0 && c.limit_percentage === 0) {
        issue('limit_mib', "'limit_mib' or 'limit_percentage' must be greater than zero");
      }
      if (c.limit_percentage > 100) issue('limit_percentage', 'must be greater than zero and less than or equal to hundred');
      if (c.spike_limit_percentage > 100) {
        issue('spike_limit_percentage', 'must be greater than zero and less than or equal to hundred');
      }
      if (c.limit_mib > 0 && c.limit_mib <= c.spike_limit_mib) issue('spike_limit_mib', "must be smaller than 'limit_mib'");
      if (c.limit_percentage > 0 && c.limit_percentage <= c.spike_limit_percentage) {
        issue('spike_limit_percentage', "must be smaller than 'limit_percentage'");
      }
    })
    .transform(
      (c): MemoryLimiterConfig => ({
        checkIntervalMs: c.check_interval,
        limitMib: c.limit_mib,
        spikeLimitMib: c.spike_limit_mib,
        limitPercentage: c.limit_percentage,
        spikeLimitPercentage: c.spike_limit_percentage,
        minGcIntervalWhenSoftLimitedMs: c.min_gc_interval_when_soft_limited,
        minGcIntervalWhenHardLimitedMs: c.min_gc_interval_when_hard_limited,
      }),
    ),
);

/** It passes data on or refuses it, never changes it. */

export const memoryLimiterProcessorFactory: ProcessorFactory<MemoryLimiterConfig> = {
  type: 'memory_limiter',
  configSchema: memoryLimiterConfigSchema,
  createTracesProcessor(settings, config, next) {
    const p = createMemoryLimiterProcessor(settings, config, 'traces', (data) => next.consumeTraces(data));
    return { ...p.lifecycle, consumeTraces: p.consume, capabilities: readsOnly };
  },
  createMetricsProcessor(settings, config, next) {
    const p = createMemoryLimiterProcessor(settings, config, 'metrics', (data) => next.consumeMetrics(data));
    return { ...p.lifecycle, consumeMetrics: p.consume, capabilities: readsOnly };
  },
  createLogsProcessor(settings, config, next) {
    const p = createMemoryLimiterProcessor(settings, config, 'logs', (data) => next.consumeLogs(data));
    return { ...p.lifecycle, consumeLogs: p.consume, capabilities: readsOnly };
  },
};
