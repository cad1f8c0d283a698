import {
  decodeLogsProto,
  decodeMetricsProto,
  decodeTracesProto,
  encodeLogsProto,
  encodeMetricsProto,
  encodeTracesProto,
  logsToOtlpJson,
  metricsToOtlpJson,
  tracesToOtlpJson,
} from '../../pdata/index.ts';
import { countDataPoints, countLogRecords, countSpans } from '../../pdata/item-count.ts';
import type { LogsData, MetricsData, Signal, TracesData } from '../../pdata/model.ts';

// What the exporters need to know about each signal: how to count its items (the
// Collector's units for telemetry: spans, metric points, log records), its codecs,
// and the names its metrics and OTLP paths use.

export interface ExportSignal<T> {
  readonly signal: Signal;
  /** The item name in the Collector's metric names: otelcol_exporter_sent_<itemName>. */
  readonly itemName: 'spans' | 'metric_points' | 'log_records';
  countItems(data: T): number;
  encodeProto(data: T): Uint8Array;
  decodeProto(bytes: Uint8Array): T;
  /** A plain object for JSON.stringify (OTLP/JSON). */
  toOtlpJson(data: T): unknown;
}

export const tracesSignal: ExportSignal<TracesData> = {
  signal: 'traces',
  itemName: 'spans',
  countItems: countSpans,
  encodeProto: encodeTracesProto,
  decodeProto: decodeTracesProto,
  toOtlpJson: tracesToOtlpJson,
};

export const metricsSignal: ExportSignal<MetricsData> = {
  signal: 'metrics',
  itemName: 'metric_points',
  countItems: countDataPoints,
  encodeProto: encodeMetricsProto,
  decodeProto: decodeMetricsProto,
  toOtlpJson: metricsToOtlpJson,
};

export const logsSignal: ExportSignal<LogsData> = {
  signal: 'logs',
  itemName: 'log_records',
  countItems: countLogRecords,
  encodeProto: encodeLogsProto,
  decodeProto: decodeLogsProto,
  toOtlpJson: logsToOtlpJson,
};
