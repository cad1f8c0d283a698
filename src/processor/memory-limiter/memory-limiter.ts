import os from 'node:os';
import v8 from 'node:v8';
import vm from 'node:vm';
import type { Component, CreateSettings } from '../../component/component.ts';
import { formatComponentId } from '../../component/component.ts';
import type { ConsumeResult } from '../../consumer/consumer.ts';
import { BackpressureError } from '../../consumer/errors.ts';
import type { LogsData, MetricsData, Signal, TracesData } from '../../pdata/model.ts';
import { countDataPoints, countLogRecords, countSpans } from '../../pdata/item-count.ts';
import type { MemoryLimiterConfig } from './factory.ts';

// The memory limiter reads the process's memory every check_interval. At or above
// the soft limit (limit - spike limit) it refuses data with a BackpressureError,
// which receivers turn into HTTP 429 / gRPC RESOURCE_EXHAUSTED so senders retry
// later; below it, data passes through untouched. Like the Collector's, it belongs
// first in a pipeline, so refused data costs as little as possible.
//
// What is measured: the process's resident set (RSS), not only the V8 heap. The
// embedded ClickHouse (chDB) runs in this process: its insert buffers, merges and
// caches are memory the machine (or the container's cgroup) counts against us
// like the JavaScript heap (issue 7: RSS reached 1,015 MiB under overload while
// the heap-based limiter never refused). Heap pages V8 has emptied but kept are
// not counted: they are resident, but V8 fills them again before it asks the OS
// for more, so more data does not add to them. The Collector measures its Go heap
// because that is all of its memory; RSS is ours.
//
// Forced GC, as the Collector does when limited, no more often than
// min_gc_interval_when_soft_limited / _hard_limited. Here it is what lets usage
// fall again: an idle process does not collect, and its garbage counts as heap in
// use (measured after a 200 x 512-span burst: RSS 704 MiB with 115 MiB heap used;
// 3 s after one gc() 528 MiB with 24 MiB; the start was 327 MiB). Without a
// GC the limiter could refuse data forever after one burst. gc() is global.gc
// when the process runs with --expose-gc, else obtained at run time as Jest's
// leak detector does (v8.setFlagsFromString + vm). The Collector's exponential
// backoff of ineffective GCs (max_gc_interval_*) is not implemented.

const mib = 1024 * 1024;

export interface MemoryLimiterOptions {
  /** Bytes in use now; the default is the process RSS (see above). */
  readMemoryBytes?: () => number;
  /** Memory available to the process, for limit_percentage. */
  totalMemoryBytes?: () => number;
  /** Forces a garbage collection; the default is V8's gc() (see above). */
  forceGc?: (() => void) | undefined;
}

export interface MemoryLimiter extends Component {
  /** Reads memory and updates the state; the timer calls it every check_interval. */
  check(): void;
  readonly refusing: boolean;
  readonly limitBytes: number;
  readonly softLimitBytes: number;
}

export function defaultReadMemoryBytes(): number {
  const usage = process.memoryUsage();
  // V8 keeps heap pages it has emptied (the young generation alone is up to 3 x
  // --max-semi-space-size) and fills them again before it asks the OS for more:
  // resident, but not memory that more data would add to.
  return usage.rss - (usage.heapTotal - usage.heapUsed);
}

let obtainedGc: (() => void) | undefined;

/** V8's full garbage collection, whether or not the process runs with --expose-gc. */
export function v8Gc(): () => void {
  const exposed = (globalThis as { gc?: () => void }).gc;
  if (exposed !== undefined) return exposed;
  if (obtainedGc === undefined) {
    // The flag only makes contexts created afterwards get `gc`; this process's
    // own global stays as it was.
    v8.setFlagsFromString('--expose-gc');
    obtainedGc = vm.runInNewContext('gc') as () => void;
  }
  return obtainedGc;
}

/**
 * What limit_percentage is a percentage of: the cgroup limit when there is one
 * (containers), else the machine's memory, as in the Collector; but never more
 * than V8's heap limit. The heap can run out first (4 GiB by default on a 24 GiB
 * machine): a percentage of RAM past it would let the process die of heap
 * exhaustion, losing every request in flight, before the limiter refused one. RSS
 * includes the heap, so a limit below the heap limit keeps both in bounds.
 */
export function defaultTotalMemoryBytes(): number {
  const total = os.totalmem();
  // Node 20 returns undefined without a constraint, later versions 0; cgroup v1
  // reports "no limit" as a huge number, hence the min.
  const constrained = (process.constrainedMemory as (() => number | undefined) | undefined)?.();
  const machine = constrained !== undefined && constrained > 0 ? Math.min(constrained, total) : total;
  return Math.min(machine, v8.getHeapStatistics().heap_size_limit);
}

export function createMemoryLimiter(
  settings: CreateSettings,
  config: MemoryLimiterConfig,
  options: MemoryLimiterOptions = {},
): MemoryLimiter {
  const readMemoryBytes = options.readMemoryBytes ?? defaultReadMemoryBytes;
  const forceGc = 'forceGc' in options ? options.forceGc : v8Gc();
  const labels = { processor: formatComponentId(settings.id) };

  let limitBytes: number;
  let spikeBytes: number;
  if (config.limitMib > 0) {
    limitBytes = config.limitMib * mib;
    spikeBytes = config.spikeLimitMib * mib;
  } else {
    const total = (options.totalMemoryBytes ?? defaultTotalMemoryBytes)();
    limitBytes = Math.floor((total * config.limitPercentage) / 100);
    spikeBytes = Math.floor((total * config.spikeLimitPercentage) / 100);
    settings.logger.info('memory limiter uses a percentage of total memory', {
      processor: labels.processor,
      total_memory_mib: Math.floor(total / mib),
      limit_percentage: config.limitPercentage,
      spike_limit_percentage: config.spikeLimitPercentage,
    });
  }
  // As the Collector: an unset spike limit is 20% of the limit.
  if (spikeBytes === 0) spikeBytes = Math.floor(limitBytes / 5);
  const softLimitBytes = limitBytes - spikeBytes;

  const state = settings.metrics
    .gauge('tracehouse_memory_limiter_state', 'Memory limiter state: 0 accepting, 1 refusing data', ['processor'])
    .labels(labels);
  const usage = settings.metrics
    .gauge('tracehouse_memory_limiter_usage_bytes', 'Memory in use at the last check (process RSS, the embedded ClickHouse included)', [
      'processor',
    ])
    .labels(labels);
  state.set(0);

  let refusing = false;
  let timer: NodeJS.Timeout | undefined;
  let lastGcAt = 0;

  const check = (): void => {
    let used = readMemoryBytes();
    if (forceGc && used >= softLimitBytes) {
      const minInterval = used >= limitBytes ? config.minGcIntervalWhenHardLimitedMs : config.minGcIntervalWhenSoftLimitedMs;
      const now = Date.now();
      if (now - lastGcAt >= minInterval) {
        forceGc();
        lastGcAt = now;
        used = readMemoryBytes();
      }
    }
    usage.set(used);
    const above = used >= softLimitBytes;
    if (above !== refusing) {
      const fields = {
        processor: labels.processor,
        used_mib: Math.round(used / mib),
        soft_limit_mib: Math.round(softLimitBytes / mib),
      };
      if (above) settings.logger.warn('memory usage is above the soft limit: refusing data', fields);
      else settings.logger.info('memory usage is below the soft limit again: accepting data', fields);
    }
    refusing = above;
    state.set(refusing ? 1 : 0);
  };

  return {
    check,
    get refusing() {
      return refusing;
    },
    limitBytes,
    softLimitBytes,
    async start() {
      check();
      timer = setInterval(check, config.checkIntervalMs);
      // Monitoring alone must not keep the process alive.
      timer.unref();
    },
    async shutdown() {
      if (timer !== undefined) clearInterval(timer);
      timer = undefined;
    },
  };
}

interface SignalData {
  traces: TracesData;
  metrics: MetricsData;
  logs: LogsData;
}

const refusedMetric: Record<Signal, { name: string; help: string }> = {
  traces: { name: 'otelcol_processor_refused_spans', help: 'Number of spans refused by the memory limiter' },
  metrics: {
    name: 'otelcol_processor_refused_metric_points',
    help: 'Number of metric data points refused by the memory limiter',
  },
  logs: { name: 'otelcol_processor_refused_log_records', help: 'Number of log records refused by the memory limiter' },
};

const countItems: { [S in Signal]: (data: SignalData[S]) => number } = {
  traces: countSpans,
  metrics: countDataPoints,
  logs: countLogRecords,
};

export interface MemoryLimiterProcessor<T> {
  consume(data: T): Promise<ConsumeResult>;
  lifecycle: Component;
  limiter: MemoryLimiter;
}

export function createMemoryLimiterProcessor<S extends Signal>(
  settings: CreateSettings,
  config: MemoryLimiterConfig,
  signal: S,
  send: (data: SignalData[S]) => Promise<ConsumeResult>,
  options: MemoryLimiterOptions = {},
): MemoryLimiterProcessor<SignalData[S]> {
  const limiter = createMemoryLimiter(settings, config, options);
  const refused = settings.metrics
    .counter(refusedMetric[signal].name, refusedMetric[signal].help, ['processor'])
    .labels({ processor: formatComponentId(settings.id) });
  const count = countItems[signal] as (data: SignalData[S]) => number;
  return {
    limiter,
    lifecycle: { start: limiter.start, shutdown: limiter.shutdown },
    consume(data) {
      if (!limiter.refusing) return send(data);
      refused.add(count(data));
      return Promise.reject(
        new BackpressureError(
          `data refused due to high memory usage (soft limit ${Math.round(limiter.softLimitBytes / mib)} MiB)`,
          // The state is next re-evaluated one check_interval from now.
          config.checkIntervalMs,
        ),
      );
    },
  };
}
