import type { DoctorExample, DoctorFinding } from '../../api/types.ts';
import type { SpanExample } from '../../storage/doctor-api.ts';
import { fixFor } from './fixes.ts';
import type { ServiceStats } from './service-stats.ts';

// The seed's "Common Setup Problems", each recognised from what a service sent
// over the range. Thresholds are set so that a few stray spans never raise a
// finding: each names the count it needs, and a clean service raises none
// (test/doctor.test.ts).

/** Health spans that make a flood rather than a stray probe. */
export const MIN_HEALTH_SPANS = 10;
/** Distinct id-carrying span names that make the names unbounded, not one odd name. */
export const MIN_ID_NAMES = 3;
/** Distinct names of route-less HTTP server spans that make the names unbounded even without ids. */
export const MIN_ROUTELESS_NAMES = 50;
/** Requests needed to call a stream steady. */
export const MIN_EXPORT_REQUESTS = 20;
/**
 * A BatchSpanProcessor sends at most one request per scheduledDelayMillis (5 s:
 * 12 a minute) unless 512 spans wait, so more single-span requests than that in
 * a minute is an exporter that does not batch.
 */
export const BATCHING_REQUESTS_PER_MINUTE = 12;
/** Twice the SDK's default PeriodicExportingMetricReader interval (60 s). */
export const SLOW_METRIC_INTERVAL_NS = 120_000_000_000;

type Finding = Omit<DoctorFinding, 'fix'>;

const spanExample = (e: SpanExample | undefined): DoctorExample[] =>
  e === undefined || e.traceId === '' ? [] : [{ traceId: e.traceId, spanId: e.spanId, spanName: e.spanName }];
const pct = (part: number, whole: number) => `${Math.round((100 * part) / Math.max(1, whole))}%`;

export function findingsOf(s: ServiceStats): DoctorFinding[] {
  const found: Finding[] = [];
  const spans = s.spans;
  if (spans !== undefined) {
    if (spans.noRouteSpans >= 5 && spans.noRouteSpans >= 0.2 * spans.httpServerSpans) {
      found.push({
        id: 'http-route-missing', severity: 'warning', title: 'HTTP server spans without http.route',
        cause: 'The framework instrumentation that knows the route template (for FastAPI: opentelemetry-instrumentation-asgi) is missing or at another version than the rest.',
        evidence: {
          summary: `${spans.noRouteSpans} of ${spans.httpServerSpans} HTTP server spans (${pct(spans.noRouteSpans, spans.httpServerSpans)}) have no http.route, under ${spans.noRouteNames} distinct names`,
          counts: { spans: spans.noRouteSpans, httpServerSpans: spans.httpServerSpans, names: spans.noRouteNames },
          examples: spanExample(spans.noRouteExample),
        },
        scoreRules: [],
      });
    }
    if (spans.idNames >= MIN_ID_NAMES || spans.noRouteNames >= MIN_ROUTELESS_NAMES) {
      const examples = spans.idNames >= MIN_ID_NAMES ? spans.idNameExamples : [spans.noRouteExample.spanName];
      found.push({
        id: 'span-name-high-cardinality', severity: 'warning', title: 'Span names are filled-in paths or carry ids',
        cause: 'Spans are named from the request path (GET /items/42) instead of the route template (GET /items/{item_id}), so every id makes a new operation.',
        evidence: {
          summary: spans.idNames >= MIN_ID_NAMES
            ? `${spans.idNameSpans} spans under ${spans.idNames} distinct names with an id in them, e.g. ${examples.join(', ')}`
            : `${spans.noRouteNames} distinct names among HTTP server spans without http.route`,
          counts: { spans: spans.idNameSpans, names: Math.max(spans.idNames, spans.noRouteNames) },
          examples: spanExample(spans.idNames >= MIN_ID_NAMES ? spans.idNameExample : spans.noRouteExample),
        },
        scoreRules: ['SPA-003'],
      });
    }
    if (spans.healthSpans >= MIN_HEALTH_SPANS) {
      found.push({
        id: 'health-check-spans', severity: 'warning', title: 'Health check endpoints produce spans',
        cause: 'Health, readiness and liveness probes are not excluded from instrumentation, so they flood the traces.',
        evidence: {
          summary: `${spans.healthSpans} spans (${pct(spans.healthSpans, spans.spans)} of the service's) are health checks: ${spans.healthNames.join(', ')}`,
          counts: { spans: spans.healthSpans, ofSpans: spans.spans },
          examples: spanExample(spans.healthExample),
        },
        scoreRules: [],
      });
    }
    if (spans.oldHttpSpans > 0 || (s.metrics?.oldHttpMetrics.length ?? 0) > 0) {
      const metrics = s.metrics?.oldHttpMetrics ?? [];
      found.push({
        id: 'old-http-semconv', severity: 'warning', title: 'Old HTTP semantic conventions',
        cause: 'The instrumentation emits the HTTP conventions from before 1.20 (http.method, http.target, http.server.duration in ms) instead of the stable ones (http.request.method, url.path, http.server.request.duration in s).',
        evidence: {
          summary: [
            spans.oldHttpSpans > 0 ? `${spans.oldHttpSpans} spans carry ${spans.oldHttpKeys.join(', ')}` : '',
            metrics.length > 0 ? `metrics ${metrics.join(', ')}` : '',
          ].filter((x) => x !== '').join('; '),
          counts: { spans: spans.oldHttpSpans, metrics: metrics.length },
          examples: spanExample(spans.oldHttpExample),
        },
        scoreRules: [],
      });
    }
  }
  const d = s.detached;
  if (d !== undefined && d.insideServerSpans >= 3) {
    found.push({
      id: 'spans-outside-request-context', severity: 'warning', title: 'Manual spans start new traces during requests',
      cause: 'Spans are created outside the request context (at module level, in a thread or task that did not inherit the context), so they become roots of traces of their own instead of children of the request span.',
      evidence: {
        summary: `${d.insideServerSpans} INTERNAL spans started a new trace while a SERVER span of the service was open (${d.rootInternalSpans} INTERNAL root spans in all)`,
        counts: { spans: d.insideServerSpans, internalRootSpans: d.rootInternalSpans },
        examples: spanExample(d.example),
      },
      scoreRules: [],
    });
  }
  const e = s.exportRequests;
  if (spans !== undefined && e.requests >= MIN_EXPORT_REQUESTS && e.singleSpanRequests >= 0.9 * e.requests && e.peakRequestsPerMinute > BATCHING_REQUESTS_PER_MINUTE) {
    found.push({
      id: 'span-per-export-request', severity: 'warning', title: 'One span per export request',
      cause: 'Spans are exported one by one as they end (SimpleSpanProcessor): one HTTP or gRPC request per span, which costs the application and the network far more than batches.',
      evidence: {
        summary: `${e.singleSpanRequests} of ${e.requests} trace export requests carried a single span (${e.spans} spans), up to ${e.peakRequestsPerMinute} requests a minute`,
        counts: { requests: e.requests, singleSpanRequests: e.singleSpanRequests, spans: e.spans, peakRequestsPerMinute: e.peakRequestsPerMinute },
        examples: [],
      },
      scoreRules: [],
    });
  }
  const logs = s.logs;
  if (spans !== undefined && logs !== undefined && logs.logs >= 5 && logs.withoutTraceContext >= 0.5 * logs.logs) {
    found.push({
      id: 'logs-without-trace-context', severity: 'warning', title: 'Logs are not correlated with traces',
      cause: 'The service sends traces, but its logs carry no trace or span id: the log provider is not set up or the logging handler is not attached where the request context is.',
      evidence: {
        summary: `${logs.withoutTraceContext} of ${logs.logs} log records (${pct(logs.withoutTraceContext, logs.logs)}) have no trace context`,
        counts: { logs: logs.withoutTraceContext, ofLogs: logs.logs },
        examples: logs.withoutTraceExample === '' ? [] : [{ text: logs.withoutTraceExample }],
      },
      scoreRules: [],
    });
  }
  if (spans !== undefined && logs === undefined) {
    found.push(signalMissing('no-logs', 'The service sends traces but no logs', 'No log provider (LoggerProvider with an OTLP exporter) is set up, or the logging handler is not attached to the root logger.', spans.spans));
  }
  if (spans !== undefined && s.metrics === undefined) {
    found.push(signalMissing('no-metrics', 'The service sends traces but no metrics', 'No meter provider with a PeriodicExportingMetricReader is set globally, so instruments record into a no-op meter.', spans.spans));
  }
  const m = s.metrics;
  if (m !== undefined && m.seriesWithGaps > 0 && m.medianIntervalNs >= SLOW_METRIC_INTERVAL_NS) {
    found.push({
      id: 'metric-interval-long', severity: 'warning', title: 'Metrics arrive rarely',
      cause: 'The PeriodicExportingMetricReader export interval is long (the SDK default is 60 s), so metrics lag far behind traces.',
      evidence: {
        summary: `points of ${m.seriesWithGaps} series arrive every ${Math.round(m.medianIntervalNs / 1e9)} s (median)`,
        counts: { series: m.seriesWithGaps, medianIntervalSeconds: Math.round(m.medianIntervalNs / 1e9) },
        examples: [],
      },
      scoreRules: [],
    });
  }
  found.push(...resourceFindings(s));
  const language = s.resources?.sdkLanguages[0];
  return found.map((f) => ({ ...f, fix: fixFor(f.id, language, s.service) }));
}

function signalMissing(id: string, title: string, cause: string, spans: number): Finding {
  return { id, severity: 'warning', title, cause, evidence: { summary: `${spans} spans and nothing of the other signal in the range`, counts: { spans }, examples: [] }, scoreRules: [] };
}

function resourceFindings(s: ServiceStats): Finding[] {
  const found: Finding[] = [];
  if (s.service === '' || s.service.startsWith('unknown_service')) {
    found.push({
      id: 'unknown-service', severity: 'critical', title: s.service === '' ? 'No service.name' : `service.name is ${s.service}`,
      cause: 'OTEL_SERVICE_NAME (or the service.name resource attribute) is not set, so the SDK reports its fallback name and the service cannot be told apart from others.',
      evidence: { summary: `telemetry arrives as "${s.service}"`, counts: { spans: s.spans?.spans ?? 0, logs: s.logs?.logs ?? 0, metricPoints: s.metrics?.points ?? 0 }, examples: [] },
      scoreRules: ['RES-005'],
    });
  }
  const r = s.resources;
  if (r === undefined) return found;
  if (r.withoutVersion > 0) {
    found.push({
      id: 'service-version-missing', severity: 'warning', title: 'No service.version',
      cause: 'The resource does not say which build sent the telemetry, so a regression cannot be tied to a release.',
      evidence: { summary: `${r.withoutVersion} of ${r.resources} resources have no service.version`, counts: { resources: r.withoutVersion, ofResources: r.resources }, examples: [] },
      scoreRules: [],
    });
  }
  if (r.withoutEnvironment > 0) {
    found.push({
      id: 'deployment-environment-missing', severity: 'warning', title: 'No deployment.environment.name',
      cause: 'The resource does not say which environment (production, staging) it runs in, so their telemetry mixes.',
      evidence: { summary: `${r.withoutEnvironment} of ${r.resources} resources have neither deployment.environment.name nor deployment.environment`, counts: { resources: r.withoutEnvironment, ofResources: r.resources }, examples: [] },
      scoreRules: [],
    });
  }
  return found;
}
