import type { CreateSettings, ExporterFactory } from '../../component/component.ts';
import { retryable } from '../exporterhelper/export-outcome.ts';
import { logsSignal, metricsSignal, tracesSignal } from '../exporterhelper/export-signal.ts';
import type { ExportSignal } from '../exporterhelper/export-signal.ts';
import { createExporterHelper } from '../exporterhelper/exporter-helper.ts';
import type { ExporterHelper } from '../exporterhelper/exporter-helper.ts';
import { otlpGrpcConfigSchema } from './config.ts';
import type { OtlpGrpcConfig } from './config.ts';
import { createOtlpGrpcClient } from './grpc-client.ts';
import type { OtlpGrpcClient } from './grpc-client.ts';
import { readsOnly } from '../../consumer/consumer.ts';
import { clientAuthenticator } from '../../extension/auth/authenticator.ts';

// `otlp`: the Collector's OTLP/gRPC exporter (exporter/otlpexporter; newer
// Collectors also call it `otlp_grpc`, registered as an alias in ../index.ts).
// The channel is made at start (TLS files are read then) and closed at shutdown,
// after the sending queue has stopped.

export type { OtlpGrpcConfig } from './config.ts';

function createOtlpGrpcExporter<T>(settings: CreateSettings, config: OtlpGrpcConfig, signal: ExportSignal<T>): ExporterHelper<T> {
  let client: OtlpGrpcClient | undefined;
  return createExporterHelper(settings, {
    signal,
    retry: config.retry,
    queue: config.queue,
    send: (request, abort) =>
      client ? client.export(signal.signal, request, abort) : Promise.resolve(retryable('the exporter is not started')),
    async start() {
      const auth = config.authenticator === undefined ? undefined : clientAuthenticator(settings, config.authenticator);
      client = await createOtlpGrpcClient(config, auth);
    },
    async shutdown() {
      client?.close();
    },
  });
}

export const otlpExporterFactory: ExporterFactory<OtlpGrpcConfig> = {
  type: 'otlp',
  configSchema: otlpGrpcConfigSchema,
  createTracesExporter(settings, config) {
    const exporter = createOtlpGrpcExporter(settings, config, tracesSignal);
    return { start: exporter.start, shutdown: exporter.shutdown, consumeTraces: exporter.consume, capabilities: readsOnly };
  },
  createMetricsExporter(settings, config) {
    const exporter = createOtlpGrpcExporter(settings, config, metricsSignal);
    return { start: exporter.start, shutdown: exporter.shutdown, consumeMetrics: exporter.consume, capabilities: readsOnly };
  },
  createLogsExporter(settings, config) {
    const exporter = createOtlpGrpcExporter(settings, config, logsSignal);
    return { start: exporter.start, shutdown: exporter.shutdown, consumeLogs: exporter.consume, capabilities: readsOnly };
  },
};
