import { camel, decodeJsonEnvelope, readAttributes, readList } from './json-decode-common.ts';
import type { JsonEnvelopeShape } from './json-decode-common.ts';
import {
  decodeExponentialHistogramDataPointJson,
  decodeHistogramDataPointJson,
  decodeNumberDataPointJson,
  decodeSummaryDataPointJson,
} from './json-decode-points.ts';
import type { JsonValue } from './json-parse.ts';
import { child, readBool, readEnum, readObject, readString } from './json-read.ts';
import type { Metric, MetricData, MetricsData, ResourceMetrics, ScopeMetrics } from './model.ts';

// OTLP/JSON metrics (metrics.proto field names; see json-decode-common.ts for the rules).

const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

/** Gauge, Sum, Histogram, ExponentialHistogram, Summary: data points plus the kind's own fields. */
function decodeDataJson<P>(v: JsonValue, path: string, decodePoint: (v: JsonValue, path: string) => P) {
  const o = readObject(v, path);
  const data = { dataPoints: [] as P[], aggregationTemporality: 0, isMonotonic: false };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    if (name === 'dataPoints') data.dataPoints = readList(f, at, decodePoint);
    else if (name === 'aggregationTemporality') data.aggregationTemporality = readEnum(f, at, TEMPORALITY_NAMES);
    else if (name === 'isMonotonic') data.isMonotonic = readBool(f, at);
  }
  return data;
}

function decodeMetricJson(v: JsonValue, path: string): Metric {
  const o = readObject(v, path);
  const metric: Metric = { name: '', description: '', unit: '', metadata: [], data: undefined };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    let data: MetricData | undefined;
    switch (name) {
      case 'name':
        metric.name = readString(f, at);
        break;
      case 'description':
        metric.description = readString(f, at);
        break;
      case 'unit':
        metric.unit = readString(f, at);
        break;
      case 'metadata':
        metric.metadata = readAttributes(f, at);
        break;
      case 'gauge':
        data = { type: 'gauge', dataPoints: decodeDataJson(f, at, decodeNumberDataPointJson).dataPoints };
        break;
      case 'sum': {
        const d = decodeDataJson(f, at, decodeNumberDataPointJson);
        data = { type: 'sum', aggregationTemporality: d.aggregationTemporality, isMonotonic: d.isMonotonic, dataPoints: d.dataPoints };
        break;
      }
      case 'histogram': {
        const d = decodeDataJson(f, at, decodeHistogramDataPointJson);
        data = { type: 'histogram', aggregationTemporality: d.aggregationTemporality, dataPoints: d.dataPoints };
        break;
      }
      case 'exponentialHistogram': {
        const d = decodeDataJson(f, at, decodeExponentialHistogramDataPointJson);
        data = { type: 'exponentialHistogram', aggregationTemporality: d.aggregationTemporality, dataPoints: d.dataPoints };
        break;
      }
      case 'summary':
        data = { type: 'summary', dataPoints: decodeDataJson(f, at, decodeSummaryDataPointJson).dataPoints };
        break;
    }
    // Metric.data is a oneof: the last kind given wins.
    if (data !== undefined) metric.data = data;
  }
  return metric;
}

const SHAPE: JsonEnvelopeShape<Metric, ScopeMetrics, ResourceMetrics> = {
  names: ['resourceMetrics', 'scopeMetrics', 'metrics'],
  decodeItem: decodeMetricJson,
  scopeGroup: (scope, metrics, schemaUrl) => ({ scope, metrics, schemaUrl }),
  resourceGroup: (resource, scopeMetrics, schemaUrl) => ({ resource, scopeMetrics, schemaUrl }),
};

/** Decodes an OTLP/JSON ExportMetricsServiceRequest; BadRequestError naming the JSON path when malformed. */
export function decodeMetricsJson(text: string): MetricsData {
  return { resourceMetrics: decodeJsonEnvelope(text, SHAPE) };
}
