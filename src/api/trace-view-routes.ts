import { Hono } from 'hono';
import { assembleTraceView } from '../query/trace-view.ts';
import type { TraceView } from '../query/trace-view.ts';
import type { StoredSpan } from '../storage/view-api.ts';
import { logToJson, storedJson } from './handler-helpers.ts';
import type { ViewRoutesOptions } from './handler-helpers.ts';
import { largeJson } from './large-json.ts';
import { parseIntParam, parseSpanId, parseTraceId } from './params.ts';
import { exceptionOf, typedAttributes } from './typed-attributes.ts';
import type { SpanDetailResponse, SpanKindNumber, StatusCodeNumber, TraceLogsResponse, TraceTreeResponse, TreeSpan } from './types.ts';

// The trace page: the tree first (compact, for a waterfall of up to 100,000
// spans), one span's details on demand, and the trace's logs.

export function createTraceViewRoutes({ reader }: ViewRoutesOptions): Hono {
  const app = new Hono();

  app.get('/api/v1/traces/:traceId/tree', async (c) => {
    const traceId = parseTraceId('traceId', c.req.param('traceId'));
    const signal = c.req.raw.signal;
    const [rows, logCounts] = await Promise.all([reader.traceTreeSpans(traceId, { signal }), reader.logCountsBySpan(traceId, { signal })]);
    if (rows.length === 0) return c.json({ error: { message: `trace ${traceId} not found` } }, 404);
    return largeJson(c, JSON.stringify(treeJson(traceId, assembleTraceView(rows), logCounts)));
  });

  app.get('/api/v1/traces/:traceId/spans/:spanId', async (c) => {
    const traceId = parseTraceId('traceId', c.req.param('traceId'));
    const spanId = parseSpanId('spanId', c.req.param('spanId'));
    const stored = await reader.getSpan(traceId, spanId, { signal: c.req.raw.signal });
    if (stored === undefined) return c.json({ error: { message: `span ${spanId} not found in trace ${traceId}` } }, 404);
    // Stored values: jsonText keeps a -0.0 attribute as -0 (as trace by id does).
    return storedJson(c, spanJson(stored));
  });

  app.get('/api/v1/traces/:traceId/logs', async (c) => {
    const traceId = parseTraceId('traceId', c.req.param('traceId'));
    const limit = parseIntParam('limit', c.req.query('limit'), 1000, 1, 10_000);
    // One more than asked says whether there are more.
    const stored = await reader.traceLogs(traceId, limit + 1, { signal: c.req.raw.signal });
    const logs = stored.slice(0, limit).map(logToJson);
    const bySpan: Record<string, number[]> = {};
    logs.forEach((log, i) => {
      const list = Object.hasOwn(bySpan, log.spanId) ? bySpan[log.spanId]! : (bySpan[log.spanId] = []);
      list.push(i);
    });
    const body: TraceLogsResponse = { traceId, logs, bySpan, truncated: stored.length > limit };
    return storedJson(c, body);
  });

  return app;
}

function treeJson(traceId: string, view: TraceView, logCounts: Map<string, number>): TraceTreeResponse {
  const services = new Map<string, number>();
  const names = new Map<string, number>();
  const indexOf = (table: Map<string, number>, value: string) => {
    let i = table.get(value);
    if (i === undefined) table.set(value, (i = table.size));
    return i;
  };
  const { rows, tree } = view;
  // Input index -> position in the depth-first output.
  const position = new Int32Array(rows.length).fill(-1);
  tree.order.forEach((input, out) => (position[input] = out));
  let errorCount = 0;
  const spans = tree.order.map((i): TreeSpan => {
    const row = rows[i]!;
    const parent = tree.parent[i]!;
    if (row.statusCode === 2) errorCount++;
    return {
      spanId: row.spanId,
      parent: parent < 0 ? -1 : position[parent]!,
      depth: tree.depth[i]!,
      childCount: tree.children[i]!.length,
      service: indexOf(services, row.serviceName),
      name: indexOf(names, row.name),
      kind: row.kind as SpanKindNumber,
      startNs: view.spans[i]!.startNs,
      durationNs: view.spans[i]!.endNs - view.spans[i]!.startNs,
      selfNs: view.selfNs[i]!,
      status: row.statusCode as StatusCodeNumber,
      critical: view.critical[i] === 1,
      orphan: tree.orphan[i] === 1,
      eventsNs: row.eventTimesUnixNano.map((t) => Number(t - view.startUnixNano)),
      hasException: row.hasException,
      logCount: logCounts.get(row.spanId) ?? 0,
    };
  });
  return {
    traceId,
    startUnixNano: view.startUnixNano.toString(),
    durationNs: view.durationNs,
    spanCount: spans.length,
    errorCount,
    services: [...services.keys()],
    names: [...names.keys()],
    spans,
    criticalPath: view.criticalPath.map((s) => ({ span: position[s.span]!, startNs: s.startNs, endNs: s.endNs })),
    stats: view.stats,
    traceLogCount: logCounts.get('') ?? 0,
  };
}

function spanJson({ span, serviceName, resource, resourceSchemaUrl, scope, scopeSchemaUrl }: StoredSpan): SpanDetailResponse {
  return {
    traceId: span.traceId,
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    traceState: span.traceState,
    flags: span.flags,
    name: span.name,
    kind: span.kind as SpanKindNumber,
    serviceName,
    startTimeUnixNano: span.startTimeUnixNano.toString(),
    endTimeUnixNano: span.endTimeUnixNano.toString(),
    durationNs: Number(span.endTimeUnixNano - span.startTimeUnixNano),
    status: { code: span.status.code as StatusCodeNumber, message: span.status.message },
    attributes: typedAttributes(span.attributes),
    droppedAttributesCount: span.droppedAttributesCount,
    resource: { attributes: typedAttributes(resource.attributes), droppedAttributesCount: resource.droppedAttributesCount, schemaUrl: resourceSchemaUrl },
    scope: { name: scope.name, version: scope.version, attributes: typedAttributes(scope.attributes), schemaUrl: scopeSchemaUrl },
    events: span.events.map((e) => {
      const exception = exceptionOf(e.name, e.attributes);
      return {
        timeUnixNano: e.timeUnixNano.toString(),
        offsetNs: Number(e.timeUnixNano - span.startTimeUnixNano),
        name: e.name,
        attributes: typedAttributes(e.attributes),
        droppedAttributesCount: e.droppedAttributesCount,
        ...(exception === undefined ? {} : { exception }),
      };
    }),
    droppedEventsCount: span.droppedEventsCount,
    links: span.links.map((l) => ({ traceId: l.traceId, spanId: l.spanId, traceState: l.traceState, flags: l.flags, attributes: typedAttributes(l.attributes) })),
    droppedLinksCount: span.droppedLinksCount,
  };
}
