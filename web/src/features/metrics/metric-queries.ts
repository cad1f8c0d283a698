import type { PromSeries } from '../../api/prometheus.ts';

// What a chosen metric is charted as, by its Prometheus type (the OTel
// specification's Prometheus mapping: a monotonic sum is a counter, an
// explicit-bucket histogram a classic histogram with _bucket/_sum/_count).

export interface Preset {
  label: string;
  query: string;
}

export const presets: readonly Preset[] = [
  {
    label: 'HTTP server latency per route (p95)',
    query: 'histogram_quantile(0.95, sum by (le, http_route) (rate(http_server_request_duration_seconds_bucket[5m])))',
  },
  { label: 'HTTP request rate per route', query: 'sum by (http_route) (rate(http_server_request_duration_seconds_count[5m]))' },
  {
    // Semantic conventions: a server error is a 5xx (a 4xx is the client's).
    label: 'HTTP error rate per route (5xx share)',
    query:
      'sum by (http_route) (rate(http_server_request_duration_seconds_count{http_response_status_code=~"5.."}[5m])) / sum by (http_route) (rate(http_server_request_duration_seconds_count[5m]))',
  },
];

export type ChartKind = 'lines' | 'heatmap';

export interface MetricChart {
  title: string;
  query: string;
  kind: ChartKind;
}

/** The charts a metric of this Prometheus type gets when chosen in the browser. */
export function chartsFor(name: string, type: string): MetricChart[] {
  if (type === 'counter') {
    return [{ title: `Rate of ${name} per second`, query: `rate(${name}[5m])`, kind: 'lines' }];
  }
  if (type === 'histogram') {
    const bucket = `${name}_bucket`;
    const quantile = (q: number) => ({
      title: `p${Math.round(q * 100)}`,
      query: `histogram_quantile(${q}, sum by (le) (rate(${bucket}[5m])))`,
    });
    const qs = [quantile(0.5), quantile(0.95), quantile(0.99)];
    return [
      {
        title: `${name}: p50, p95 and p99`,
        // One query, three series: label_replace names each one's quantile.
        query: qs.map((q) => `label_replace(${q.query}, "quantile", "${q.title}", "", "")`).join(' or '),
        kind: 'lines',
      },
      { title: `${name}: rate per bucket (heatmap)`, query: `sum by (le) (rate(${bucket}[5m]))`, kind: 'heatmap' },
    ];
  }
  return [{ title: `${name}`, query: name, kind: 'lines' }];
}

/** The series a metric's label keys and values are looked up on. */
export function selectorFor(name: string, type: string): string {
  return type === 'histogram' ? `${name}_bucket` : name;
}

/** Step in seconds: about 240 points across the range, never under 15 s (a typical scrape interval). */
export function stepFor(startMs: number, endMs: number): number {
  return Math.max(15, Math.ceil((endMs - startMs) / 1000 / 240));
}

/** Prometheus's own series notation: name{a="b", c="d"}. */
export function seriesName(metric: Record<string, string>): string {
  const name = metric['__name__'] ?? '';
  const labels = Object.entries(metric)
    .filter(([key]) => key !== '__name__')
    .map(([key, value]) => `${key}="${value}"`);
  return labels.length === 0 ? name || '{}' : `${name}{${labels.join(', ')}}`;
}

export interface AlignedSeries {
  xs: number[];
  ys: (number | null)[][];
}

/** Matrix series onto one shared time axis (uPlot's AlignedData); gaps are null. */
export function alignSeries(series: readonly PromSeries[]): AlignedSeries {
  const times = new Set<number>();
  for (const s of series) for (const [t] of s.values ?? []) times.add(t);
  const xs = [...times].sort((a, b) => a - b);
  const index = new Map(xs.map((t, i) => [t, i]));
  const ys = series.map((s) => {
    const column: (number | null)[] = new Array<number | null>(xs.length).fill(null);
    for (const [t, v] of s.values ?? []) {
      const value = Number(v);
      column[index.get(t)!] = Number.isFinite(value) ? value : null;
    }
    return column;
  });
  return { xs, ys };
}

/** Buckets of a `sum by (le)` answer, lowest bound first, as per-bucket (not cumulative) rates. */
export function bucketRows(series: readonly PromSeries[]): { les: string[]; xs: number[]; rates: (number | null)[][] } {
  const withLe = series.filter((s) => s.metric['le'] !== undefined);
  // Prometheus writes the top bucket's bound as "+Inf", which Number() does not read.
  const bound = (s: PromSeries) => (s.metric['le'] === '+Inf' ? Infinity : Number(s.metric['le']));
  withLe.sort((a, b) => bound(a) - bound(b));
  const { xs, ys } = alignSeries(withLe);
  // Classic buckets are cumulative (le = "less or equal"): a cell is its bucket minus the one below.
  const rates = ys.map((column, i) =>
    column.map((v, t) => {
      const below = i === 0 ? 0 : ys[i - 1]![t];
      return v === null || below === null || below === undefined ? v : Math.max(0, v - below);
    }),
  );
  return { les: withLe.map((s) => s.metric['le']!), xs, rates };
}
