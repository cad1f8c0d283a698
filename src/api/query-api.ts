import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Logger } from '../lib/log.ts';
import { metricsToOtlpJson, tracesToOtlpJson } from '../pdata/index.ts';
import type { TelemetryReader, WriteHealth } from '../storage/api.ts';
import { prometheusContentType } from '../telemetry/metrics-registry.ts';
import type { MetricsRegistry } from '../telemetry/metrics-registry.ts';
import { createAnalysisRoutes } from './analysis-routes.ts';
import { createAttributeRoutes } from './attribute-routes.ts';
import { ParameterError } from './errors.ts';
import { attributeFilters, defined, logToJson, optionalParam, storedJson } from './handler-helpers.ts';
import { createLogViewRoutes } from './log-view-routes.ts';
import {
  parseDuration,
  parseLimit,
  parseSeverity,
  parseSpanId,
  parseStatus,
  parseTimeRange,
  parseTraceId,
} from './params.ts';
import { createPrometheusRoutes } from './prometheus-routes.ts';
import { createLokiRoutes } from './loki-routes.ts';
import { createRedRoutes } from './red-routes.ts';
import { createJaegerRoutes } from './jaeger-routes.ts';
import { createTempoRoutes } from './tempo-routes.ts';
import { createMcpRoutes } from './mcp-routes.ts';
import { createDoctorRoutes } from './doctor-routes.ts';
import type { ExportRequestStats } from '../query/doctor/export-requests.ts';
import { createServiceRoutes } from './service-routes.ts';
import { createTraceViewRoutes } from './trace-view-routes.ts';
import { mountWebUi } from './web-ui.ts';
import { mountAccessControl } from './access-middleware.ts';
import type { AccessVariables } from './access-middleware.ts';
import { createAuthRoutes } from './auth-routes.ts';
import type { ApiAccess } from '../auth/api-access.ts';
import type { WebUiOptions } from './web-ui.ts';

// The JSON query API. Handlers parse parameters (params.ts), call the reader and
// format; they hold no query logic of their own.

export interface QueryApiOptions {
  reader: TelemetryReader;
  logger: Logger;
  /** Own telemetry, served at GET /metrics in the Prometheus text format. */
  metrics?: MetricsRegistry;
  /** Unix nanoseconds now; tests pin it. */
  nowNs?: () => bigint;
  /** Whether writes reach storage; /readyz fails while they do not. */
  writeHealth?: () => WriteHealth;
  /** The web UI, served at / after every API route (web-ui.ts). */
  webUi?: WebUiOptions;
  /** Login, tokens, Host check and security headers (access-middleware.ts); the server always sets it. */
  access?: { access: ApiAccess; boundHost: string };
  /** Spans per received trace request, for GET /api/v1/doctor (query/doctor/export-requests.ts). */
  exportRequests?: ExportRequestStats;
}

const maxLimit = 1000;

export function createQueryApi(options: QueryApiOptions): Hono {
  const { reader } = options;
  const nowNs = options.nowNs ?? (() => BigInt(Date.now()) * 1_000_000n);
  const app = new Hono<{ Variables: AccessVariables }>();
  if (options.access) {
    mountAccessControl(app, options.access.access, options.access.boundHost);
    app.route('/', createAuthRoutes(options.access.access));
  }

  app.onError((error, c) => {
    if (error instanceof ParameterError) {
      return c.json({ error: { parameter: error.parameter, message: error.message } }, 400);
    }
    if (c.req.raw.signal.aborted) return c.body(null, 499 as 400);
    options.logger.warn('query failed', { path: c.req.path, error });
    // ClickHouse TIMEOUT_EXCEEDED (code 159): running it again would only time out
    // again, so it is not a "try later" 503. Details stay in the log, not the answer.
    const { code, type } = error as { code?: unknown; type?: unknown };
    if (type === 'TIMEOUT_EXCEEDED' || code === '159' || code === 159) {
      return c.json({ error: { message: 'the query ran past the query timeout (--query-timeout): narrow the time range or the filters' } }, 504);
    }
    return c.json({ error: { message: 'storage could not answer the query; see the server log' } }, 503);
  });

  app.get('/healthz', (c) => c.json({ status: 'ok' }));
  const { metrics } = options;
  if (metrics) {
    app.get('/metrics', (c) => c.text(metrics.render(), 200, { 'Content-Type': prometheusContentType }));
  }
  // Ready means both directions work: reads answer, and writes are not failing
  // (a full disk fails every insert while SELECT 1 still answers). Engine text
  // stays in the server log.
  app.get('/readyz', async (c) => {
    const writes = options.writeHealth?.() ?? { ok: true };
    if (!writes.ok) {
      const since = new Date(writes.failingSinceMs).toISOString();
      return c.json({ status: 'unavailable', error: `writes to storage are failing since ${since}; see the server log` }, 503);
    }
    try {
      await reader.ping({ signal: c.req.raw.signal });
      return c.json({ status: 'ready' });
    } catch (error) {
      options.logger.warn('readiness: storage does not answer', { error });
      return c.json({ status: 'unavailable', error: 'storage does not answer queries; see the server log' }, 503);
    }
  });

  // The web UI's views (types.ts): services page, autocomplete, trace view, log histogram.
  const views = { reader, nowNs };
  for (const routes of [createServiceRoutes(views), createAttributeRoutes(views), createTraceViewRoutes(views), createLogViewRoutes(views), createAnalysisRoutes(views)]) {
    app.route('/', routes);
  }

  // The Prometheus HTTP API (query, query_range, series, labels, ...; prometheus-routes.ts).
  app.route('/', createPrometheusRoutes({ reader, logger: options.logger }));
  // The Loki HTTP API with LogQL (loki-routes.ts), under /loki/api/v1/.
  app.route('/', createLokiRoutes({ reader, logger: options.logger, nowNs }));
  app.route('/', createRedRoutes({ reader, nowNs }));
  // Grafana Tempo's API (tempo-routes.ts). Before Jaeger's: /api/traces/{id} with
  // Accept: application/protobuf is Tempo's, any other request there passes on to Jaeger.
  app.route('/', createTempoRoutes({ reader, nowNs }));
  // Jaeger's query APIs, v1 and api_v3 (jaeger-routes.ts), also under Jaeger's base path /jaeger.
  const jaeger = createJaegerRoutes({ reader, logger: options.logger, nowNs });
  app.route('/', jaeger);
  app.route('/jaeger', jaeger);
  // The MCP server's streamable HTTP transport (mcp-routes.ts).
  app.route('/', createMcpRoutes({ reader, logger: options.logger, nowNs, version: '0.1.0', ...(options.exportRequests ? { exportRequests: options.exportRequests } : {}) }));
  app.route('/', createDoctorRoutes({ reader, nowNs, ...(options.exportRequests ? { exportRequests: options.exportRequests } : {}) }));

  app.get('/api/v1/services', async (c) => {
    const range = parseTimeRange((n) => c.req.query(n), nowNs());
    const services = await reader.listServices(range, { signal: c.req.raw.signal });
    return c.json({ services });
  });

  app.get('/api/v1/traces/:traceId', async (c) => {
    const traceId = parseTraceId('traceId', c.req.param('traceId'));
    const trace = await reader.getTrace(traceId, { signal: c.req.raw.signal });
    if (trace === undefined) return c.json({ error: { message: `trace ${traceId} not found` } }, 404);
    return storedJson(c, tracesToOtlpJson(trace));
  });

  app.get('/api/v1/traces', async (c) => {
    const q = (n: string) => c.req.query(n);
    const range = parseTimeRange(q, nowNs());
    const optional = <T>(name: string, parse: (text: string) => T) => optionalParam(c, name, parse);
    const traces = await reader.searchTraces(
      {
        ...range,
        ...defined('service', optional('service', String)),
        ...defined('spanName', optional('spanName', String)),
        ...defined('minDurationNs', optional('minDuration', (t) => parseDuration('minDuration', t))),
        ...defined('maxDurationNs', optional('maxDuration', (t) => parseDuration('maxDuration', t))),
        ...defined('status', optional('status', parseStatus)),
        attributes: attributeFilters(c),
        limit: parseLimit(q('limit'), 20, maxLimit),
      },
      { signal: c.req.raw.signal },
    );
    return c.json({
      traces: traces.map((t) => ({
        ...t,
        startTimeUnixNano: t.startTimeUnixNano.toString(),
        durationNano: t.durationNano.toString(),
      })),
    });
  });

  app.get('/api/v1/logs', async (c) => {
    const q = (n: string) => c.req.query(n);
    const optional = <T>(name: string, parse: (text: string) => T) => optionalParam(c, name, parse);
    const logs = await reader.searchLogs(
      {
        ...parseTimeRange(q, nowNs()),
        ...defined('traceId', optional('traceId', (t) => parseTraceId('traceId', t))),
        ...defined('spanId', optional('spanId', (t) => parseSpanId('spanId', t))),
        ...defined('service', optional('service', String)),
        ...defined('minSeverity', optional('minSeverity', (t) => parseSeverity('minSeverity', t))),
        ...defined('text', optional('q', String)),
        attributes: attributeFilters(c),
        limit: parseLimit(q('limit'), 100, maxLimit),
      },
      { signal: c.req.raw.signal },
    );
    return storedJson(c, { logs: logs.map(logToJson) });
  });

  app.get('/api/v1/metrics', async (c) => {
    const range = parseTimeRange((n) => c.req.query(n), nowNs());
    const metrics = await reader.listMetrics(range, { signal: c.req.raw.signal });
    return c.json({ metrics });
  });

  app.get('/api/v1/metrics/:name/points', async (c) => {
    const q = (n: string) => c.req.query(n);
    const data = await reader.metricPoints(
      {
        ...parseTimeRange(q, nowNs()),
        name: c.req.param('name'),
        attributes: attributeFilters(c),
        limit: parseLimit(q('limit'), 1000, 10_000),
      },
      { signal: c.req.raw.signal },
    );
    return storedJson(c, metricsToOtlpJson(data));
  });

  mountWebUi(app as unknown as Hono, options.webUi);
  return app as unknown as Hono;
}
