import { Hono } from 'hono';
import type { Context } from 'hono';
import { encodeTracesProto, tracesToOtlpJson } from '../pdata/index.ts';
import { PermanentError } from '../consumer/errors.ts';
import { metricsSeries } from '../query/traceql/metrics-result.ts';
import { parseTraceql } from '../query/traceql/parse.ts';
import { returnedFields } from '../query/traceql/returned-fields.ts';
import type { TelemetryReader } from '../storage/api.ts';
import { ParameterError } from './errors.ts';
import { storedJson } from './handler-helpers.ts';
import { parseLimit, parseTraceId } from './params.ts';
import { searchResponse } from './tempo-search-format.ts';
import { mountTempoTags } from './tempo-tag-routes.ts';
import { optionalDuration, protobufRequested, rangeSeconds, spansPerSpanset, stepNs, traceqlOrTags } from './tempo-params.ts';

// Grafana Tempo's HTTP API (docs/sources/tempo/api_docs/_index.md), what Grafana's
// Tempo data source calls, over the same store. Errors are Tempo's: a plain-text
// 400 naming what is wrong (TraceQL included), 404 for an unknown trace.
//
// /api/traces/{id} is also Jaeger's v1 trace-by-id path. Tempo's clients ask for
// protobuf there (Grafana's data source sends Accept: application/protobuf), Jaeger's
// UI asks for JSON and parses {data:[...]}: with protobuf accepted this route
// answers Tempo's tempopb.Trace, otherwise it passes the request on (to the Jaeger
// routes mounted after it). Tempo JSON is at /api/v2/traces/{id}.

export interface TempoRoutesOptions {
  reader: TelemetryReader;
  nowNs: () => bigint;
}

/** Tempo's version line Grafana reads for feature detection (TraceQL metrics need >= 2.4). */
const BUILD_INFO = { version: '2.8.0', revision: 'tracehouse', branch: 'main', buildUser: 'tracehouse', buildDate: '', goVersion: '' };

export function createTempoRoutes(options: TempoRoutesOptions): Hono {
  const { reader, nowNs } = options;
  const app = new Hono();
  app.onError((error, c) => {
    if (error instanceof ParameterError) return c.text(`invalid parameter ${error.parameter}: ${error.message}`, 400);
    if (error instanceof PermanentError) return c.text(error.message, 400);
    throw error;
  });

  app.get('/api/echo', (c) => c.text('echo'));
  app.get('/api/status/buildinfo', (c) => c.json(BUILD_INFO));

  const traceById = async (c: Context, v2: boolean) => {
    const traceId = parseTraceId('traceID', c.req.param('traceId') ?? '');
    const trace = await reader.getTrace(traceId, { signal: c.req.raw.signal });
    if (trace === undefined) return c.text(`trace not found: ${traceId}`, 404);
    if (protobufRequested(c)) {
      // tempopb.Trace is OTLP TracesData on the wire (field 1: repeated ResourceSpans);
      // TraceByIDResponse wraps it as field 1 (pkg/tempopb/tempo.proto).
      const body = encodeTracesProto(trace);
      const bytes = v2 ? wrapField1(body) : body;
      return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'Content-Type': 'application/protobuf' });
    }
    const json = tracesToOtlpJson(trace);
    return storedJson(c, v2 ? { trace: json, status: 'COMPLETE' } : json);
  };
  app.get('/api/traces/:traceId', async (c, next) => {
    if (!protobufRequested(c)) return next();
    return traceById(c, false);
  });
  app.get('/api/v2/traces/:traceId', (c) => traceById(c, true));

  app.get('/api/search', async (c) => {
    const q = (n: string) => c.req.query(n);
    const range = rangeSeconds(q, nowNs());
    const query = traceqlOrTags(q('q'), q('tags'));
    if (query.metrics !== undefined) throw new ParameterError('q', 'a TraceQL metrics query: send it to /api/metrics/query_range');
    const limit = parseLimit(q('limit'), 20, 1000);
    const spss = spansPerSpanset(q('spss'));
    const fields = returnedFields(query.select, query.spanset);
    const min = optionalDuration('minDuration', q('minDuration'));
    const max = optionalDuration('maxDuration', q('maxDuration'));
    const rows = await reader.traceqlSearch(
      {
        spanset: query.spanset,
        fields,
        ...range,
        ...(min === undefined ? {} : { minTraceDurationNs: min }),
        ...(max === undefined ? {} : { maxTraceDurationNs: max }),
        limit,
        spansPerSpanset: spss,
      },
      { signal: c.req.raw.signal },
    );
    return c.json(searchResponse(rows, fields));
  });

  mountTempoTags(app, options);

  // Range: samples per step. Instant (Tempo 2.7+, Grafana's table mode): one value over
  // [start, end], Tempo's QueryInstantResponse (InstantSeries: labels, value).
  const metricsQuery = async (c: Context, instant: boolean) => {
    const q = (n: string) => c.req.query(n);
    const text = q('q') ?? q('query');
    if (text === undefined || text.trim() === '') throw new ParameterError('q', 'a TraceQL metrics query is required');
    const query = parseTraceql(text);
    if (query.metrics === undefined) throw new ParameterError('q', 'not a metrics query: end it with | rate(), count_over_time(), quantile_over_time(duration, ...) or histogram_over_time(duration)');
    const range = rangeSeconds(q, nowNs());
    // Intervals aligned to the step, as Tempo aligns start and end.
    const step = instant ? range.endNs - range.startNs : stepNs(q('step'), range);
    const startNs = instant ? range.startNs : (range.startNs / step) * step;
    const endNs = instant ? range.endNs : ((range.endNs + step - 1n) / step) * step;
    const intervals = Number((endNs - startNs) / step);
    if (intervals > 11_000) throw new ParameterError('step', `gives ${intervals} intervals; at most 11000 (a larger step)`);
    const rows = await reader.traceqlMetrics({ spanset: query.spanset, metrics: query.metrics, startNs, endNs, stepNs: step }, { signal: c.req.raw.signal });
    const series = metricsSeries(
      query.metrics,
      rows.map((r) => ({ interval: Number(r.interval), labels: r.labels, bucketS: r.bucketS, count: Number(r.count) })),
      startNs / 1_000_000n,
      step / 1_000_000n,
      intervals,
    );
    const metrics = { inspectedTraces: 0, inspectedBytes: '0', completedJobs: 1, totalJobs: 1 };
    if (instant) return c.json({ series: series.map((s) => ({ labels: s.labels, value: s.samples[0]?.value ?? 0 })), metrics });
    return c.json({ series, metrics });
  };
  app.get('/api/metrics/query_range', (c) => metricsQuery(c, false));
  app.get('/api/metrics/query', (c) => metricsQuery(c, true));

  return app;
}

/** A protobuf message holding `body` as its field 1 (length-delimited). */
function wrapField1(body: Uint8Array): Uint8Array {
  const len: number[] = [];
  let n = body.length;
  while (n >= 0x80) {
    len.push((n & 0x7f) | 0x80);
    n >>>= 7;
  }
  len.push(n);
  const out = new Uint8Array(1 + len.length + body.length);
  out[0] = 0x0a;
  out.set(len, 1);
  out.set(body, 1 + len.length);
  return out;
}
