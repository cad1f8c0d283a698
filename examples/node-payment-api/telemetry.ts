import { context, logs, metrics, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import { OTLPLogExporter as GrpcLogExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as JsonLogExporter } from '@opentelemetry/exporter-logs-otlp-http';
import { OTLPLogExporter as ProtoLogExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as GrpcMetricExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as JsonMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPMetricExporter as ProtoMetricExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as GrpcTraceExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoTraceExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { defaultResource, detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';

// The OpenTelemetry JS SDK set up in code, the Node counterpart of the FastAPI
// example's main.py: the same resource, the same three signals, and the same
// OTEL_* variables choosing where they go. Must run before the server starts.

export interface Telemetry {
  /** Exports what is buffered and stops the providers; rejects when some could not be exported. */
  shutdown(): Promise<void>;
}

type Protocol = 'http/protobuf' | 'http/json' | 'grpc';

function exportersFor(protocol: Protocol, endpoint: string) {
  const url = (signal: string) => `${endpoint.replace(/\/$/, '')}/v1/${signal}`;
  switch (protocol) {
    case 'http/protobuf':
      return {
        spans: new ProtoTraceExporter({ url: url('traces') }),
        metrics: new ProtoMetricExporter({ url: url('metrics') }),
        logs: new ProtoLogExporter({ url: url('logs') }),
      };
    case 'http/json':
      return {
        spans: new JsonTraceExporter({ url: url('traces') }),
        metrics: new JsonMetricExporter({ url: url('metrics') }),
        logs: new JsonLogExporter({ url: url('logs') }),
      };
    case 'grpc':
      // One endpoint for every signal; an http:// URL means no TLS.
      return {
        spans: new GrpcTraceExporter({ url: endpoint }),
        metrics: new GrpcMetricExporter({ url: endpoint }),
        logs: new GrpcLogExporter({ url: endpoint }),
      };
  }
}

function milliseconds(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name}=${text}: expected a positive number of milliseconds`);
  return value;
}

export function startTelemetry(env: NodeJS.ProcessEnv = process.env): Telemetry {
  const protocol = (env['OTEL_EXPORTER_OTLP_PROTOCOL'] || 'http/protobuf') as Protocol;
  if (!['http/protobuf', 'http/json', 'grpc'].includes(protocol)) {
    throw new Error(`OTEL_EXPORTER_OTLP_PROTOCOL=${protocol}: expected http/protobuf, http/json or grpc`);
  }
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'] || (protocol === 'grpc' ? 'http://localhost:4317' : 'http://localhost:4318');
  const exporters = exportersFor(protocol, endpoint);

  // OTEL_RESOURCE_ATTRIBUTES (e.g. service.instance.id) is merged in; the
  // attributes given here win, as with Resource.create in Python.
  const resource = defaultResource()
    .merge(detectResources({ detectors: [envDetector] }))
    .merge(
      resourceFromAttributes({
        'service.name': 'payment-api',
        'service.version': '1.0.0',
        'deployment.environment': 'production',
      }),
    );

  const tracerProvider = new TracerProvider({
    resource,
    spanProcessors: [
      new BatchSpanProcessor({
        exporter: exporters.spans,
        scheduledDelayMillis: milliseconds(env, 'OTEL_BSP_SCHEDULE_DELAY', 5000),
      }),
    ],
  });
  const meterProvider = new MeterProvider({
    resource,
    readers: [
      new PeriodicExportingMetricReader({
        exporter: exporters.metrics,
        exportIntervalMillis: milliseconds(env, 'OTEL_METRIC_EXPORT_INTERVAL', 60_000),
      }),
    ],
  });
  const loggerProvider = new LoggerProvider({
    resource,
    processors: [
      new BatchLogRecordProcessor({
        exporter: exporters.logs,
        scheduledDelayMillis: milliseconds(env, 'OTEL_BLRP_SCHEDULE_DELAY', 1000),
      }),
    ],
  });

  // The context manager carries the active span across `await`, so spans and log
  // records made inside a request handler are tied to its request span; the
  // propagator reads the W3C traceparent header of incoming requests.
  context.setGlobalContextManager(new AsyncLocalStorageContextManager());
  propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  trace.setGlobalTracerProvider(tracerProvider);
  metrics.setGlobalMeterProvider(meterProvider);
  logs.setGlobalLoggerProvider(loggerProvider);

  return {
    async shutdown() {
      // Each provider flushes on its own: one unreachable exporter must not keep the others' data back.
      const results = await Promise.allSettled([tracerProvider.shutdown(), meterProvider.shutdown(), loggerProvider.shutdown()]);
      const failed = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (failed.length > 0) throw new AggregateError(failed.map((r) => r.reason), 'telemetry was not fully exported');
    },
  };
}
