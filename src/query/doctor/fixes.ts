// The fix to copy for each finding, for the SDK the service reports
// (telemetry.sdk.language): the seed's Python/FastAPI setup first, Node.js
// beside it, and the language-neutral environment variables of the SDK
// configuration spec otherwise.

type Fixes = { python: string; nodejs?: string; other: string };

const fixes: Record<string, (service: string) => Fixes> = {
  'http-route-missing': () => ({
    python: 'pip install opentelemetry-instrumentation-asgi==0.63b0  # the same version as opentelemetry-instrumentation-fastapi',
    nodejs: "// register the framework's instrumentation beside the HTTP one, e.g.\nnew NodeSDK({ instrumentations: [new HttpInstrumentation(), new ExpressInstrumentation()] })",
    other: "Install the web framework's OpenTelemetry instrumentation (not only the HTTP server one), at the same version as the rest, so server spans carry http.route.",
  }),
  'span-name-high-cardinality': () => ({
    python: 'pip install opentelemetry-instrumentation-asgi==0.63b0  # FastAPI spans are then named "GET /items/{item_id}"',
    nodejs: "// name server spans by route: instrument the framework (ExpressInstrumentation, FastifyInstrumentation ...)\n// and, for manual spans, use the template: tracer.startSpan('GET /items/:id')",
    other: 'Name spans by route template (GET /items/{item_id}), never by the filled-in path; put the id in an attribute instead.',
  }),
  'health-check-spans': () => ({
    python: 'OTEL_PYTHON_FASTAPI_EXCLUDED_URLS=health,readyz,livez',
    nodejs: "new HttpInstrumentation({ ignoreIncomingRequestHook: (req) => /^\\/(health|readyz|livez)/.test(req.url ?? '') })",
    other: 'Exclude health, readiness and liveness endpoints from instrumentation, or drop them in the Collector:\nprocessors:\n  filter/health:\n    traces:\n      span:\n        - \'IsMatch(attributes["url.path"], "^/(health|readyz|livez)")\'',
  }),
  'span-per-export-request': () => ({
    python: 'from opentelemetry.sdk.trace.export import BatchSpanProcessor\ntracer_provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))  # not SimpleSpanProcessor',
    nodejs: "new NodeTracerProvider({ spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] }) // not SimpleSpanProcessor",
    other: 'Use the BatchSpanProcessor, not the SimpleSpanProcessor, in production (OTEL_BSP_SCHEDULE_DELAY=5000).',
  }),
  'spans-outside-request-context': () => ({
    python: '@app.post("/payments")\nasync def create_payment():\n    with tracer.start_as_current_span("payment.validate"):  # inside the handler, not at module level\n        ...',
    nodejs: "// start manual spans inside the handler, from the active context:\ntracer.startActiveSpan('payment.validate', (span) => { try { /* ... */ } finally { span.end(); } });",
    other: 'Create manual spans inside the request handler from the active context (start_as_current_span / startActiveSpan), and carry the context into threads and tasks you start.',
  }),
  'logs-without-trace-context': () => ({
    python: 'from opentelemetry.sdk._logs import LoggingHandler\nlogging.getLogger().addHandler(LoggingHandler(logger_provider=logger_provider))  # before the first log call',
    nodejs: "// log through the OpenTelemetry Logs API inside the request (or instrument your logger: @opentelemetry/instrumentation-pino / -winston)\nlogs.getLogger('app').emit({ body: 'payment accepted' }); // picks up the active span",
    other: 'Set up the log provider and attach its handler to the logger your code uses, so records carry the active trace and span ids.',
  }),
  'no-logs': () => ({
    python: 'from opentelemetry.sdk._logs import LoggerProvider, LoggingHandler\nfrom opentelemetry.sdk._logs.export import BatchLogRecordProcessor\nfrom opentelemetry.exporter.otlp.proto.http._log_exporter import OTLPLogExporter\nlogger_provider = LoggerProvider(resource=resource)\nlogger_provider.add_log_record_processor(BatchLogRecordProcessor(OTLPLogExporter()))\nlogging.getLogger().addHandler(LoggingHandler(logger_provider=logger_provider))',
    nodejs: "new NodeSDK({ logRecordProcessors: [new BatchLogRecordProcessor(new OTLPLogExporter())] })",
    other: 'OTEL_LOGS_EXPORTER=otlp',
  }),
  'no-metrics': () => ({
    python: 'reader = PeriodicExportingMetricReader(OTLPMetricExporter())\nmeter_provider = MeterProvider(resource=resource, metric_readers=[reader])\nmetrics.set_meter_provider(meter_provider)',
    nodejs: 'new NodeSDK({ metricReader: new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter() }) })',
    other: 'OTEL_METRICS_EXPORTER=otlp',
  }),
  'metric-interval-long': () => ({
    python: 'OTEL_METRIC_EXPORT_INTERVAL=15000',
    other: 'OTEL_METRIC_EXPORT_INTERVAL=15000',
  }),
  'old-http-semconv': () => ({
    python: 'OTEL_SEMCONV_STABILITY_OPT_IN=http',
    other: 'OTEL_SEMCONV_STABILITY_OPT_IN=http',
  }),
  'unknown-service': () => ({
    python: 'OTEL_SERVICE_NAME=your-service-name',
    other: 'OTEL_SERVICE_NAME=your-service-name',
  }),
  'service-version-missing': (service) => ({
    python: `OTEL_RESOURCE_ATTRIBUTES=service.version=1.0.0  # ${service || 'the service'}'s release`,
    other: 'OTEL_RESOURCE_ATTRIBUTES=service.version=1.0.0',
  }),
  'deployment-environment-missing': () => ({
    python: 'OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=production',
    other: 'OTEL_RESOURCE_ATTRIBUTES=deployment.environment.name=production',
  }),
};

export function fixFor(id: string, sdkLanguage: string | undefined, service: string): string {
  const f = fixes[id]?.(service);
  if (f === undefined) return '';
  if (sdkLanguage === 'python') return f.python;
  if (sdkLanguage === 'nodejs' && f.nodejs !== undefined) return f.nodejs;
  return f.other;
}
