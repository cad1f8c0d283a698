import type { ReadOptions } from '../../storage/api.ts';
import type { MetricSeriesReader } from '../../storage/metric-series-api.ts';
import { instantQuery, rangeQuery } from '../promql/query.ts';
import type { QueryData } from '../promql/query.ts';
import { createSeriesSource } from '../promql/series-source.ts';

// RED per route (/api/v1/red): request rate, error rate and p50/p95/p99 of one
// service, from the HTTP server duration histogram when the service sends it,
// computed with PromQL over our own Prometheus view, else from SERVER spans.
// Sources in order (the HTTP semantic conventions, stable and old):
// - http.server.request.duration (seconds), errors = http.response.status_code 5xx;
// - http.server.duration (milliseconds, converted), errors = http.status_code 5xx
//   (the instrumentations' default without OTEL_SEMCONV_STABILITY_OPT_IN=http);
// each as a classic histogram or a native (exponential) one;
// - server spans: errors = status Error, route = http.route or the span name.

export type RedSource = 'http.server.request.duration' | 'http.server.duration' | 'spans';

export interface RouteRed {
  route: string;
  /** Whole range: requests per second, errors / requests, duration quantiles in seconds (null without requests). */
  rate: number;
  errorRate: number;
  p50Seconds: number | null;
  p95Seconds: number | null;
  p99Seconds: number | null;
  /** Per step, each point covering the step that ends at timestampsMs[i]. */
  series: {
    rate: Array<number | null>;
    errorRate: Array<number | null>;
    p50Seconds: Array<number | null>;
    p95Seconds: Array<number | null>;
    p99Seconds: Array<number | null>;
  };
}

export interface RedResult {
  service: string;
  source: RedSource;
  startMs: number;
  endMs: number;
  stepMs: number;
  timestampsMs: number[];
  routes: RouteRed[];
}

interface MetricSource {
  source: RedSource;
  base: string;
  statusLabel: string;
  toSeconds: number;
}

const METRIC_SOURCES: MetricSource[] = [
  { source: 'http.server.request.duration', base: 'http_server_request_duration_seconds', statusLabel: 'http_response_status_code', toSeconds: 1 },
  { source: 'http.server.duration', base: 'http_server_duration_milliseconds', statusLabel: 'http_status_code', toSeconds: 1 / 1000 },
];

const QUANTILES = [0.5, 0.95, 0.99] as const;

type Queries = { requests: string; errors: string; quantile: (q: number) => string };

function queriesOf(m: MetricSource, job: string, native: boolean, windowS: number): Queries {
  const sel = (extra = '') => `{job=${JSON.stringify(job)}${extra}}`;
  const err = `, ${m.statusLabel}=~"5.."`;
  const w = `[${windowS}s]`;
  return native
    ? {
        requests: `sum by (http_route) (histogram_count(rate(${m.base}${sel()}${w})))`,
        errors: `sum by (http_route) (histogram_count(rate(${m.base}${sel(err)}${w})))`,
        quantile: (q) => `histogram_quantile(${q}, sum by (http_route) (rate(${m.base}${sel()}${w})))`,
      }
    : {
        requests: `sum by (http_route) (rate(${m.base}_count${sel()}${w}))`,
        errors: `sum by (http_route) (rate(${m.base}_count${sel(err)}${w}))`,
        quantile: (q) => `histogram_quantile(${q}, sum by (le, http_route) (rate(${m.base}_bucket${sel()}${w})))`,
      };
}

function byRoute(data: QueryData, timestamps: number[], scale = 1): Map<string, Array<number | null>> {
  const out = new Map<string, Array<number | null>>();
  if (data.resultType !== 'matrix' && data.resultType !== 'vector') return out;
  for (const s of data.result as Array<{ metric: Record<string, string>; values?: Array<[number, string]>; value?: [number, string] }>) {
    const row = timestamps.map((): number | null => null);
    for (const [t, v] of s.values ?? (s.value === undefined ? [] : [s.value])) {
      const i = timestamps.indexOf(Math.round(t * 1000));
      const n = Number(v) * scale;
      if (i >= 0 && Number.isFinite(n)) row[i] = n;
    }
    out.set(s.metric.http_route ?? '', row);
  }
  return out;
}

export async function routeRed(
  reader: MetricSeriesReader,
  q: { service: string; startMs: number; endMs: number; stepMs: number },
  options: ReadOptions = {},
): Promise<RedResult> {
  const first = q.startMs + q.stepMs;
  const timestamps: number[] = [];
  for (let t = first; t <= q.endMs; t += q.stepMs) timestamps.push(t);
  const whole = [q.endMs];
  // A rate needs two points in its window: at least a minute (4 exports at the SDKs' 15 s... or 1 at 60 s).
  const windowS = Math.max(60, Math.round(q.stepMs / 1000));
  const rangeS = Math.max(windowS, Math.round((q.endMs - q.startMs) / 1000));
  // One source for every probe below: its metric catalog is read once per request.
  const source = createSeriesSource(reader, options);
  const opts = { source, ...(options.signal === undefined ? {} : { signal: options.signal }) };
  for (const m of METRIC_SOURCES) {
    for (const native of [false, true]) {
      const range = (text: string) => rangeQuery(text, first, Math.max(first, q.endMs), q.stepMs, opts);
      const at = (text: string) => instantQuery(text, q.endMs, opts);
      const steps = queriesOf(m, q.service, native, windowS);
      const requests = byRoute((await range(steps.requests)).data, timestamps);
      if (requests.size === 0) continue;
      const totals = queriesOf(m, q.service, native, rangeS);
      const errors = byRoute((await range(steps.errors)).data, timestamps);
      const quantiles = await Promise.all(QUANTILES.map(async (x) => byRoute((await range(steps.quantile(x))).data, timestamps, m.toSeconds)));
      const totalRequests = byRoute((await at(totals.requests)).data, whole);
      const totalErrors = byRoute((await at(totals.errors)).data, whole);
      const totalQuantiles = await Promise.all(QUANTILES.map(async (x) => byRoute((await at(totals.quantile(x))).data, whole, m.toSeconds)));
      const routes = [...requests.keys()].sort().map((route): RouteRed => {
        const reqs = requests.get(route)!;
        const errs = errors.get(route);
        const rate = totalRequests.get(route)?.[0] ?? 0;
        const errTotal = totalErrors.get(route)?.[0] ?? 0;
        return {
          route,
          rate,
          errorRate: rate > 0 ? errTotal / rate : 0,
          p50Seconds: totalQuantiles[0]!.get(route)?.[0] ?? null,
          p95Seconds: totalQuantiles[1]!.get(route)?.[0] ?? null,
          p99Seconds: totalQuantiles[2]!.get(route)?.[0] ?? null,
          series: {
            rate: reqs,
            errorRate: reqs.map((r, i) => (r === null ? null : r > 0 ? (errs?.[i] ?? 0) / r : 0)),
            p50Seconds: quantiles[0]!.get(route) ?? reqs.map(() => null),
            p95Seconds: quantiles[1]!.get(route) ?? reqs.map(() => null),
            p99Seconds: quantiles[2]!.get(route) ?? reqs.map(() => null),
          },
        };
      });
      return { service: q.service, source: m.source, startMs: q.startMs, endMs: q.endMs, stepMs: q.stepMs, timestampsMs: timestamps, routes };
    }
  }
  return spanRed(reader, q, timestamps, options);
}

async function spanRed(
  reader: MetricSeriesReader,
  q: { service: string; startMs: number; endMs: number; stepMs: number },
  timestamps: number[],
  options: ReadOptions,
): Promise<RedResult> {
  const rows = await reader.serverSpanRed(q, options);
  const routes = new Map<string, RouteRed>();
  const rangeS = (q.endMs - q.startMs) / 1000;
  const empty = () => timestamps.map((): number | null => null);
  for (const r of rows) {
    let route = routes.get(r.route);
    if (route === undefined) {
      route = { route: r.route, rate: 0, errorRate: 0, p50Seconds: null, p95Seconds: null, p99Seconds: null, series: { rate: empty(), errorRate: empty(), p50Seconds: empty(), p95Seconds: empty(), p99Seconds: empty() } };
      routes.set(r.route, route);
    }
    if (r.bucket === undefined) {
      Object.assign(route, { rate: rangeS > 0 ? r.requests / rangeS : 0, errorRate: r.requests > 0 ? r.errors / r.requests : 0, p50Seconds: r.p50, p95Seconds: r.p95, p99Seconds: r.p99 });
    } else if (r.bucket < timestamps.length) {
      const i = r.bucket;
      route.series.rate[i] = r.requests / (q.stepMs / 1000);
      route.series.errorRate[i] = r.requests > 0 ? r.errors / r.requests : 0;
      route.series.p50Seconds[i] = r.p50;
      route.series.p95Seconds[i] = r.p95;
      route.series.p99Seconds[i] = r.p99;
    }
  }
  return { service: q.service, source: 'spans', startMs: q.startMs, endMs: q.endMs, stepMs: q.stepMs, timestampsMs: timestamps, routes: [...routes.values()].sort((a, b) => a.route.localeCompare(b.route)) };
}
