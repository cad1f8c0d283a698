import type { EvalResult, Steps } from '../query/logql/evaluate.ts';
import { formatFloat } from '../query/metrics/prometheus-naming.ts';
import type { LogqlLine } from '../storage/logql-api.ts';
import { anyValueFromJson } from '../storage/otlp-json.ts';
import type { Json } from '../storage/otlp-json.ts';
import { anyValueToPlain } from './plain-json.ts';

// Loki's response bodies (docs: "Loki HTTP API", query and query_range), the
// shapes Grafana's Loki data source parses: streams as [["<ns>", "<line>"], ...],
// matrices as [[<unix seconds>, "<value>"], ...], values as Go formats floats.

/** Loki's stats block; Grafana shows `summary`. What Tracehouse does not measure is 0. */
export function statsOf(execSeconds: number, entries: number, bytes: number): Record<string, unknown> {
  return {
    summary: {
      bytesProcessedPerSecond: execSeconds > 0 ? Math.round(bytes / execSeconds) : 0,
      linesProcessedPerSecond: execSeconds > 0 ? Math.round(entries / execSeconds) : 0,
      totalBytesProcessed: bytes,
      totalLinesProcessed: entries,
      execTime: execSeconds,
      queueTime: 0,
      subqueries: 0,
      totalEntriesReturned: entries,
      splits: 0,
      shards: 0,
    },
    querier: { store: {} },
    ingester: {},
    cache: {},
  };
}

/** A stored line as Loki shows it: a non-string body as plain JSON, as Loki's OTLP ingestion writes it. */
function lineText(l: LogqlLine): string {
  if (!l.bodyIsJson) return l.line;
  try {
    return JSON.stringify(anyValueToPlain(anyValueFromJson(JSON.parse(l.line) as Json)));
  } catch {
    return l.line;
  }
}

/**
 * Lines grouped into streams, in the order they came (the query's direction).
 * Categorised (`X-Loki-Response-Encoding-Flags: categorize-labels`, which Grafana
 * sends): the stream is its stream labels, and each entry carries its structured
 * metadata and parsed labels; otherwise every label is in the stream, and lines
 * differing in any label are different streams, as Loki answers.
 */
export function streamsOf(lines: LogqlLine[], categorize: boolean): unknown[] {
  const streams = new Map<string, { stream: Record<string, string>; values: unknown[] }>();
  for (const l of lines) {
    const stream = categorize ? l.stream : { ...l.stream, ...l.metadata, ...l.parsed };
    const id = JSON.stringify(Object.entries(stream).sort(([a], [b]) => (a < b ? -1 : 1)));
    let s = streams.get(id);
    if (s === undefined) streams.set(id, (s = { stream, values: [] }));
    const entry: unknown[] = [l.timeNs.toString(), lineText(l)];
    if (categorize) {
      const extra: Record<string, Record<string, string>> = {};
      if (Object.keys(l.metadata).length > 0) extra.structuredMetadata = l.metadata;
      if (Object.keys(l.parsed).length > 0) extra.parsed = l.parsed;
      if (Object.keys(extra).length > 0) entry.push(extra);
    }
    s.values.push(entry);
  }
  return [...streams.values()];
}

const seconds = (ns: bigint): number => Number(ns / 1_000_000n) / 1000;

/** A metric result: `matrix` for a range query, `vector` (or `scalar`) for an instant one. */
export function metricData(result: EvalResult, steps: Steps, instant: boolean): { resultType: string; result: unknown } {
  const at = (k: number) => seconds(steps.startNs + BigInt(k) * steps.stepNs);
  if (result.kind === 'scalar') {
    if (instant) return { resultType: 'scalar', result: [at(0), formatFloat(result.values[0]!)] };
    return { resultType: 'matrix', result: [{ metric: {}, values: result.values.map((v, k) => [at(k), formatFloat(v)]) }] };
  }
  if (instant) {
    return {
      resultType: 'vector',
      result: result.series.filter((s) => s.values[0] !== undefined).map((s) => ({ metric: s.labels, value: [at(0), formatFloat(s.values[0]!)] })),
    };
  }
  const series = result.series
    .map((s) => ({ metric: s.labels, values: s.values.flatMap((v, k) => (v === undefined ? [] : [[at(k), formatFloat(v)]])) }))
    .filter((s) => s.values.length > 0);
  // Prometheus and Loki order matrix series by their labels.
  series.sort((a, b) => (labelText(a.metric) < labelText(b.metric) ? -1 : 1));
  return { resultType: 'matrix', result: series };
}

function labelText(labels: Record<string, string>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : 1))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
