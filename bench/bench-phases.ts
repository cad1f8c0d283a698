import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { BenchOptions } from './bench-options.ts';
import type { ExpectedSpan } from './otlp-template.ts';
import { cpuSnapshot, rssSampler } from './proc-stats.ts';
import { compareSpans, runGenerator } from './run-generator.ts';
import type { GeneratorResult, GeneratorSample } from './run-generator.ts';
import { round } from './query-timing.ts';
import type { Timing } from './query-timing.ts';
import type { PromqlFigures } from './promql-phase.ts';

// The phases `npm run bench` and `npm run bench:peers` run against every system,
// and the figures they produce (one shape for Tracehouse and Jaeger, so they can be
// printed side by side).

export interface IngestFigures {
  spansPerSecond: number;
  measuredS: number;
  measuredSpans: number;
  /** server CPU (all threads) in the measured window / spans acknowledged in it */
  serverCpuMicrosPerSpan: number;
  serverCpuSecondsByThread: Record<string, number>;
  peakRssMiB: number;
  ackLatencyMs: { p50: number; p99: number; max: number };
  acknowledgedSpans: number;
  storedSpans: number | null;
  lost: number | null;
  failedRequests: number;
  retriedRequests: number;
  bytesPerSpanOnWire: number;
}

export interface IdentityFigures {
  checkedTraces: number;
  /** right after the last acknowledgement */
  mismatchedTraces: number;
  /** the same traces fetched again `recheckS` later: acknowledged but stored late, or never */
  mismatchedAfterRecheck: number;
  recheckS: number;
  firstMismatch: string | null;
}

export interface LoadFigures {
  sentSpans: number;
  storedSpans: number | null;
  lost: number | null;
  acknowledgedLogs: number;
  seconds: number;
  spansPerSecond: number;
  peakRssMiB: number;
  failedRequests: number;
  /** Seconds the server took to go quiet after loading (settle()), before the queries. */
  settleS: number;
}

export interface SystemFigures {
  system: string;
  ingest: IngestFigures;
  ingestIdentity: IdentityFigures;
  disk: { bytesPerSpan: number; bytesPerSpanAllTables: number; mergeS: number; detail: unknown } | null;
  load: LoadFigures | null;
  loadIdentity: IdentityFigures | null;
  queries: Record<string, (Timing & { answers?: string }) | null>;
  /** Issue 10's PromQL phase (bench/promql-phase.ts); Tracehouse only. */
  metrics?: PromqlFigures;
}

export const mib = (bytes: number) => round(bytes / 1048576);

export async function ingestPhase(
  otlpUrl: string,
  pid: number,
  options: BenchOptions,
  sampleFile: string,
): Promise<{ result: GeneratorResult; sample: GeneratorSample; peakRssBytes: number }> {
  const rss = rssSampler(pid);
  try {
    const { result, sample } = await runGenerator({
      url: otlpUrl, mode: 'ingest', 'server-pid': pid, 'spans-per-request': options.spansPerRequest,
      concurrency: options.concurrency, 'warmup-s': options.warmupS, 'measure-s': options.measureS, 'sample-size': options.sampleSize,
    }, sampleFile);
    return { result, sample, peakRssBytes: rss.stop() };
  } finally {
    rss.stop();
  }
}

export function ingestFigures(result: GeneratorResult, peakRssBytes: number, storedSpans: number | null): IngestFigures {
  const measuredSpans = result.measuredSpans ?? 0;
  const cpu = result.serverCpu;
  const lat = result.latencyMs ?? { p50: 0, p99: 0, max: 0 };
  return {
    spansPerSecond: Math.round(measuredSpans / (result.measuredS ?? 1)),
    measuredS: result.measuredS ?? 0,
    measuredSpans,
    serverCpuMicrosPerSpan: cpu === undefined || measuredSpans === 0 ? NaN : round((cpu.seconds * 1e6) / measuredSpans),
    serverCpuSecondsByThread: cpu?.byThreadName ?? {},
    peakRssMiB: mib(peakRssBytes),
    ackLatencyMs: { p50: round(lat.p50), p99: round(lat.p99), max: round(lat.max) },
    acknowledgedSpans: result.acknowledgedSpans,
    storedSpans,
    lost: storedSpans === null ? null : result.acknowledgedSpans - storedSpans,
    failedRequests: result.failures,
    retriedRequests: result.retries,
    bytesPerSpanOnWire: round(result.bytesPerSpanOnWire),
  };
}

export async function loadPhase(
  otlpUrl: string,
  pid: number,
  spans: number,
  options: BenchOptions,
  sampleFile: string,
  withLogs: boolean,
): Promise<{ result: GeneratorResult; sample: GeneratorSample; peakRssBytes: number; seconds: number }> {
  const rss = rssSampler(pid, 500);
  const started = performance.now();
  try {
    const { result, sample } = await runGenerator({
      url: otlpUrl, mode: 'load', 'spans-per-request': options.spansPerRequest, concurrency: options.loadConcurrency,
      'total-spans': spans, 'spread-h': options.spreadH, 'logs-every': withLogs ? options.logsEvery : 0, 'sample-size': options.sampleSize,
    }, sampleFile);
    return { result, sample, peakRssBytes: rss.stop(), seconds: (performance.now() - started) / 1000 };
  } finally {
    rss.stop();
  }
}

/**
 * Fetches every sampled trace by id and compares it with what was sent, right after
 * the load ended (a 2xx should mean stored), then fetches the ones that differed
 * again `recheckS` later (a system that acknowledges on enqueue catches up by then,
 * a lost trace does not).
 */
export async function checkIdentity(
  sample: GeneratorSample,
  fetchTrace: (traceId: string) => Promise<ExpectedSpan[] | undefined>,
  recheckS = 5,
): Promise<IdentityFigures> {
  const problemOf = async (trace: GeneratorSample['traces'][number]) => {
    const got = await fetchTrace(trace.traceId);
    const problem = got === undefined ? 'not found' : compareSpans(trace.spans, got);
    return problem === undefined ? undefined : `trace ${trace.traceId}: ${problem}`;
  };
  const mismatched: { trace: GeneratorSample['traces'][number]; problem: string }[] = [];
  for (const trace of sample.traces) {
    const problem = await problemOf(trace);
    if (problem !== undefined) mismatched.push({ trace, problem });
  }
  let stillMismatched = 0;
  let firstMismatch: string | null = mismatched[0]?.problem ?? null;
  if (mismatched.length > 0) {
    await new Promise((r) => setTimeout(r, recheckS * 1000));
    for (const { trace } of mismatched) {
      const problem = await problemOf(trace);
      if (problem !== undefined) {
        if (stillMismatched === 0) firstMismatch = `${problem} (still after ${recheckS} s)`;
        stillMismatched++;
      }
    }
  }
  return { checkedTraces: sample.traces.length, mismatchedTraces: mismatched.length, mismatchedAfterRecheck: stillMismatched, recheckS, firstMismatch };
}

/** Random order, so consecutive trace-by-id runs do not hit the same parts. */
export function shuffled<T>(items: T[]): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export async function run(file: string, args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(file, args, { maxBuffer: 64 * 1024 * 1024 });
  return stdout;
}

/**
 * Waits until the server process is quiet: less than `idleCores` of CPU over
 * `windowS` seconds, at most `maxS`; returns the seconds waited. Loading packs a
 * day of spans into a few minutes, so its background work (ClickHouse merges,
 * Badger compactions) is still running when loading ends; a store that received
 * its day over a day would have done it as it went. The queries are timed on the
 * settled store, for both systems, and the wait is printed.
 */
export async function settle(pid: number, { idleCores = 0.15, windowS = 3, maxS = 300 } = {}): Promise<number> {
  const started = performance.now();
  for (;;) {
    const before = await cpuSnapshot(pid);
    await new Promise((resolve) => setTimeout(resolve, windowS * 1000));
    const after = await cpuSnapshot(pid);
    const waitedS = (performance.now() - started) / 1000;
    if ((after.totalSeconds - before.totalSeconds) / windowS < idleCores || waitedS >= maxS) return round(waitedS);
  }
}
