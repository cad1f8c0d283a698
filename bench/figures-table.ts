import type { SystemFigures } from './bench-phases.ts';

// The one table `npm run bench` prints (and `npm run bench:peers`, a column per
// system and their ratio), with issue 9's targets beside the figures.

interface Row {
  label: string;
  target: string;
  value: (f: SystemFigures) => number | null | undefined;
  /** no ratio column: the systems' figures count different things (e.g. how much each loaded) */
  noRatio?: boolean;
}

const q = (name: string, p: 'p50Ms' | 'p95Ms') => (f: SystemFigures) => f.queries[name]?.[p];

export const rows: Row[] = [
  { label: 'ingest spans/s (measured window)', target: '>= 70,000', value: (f) => f.ingest.spansPerSecond },
  { label: 'server CPU µs/span (all threads)', target: '<= 25', value: (f) => f.ingest.serverCpuMicrosPerSpan },
  { label: 'peak RSS MiB (ingest)', target: '<= 1536', value: (f) => f.ingest.peakRssMiB },
  { label: 'ack latency p50 ms', target: '', value: (f) => f.ingest.ackLatencyMs.p50 },
  { label: 'ack latency p99 ms', target: '<= 500', value: (f) => f.ingest.ackLatencyMs.p99 },
  { label: 'lost (acknowledged - queryable)', target: '0', value: (f) => f.ingest.lost },
  { label: 'sampled traces not as sent (ingest)', target: '0', value: (f) => f.ingestIdentity.mismatchedTraces },
  { label: '  ... still not, 5 s later', target: '0', value: (f) => f.ingestIdentity.mismatchedAfterRecheck },
  { label: 'disk B/span after merges (spans table)', target: '<= 30', value: (f) => f.disk?.bytesPerSpan },
  { label: 'disk B/span after merges (all tables)', target: '', value: (f) => f.disk?.bytesPerSpanAllTables },
  { label: 'spans acknowledged before the queries', target: '10,000,000', value: (f) => f.ingest.acknowledgedSpans + (f.load?.sentSpans ?? 0), noRatio: true },
  { label: 'spans loaded after the ingest part', target: '', value: (f) => f.load?.sentSpans, noRatio: true },
  { label: 'loading took s', target: '', value: (f) => f.load?.seconds, noRatio: true },
  { label: 'loading spans/s', target: '', value: (f) => f.load?.spansPerSecond },
  { label: 'server quiet after loading, s (then queries)', target: '', value: (f) => f.load?.settleS, noRatio: true },
  { label: 'lost after loading', target: '0', value: (f) => f.load?.lost },
  { label: 'sampled traces not as sent (loaded)', target: '0', value: (f) => f.loadIdentity?.mismatchedTraces },
  { label: '  ... still not, 5 s later', target: '0', value: (f) => f.loadIdentity?.mismatchedAfterRecheck },
  { label: 'trace by id p50 ms', target: '<= 20', value: q('traceById', 'p50Ms') },
  { label: 'trace by id p95 ms', target: '<= 50', value: q('traceById', 'p95Ms') },
  { label: 'search service+attr, last hour p50 ms', target: '<= 300', value: q('searchLastHour', 'p50Ms') },
  { label: 'search service+attr, last hour p95 ms', target: '', value: q('searchLastHour', 'p95Ms') },
  { label: 'search service+attr, 24 h p50 ms', target: '<= 300', value: q('search24h', 'p50Ms') },
  { label: 'search service+attr, 24 h p95 ms', target: '', value: q('search24h', 'p95Ms') },
  { label: 'search attr, no service, 24 h p50 ms', target: '<= 1000', value: q('searchNoService24h', 'p50Ms') },
  { label: 'search attr, no service, 24 h p95 ms', target: '', value: q('searchNoService24h', 'p95Ms') },
  { label: 'logs by trace id p50 ms', target: '<= 20', value: q('logsByTraceId', 'p50Ms') },
  { label: 'logs by trace id p95 ms', target: '', value: q('logsByTraceId', 'p95Ms') },
  { label: 'metric data points/s ingested (histograms)', target: '', value: (f) => f.metrics?.pointsPerSecond },
  { label: 'server quiet after metric ingest, s (then PromQL)', target: '', value: (f) => f.metrics?.settleS, noRatio: true },
  { label: 'PromQL p95 per route, 24 h, 60 s step p50 ms', target: '< 500', value: q('promqlRange', 'p50Ms') },
  { label: 'PromQL p95 per route, 24 h, 60 s step p95 ms', target: '< 500', value: q('promqlRange', 'p95Ms') },
  { label: 'analysis breakdown, 24 h p50 ms', target: '< 2,000 (1M) / 10,000 (10M)', value: q('analysisBreakdown', 'p50Ms') },
  { label: 'analysis compare slowest 5%, 24 h p50 ms', target: '< 2,000 (1M) / 10,000 (10M)', value: q('analysisCompareSlow', 'p50Ms') },
  { label: 'analysis compare errors, 24 h p50 ms', target: '< 2,000 (1M) / 10,000 (10M)', value: q('analysisCompareErrors', 'p50Ms') },
];

const show = (v: number | null | undefined) =>
  v === null || v === undefined || Number.isNaN(v) ? '-' : v >= 1000 ? Math.round(v).toLocaleString('en-US') : String(v);

/** A text table: one column per system, then (for two) the first's value / the second's. */
export function figuresTable(systems: SystemFigures[]): string {
  const header = ['', ...systems.map((s) => s.system), ...(systems.length === 2 ? [`${systems[0]!.system} / ${systems[1]!.system}`] : []), 'target'];
  const lines = rows.map((row) => {
    const values = systems.map((s) => row.value(s));
    const ratio = systems.length !== 2 ? [] : [row.noRatio === true ? '' : ratioText(values[0], values[1])];
    return [row.label, ...values.map(show), ...ratio, row.target];
  });
  const all = [header, ...lines];
  const widths = header.map((_, i) => Math.max(...all.map((l) => l[i]!.length)));
  return all.map((l) => l.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ')).join('\n');
}

function ratioText(a: number | null | undefined, b: number | null | undefined): string {
  if (a === null || a === undefined || b === null || b === undefined || Number.isNaN(a) || Number.isNaN(b) || b === 0) return '-';
  const r = a / b;
  return r >= 10 ? `${Math.round(r)}x` : `${Math.round(r * 100) / 100}x`;
}
