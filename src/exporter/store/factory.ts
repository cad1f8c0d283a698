import { z } from 'zod';
import type { ExporterFactory } from '../../component/component.ts';
import { componentConfig } from '../../component/config-schema.ts';
import { formatComponentId } from '../../component/component.ts';
import type { ConsumeResult } from '../../consumer/consumer.ts';
import { countDataPoints, countLogRecords, countSpans } from '../../pdata/item-count.ts';
import type { TelemetryWriter } from '../../storage/api.ts';
import { createStoreExporter } from './store-exporter.ts';
import { readsOnly } from '../../consumer/consumer.ts';

// `tracehouse`: the local store as a pipeline exporter. There is one store per
// process, owned by the server, so every instance writes through the same writer
// and has nothing of its own to start or stop. No sending queue: its consume
// resolves when the rows are inserted, which is what makes a 2xx mean "stored".

export const storeExporterConfigSchema = componentConfig(z.strictObject({}));

export function createStoreExporterFactory(writer: () => TelemetryWriter, retentionHours: number): ExporterFactory<unknown> {
  const retentionNs = BigInt(Math.round(retentionHours * 3600)) * 1_000_000_000n;
  // Rows are encoded from the data as given; refused items are left out of a
  // copy (store-exporter.ts), so the caller's data is never changed.
  const lifecycle = { start: async () => {}, shutdown: async () => {}, capabilities: readsOnly };
  const counted = (
    settings: Parameters<ExporterFactory<unknown>['createTracesExporter']>[0],
    item: 'spans' | 'metric_points' | 'log_records',
  ) => {
    const labels = { exporter: formatComponentId(settings.id) };
    const sent = settings.metrics.counter(`otelcol_exporter_sent_${item}`, `Number of ${item} successfully sent to destination.`, ['exporter']);
    const failed = settings.metrics.counter(`otelcol_exporter_send_failed_${item}`, `Number of ${item} in failed attempts to send to destination.`, ['exporter']);
    return async (items: number, send: () => Promise<ConsumeResult>) => {
      try {
        const result = await send();
        sent.add(items, labels);
        return result;
      } catch (error) {
        failed.add(items, labels);
        throw error;
      }
    };
  };
  return {
    type: 'tracehouse',
    configSchema: storeExporterConfigSchema,
    createTracesExporter(settings) {
      const record = counted(settings, 'spans');
      const store = createStoreExporter(writer(), { retentionNs });
      return { ...lifecycle, consumeTraces: (d) => record(countSpans(d), () => store.consumeTraces(d)) };
    },
    createMetricsExporter(settings) {
      const record = counted(settings, 'metric_points');
      const store = createStoreExporter(writer(), { retentionNs });
      return { ...lifecycle, consumeMetrics: (d) => record(countDataPoints(d), () => store.consumeMetrics(d)) };
    },
    createLogsExporter(settings) {
      const record = counted(settings, 'log_records');
      const store = createStoreExporter(writer(), { retentionNs });
      return { ...lifecycle, consumeLogs: (d) => record(countLogRecords(d), () => store.consumeLogs(d)) };
    },
  };
}
