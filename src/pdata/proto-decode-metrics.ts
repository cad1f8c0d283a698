import { segment, within } from './decode-error.ts';
import type { KeyValue, Metric, MetricData, MetricsData, ResourceMetrics, ScopeMetrics } from './model.ts';
import { decodeKeyValue, fieldName, knownFields } from './proto-decode-common.ts';
import { decodeEnvelope, itemPath, refusable } from './proto-decode-envelope.ts';
import type { DecodeRefusals } from './decode-refusals.ts';
import { countMetricPoints } from './item-count.ts';
import type { EnvelopeShape } from './proto-decode-envelope.ts';
import {
  decodeExponentialHistogramDataPoint,
  decodeHistogramDataPoint,
  decodeNumberDataPoint,
  decodeSummaryDataPoint,
} from './proto-decode-points.ts';
import type { ProtoReader } from './protobuf-reader.ts';

// metrics.proto decoding. Metric: 1 name, 2 description, 3 unit, oneof data
// { 5 gauge, 7 sum, 9 histogram, 10 exponential_histogram, 11 summary },
// 12 metadata; 4, 6 and 8 (the pre-1.0 int kinds) are reserved and skipped.

const METRIC_FIELDS = ['', 'name', 'description', 'unit', '', 'gauge', '', 'sum', '', 'histogram', 'exponentialHistogram', 'summary', 'metadata'];
const METRIC_KNOWN = knownFields(METRIC_FIELDS);

type Kind<K extends MetricData['type']> = Extract<MetricData, { type: K }>;

function decodeMetric(r: ProtoReader): Metric {
  const outer = r.enter();
  let name = '';
  let description = '';
  let unit = '';
  const metadata: KeyValue[] = [];
  let data: MetricData | undefined;
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      // A data message sent twice merges (same kind) or replaces (oneof: last wins).
      switch (tag) {
        case 10:
          name = r.string();
          break;
        case 18:
          description = r.string();
          break;
        case 26:
          unit = r.string();
          break;
        case 42: {
          const into: Kind<'gauge'> = data?.type === 'gauge' ? data : { type: 'gauge', dataPoints: [] };
          data = decodeData(r, into, 1, decodeNumberDataPoint);
          break;
        }
        case 58: {
          const into: Kind<'sum'> =
            data?.type === 'sum' ? data : { type: 'sum', aggregationTemporality: 0, isMonotonic: false, dataPoints: [] };
          data = decodeData(r, into, 3, decodeNumberDataPoint);
          break;
        }
        case 74: {
          const into: Kind<'histogram'> =
            data?.type === 'histogram' ? data : { type: 'histogram', aggregationTemporality: 0, dataPoints: [] };
          data = decodeData(r, into, 2, decodeHistogramDataPoint);
          break;
        }
        case 82: {
          const into: Kind<'exponentialHistogram'> =
            data?.type === 'exponentialHistogram' ? data : { type: 'exponentialHistogram', aggregationTemporality: 0, dataPoints: [] };
          data = decodeData(r, into, 2, decodeExponentialHistogramDataPoint);
          break;
        }
        case 90: {
          const into: Kind<'summary'> = data?.type === 'summary' ? data : { type: 'summary', dataPoints: [] };
          data = decodeData(r, into, 1, decodeSummaryDataPoint);
          break;
        }
        case 98:
          metadata.push(decodeKeyValue(r));
          break;
        default:
          r.skip(tag, METRIC_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(METRIC_FIELDS, tag), tag === 98 ? metadata.length : -1));
  }
  r.leave(outer);
  return { name, description, unit, metadata, data };
}

interface DataMessage<P> {
  dataPoints: P[];
  aggregationTemporality?: number;
  isMonotonic?: boolean;
}

const DATA_FIELDS = ['', 'dataPoints', 'aggregationTemporality', 'isMonotonic'];
/** Known-field masks by field count. */
const DATA_KNOWN = [1, 2, 3].map((n) => knownFields(DATA_FIELDS.slice(0, n + 1)));

/**
 * Gauge and Summary { 1 data_points }, Histogram and ExponentialHistogram { ...,
 * 2 aggregation_temporality }, Sum { ..., 3 is_monotonic }: `fieldCount` says how
 * many of these fields the kind has; the rest are unknown to it.
 */
function decodeData<P, D extends DataMessage<P>>(r: ProtoReader, into: D, fieldCount: number, decodePoint: (r: ProtoReader) => P): D {
  const outer = r.enter();
  const dataEnd = r.end;
  const known = DATA_KNOWN[fieldCount - 1]!;
  let index = into.dataPoints.length;
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 10) {
        const at = r.pos;
        try {
          into.dataPoints.push(decodePoint(r));
        } catch (error) {
          if (!refusable(error, r)) throw error;
          r.resetTo(at, dataEnd);
          r.skipMessage();
          r.refusals!.refuse(`${itemPath(r, METRICS_NAMES)}.${kindField(into)}.dataPoints[${index}]`, error, 1);
          r.refusals!.unitsRefusedInItem++;
        }
        index++;
      } else if (tag === 16 && fieldCount >= 2) into.aggregationTemporality = r.int32();
      else if (tag === 24 && fieldCount >= 3) into.isMonotonic = r.bool();
      else r.skip(tag, known);
    }
  } catch (error) {
    const field = tag >>> 3;
    throw within(error, field > fieldCount ? '' : segment(fieldName(DATA_FIELDS, tag), tag === 10 ? index : -1));
  }
  r.leave(outer);
  return into;
}

/** The Metric field holding `data` ('exponentialHistogram' ...), for refusal paths. */
function kindField(data: object): string {
  return (data as { type?: string }).type ?? '';
}

/**
 * Moves past the Metric at the reader and returns how many data points decoding
 * it would keep: the data kinds are a oneof (the last one sent wins, the same
 * kind sent twice merges), every kind's points are field 1 of its message.
 */
function skipMetric(r: ProtoReader): number {
  const outer = r.enter();
  let kind = 0;
  let points = 0;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === 42 || tag === 58 || tag === 74 || tag === 82 || tag === 90) {
      if (tag !== kind) points = 0;
      kind = tag;
      const dataOuter = r.enter();
      while (r.pos < r.end) {
        const inner = r.uint32();
        if (inner === 10) points++;
        r.skip(inner, 0);
      }
      r.leave(dataOuter);
    } else r.skip(tag, 0);
  }
  r.leave(outer);
  return points;
}

const METRICS_NAMES = ['resourceMetrics', 'scopeMetrics', 'metrics'] as const;

const METRICS_SHAPE: EnvelopeShape<Metric, ScopeMetrics, ResourceMetrics> = {
  names: METRICS_NAMES,
  decodeItem: decodeMetric,
  units: countMetricPoints,
  skipItem: skipMetric,
  scopeGroup: (scope, metrics, schemaUrl) => ({ scope, metrics, schemaUrl }),
  resourceGroup: (resource, scopeMetrics, schemaUrl) => ({ resource, scopeMetrics, schemaUrl }),
};

/**
 * Decodes ExportMetricsServiceRequest (= MetricsData) bytes, as decodeTracesProto
 * does spans; the unit refused is the data point (a bad metric name refuses all of
 * the metric's points).
 */
export function decodeMetricsProto(bytes: Uint8Array, refusals?: DecodeRefusals): MetricsData {
  return { resourceMetrics: decodeEnvelope(bytes, METRICS_SHAPE, refusals) };
}
