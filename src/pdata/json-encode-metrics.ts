import { doubleJson, envelopeToJson, put, putAttributes } from './json-encode-common.ts';
import type { JsonEncodeShape, JsonObjectOut } from './json-encode-common.ts';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  Metric,
  MetricsData,
  NumberDataPoint,
  NumberValue,
  ResourceMetrics,
  ScopeMetrics,
  SummaryDataPoint,
} from './model.ts';

// Model -> OTLP/JSON for metrics (rules in json-encode-common.ts). Counts and
// bucket counts are uint64: decimal strings.

function metricJson(metric: Metric): JsonObjectOut {
  const out: JsonObjectOut = {};
  put(out, 'name', metric.name);
  put(out, 'description', metric.description);
  put(out, 'unit', metric.unit);
  const data = metric.data;
  if (data !== undefined) {
    const body: JsonObjectOut = {};
    switch (data.type) {
      case 'gauge':
        put(body, 'dataPoints', data.dataPoints.map(numberPointJson));
        break;
      case 'sum':
        put(body, 'dataPoints', data.dataPoints.map(numberPointJson));
        put(body, 'aggregationTemporality', data.aggregationTemporality);
        put(body, 'isMonotonic', data.isMonotonic);
        break;
      case 'histogram':
        put(body, 'dataPoints', data.dataPoints.map(histogramPointJson));
        put(body, 'aggregationTemporality', data.aggregationTemporality);
        break;
      case 'exponentialHistogram':
        put(body, 'dataPoints', data.dataPoints.map(exponentialPointJson));
        put(body, 'aggregationTemporality', data.aggregationTemporality);
        break;
      case 'summary':
        put(body, 'dataPoints', data.dataPoints.map(summaryPointJson));
        break;
    }
    out[data.type] = body;
  }
  putAttributes(out, 'metadata', metric.metadata);
  return out;
}

/** A oneof number (presence: written even when zero). */
function putNumberValue(out: JsonObjectOut, value: NumberValue | undefined): void {
  if (value === undefined) return;
  if (value.type === 'double') out['asDouble'] = doubleJson(value.value);
  else out['asInt'] = value.value.toString();
}

/** An `optional double`: written whenever set. */
function putOptional(out: JsonObjectOut, name: string, value: number | undefined): void {
  if (value !== undefined) out[name] = doubleJson(value);
}

function putTimes(out: JsonObjectOut, p: { startTimeUnixNano: bigint; timeUnixNano: bigint }): void {
  put(out, 'startTimeUnixNano', p.startTimeUnixNano);
  put(out, 'timeUnixNano', p.timeUnixNano);
}

function exemplarJson(e: Exemplar): JsonObjectOut {
  const out: JsonObjectOut = {};
  putAttributes(out, 'filteredAttributes', e.filteredAttributes);
  put(out, 'timeUnixNano', e.timeUnixNano);
  putNumberValue(out, e.value);
  put(out, 'spanId', e.spanId);
  put(out, 'traceId', e.traceId);
  return out;
}

function numberPointJson(p: NumberDataPoint): JsonObjectOut {
  const out: JsonObjectOut = {};
  putAttributes(out, 'attributes', p.attributes);
  putTimes(out, p);
  putNumberValue(out, p.value);
  put(out, 'exemplars', p.exemplars.map(exemplarJson));
  put(out, 'flags', p.flags);
  return out;
}

function histogramPointJson(p: HistogramDataPoint): JsonObjectOut {
  const out: JsonObjectOut = {};
  putAttributes(out, 'attributes', p.attributes);
  putTimes(out, p);
  put(out, 'count', p.count);
  putOptional(out, 'sum', p.sum);
  put(out, 'bucketCounts', p.bucketCounts.map(String));
  put(out, 'explicitBounds', p.explicitBounds.map(doubleJson));
  put(out, 'exemplars', p.exemplars.map(exemplarJson));
  put(out, 'flags', p.flags);
  putOptional(out, 'min', p.min);
  putOptional(out, 'max', p.max);
  return out;
}

function bucketsJson(b: ExponentialHistogramBuckets): JsonObjectOut {
  const out: JsonObjectOut = {};
  put(out, 'offset', b.offset);
  put(out, 'bucketCounts', b.bucketCounts.map(String));
  return out;
}

function exponentialPointJson(p: ExponentialHistogramDataPoint): JsonObjectOut {
  const out: JsonObjectOut = {};
  putAttributes(out, 'attributes', p.attributes);
  putTimes(out, p);
  put(out, 'count', p.count);
  putOptional(out, 'sum', p.sum);
  put(out, 'scale', p.scale);
  put(out, 'zeroCount', p.zeroCount);
  out['positive'] = bucketsJson(p.positive);
  out['negative'] = bucketsJson(p.negative);
  put(out, 'flags', p.flags);
  put(out, 'exemplars', p.exemplars.map(exemplarJson));
  putOptional(out, 'min', p.min);
  putOptional(out, 'max', p.max);
  put(out, 'zeroThreshold', p.zeroThreshold);
  return out;
}

function summaryPointJson(p: SummaryDataPoint): JsonObjectOut {
  const out: JsonObjectOut = {};
  putAttributes(out, 'attributes', p.attributes);
  putTimes(out, p);
  put(out, 'count', p.count);
  put(out, 'sum', p.sum);
  put(
    out,
    'quantileValues',
    p.quantileValues.map((q) => {
      const o: JsonObjectOut = {};
      put(o, 'quantile', q.quantile);
      put(o, 'value', q.value);
      return o;
    }),
  );
  put(out, 'flags', p.flags);
  return out;
}

const SHAPE: JsonEncodeShape<ResourceMetrics, ScopeMetrics, Metric> = {
  names: ['resourceMetrics', 'scopeMetrics', 'metrics'],
  scopes: (group) => group.scopeMetrics,
  items: (group) => group.metrics,
  item: metricJson,
};

/** MetricsData as an OTLP/JSON ExportMetricsServiceRequest object. */
export function metricsToOtlpJson(data: MetricsData): unknown {
  return envelopeToJson(data.resourceMetrics, SHAPE);
}
