import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '../../lib/log.ts';
import { createBackoff } from './backoff.ts';
import type { ExportOutcome } from './export-outcome.ts';
import type { RetryConfig } from './retry-config.ts';

// The retry loop of the Collector's exporterhelper (retry_sender.go), as values:
// a permanent failure ends it at once; a retryable one waits the backoff delay, or
// the server's delay (Retry-After, RetryInfo) when that is longer, and tries again
// until the next attempt would start after `max_elapsed_time`. Then, or when
// retries are stopped (shutdown), the last retryable outcome is returned and the
// caller drops or keeps the request.

export interface RetryControl {
  /** Aborted at shutdown: no further waits or attempts. */
  stopRetries: AbortSignal;
  logger: Logger;
  /** For log lines: "traces to otlp/backup". */
  what: string;
}

export interface RetryResult {
  outcome: ExportOutcome;
  /** True when retries were cut short by `stopRetries` rather than exhausted. */
  stopped: boolean;
}

export async function exportWithRetry(
  attempt: () => Promise<ExportOutcome>,
  config: RetryConfig,
  control: RetryControl,
): Promise<RetryResult> {
  const startedAt = Date.now();
  const backoff = createBackoff(config);
  for (let retry = 0; ; retry++) {
    const outcome = await attempt();
    if (outcome.status !== 'retryable') return { outcome, stopped: false };
    // Checked first: an attempt cut short by shutdown is "stopped" even without retries.
    if (control.stopRetries.aborted) return { outcome, stopped: true };
    if (!config.enabled) return { outcome, stopped: false };

    const delayMs = Math.max(backoff.nextDelayMs(), outcome.retryAfterMs ?? 0);
    if (config.maxElapsedTimeMs > 0 && Date.now() + delayMs > startedAt + config.maxElapsedTimeMs) {
      return {
        outcome: {
          ...outcome,
          error: new Error(`no more retries left after ${retry + 1} attempts: ${outcome.error.message}`, {
            cause: outcome.error,
          }),
        },
        stopped: false,
      };
    }
    control.logger.info(`exporting ${control.what} failed; will retry`, {
      error: outcome.error,
      interval_ms: Math.round(delayMs),
    });
    try {
      await sleep(delayMs, undefined, { signal: control.stopRetries });
    } catch {
      return { outcome, stopped: true };
    }
  }
}
