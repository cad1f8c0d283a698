import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Component, CreateSettings } from '../../component/component.ts';
import { formatComponentId } from '../../component/component.ts';
import type { ConsumeResult } from '../../consumer/consumer.ts';
import { BackpressureError, PermanentError, RetryableError, StorageUnavailableError } from '../../consumer/errors.ts';
import { asError } from './export-outcome.ts';
import type { ExportOutcome } from './export-outcome.ts';
import { requestFromData } from './export-request.ts';
import type { ExportRequest } from './export-request.ts';
import type { ExportSignal } from './export-signal.ts';
import { createExporterMetrics } from './exporter-metrics.ts';
import { createMemoryQueue } from './memory-queue.ts';
import { createPersistentQueue } from './persistent-queue.ts';
import type { QueueConfig } from './queue-config.ts';
import { exportWithRetry } from './retry.ts';
import type { RetryResult } from './retry.ts';
import type { RetryConfig } from './retry-config.ts';
import type { SendingQueue } from './sending-queue.ts';

// The Collector's exporterhelper around one exporter's send function: sending
// queue -> own metrics -> retry -> one attempt (with the exporter's timeout).
//
// When consume() settles (the exporter's side of the consumer contract):
// - sending_queue disabled: after the request was accepted downstream (resolves,
//   with the backend's partial success) or finally failed after retries (rejects
//   with PermanentError for a permanent failure, RetryableError otherwise);
// - in-memory queue: as soon as the request is in the queue (a crash loses it);
// - persistent queue (`storage`): only after its file was written and fsynced,
//   renamed into place and the directory fsynced, so an acknowledged request
//   survives kill -9 and a restart;
// - queue full: rejects with BackpressureError (the receiver answers 429 /
//   RESOURCE_EXHAUSTED, the sender retries); a persistent queue that cannot write
//   rejects with StorageUnavailableError (503 / UNAVAILABLE).
// From the queue, `num_consumers` workers send oldest first. A permanent failure,
// or retries exhausted after max_elapsed_time, drops the request and logs why (as
// the Collector does). Each exporter instance has its own queue and workers, so a
// slow or failing downstream only ever fills its own queue.
//
// shutdown(): takes no more data. In-memory queue: stops retrying, gives each
// waiting request one more attempt for up to `drainTimeoutMs`, then aborts and
// drops (and logs) the rest. Persistent queue: aborts in-flight attempts and
// leaves every file for the next start. Either way a send that ignores its abort
// signal is left behind after another `drainTimeoutMs`. No queue: stops retrying;
// callers get the last error.

export interface ExporterHelperOptions<T> {
  signal: ExportSignal<T>;
  retry: RetryConfig;
  queue: QueueConfig;
  /**
   * One attempt. Expected failures are outcomes; it must end within the exporter's
   * timeout, and promptly once `abort` fires. A throw means the request cannot be
   * encoded or decoded, which no retry fixes: it is treated as permanent.
   */
  send(request: ExportRequest<T>, abort: AbortSignal): Promise<ExportOutcome>;
  start?(): Promise<void>;
  /** Called last, after the queue and workers have stopped. */
  shutdown?(): Promise<void>;
  /** Bound on draining the in-memory queue at shutdown (default 10 s). */
  drainTimeoutMs?: number;
}

export interface ExporterHelper<T> extends Component {
  consume(data: T): Promise<ConsumeResult>;
}

const defaultDrainTimeoutMs = 10_000;

export function createExporterHelper<T>(settings: CreateSettings, options: ExporterHelperOptions<T>): ExporterHelper<T> {
  const { signal, retry, queue: queueConfig, send } = options;
  const exporterId = formatComponentId(settings.id);
  const logger = settings.logger;
  const metrics = createExporterMetrics(settings.metrics, exporterId, signal as ExportSignal<unknown>);
  const what = `${signal.signal} to ${exporterId}`;
  const stopRetries = new AbortController();
  const abortAttempts = new AbortController();
  const inFlight = new Set<Promise<unknown>>();
  let stopped = false;

  const persistent = queueConfig.enabled && queueConfig.storage !== undefined;
  let queue: SendingQueue<T> | undefined;
  if (queueConfig.enabled) {
    const onSizeChange = (size: number): void => metrics.queueSize(size);
    queue = persistent
      ? createPersistentQueue({
          // encodeURIComponent keeps "otlp/backup" one path segment, and is reversible.
          directory: join(settings.dataDir, 'queue', encodeURIComponent(exporterId), signal.signal),
          capacity: queueConfig.queueSize,
          signal,
          logger,
          onSizeChange,
        })
      : createMemoryQueue<T>(queueConfig.queueSize, onSizeChange);
  }
  const workers: Array<Promise<void>> = [];

  const attempt = async (request: ExportRequest<T>): Promise<ExportOutcome> => {
    try {
      return await send(request, abortAttempts.signal);
    } catch (error) {
      return { status: 'failed', error: asError(error) };
    }
  };

  const sendWithRetry = (request: ExportRequest<T>): Promise<RetryResult> =>
    exportWithRetry(() => attempt(request), retry, { stopRetries: stopRetries.signal, logger, what });

  /** Metrics and logs for a request's final outcome. */
  const record = (request: ExportRequest<T>, outcome: ExportOutcome, dropping: boolean): void => {
    if (outcome.status === 'ok') {
      metrics.sent(request.items);
      const partial = outcome.partialSuccess;
      if (partial && (partial.rejected !== 0n || partial.errorMessage !== '')) {
        logger.warn(`partial success exporting ${what}`, {
          rejected_items: partial.rejected,
          message: partial.errorMessage,
        });
      }
      return;
    }
    metrics.sendFailed(request.items);
    const kind = outcome.status === 'failed' ? 'not retryable' : 'retryable';
    logger.error(`exporting ${what} failed (${kind}); ${dropping ? 'dropping' : 'rejecting'} data`, {
      error: outcome.error,
      items: request.items,
    });
  };

  const worker = async (from: SendingQueue<T>): Promise<void> => {
    try {
      for (;;) {
        const entry = await from.take();
        if (!entry) return;
        const { outcome, stopped: cutShort } = await sendWithRetry(entry.request);
        // Shutting down: a persisted request stays on disk for the next start.
        if (cutShort && persistent) continue;
        record(entry.request, outcome, true);
        await entry.done();
      }
    } catch (error) {
      // Not expected (every step above reports failures as values), but a worker
      // must not take the process down with an unhandled rejection.
      logger.error(`a sending queue consumer of exporter ${exporterId} stopped`, { error: asError(error) });
    }
  };

  const consumeDirect = async (request: ExportRequest<T>): Promise<ConsumeResult> => {
    const { outcome } = await sendWithRetry(request);
    record(request, outcome, false);
    if (outcome.status === 'ok') return outcome.partialSuccess ? { partialSuccess: outcome.partialSuccess } : {};
    const message = `exporting ${what} failed: ${outcome.error.message}`;
    if (outcome.status === 'failed') throw new PermanentError(message, { cause: outcome.error });
    throw new RetryableError(message, outcome.retryAfterMs ?? retry.initialIntervalMs, { cause: outcome.error });
  };

  const consumeQueued = async (into: SendingQueue<T>, request: ExportRequest<T>): Promise<ConsumeResult> => {
    if (persistent) {
      // Encoded now so that data which cannot be encoded is refused as such,
      // rather than reported as a storage failure by the queue.
      try {
        request.protoBytes();
      } catch (error) {
        metrics.enqueueFailed(request.items);
        throw new PermanentError(`exporter ${exporterId} cannot encode ${signal.signal}: ${asError(error).message}`, { cause: error });
      }
    }
    const offered = await into.offer(request);
    if (offered.status === 'ok') return {};
    metrics.enqueueFailed(request.items);
    if (offered.status === 'full') {
      throw new BackpressureError(`sending queue of exporter ${exporterId} (${signal.signal}) is full`, 1_000);
    }
    throw new StorageUnavailableError(`exporter ${exporterId} cannot queue ${signal.signal}: ${offered.error.message}`, 1_000, {
      cause: offered.error,
    });
  };

  const track = <R>(promise: Promise<R>): Promise<R> => {
    inFlight.add(promise);
    void promise.then(
      () => inFlight.delete(promise),
      () => inFlight.delete(promise),
    );
    return promise;
  };

  return {
    consume(data) {
      if (stopped) return Promise.reject(new Error(`exporter ${exporterId} is shut down`));
      const items = signal.countItems(data);
      if (items === 0) return Promise.resolve({});
      const request = requestFromData(signal, data, items);
      return track(queue ? consumeQueued(queue, request) : consumeDirect(request));
    },

    async start() {
      await options.start?.();
      if (!queue) return;
      await queue.open();
      metrics.queueCapacity(queue.capacity);
      metrics.queueSize(queue.size);
      for (let i = 0; i < queueConfig.numConsumers; i++) workers.push(worker(queue));
    },

    async shutdown() {
      if (stopped) return;
      stopped = true;
      stopRetries.abort();
      const boundMs = options.drainTimeoutMs ?? defaultDrainTimeoutMs;
      if (queue) {
        if (persistent) abortAttempts.abort();
        await queue.close();
        await Promise.allSettled([...inFlight]);
        if (!persistent) await drain(queue, boundMs);
        abortAttempts.abort();
        // A send that ignores its abort signal must not hold shutdown forever.
        if (!(await settledWithin(workers, boundMs))) {
          logger.warn(`shutdown: exporter ${exporterId} (${signal.signal}) still has a send in progress; leaving it`);
        }
      } else if (!(await settledWithin([...inFlight], boundMs))) {
        // Callers waiting on a hung downstream get a retryable error instead.
        abortAttempts.abort();
        await settledWithin([...inFlight], boundMs);
      }
      await options.shutdown?.();
    },
  };

  /** In-memory queue: workers send what is left, one attempt each, within the bound. */
  async function drain(from: SendingQueue<T>, boundMs: number): Promise<void> {
    if (await settledWithin(workers, boundMs)) return;
    abortAttempts.abort();
    const dropped = from.clear();
    const items = dropped.reduce((total, request) => total + request.items, 0);
    if (dropped.length > 0) {
      metrics.sendFailed(items);
      logger.error(`shutdown: dropping ${dropped.length} queued ${signal.signal} requests of exporter ${exporterId}`, {
        items,
      });
    }
  }
}

/** True when every promise settled within `ms`. */
async function settledWithin(promises: Array<Promise<unknown>>, ms: number): Promise<boolean> {
  const timer = new AbortController();
  const settled = await Promise.race([
    Promise.allSettled(promises).then(() => true),
    sleep(ms, false, { signal: timer.signal }).catch(() => false),
  ]);
  timer.abort();
  return settled;
}
