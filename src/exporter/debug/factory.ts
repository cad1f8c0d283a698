import type { CreateSettings, ExporterFactory } from '../../component/component.ts';
import { formatComponentId } from '../../component/component.ts';
import { ok } from '../exporterhelper/export-outcome.ts';
import { logsSignal, metricsSignal, tracesSignal } from '../exporterhelper/export-signal.ts';
import type { ExportSignal } from '../exporterhelper/export-signal.ts';
import { createExporterHelper } from '../exporterhelper/exporter-helper.ts';
import type { ExporterHelper } from '../exporterhelper/exporter-helper.ts';
import { debugConfigSchema } from './config.ts';
import type { DebugConfig } from './config.ts';
import { logsDebug, metricsDebug, tracesDebug } from './debug-signal.ts';
import type { DebugSignal } from './debug-signal.ts';
import { readsOnly } from '../../consumer/consumer.ts';

// `debug`: the Collector's debug exporter. Each request is written as a summary
// line (basic), followed by a line per item (normal) or every field (detailed).
// Sampling follows the Collector's (zap's): per exporter and second, the first
// `sampling_initial` requests are written, then every `sampling_thereafter`-th.
// It never fails, so it has no retry; the sending queue is off unless configured.

export type { DebugConfig } from './config.ts';

export interface DebugExporterOptions {
  /** Where output goes; defaults to the configured stream. Tests inject one. */
  write?: (text: string) => void;
  now?: () => Date;
}

function createDebugExporter<T>(
  settings: CreateSettings,
  config: DebugConfig,
  signal: ExportSignal<T>,
  debug: DebugSignal<T>,
  options: DebugExporterOptions,
): ExporterHelper<T> {
  const stream = config.output === 'stderr' ? process.stderr : process.stdout;
  const write = options.write ?? ((text: string) => void stream.write(text));
  const now = options.now ?? (() => new Date());
  const fields = { 'otelcol.component.id': formatComponentId(settings.id), 'otelcol.component.kind': 'exporter', 'otelcol.signal': signal.signal };
  let windowSecond = -1;
  let inWindow = 0;

  const sampled = (at: Date): boolean => {
    const second = Math.floor(at.getTime() / 1000);
    if (second !== windowSecond) {
      windowSecond = second;
      inWindow = 0;
    }
    inWindow += 1;
    if (inWindow <= config.samplingInitial) return true;
    return config.samplingThereafter > 0 && (inWindow - config.samplingInitial) % config.samplingThereafter === 0;
  };

  return createExporterHelper(settings, {
    signal,
    retry: { enabled: false, initialIntervalMs: 0, randomizationFactor: 0, multiplier: 1, maxIntervalMs: 0, maxElapsedTimeMs: 0 },
    queue: config.queue,
    async send(request) {
      const at = now();
      if (!sampled(at)) return ok;
      const data = request.data();
      const summary = `${at.toISOString()}\tinfo\t${debug.message}\t${JSON.stringify({ ...fields, ...debug.summary(data) })}\n`;
      const body = config.verbosity === 'normal' ? debug.normal(data) : config.verbosity === 'detailed' ? debug.detailed(data) : [];
      write(body.length === 0 ? summary : summary + body.join('\n') + '\n');
      return ok;
    },
  });
}

export function createDebugExporterFactory(options: DebugExporterOptions = {}): ExporterFactory<DebugConfig> {
  return {
    type: 'debug',
    configSchema: debugConfigSchema,
    createTracesExporter(settings, config) {
      const exporter = createDebugExporter(settings, config, tracesSignal, tracesDebug, options);
      return { start: exporter.start, shutdown: exporter.shutdown, consumeTraces: exporter.consume, capabilities: readsOnly };
    },
    createMetricsExporter(settings, config) {
      const exporter = createDebugExporter(settings, config, metricsSignal, metricsDebug, options);
      return { start: exporter.start, shutdown: exporter.shutdown, consumeMetrics: exporter.consume, capabilities: readsOnly };
    },
    createLogsExporter(settings, config) {
      const exporter = createDebugExporter(settings, config, logsSignal, logsDebug, options);
      return { start: exporter.start, shutdown: exporter.shutdown, consumeLogs: exporter.consume, capabilities: readsOnly };
    },
  };
}

export const debugExporterFactory: ExporterFactory<DebugConfig> = createDebugExporterFactory();
