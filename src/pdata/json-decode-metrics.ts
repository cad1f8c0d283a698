import { camel, decodeJsonEnvelope, readAttributes, refusableJson } from './json-decode-common.ts';
import type { DecodeRefusals } from './decode-refusals.ts';
import { countMetricPoints } from './item-count.ts';
import { JsonNumber } from './json-parse.ts';
import type { JsonEnvelopeShape } from './json-decode-common.ts';
import {
  decodeExponentialHistogramDataPointJson,
  decodeHistogramDataPointJson,
  decodeNumberDataPointJson,
  decodeSummaryDataPointJson,
} from './json-decode-points.ts';
import type { JsonValue } from './json-parse.ts';
import { child, readArray, readBool, readEnum, readObject, readString } from './json-read.ts';
import type { Metric, MetricData, MetricsData, ResourceMetrics, ScopeMetrics } from './model.ts';

// OTLP/JSON metrics (metrics.proto field names; see json-decode-common.ts for the rules).

const TEMPORALITY_NAMES: Readonly<Record<string, number>> = {
  AGGREGATION_TEMPORALITY_UNSPECIFIED: 0,
  AGGREGATION_TEMPORALITY_DELTA: 1,
  AGGREGATION_TEMPORALITY_CUMULATIVE: 2,
};

/**
 * Gauge, Sum, Histogram, ExponentialHistogram, Summary: data points plus the kind's
 * own fields. A point holding a value storage cannot keep goes to `refusals`.
 */
function decodeDataJson<P>(
  v: JsonValue,
  path: string,
  decodePoint: (v: JsonValue, path: string) => P,
  refusals: DecodeRefusals | undefined,
) {
  const o = readObject(v, path);
  const data = { dataPoints: [] as P[], aggregationTemporality: 0, isMonotonic: false };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    if (name === 'dataPoints') {
      const list = readArray(f, at);
      data.dataPoints = [];
      for (let i = 0; i < list.length; i++) {
        try {
          data.dataPoints.push(decodePoint(list[i]!, `${at}[${i}]`));
        } catch (error) {
          if (!refusableJson(error, refusals)) throw error;
          refusals!.refuse('', error, 1);
          refusals!.unitsRefusedInItem++;
        }
      }
    } else if (name === 'aggregationTemporality') data.aggregationTemporality = readEnum(f, at, TEMPORALITY_NAMES);
    else if (name === 'isMonotonic') data.isMonotonic = readBool(f, at);
  }
  return data;
}

function decodeMetricJson(v: JsonValue, path: string, refusals: DecodeRefusals | undefined): Metric {
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
        data = { type: 'gauge', dataPoints: decodeDataJson(f, at, decodeNumberDataPointJson, refusals).dataPoints };
        break;
      case 'sum': {
        const d = decodeDataJson(f, at, decodeNumberDataPointJson, refusals);
        data = { type: 'sum', aggregationTemporality: d.aggregationTemporality, isMonotonic: d.isMonotonic, dataPoints: d.dataPoints };
        break;
      }
      case 'histogram': {
        const d = decodeDataJson(f, at, decodeHistogramDataPointJson, refusals);
        data = { type: 'histogram', aggregationTemporality: d.aggregationTemporality, dataPoints: d.dataPoints };
        break;
      }
      case 'exponentialHistogram': {
        const d = decodeDataJson(f, at, decodeExponentialHistogramDataPointJson, refusals);
        data = { type: 'exponentialHistogram', aggregationTemporality: d.aggregationTemporality, dataPoints: d.dataPoints };
        break;
      }
      case 'summary':
        data = { type: 'summary', dataPoints: decodeDataJson(f, at, decodeSummaryDataPointJson, refusals).dataPoints };
        break;
    }
    // Metric.data is a oneof: the last kind given wins.
    if (data !== undefined) metric.data = data;
  }
  return metric;
}

const DATA_KINDS = new Set(['gauge', 'sum', 'histogram', 'exponentialHistogram', 'summary']);

/** The data points a Metric's JSON holds: those of its last data kind (Metric.data is a oneof). */
function pointsInMetricJson(v: JsonValue): number {
  if (v === null || typeof v !== 'object' || Array.isArray(v) || v instanceof JsonNumber) return 0;
  let points = 0;
  for (const key in v) {
    const data = v[key];
    if (!DATA_KINDS.has(camel(key)) || data === null || data === undefined) continue;
    points = 0;
    if (typeof data !== 'object' || Array.isArray(data) || data instanceof JsonNumber) continue;
    for (const field in data) {
      const list = data[field];
      if (camel(field) === 'dataPoints' && Array.isArray(list)) points = list.length;
    }
  }
  return points;
}

const SHAPE: JsonEnvelopeShape<Metric, ScopeMetrics, ResourceMetrics> = {
  names: ['resourceMetrics', 'scopeMetrics', 'metrics'],
  decodeItem: decodeMetricJson,
  units: countMetricPoints,
  unitsIn: pointsInMetricJson,
  scopeGroup: (scope, metrics, schemaUrl) => ({ scope, metrics, schemaUrl }),
  resourceGroup: (resource, scopeMetrics, schemaUrl) => ({ resource, scopeMetrics, schemaUrl }),
};

/** Decodes an OTLP/JSON ExportMetricsServiceRequest, as decodeMetricsProto does protobuf. */
export function decodeMetricsJson(text: string, refusals?: DecodeRefusals): MetricsData {
  return { resourceMetrics: decodeJsonEnvelope(text, SHAPE, refusals) };
}
