import type { MetricsRegistry } from '../../telemetry/metrics-registry.ts';
import type { ExportSignal } from './export-signal.ts';

// The Collector's exporterhelper metrics, same names and help: counters per item
// kind with an `exporter` label (the component id), and the queue gauges, which
// also carry `data_type` because each signal of an exporter has its own queue.

export interface ExporterMetrics {
  sent(items: number): void;
  sendFailed(items: number): void;
  enqueueFailed(items: number): void;
  queueSize(size: number): void;
  queueCapacity(capacity: number): void;
}

const itemWords: Record<ExportSignal<unknown>['itemName'], string> = {
  spans: 'spans',
  metric_points: 'metric points',
  log_records: 'log records',
};

export function createExporterMetrics(
  registry: MetricsRegistry,
  exporterId: string,
  signal: ExportSignal<unknown>,
): ExporterMetrics {
  const words = itemWords[signal.itemName];
  const labels = { exporter: exporterId };
  const queueLabels = { exporter: exporterId, data_type: signal.signal };
  const sent = registry
    .counter(`otelcol_exporter_sent_${signal.itemName}`, `Number of ${words} successfully sent to destination.`, ['exporter'])
    .labels(labels);
  const sendFailed = registry
    .counter(
      `otelcol_exporter_send_failed_${signal.itemName}`,
      `Number of ${words} in failed attempts to send to destination.`,
      ['exporter'],
    )
    .labels(labels);
  const enqueueFailed = registry
    .counter(
      `otelcol_exporter_enqueue_failed_${signal.itemName}`,
      `Number of ${words} failed to be added to the sending queue.`,
      ['exporter'],
    )
    .labels(labels);
  const queueSize = registry.gauge(
    'otelcol_exporter_queue_size',
    'Current size of the retry queue (in batches).',
    ['exporter', 'data_type'],
  );
  const queueCapacity = registry.gauge(
    'otelcol_exporter_queue_capacity',
    'Fixed capacity of the retry queue (in batches).',
    ['exporter', 'data_type'],
  );
  return {
    sent: (items) => sent.add(items),
    sendFailed: (items) => sendFailed.add(items),
    enqueueFailed: (items) => enqueueFailed.add(items),
    queueSize: (size) => queueSize.set(size, queueLabels),
    queueCapacity: (capacity) => queueCapacity.set(capacity, queueLabels),
  };
}
