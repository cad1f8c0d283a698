import http from 'node:http';
import { encodeMetricsProto } from '../src/pdata/proto-encode-metrics.ts';
import { settle } from './bench-phases.ts';
import { sendOtlp } from './otlp-send.ts';
import { BUCKET_SERIES, POINTS_PER_SERIES, ROUTES, INSTANCES, dataRange, metricsBatch, queryRangeParams } from './promql-dataset.ts';
import { round, timeQuery } from './query-timing.ts';
import type { Timing } from './query-timing.ts';

// The PromQL phase of `npm run bench` (issue 10, part 6), against a running
// Tracehouse: 24 h of the benchmark's histograms (bench/promql-dataset.ts) sent
// over OTLP/HTTP protobuf, 4 requests in flight, retried after Retry-After on
// 429/503 as an OTLP exporter does; metric data points acknowledged per second;
// then the latency of the range query through /api/v1/query_range.

const TIMES_PER_REQUEST = 40;
const IN_FLIGHT = 4;

export interface PromqlFigures {
  /** OTLP histogram data points acknowledged (each 10 `_bucket` samples). */
  points: number;
  seconds: number;
  pointsPerSecond: number;
  failedRequests: number;
  bucketSeries: number;
  /** Seconds waited after the ingest for the server to go quiet (bench-phases.ts settle). */
  settleS: number;
  query: Timing;
}

const agent = new http.Agent({ keepAlive: true, maxSockets: IN_FLIGHT });

/**
 * The queries wait for the server (`serverPid`) to go quiet after the ingest: as
 * after loading spans, a day of points arrives in seconds, and the queries should
 * not share the cores with the merges a day of arrivals would have spread out.
 */
export async function promqlPhase(otlpUrl: string, apiUrl: string, q: { warmup: number; runs: number }, serverPid: number): Promise<PromqlFigures> {
  const range = dataRange();
  const url = new URL('/v1/metrics', otlpUrl);
  let next = 0;
  let points = 0;
  let failedRequests = 0;
  const started = performance.now();
  const worker = async () => {
    while (next < POINTS_PER_SERIES) {
      const from = next;
      const count = Math.min(TIMES_PER_REQUEST, POINTS_PER_SERIES - from);
      next += count;
      if (await sendOtlp(agent, url, encodeMetricsProto(metricsBatch(range.startMs, from, count)))) points += count * ROUTES * INSTANCES;
      else failedRequests++;
    }
  };
  await Promise.all(Array.from({ length: IN_FLIGHT }, worker));
  const seconds = (performance.now() - started) / 1000;
  const settleS = await settle(serverPid);
  const params = queryRangeParams(range);
  const query = await timeQuery(
    () => `${apiUrl}/api/v1/query_range?${params}`,
    (body) => {
      const b = body as { status: string; data?: { result?: unknown[] } };
      return b.status === 'success' && (b.data?.result?.length ?? 0) === ROUTES ? undefined : `expected ${ROUTES} series: ${JSON.stringify(body).slice(0, 200)}`;
    },
    { ...q, label: 'tracehouse promqlRange' },
  );
  agent.destroy();
  return { points, seconds: round(seconds), pointsPerSecond: Math.round(points / seconds), failedRequests, bucketSeries: BUCKET_SERIES, settleS, query };
}
