import { gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { CreateSettings, ExporterFactory } from '../../component/component.ts';
import { formatComponentId } from '../../component/component.ts';
import { loadTlsMaterial } from '../exporterhelper/client-config.ts';
import { retryable } from '../exporterhelper/export-outcome.ts';
import type { ExportRequest } from '../exporterhelper/export-request.ts';
import { logsSignal, metricsSignal, tracesSignal } from '../exporterhelper/export-signal.ts';
import type { ExportSignal } from '../exporterhelper/export-signal.ts';
import { createExporterHelper } from '../exporterhelper/exporter-helper.ts';
import type { ExporterHelper } from '../exporterhelper/exporter-helper.ts';
import { otlpHttpConfigSchema } from './config.ts';
import type { OtlpHttpConfig } from './config.ts';
import { createHttpTransport } from './http-client.ts';
import type { HttpTransport } from './http-client.ts';
import { outcomeForPost } from './http-status.ts';
import { readsOnly } from '../../consumer/consumer.ts';
import { clientAuthenticator } from '../../extension/auth/authenticator.ts';
import type { ClientAuthenticator } from '../../extension/auth/authenticator.ts';

// `otlphttp`: the Collector's OTLP/HTTP exporter (exporter/otlphttpexporter; newer
// Collectors also call it `otlp_http`, registered as an alias in ../index.ts).

export type { OtlpHttpConfig } from './config.ts';

const gzipAsync = promisify(gzip);

function createOtlpHttpExporter<T>(settings: CreateSettings, config: OtlpHttpConfig, signal: ExportSignal<T>): ExporterHelper<T> {
  const urlText = config.urls[signal.signal];
  if (urlText === undefined) {
    throw new Error(`exporter ${formatComponentId(settings.id)}: either endpoint or ${signal.signal}_endpoint must be specified`);
  }
  const url = new URL(urlText);
  const headers: Record<string, string> = {
    'User-Agent': 'Tracehouse',
    ...config.headers,
    'Content-Type': config.encoding === 'json' ? 'application/json' : 'application/x-protobuf',
  };
  if (config.compression === 'gzip') headers['Content-Encoding'] = 'gzip';
  // A request's body is built once and reused by its retries.
  const bodies = new WeakMap<ExportRequest<T>, Promise<Uint8Array>>();
  const bodyFor = (request: ExportRequest<T>): Promise<Uint8Array> => {
    let body = bodies.get(request);
    if (!body) {
      const raw =
        config.encoding === 'json' ? Buffer.from(JSON.stringify(signal.toOtlpJson(request.data()))) : request.protoBytes();
      body = config.compression === 'gzip' ? gzipAsync(raw) : Promise.resolve(raw);
      bodies.set(request, body);
    }
    return body;
  };

  let transport: HttpTransport | undefined;
  let auth: ClientAuthenticator | undefined;
  return createExporterHelper(settings, {
    signal,
    retry: config.retry,
    queue: config.queue,
    async send(request, abort) {
      if (!transport) return retryable('the exporter is not started');
      const body = await bodyFor(request);
      const result = await transport.post(url, body, auth ? { ...headers, ...auth.requestHeaders() } : headers, config.timeoutMs, abort);
      return outcomeForPost(result, signal.signal, urlText);
    },
    async start() {
      if (config.authenticator !== undefined) auth = clientAuthenticator(settings, config.authenticator);
      transport = createHttpTransport(config.tls, await loadTlsMaterial(config.tls));
    },
    async shutdown() {
      transport?.close();
    },
  });
}

export const otlpHttpExporterFactory: ExporterFactory<OtlpHttpConfig> = {
  type: 'otlphttp',
  configSchema: otlpHttpConfigSchema,
  createTracesExporter(settings, config) {
    const exporter = createOtlpHttpExporter(settings, config, tracesSignal);
    return { start: exporter.start, shutdown: exporter.shutdown, consumeTraces: exporter.consume, capabilities: readsOnly };
  },
  createMetricsExporter(settings, config) {
    const exporter = createOtlpHttpExporter(settings, config, metricsSignal);
    return { start: exporter.start, shutdown: exporter.shutdown, consumeMetrics: exporter.consume, capabilities: readsOnly };
  },
  createLogsExporter(settings, config) {
    const exporter = createOtlpHttpExporter(settings, config, logsSignal);
    return { start: exporter.start, shutdown: exporter.shutdown, consumeLogs: exporter.consume, capabilities: readsOnly };
  },
};
