import type { RetryConfig } from './retry-config.ts';

// Exponential backoff as the Collector's retry sender computes it (cenkalti/backoff
// ExponentialBackOff): the n-th wait is drawn uniformly from
// interval * [1 - randomization_factor, 1 + randomization_factor], then the
// interval grows by `multiplier` up to `max_interval`. `max_elapsed_time` is the
// retry loop's business (it knows when the request started).

export interface Backoff {
  /** The next wait in milliseconds. */
  nextDelayMs(): number;
}

export function createBackoff(config: RetryConfig, random: () => number = Math.random): Backoff {
  let intervalMs = config.initialIntervalMs;
  return {
    nextDelayMs() {
      const delta = config.randomizationFactor * intervalMs;
      const delayMs = intervalMs - delta + random() * 2 * delta;
      intervalMs = Math.min(intervalMs * config.multiplier, config.maxIntervalMs);
      return delayMs;
    },
  };
}
