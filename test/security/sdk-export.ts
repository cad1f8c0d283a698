import { credentials, Metadata } from '@grpc/grpc-js';
import type { ChannelCredentials } from '@grpc/grpc-js';
import type { AgentOptions } from 'node:https';
import { ExportResultCode } from '@opentelemetry/core';
import { OTLPTraceExporter as GrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import type { ReadableSpan } from '@opentelemetry/sdk-trace';

// One span made by the real OpenTelemetry JS SDK, exported once by one of its
// real OTLP exporters with the headers (HTTP) or metadata (gRPC) a test gives,
// and the exporter's own verdict: what an application configured with
// OTEL_EXPORTER_OTLP_HEADERS=authorization=... would see.

export type Transport = 'http/protobuf' | 'http/json' | 'grpc';

export interface ExportVerdict {
  ok: boolean;
  /** HTTP status (401) or gRPC code (16) the exporter reported, when it failed. */
  code: number | undefined;
  message: string;
}

export async function makeSpan(serviceName: string): Promise<ReadableSpan> {
  const memory = new InMemorySpanExporter();
  const provider = new TracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName }),
    spanProcessors: [new SimpleSpanProcessor({ exporter: memory })],
  });
  provider.getTracer('security-test').startSpan('GET /secret').end();
  await provider.forceFlush();
  const [span] = memory.getFinishedSpans();
  if (span === undefined) throw new Error('the SDK finished no span');
  return span;
}

export interface ExportOptions {
  headers?: Record<string, string>;
  /** https / TLS gRPC: the CA to trust and optionally a client certificate. */
  tls?: { ca: Buffer; cert?: Buffer; key?: Buffer };
  /** The exporter's own timeout; short where a failure is expected (gRPC retries UNAVAILABLE until it). */
  timeoutMs?: number;
}

/** `url`: http(s)://host:port for OTLP/HTTP (the /v1/traces path is added), host:port's URL for gRPC. */
export async function exportSpan(transport: Transport, url: string, serviceName: string, options: ExportOptions = {}): Promise<ExportVerdict> {
  const headers = options.headers ?? {};
  const agent: AgentOptions | undefined = options.tls && { ca: options.tls.ca, ...(options.tls.cert ? { cert: options.tls.cert, key: options.tls.key } : {}) };
  let exporter;
  if (transport === 'grpc') {
    const metadata = new Metadata();
    for (const [name, value] of Object.entries(headers)) metadata.set(name.toLowerCase(), value);
    const channel: ChannelCredentials | undefined = options.tls
      ? credentials.createSsl(options.tls.ca, options.tls.key ?? null, options.tls.cert ?? null)
      : undefined;
    exporter = new GrpcExporter({ url, metadata, ...(channel ? { credentials: channel } : {}), timeoutMillis: options.timeoutMs ?? 10_000 });
  } else {
    const Exporter = transport === 'http/json' ? JsonExporter : ProtoExporter;
    exporter = new Exporter({ url: `${url}/v1/traces`, headers, timeoutMillis: options.timeoutMs ?? 10_000, ...(agent ? { httpAgentOptions: agent } : {}) });
  }
  const span = await makeSpan(serviceName);
  try {
    return await new Promise<ExportVerdict>((resolve) => {
      exporter.export([span], (result) => {
        const error = result.error as (Error & { code?: number }) | undefined;
        resolve({ ok: result.code === ExportResultCode.SUCCESS, code: error?.code, message: error?.message ?? '' });
      });
    });
  } finally {
    await exporter.shutdown();
  }
}
