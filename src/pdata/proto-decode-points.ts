import { segment, within } from './decode-error.ts';
import { decodeExemplar } from './proto-decode-exemplar.ts';
import type {
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
  ValueAtQuantile,
} from './model.ts';
import { decodeKeyValue, fieldName, knownFields } from './proto-decode-common.ts';
import type { ProtoReader } from './protobuf-reader.ts';

// metrics.proto data points (exemplars: proto-decode-exemplar.ts). Field lists are in each *_FIELDS table
// (index = field number); reserved numbers (1 in most points: the pre-1.0 labels)
// are left blank so they are skipped as unknown.

const NUMBER_FIELDS = ['', '', 'startTimeUnixNano', 'timeUnixNano', 'asDouble', 'exemplars', 'asInt', 'attributes', 'flags'];
const NUMBER_KNOWN = knownFields(NUMBER_FIELDS);

export function decodeNumberDataPoint(r: ProtoReader): NumberDataPoint {
  const outer = r.enter();
  const p: NumberDataPoint = { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, value: undefined, exemplars: [], flags: 0 };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 58:
          p.attributes.push(decodeKeyValue(r));
          break;
        case 17:
          p.startTimeUnixNano = r.timestamp();
          break;
        case 25:
          p.timeUnixNano = r.timestamp();
          break;
        case 33:
          p.value = { type: 'double', value: r.double() };
          break;
        case 49:
          p.value = { type: 'int', value: r.sfixed64() };
          break;
        case 42:
          p.exemplars.push(decodeExemplar(r));
          break;
        case 64:
          p.flags = r.uint32();
          break;
        default:
          r.skip(tag, NUMBER_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(NUMBER_FIELDS, tag), tag === 42 ? p.exemplars.length : tag === 58 ? p.attributes.length : -1));
  }
  r.leave(outer);
  return p;
}

const HISTOGRAM_FIELDS = [
  '',
  '',
  'startTimeUnixNano',
  'timeUnixNano',
  'count',
  'sum',
  'bucketCounts',
  'explicitBounds',
  'exemplars',
  'attributes',
  'flags',
  'min',
  'max',
];
const HISTOGRAM_KNOWN = knownFields(HISTOGRAM_FIELDS);

export function decodeHistogramDataPoint(r: ProtoReader): HistogramDataPoint {
  const outer = r.enter();
  const p: HistogramDataPoint = {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: undefined,
    bucketCounts: [],
    explicitBounds: [],
    exemplars: [],
    flags: 0,
    min: undefined,
    max: undefined,
  };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 74:
          p.attributes.push(decodeKeyValue(r));
          break;
        case 17:
          p.startTimeUnixNano = r.timestamp();
          break;
        case 25:
          p.timeUnixNano = r.timestamp();
          break;
        case 33:
          p.count = r.fixed64();
          break;
        case 41:
          p.sum = r.double();
          break;
        case 49:
        case 50:
          r.fixed64s(tag & 7, p.bucketCounts);
          break;
        case 57:
        case 58:
          r.doubles(tag & 7, p.explicitBounds);
          break;
        case 66:
          p.exemplars.push(decodeExemplar(r));
          break;
        case 80:
          p.flags = r.uint32();
          break;
        case 89:
          p.min = r.double();
          break;
        case 97:
          p.max = r.double();
          break;
        default:
          r.skip(tag, HISTOGRAM_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(HISTOGRAM_FIELDS, tag), tag === 66 ? p.exemplars.length : tag === 74 ? p.attributes.length : -1));
  }
  r.leave(outer);
  return p;
}

const EXPONENTIAL_FIELDS = [
  '',
  'attributes',
  'startTimeUnixNano',
  'timeUnixNano',
  'count',
  'sum',
  'scale',
  'zeroCount',
  'positive',
  'negative',
  'flags',
  'exemplars',
  'min',
  'max',
  'zeroThreshold',
];
const EXPONENTIAL_KNOWN = knownFields(EXPONENTIAL_FIELDS);

export function decodeExponentialHistogramDataPoint(r: ProtoReader): ExponentialHistogramDataPoint {
  const outer = r.enter();
  const p: ExponentialHistogramDataPoint = {
    attributes: [],
    startTimeUnixNano: 0n,
    timeUnixNano: 0n,
    count: 0n,
    sum: undefined,
    scale: 0,
    zeroCount: 0n,
    positive: { offset: 0, bucketCounts: [] },
    negative: { offset: 0, bucketCounts: [] },
    flags: 0,
    exemplars: [],
    min: undefined,
    max: undefined,
    zeroThreshold: 0,
  };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 10:
          p.attributes.push(decodeKeyValue(r));
          break;
        case 17:
          p.startTimeUnixNano = r.timestamp();
          break;
        case 25:
          p.timeUnixNano = r.timestamp();
          break;
        case 33:
          p.count = r.fixed64();
          break;
        case 41:
          p.sum = r.double();
          break;
        case 48:
          p.scale = r.sint32();
          break;
        case 57:
          p.zeroCount = r.fixed64();
          break;
        case 66:
          decodeBuckets(r, p.positive);
          break;
        case 74:
          decodeBuckets(r, p.negative);
          break;
        case 80:
          p.flags = r.uint32();
          break;
        case 90:
          p.exemplars.push(decodeExemplar(r));
          break;
        case 97:
          p.min = r.double();
          break;
        case 105:
          p.max = r.double();
          break;
        case 113:
          p.zeroThreshold = r.double();
          break;
        default:
          r.skip(tag, EXPONENTIAL_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(EXPONENTIAL_FIELDS, tag), tag === 90 ? p.exemplars.length : tag === 10 ? p.attributes.length : -1));
  }
  r.leave(outer);
  return p;
}

// ExponentialHistogramDataPoint.Buckets: 1 offset (sint32), 2 bucket_counts (repeated uint64).
const BUCKETS_FIELDS = ['', 'offset', 'bucketCounts'];
const BUCKETS_KNOWN = knownFields(BUCKETS_FIELDS);

function decodeBuckets(r: ProtoReader, into: ExponentialHistogramBuckets): void {
  const outer = r.enter();
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 8) into.offset = r.sint32();
      else if (tag === 16 || tag === 18) r.uint64s(tag & 7, into.bucketCounts);
      else r.skip(tag, BUCKETS_KNOWN);
    }
  } catch (error) {
    throw within(error, fieldName(BUCKETS_FIELDS, tag));
  }
  r.leave(outer);
}

const SUMMARY_FIELDS = ['', '', 'startTimeUnixNano', 'timeUnixNano', 'count', 'sum', 'quantileValues', 'attributes', 'flags'];
const SUMMARY_KNOWN = knownFields(SUMMARY_FIELDS);

export function decodeSummaryDataPoint(r: ProtoReader): SummaryDataPoint {
  const outer = r.enter();
  const p: SummaryDataPoint = { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, count: 0n, sum: 0, quantileValues: [], flags: 0 };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 58:
          p.attributes.push(decodeKeyValue(r));
          break;
        case 17:
          p.startTimeUnixNano = r.timestamp();
          break;
        case 25:
          p.timeUnixNano = r.timestamp();
          break;
        case 33:
          p.count = r.fixed64();
          break;
        case 41:
          p.sum = r.double();
          break;
        case 50:
          p.quantileValues.push(decodeQuantile(r));
          break;
        case 64:
          p.flags = r.uint32();
          break;
        default:
          r.skip(tag, SUMMARY_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(SUMMARY_FIELDS, tag), tag === 50 ? p.quantileValues.length : tag === 58 ? p.attributes.length : -1));
  }
  r.leave(outer);
  return p;
}

// SummaryDataPoint.ValueAtQuantile: 1 quantile, 2 value (doubles).
const QUANTILE_FIELDS = ['', 'quantile', 'value'];
const QUANTILE_KNOWN = knownFields(QUANTILE_FIELDS);

function decodeQuantile(r: ProtoReader): ValueAtQuantile {
  const outer = r.enter();
  const q: ValueAtQuantile = { quantile: 0, value: 0 };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 9) q.quantile = r.double();
      else if (tag === 17) q.value = r.double();
      else r.skip(tag, QUANTILE_KNOWN);
    }
  } catch (error) {
    throw within(error, fieldName(QUANTILE_FIELDS, tag));
  }
  r.leave(outer);
  return q;
}
