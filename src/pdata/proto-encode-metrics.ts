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
import {
  encodeEnvelope,
  writeDoubleField,
  writeFixed64Field,
  writeIdField,
  writeInt32Field,
  writeKeyValues,
  writeStringField,
  writeUint32Field,
} from './proto-encode-common.ts';
import type { EncodeShape } from './proto-encode-common.ts';
import type { ProtoWriter } from './protobuf-writer.ts';

// metrics.proto encoding (field numbers in proto-decode-metrics.ts and
// proto-decode-points.ts). Repeated scalars are written packed, as proto3 does.

/** Writes `points` as repeated field 1 of a data message, each with `write`. */
function writePoints<P>(w: ProtoWriter, points: readonly P[], write: (w: ProtoWriter, p: P) => void): void {
  for (const p of points) {
    w.uint32(10);
    const start = w.fork(2);
    write(w, p);
    w.join(start, 2);
  }
}

/** Metric.data oneof: 5 gauge, 7 sum, 9 histogram, 10 exponential_histogram, 11 summary (LEN tags). */
const DATA_TAGS = { gauge: 42, sum: 58, histogram: 74, exponentialHistogram: 82, summary: 90 } as const;

function writeMetric(w: ProtoWriter, metric: Metric): void {
  writeStringField(w, 10, metric.name);
  writeStringField(w, 18, metric.description);
  writeStringField(w, 26, metric.unit);
  const data = metric.data;
  if (data !== undefined) {
    w.uint32(DATA_TAGS[data.type]);
    const start = w.fork(3);
    switch (data.type) {
      case 'gauge':
        writePoints(w, data.dataPoints, writeNumberDataPoint);
        break;
      case 'sum':
        writePoints(w, data.dataPoints, writeNumberDataPoint);
        writeInt32Field(w, 16, data.aggregationTemporality);
        if (data.isMonotonic) {
          w.uint32(24);
          w.bool(true);
        }
        break;
      case 'histogram':
        writePoints(w, data.dataPoints, writeHistogramDataPoint);
        writeInt32Field(w, 16, data.aggregationTemporality);
        break;
      case 'exponentialHistogram':
        writePoints(w, data.dataPoints, writeExponentialHistogramDataPoint);
        writeInt32Field(w, 16, data.aggregationTemporality);
        break;
      case 'summary':
        writePoints(w, data.dataPoints, writeSummaryDataPoint);
        break;
    }
    w.join(start, 3);
  }
  writeKeyValues(w, 98, metric.metadata);
}

/** A NumberValue oneof member (presence: written even when zero). */
function writeNumberValue(w: ProtoWriter, doubleTag: number, intTag: number, value: NumberValue | undefined): void {
  if (value === undefined) return;
  if (value.type === 'double') {
    w.uint32(doubleTag);
    w.double(value.value);
  } else {
    w.uint32(intTag);
    w.sfixed64(value.value);
  }
}

/** An `optional double`: written whenever set. */
function writeOptionalDouble(w: ProtoWriter, tag: number, n: number | undefined): void {
  if (n === undefined) return;
  w.uint32(tag);
  w.double(n);
}

function writeExemplars(w: ProtoWriter, tag: number, exemplars: readonly Exemplar[]): void {
  for (const e of exemplars) {
    w.uint32(tag);
    const start = w.fork();
    writeFixed64Field(w, 17, e.timeUnixNano);
    writeNumberValue(w, 25, 49, e.value);
    writeIdField(w, 34, e.spanId, 8);
    writeIdField(w, 42, e.traceId, 16);
    writeKeyValues(w, 58, e.filteredAttributes);
    w.join(start);
  }
}

function writeNumberDataPoint(w: ProtoWriter, p: NumberDataPoint): void {
  writeFixed64Field(w, 17, p.startTimeUnixNano);
  writeFixed64Field(w, 25, p.timeUnixNano);
  writeNumberValue(w, 33, 49, p.value);
  writeExemplars(w, 42, p.exemplars);
  writeKeyValues(w, 58, p.attributes);
  writeUint32Field(w, 64, p.flags);
}

function writePackedFixed64(w: ProtoWriter, tag: number, values: readonly bigint[]): void {
  if (values.length === 0) return;
  w.uint32(tag);
  w.uint32(values.length * 8);
  for (const v of values) w.fixed64(v);
}

function writeHistogramDataPoint(w: ProtoWriter, p: HistogramDataPoint): void {
  writeFixed64Field(w, 17, p.startTimeUnixNano);
  writeFixed64Field(w, 25, p.timeUnixNano);
  writeFixed64Field(w, 33, p.count);
  writeOptionalDouble(w, 41, p.sum);
  writePackedFixed64(w, 50, p.bucketCounts);
  if (p.explicitBounds.length > 0) {
    w.uint32(58);
    w.uint32(p.explicitBounds.length * 8);
    for (const b of p.explicitBounds) w.double(b);
  }
  writeExemplars(w, 66, p.exemplars);
  writeKeyValues(w, 74, p.attributes);
  writeUint32Field(w, 80, p.flags);
  writeOptionalDouble(w, 89, p.min);
  writeOptionalDouble(w, 97, p.max);
}

function writeBuckets(w: ProtoWriter, tag: number, b: ExponentialHistogramBuckets): void {
  w.uint32(tag);
  const start = w.fork(2);
  if (b.offset !== 0) {
    w.uint32(8);
    w.sint32(b.offset);
  }
  if (b.bucketCounts.length > 0) {
    w.uint32(18);
    const packed = w.fork(2);
    for (const c of b.bucketCounts) w.uint64(c);
    w.join(packed, 2);
  }
  w.join(start, 2);
}

function writeExponentialHistogramDataPoint(w: ProtoWriter, p: ExponentialHistogramDataPoint): void {
  writeKeyValues(w, 10, p.attributes);
  writeFixed64Field(w, 17, p.startTimeUnixNano);
  writeFixed64Field(w, 25, p.timeUnixNano);
  writeFixed64Field(w, 33, p.count);
  writeOptionalDouble(w, 41, p.sum);
  if (p.scale !== 0) {
    w.uint32(48);
    w.sint32(p.scale);
  }
  writeFixed64Field(w, 57, p.zeroCount);
  writeBuckets(w, 66, p.positive);
  writeBuckets(w, 74, p.negative);
  writeUint32Field(w, 80, p.flags);
  writeExemplars(w, 90, p.exemplars);
  writeOptionalDouble(w, 97, p.min);
  writeOptionalDouble(w, 105, p.max);
  writeDoubleField(w, 113, p.zeroThreshold);
}

function writeSummaryDataPoint(w: ProtoWriter, p: SummaryDataPoint): void {
  writeFixed64Field(w, 17, p.startTimeUnixNano);
  writeFixed64Field(w, 25, p.timeUnixNano);
  writeFixed64Field(w, 33, p.count);
  writeDoubleField(w, 41, p.sum);
  for (const q of p.quantileValues) {
    w.uint32(50);
    const start = w.fork();
    writeDoubleField(w, 9, q.quantile);
    writeDoubleField(w, 17, q.value);
    w.join(start);
  }
  writeKeyValues(w, 58, p.attributes);
  writeUint32Field(w, 64, p.flags);
}

const SHAPE: EncodeShape<ResourceMetrics, ScopeMetrics, Metric> = {
  scopes: (group) => group.scopeMetrics,
  items: (group) => group.metrics,
  writeItem: writeMetric,
  itemPrefixBytes: 2,
};

/** MetricsData as ExportMetricsServiceRequest protobuf bytes. */
export function encodeMetricsProto(data: MetricsData): Uint8Array {
  return encodeEnvelope(data.resourceMetrics, SHAPE);
}
