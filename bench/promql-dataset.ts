import type { HistogramDataPoint, KeyValue, MetricsData } from '../src/pdata/model.ts';

// The metric data of issue 10's benchmark (bench/promql-bench.ts and the PromQL
// phase of `npm run bench`, bench/promql-phase.ts): 24 h of
// `http.server.request.duration` at 15 s resolution from 10 routes x 10 instances
// = 100 OTLP histogram series of 10 buckets each, which Prometheus sees as 1,000
// `_bucket` series (5.76 M bucket samples, 576,000 OTLP points), cumulative from
// one start time. Bucket counts grow differently per route, instance and bucket.

export const ROUTES = 10;
export const INSTANCES = 10;
export const BOUNDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];
export const SAMPLE_INTERVAL_MS = 15_000;
export const DAY_MS = 86_400_000;
export const POINTS_PER_SERIES = DAY_MS / SAMPLE_INTERVAL_MS;
export const BUCKET_SERIES = ROUTES * INSTANCES * (BOUNDS.length + 1);
export const QUERY = 'histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket[5m])))';
export const STEP_S = 60;
export const TARGET_MS = 500;

const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });

/** The time range of the data: whole minutes, the last point at endMs. */
export function dataRange(nowMs = Date.now()): { startMs: number; endMs: number } {
  const endMs = Math.floor(nowMs / 60_000) * 60_000;
  return { startMs: endMs - DAY_MS + SAMPLE_INTERVAL_MS, endMs };
}

/** Points fromIndex..fromIndex+count-1 (of POINTS_PER_SERIES) of every series, one request's worth. */
export function metricsBatch(startMs: number, fromIndex: number, count: number): MetricsData {
  return {
    resourceMetrics: Array.from({ length: INSTANCES }, (_x, inst) => {
      const points: HistogramDataPoint[] = [];
      for (let r = 0; r < ROUTES; r++) {
        for (let k = fromIndex; k < fromIndex + count; k++) {
          const counts = BOUNDS.map((_b, b) => BigInt(k * ((b + r + inst) % 4)));
          counts.push(BigInt(k));
          const total = counts.reduce((a, b) => a + b, 0n);
          points.push({
            attributes: [str('http.route', `/route/${r}`), str('http.request.method', 'GET')],
            startTimeUnixNano: BigInt(startMs - 1000) * 1_000_000n,
            timeUnixNano: BigInt(startMs + k * SAMPLE_INTERVAL_MS) * 1_000_000n,
            count: total,
            sum: Number(total) * 0.12,
            bucketCounts: counts,
            explicitBounds: BOUNDS,
            exemplars: [],
            flags: 0,
            min: undefined,
            max: undefined,
          });
        }
      }
      return {
        resource: { attributes: [str('service.name', 'shop'), str('service.instance.id', `i-${inst}`)], droppedAttributesCount: 0 },
        scopeMetrics: [
          {
            scope: { name: 'bench', version: '', attributes: [], droppedAttributesCount: 0 },
            metrics: [{ name: 'http.server.request.duration', description: '', unit: 's', metadata: [], data: { type: 'histogram', aggregationTemporality: 2, dataPoints: points } }],
            schemaUrl: '',
          },
        ],
        schemaUrl: '',
      };
    }),
  };
}

/** The query_range parameters of the benchmark's query over the data's range. */
export function queryRangeParams(range: { startMs: number; endMs: number }): URLSearchParams {
  return new URLSearchParams({ query: QUERY, start: String(range.startMs / 1000), end: String(range.endMs / 1000), step: String(STEP_S) });
}
