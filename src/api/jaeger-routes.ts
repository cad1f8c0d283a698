import { Hono } from 'hono';
import type { Context, Next } from 'hono';
import type { Logger } from '../lib/log.ts';
import { tracesToOtlpJson } from '../pdata/index.ts';
import type { TracesData } from '../pdata/model.ts';
import type { TelemetryReader, TraceQuery } from '../storage/api.ts';
import { ParameterError } from './errors.ts';
import { storedJson } from './handler-helpers.ts';
import { jaegerSpanKind, spanKindFromJaeger, toJaegerTrace } from './jaeger-model.ts';
import type { JaegerTrace } from './jaeger-model.ts';
import { parseDependencies, parseV1Search, parseV3Search } from './jaeger-params.ts';

// Jaeger's HTTP query APIs (v1.76.0), both generations, over the same store:
// - v1 (cmd/query/app/http_handler.go), what the Jaeger UI and Grafana's Jaeger
//   data source call: /api/services, /api/services/{service}/operations,
//   /api/operations, /api/traces, /api/traces/{id}, /api/dependencies, answered
//   as {data, total, limit, offset, errors} with the UI model (jaeger-model.ts);
// - api_v3 (cmd/query/app/apiv3/http_gateway.go): /api/v3/services, operations,
//   traces and traces/{id}, traces as OTLP JSON under `result`, errors as
//   grpc-gateway's {"error": {"httpCode", "message"}}.
// Our own API lives under /api/v1/, which Jaeger's paths never use. Tempo's trace
// by id shares /api/traces/{id}: a request asking for protobuf (as Grafana's
// Tempo data source does) is passed on to the routes mounted after these. The
// same routes are also served under /jaeger (Jaeger's --query.base-path), where
// no other API shares a path.

export interface JaegerRoutesOptions {
  reader: TelemetryReader;
  logger: Logger;
  nowNs: () => bigint;
}

/** Jaeger parses a trace id of up to 32 hex digits, left-padded (64-bit ids of older clients). */
function jaegerTraceId(name: string, text: string): string {
  if (!/^[0-9a-f]{1,32}$/i.test(text)) throw new ParameterError(name, 'expected a trace id of 1 to 32 hex characters');
  return text.toLowerCase().padStart(32, '0');
}

function v1Body(data: unknown, total = 0, errors: unknown[] | null = null) {
  return { data, total, limit: 0, offset: 0, errors };
}

const isV3 = (c: Context) => c.req.path.includes('/api/v3/');

function errorBody(c: Context, status: number, message: string) {
  return isV3(c) ? { error: { httpCode: status, message } } : v1Body(null, 0, [{ code: status, msg: message }]);
}

export function createJaegerRoutes(options: JaegerRoutesOptions): Hono {
  const { reader, nowNs } = options;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof ParameterError) {
      return c.json(errorBody(c, 400, `unable to parse param '${error.parameter}': ${error.message}`), 400);
    }
    if (c.req.raw.signal.aborted) return c.body(null, 499 as 400);
    // Engine text stays in the server log (as the query API's own errors).
    options.logger.warn('jaeger query failed', { path: c.req.path, error });
    return c.json(errorBody(c, 503, 'storage could not answer the query; see the server log'), 503);
  });

  const signalOf = (c: Context) => ({ signal: c.req.raw.signal });
  const kindParam = (name: string, text: string | undefined): number | undefined => {
    if (text === undefined || text === '') return undefined;
    const kind = spanKindFromJaeger(text);
    if (kind === undefined) throw new ParameterError(name, 'expected one of internal, server, client, producer, consumer');
    return kind;
  };
  const tracesOf = async (c: Context, ids: readonly string[]): Promise<{ id: string; data: TracesData | undefined }[]> => {
    const traces = await reader.getTraces(ids, signalOf(c));
    return ids.map((id) => ({ id, data: traces.get(id) }));
  };
  const searchIds = async (c: Context, query: TraceQuery): Promise<string[]> => (await reader.searchTraces(query, signalOf(c))).map((t) => t.traceId);

  // ── v1 ──
  app.get('/api/services', async (c) => {
    const services = await reader.jaegerServices(signalOf(c));
    return c.json(v1Body(services, services.length));
  });

  app.get('/api/services/:service/operations', async (c) => {
    const operations = await reader.jaegerOperations(c.req.param('service'), undefined, signalOf(c));
    const names = [...new Set(operations.map((o) => o.name))];
    return c.json(v1Body(names, names.length));
  });

  app.get('/api/operations', async (c) => {
    const service = c.req.query('service') ?? '';
    if (service === '') throw new ParameterError('service', "parameter 'service' is required");
    const operations = await reader.jaegerOperations(service, kindParam('spanKind', c.req.query('spanKind')), signalOf(c));
    return c.json(v1Body(operations.map((o) => ({ name: o.name, spanKind: jaegerSpanKind(o.kind) })), operations.length));
  });

  app.get('/api/traces', async (c) => {
    const search = parseV1Search((n) => c.req.query(n), (n) => c.req.queries(n) ?? [], nowNs());
    if (search.traceIds.length > 0) {
      const found = await tracesOf(c, search.traceIds);
      const data = found.flatMap((f) => (f.data === undefined ? [] : [toJaegerTrace(f.id, f.data)]));
      const missing = found.filter((f) => f.data === undefined).map((f) => ({ code: 404, msg: 'trace not found', traceID: f.id }));
      return storedJson(c, v1Body(data, 0, missing.length > 0 ? missing : null));
    }
    const found = await tracesOf(c, await searchIds(c, search.query));
    const data: JaegerTrace[] = found.flatMap((f) => (f.data === undefined ? [] : [toJaegerTrace(f.id, f.data)]));
    return storedJson(c, v1Body(data));
  });

  app.get('/api/traces/:traceId', async (c: Context, next: Next) => {
    if ((c.req.header('accept') ?? '').includes('application/protobuf')) return next();
    const traceId = jaegerTraceId('traceID', c.req.param('traceId') ?? '');
    const trace = await reader.getTrace(traceId, signalOf(c));
    if (trace === undefined) return c.json(errorBody(c, 404, 'trace not found'), 404);
    return storedJson(c, v1Body([toJaegerTrace(traceId, trace)]));
  });

  app.get('/api/dependencies', async (c) => {
    const links = await reader.jaegerDependencies(parseDependencies((n) => c.req.query(n), nowNs()), signalOf(c));
    return c.json(v1Body(links));
  });

  // ── api_v3 ──
  const v3Traces = (c: Context, traces: TracesData[]) => {
    if (traces.length === 0) return c.json(errorBody(c, 404, 'No traces found'), 404);
    return storedJson(c, { result: tracesToOtlpJson({ resourceSpans: traces.flatMap((t) => t.resourceSpans) }) });
  };

  app.get('/api/v3/services', async (c) => c.json({ services: await reader.jaegerServices(signalOf(c)) }));

  app.get('/api/v3/operations', async (c) => {
    const service = c.req.query('service') ?? '';
    if (service === '') throw new ParameterError('service', 'service is required');
    const operations = await reader.jaegerOperations(service, kindParam('span_kind', c.req.query('span_kind')), signalOf(c));
    return c.json({ operations: operations.map((o) => ({ name: o.name, spanKind: jaegerSpanKind(o.kind) })) });
  });

  app.get('/api/v3/traces', async (c) => {
    const found = await tracesOf(c, await searchIds(c, parseV3Search((n) => c.req.query(n))));
    return v3Traces(c, found.flatMap((f) => (f.data === undefined ? [] : [f.data])));
  });

  app.get('/api/v3/traces/:traceId', async (c) => {
    const traceId = jaegerTraceId('trace_id', c.req.param('traceId'));
    const trace = await reader.getTrace(traceId, signalOf(c));
    return v3Traces(c, trace === undefined ? [] : [trace]);
  });

  return app;
}
