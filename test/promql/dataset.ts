import type { KeyValue, Metric, MetricsData, NumberDataPoint, HistogramDataPoint } from '../../src/pdata/model.ts';
import { formatFloat } from '../../src/query/metrics/prometheus-naming.ts';

// The oracle's data: the same series as OTLP (what Tracehouse receives) and as
// OpenMetrics text (what `promtool tsdb create-blocks-from openmetrics` turns
// into a Prometheus block). Timestamps are whole milliseconds (Prometheus's
// resolution) with a little jitter so extrapolation is exercised; values are
// chosen so no two series tie (topk/bottomk and sort would otherwise depend on
// tie-breaking order).
//
// What the series cover: counters with a reset (value falls, new start time),
// a gap longer than the 5-minute lookback, a series that starts late; gauges;
// a non-monotonic sum; a delta counter (Prometheus sees its running sum); a
// classic histogram with a restart in one series and, in another, one bucket
// that falls alone.

export const SCRAPE_MS = 15_000;
export const POINTS = 240; // one hour

export interface OracleData {
  t0Ms: number;
  endMs: number;
  otlp: MetricsData;
  openMetrics: string;
}

const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });
const int = (key: string, value: number): KeyValue => ({ key, value: { type: 'int', value: BigInt(value) } });
const ns = (ms: number) => BigInt(ms) * 1_000_000n;

interface Family {
  type: 'counter' | 'gauge' | 'histogram';
  name: string;
  lines: string[];
}

export function buildOracleData(t0Ms: number): OracleData {
  const times = Array.from({ length: POINTS }, (_x, k) => t0Ms + k * SCRAPE_MS + ((k * 7) % 11) * 13);
  const endMs = times[times.length - 1]!;
  const families: Family[] = [];
  const metrics: Metric[] = [];
  const labelsOf = (attrs: KeyValue[]) =>
    [['instance', 'i-1'], ['job', 'checkout'], ['otel_scope_name', 'oracle'], ...attrs.map((a) => [a.key.replace(/\./g, '_'), a.value.type === 'string' ? a.value.value : String((a.value as { value: bigint }).value)])]
      .map(([k, v]) => `${k}="${v}"`)
      .join(',');
  const om = (v: number) => (Number.isInteger(v) ? String(v) : formatFloat(v));
  const sec = (ms: number) => (ms / 1000).toFixed(3);

  // Counters: http.server.requests {request} -> http_server_requests_total.
  const counterFamily: Family = { type: 'counter', name: 'http_server_requests', lines: [] };
  const counterPoints: NumberDataPoint[] = [];
  const routes = ['/cart', '/checkout', '/pay'];
  routes.forEach((route, r) => {
    for (const status of [200, 500]) {
      const attrs = [str('http.route', route), int('http.response.status_code', status)];
      const perScrape = (status === 200 ? 10 + r * 3 : 1 + r) + 0.25 * r;
      let value = 0;
      let start = t0Ms - 60_000;
      times.forEach((t, k) => {
        if (route === '/pay' && status === 500 && k < 40) return; // starts late
        if (route === '/checkout' && status === 200 && k >= 100 && k < 130) return; // a 7.5-minute gap
        if (route === '/cart' && status === 500 && k === 150) {
          value = 0; // restart: the counter resets and its start time changes
          start = t - 1000;
        }
        value += perScrape + (k % 5);
        counterPoints.push({ attributes: attrs, startTimeUnixNano: ns(start), timeUnixNano: ns(t), value: { type: 'double', value }, exemplars: [], flags: 0 });
        counterFamily.lines.push(`http_server_requests_total{${labelsOf(attrs)}} ${om(value)} ${sec(t)}`);
      });
    }
  });
  families.push(counterFamily);
  metrics.push({ name: 'http.server.requests', description: 'Requests served.', unit: '{request}', metadata: [], data: { type: 'sum', aggregationTemporality: 2, isMonotonic: true, dataPoints: counterPoints } });

  // Gauge: process.memory.usage By -> process_memory_usage_bytes.
  const gaugeFamily: Family = { type: 'gauge', name: 'process_memory_usage_bytes', lines: [] };
  const gaugePoints: NumberDataPoint[] = [];
  ['heap', 'stack', 'code'].forEach((pool, p) => {
    const attrs = [str('memory.pool', pool)];
    times.forEach((t, k) => {
      const value = Math.round(1000 * ((p + 4) * 100 + 50 * Math.sin(k / 9 + p) + (k % 13))) / 1000;
      gaugePoints.push({ attributes: attrs, startTimeUnixNano: 0n, timeUnixNano: ns(t), value: { type: 'double', value }, exemplars: [], flags: 0 });
      gaugeFamily.lines.push(`process_memory_usage_bytes{${labelsOf(attrs)}} ${om(value)} ${sec(t)}`);
    });
  });
  families.push(gaugeFamily);
  metrics.push({ name: 'process.memory.usage', description: 'Memory in use.', unit: 'By', metadata: [], data: { type: 'gauge', dataPoints: gaugePoints } });

  // Up-down counter: http.server.active_requests {request} -> http_server_active_requests (a gauge).
  const activeFamily: Family = { type: 'gauge', name: 'http_server_active_requests', lines: [] };
  const activePoints: NumberDataPoint[] = [];
  routes.forEach((route, r) => {
    const attrs = [str('http.route', route)];
    times.forEach((t, k) => {
      const value = ((k * (r + 3)) % 17) - 4 + r * 0.5;
      activePoints.push({ attributes: attrs, startTimeUnixNano: ns(t0Ms - 60_000), timeUnixNano: ns(t), value: { type: 'int', value: BigInt(Math.round(value * 2)) }, exemplars: [], flags: 0 });
      activeFamily.lines.push(`http_server_active_requests{${labelsOf(attrs)}} ${om(Math.round(value * 2))} ${sec(t)}`);
    });
  });
  families.push(activeFamily);
  metrics.push({ name: 'http.server.active_requests', description: 'In flight.', unit: '{request}', metadata: [], data: { type: 'sum', aggregationTemporality: 2, isMonotonic: false, dataPoints: activePoints } });

  // Delta counter: payments.processed -> payments_processed_total, cumulative on the Prometheus side.
  const paymentsFamily: Family = { type: 'counter', name: 'payments_processed', lines: [] };
  const paymentPoints: NumberDataPoint[] = [];
  for (const currency of ['EUR', 'USD']) {
    const attrs = [str('currency', currency)];
    let total = 0;
    times.forEach((t, k) => {
      const delta = ((k * (currency === 'EUR' ? 3 : 5)) % 7) + (currency === 'EUR' ? 1 : 2);
      total += delta;
      paymentPoints.push({ attributes: attrs, startTimeUnixNano: ns(k === 0 ? t - SCRAPE_MS : times[k - 1]!), timeUnixNano: ns(t), value: { type: 'int', value: BigInt(delta) }, exemplars: [], flags: 0 });
      paymentsFamily.lines.push(`payments_processed_total{${labelsOf(attrs)}} ${total} ${sec(t)}`);
    });
  }
  families.push(paymentsFamily);
  metrics.push({ name: 'payments.processed', description: 'Payments.', unit: '', metadata: [], data: { type: 'sum', aggregationTemporality: 1, isMonotonic: true, dataPoints: paymentPoints } });

  // Classic histogram: http.server.request.duration s -> http_server_request_duration_seconds_{bucket,sum,count}.
  const bounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];
  const histFamily: Family = { type: 'histogram', name: 'http_server_request_duration_seconds', lines: [] };
  const histPoints: HistogramDataPoint[] = [];
  routes.forEach((route, r) => {
    const attrs = [str('http.route', route)];
    const counts = new Array<number>(bounds.length + 1).fill(0);
    let sum = 0;
    let start = t0Ms - 60_000;
    times.forEach((t, k) => {
      if (r === 1 && k === 150) {
        // restart: every bucket, the count and the sum fall to 0, and the start time changes
        counts.fill(0);
        sum = 0;
        start = t - 1000;
      }
      for (let b = 0; b <= bounds.length; b++) counts[b]! += ((k + b * (r + 2)) % (b + 3)) + (b === 3 + r ? 4 : 0);
      if (r === 0 && k === 200) {
        // twenty requests move up a bucket: only le="0.025" falls (a reset of that series alone), no restart
        counts[2]! -= 20;
        counts[3]! += 20;
      }
      sum += 0.37 * (r + 1) + (k % 3) * 0.011;
      const total = counts.reduce((a, b) => a + b, 0);
      histPoints.push({
        attributes: attrs,
        startTimeUnixNano: ns(start),
        timeUnixNano: ns(t),
        count: BigInt(total),
        sum,
        bucketCounts: counts.map(BigInt),
        explicitBounds: bounds,
        exemplars: [],
        flags: 0,
        min: undefined,
        max: undefined,
      });
      let cumulative = 0;
      counts.forEach((c, b) => {
        cumulative += c;
        const le = b < bounds.length ? formatFloat(bounds[b]!) : '+Inf';
        histFamily.lines.push(`http_server_request_duration_seconds_bucket{${labelsOf(attrs)},le="${le}"} ${cumulative} ${sec(t)}`);
      });
      histFamily.lines.push(`http_server_request_duration_seconds_count{${labelsOf(attrs)}} ${total} ${sec(t)}`);
      histFamily.lines.push(`http_server_request_duration_seconds_sum{${labelsOf(attrs)}} ${om(sum)} ${sec(t)}`);
    });
  });
  families.push(histFamily);
  metrics.push({ name: 'http.server.request.duration', description: 'Duration of HTTP server requests.', unit: 's', metadata: [], data: { type: 'histogram', aggregationTemporality: 2, dataPoints: histPoints } });

  const openMetrics = `${families.map((f) => `# TYPE ${f.name} ${f.type}\n${f.lines.join('\n')}`).join('\n')}\n# EOF\n`;
  const otlp: MetricsData = {
    resourceMetrics: [
      {
        resource: { attributes: [str('service.name', 'checkout'), str('service.instance.id', 'i-1')], droppedAttributesCount: 0 },
        scopeMetrics: [{ scope: { name: 'oracle', version: '', attributes: [], droppedAttributesCount: 0 }, metrics, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
  return { t0Ms, endMs, otlp, openMetrics };
}
