import type {
  Exemplar,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  Metric,
  MetricsData,
  NumberDataPoint,
  SummaryDataPoint,
} from '../pdata/model.ts';
import { attributeMapColumns, attributeMapsJson } from './attribute-columns.ts';
import { chDouble, nsJson } from './ch-values.ts';
import { keyValuesJson, otlpDouble, q } from './otlp-json.ts';
import { encodeResource, encodeResourceScope, ORIGIN_COLUMNS } from './resource-scope.ts';
import type { EncodedSignal } from './encoded-signal.ts';

// MetricsData -> one JSONCompactEachRow payload for `metric_points`, a row per data
// point of every kind (see 003_metric_points.sql). The columns a kind does not use
// get their defaults.

export const METRIC_POINT_COLUMNS = [
  'MetricName',
  'MetricDescription',
  'MetricUnit',
  'MetricMetadata',
  'Kind',
  'AggregationTemporality',
  'IsMonotonic',
  'StartTimestamp',
  'Timestamp',
  'Flags',
  'ValueType',
  'ValueDouble',
  'ValueInt',
  'Count',
  'Sum',
  'Min',
  'Max',
  'BucketCounts',
  'ExplicitBounds',
  'Scale',
  'ZeroCount',
  'ZeroThreshold',
  'PositiveOffset',
  'PositiveBucketCounts',
  'NegativeOffset',
  'NegativeBucketCounts',
  'Quantiles',
  'QuantileValues',
  'Exemplars',
  ...attributeMapColumns('Attributes'),
  ...ORIGIN_COLUMNS,
] as const;

/** ValueType column: which of ValueDouble / ValueInt holds the value. */
export const ValueType = { NONE: 0, DOUBLE: 1, INT: 2 } as const;

export function encodeMetrics(data: MetricsData): EncodedSignal {
  let out = '';
  let rows = 0;
  const resourceScopes = new Map<string, string>();
  for (const rm of data.resourceMetrics) {
    const resource = encodeResource(rm.resource, rm.schemaUrl);
    for (const sm of rm.scopeMetrics) {
      const origin = encodeResourceScope(resource, sm.scope, sm.schemaUrl);
      let scopeRows = 0;
      for (const metric of sm.metrics) {
        const m = encodeMetric(metric, origin.tail);
        out += m.text;
        scopeRows += m.rows;
      }
      if (scopeRows > 0) resourceScopes.set(origin.id, origin.row);
      rows += scopeRows;
    }
  }
  return { payload: Buffer.from(out), rows, resourceScopes };
}

/** Rows of one metric; `tail` closes each row (resource and scope columns). */
function encodeMetric(metric: Metric, tail: string): { text: string; rows: number } {
  const data = metric.data;
  if (data === undefined) return { text: '', rows: 0 };
  const temporality = 'aggregationTemporality' in data ? data.aggregationTemporality : 0;
  const monotonic = data.type === 'sum' ? data.isMonotonic : false;
  const head =
    `[${q(metric.name)},${q(metric.description)},${q(metric.unit)},${q(keyValuesJson(metric.metadata))},` +
    `"${data.type}",${temporality},${monotonic},`;
  let text = '';
  switch (data.type) {
    case 'gauge':
    case 'sum':
      for (const p of data.dataPoints) text += head + numberPoint(p) + tail;
      break;
    case 'histogram':
      for (const p of data.dataPoints) text += head + histogramPoint(p) + tail;
      break;
    case 'exponentialHistogram':
      for (const p of data.dataPoints) text += head + exponentialPoint(p) + tail;
      break;
    case 'summary':
      for (const p of data.dataPoints) text += head + summaryPoint(p) + tail;
      break;
  }
  return { text, rows: data.dataPoints.length };
}

function times(p: { startTimeUnixNano: bigint; timeUnixNano: bigint; flags: number }): string {
  return `${nsJson(p.startTimeUnixNano)},${nsJson(p.timeUnixNano)},${p.flags},`;
}

function optionalDouble(n: number | undefined): string {
  return n === undefined ? 'null' : chDouble(n);
}

/** The columns after the point's values: exemplars, attributes. */
function pointTail(exemplars: readonly Exemplar[], p: { attributes: NumberDataPoint['attributes'] }): string {
  return `,${q(exemplarsJson(exemplars))},${attributeMapsJson(p.attributes)}`;
}

function numberPoint(p: NumberDataPoint): string {
  const v = p.value;
  const value =
    v === undefined ? `${ValueType.NONE},0,0` : v.type === 'double' ? `${ValueType.DOUBLE},${chDouble(v.value)},0` : `${ValueType.INT},0,${v.value}`;
  return `${times(p)}${value},0,null,null,null,[],[],0,0,0,0,[],0,[],[],[]${pointTail(p.exemplars, p)}`;
}

function histogramPoint(p: HistogramDataPoint): string {
  return (
    `${times(p)}0,0,0,${p.count},${optionalDouble(p.sum)},${optionalDouble(p.min)},${optionalDouble(p.max)},` +
    `[${p.bucketCounts.join(',')}],[${p.explicitBounds.map(chDouble).join(',')}],0,0,0,0,[],0,[],[],[]` +
    pointTail(p.exemplars, p)
  );
}

function exponentialPoint(p: ExponentialHistogramDataPoint): string {
  return (
    `${times(p)}0,0,0,${p.count},${optionalDouble(p.sum)},${optionalDouble(p.min)},${optionalDouble(p.max)},[],[],` +
    `${p.scale},${p.zeroCount},${chDouble(p.zeroThreshold)},${p.positive.offset},[${p.positive.bucketCounts.join(',')}],` +
    `${p.negative.offset},[${p.negative.bucketCounts.join(',')}],[],[]` +
    pointTail(p.exemplars, p)
  );
}

function summaryPoint(p: SummaryDataPoint): string {
  return (
    `${times(p)}0,0,0,${p.count},${chDouble(p.sum)},null,null,[],[],0,0,0,0,[],0,[],` +
    `[${p.quantileValues.map((v) => chDouble(v.quantile)).join(',')}],[${p.quantileValues.map((v) => chDouble(v.value)).join(',')}]` +
    pointTail([], p)
  );
}

/** OTLP/JSON of exemplars. */
export function exemplarsJson(exemplars: readonly Exemplar[]): string {
  let out = '';
  for (const e of exemplars) {
    const value =
      e.value === undefined ? '' : e.value.type === 'double' ? `,"asDouble":${otlpDouble(e.value.value)}` : `,"asInt":"${e.value.value}"`;
    out +=
      `${out === '' ? '' : ','}{"filteredAttributes":${keyValuesJson(e.filteredAttributes)},` +
      `"timeUnixNano":"${e.timeUnixNano}"${value},"spanId":${q(e.spanId)},"traceId":${q(e.traceId)}}`;
  }
  return `[${out}]`;
}
