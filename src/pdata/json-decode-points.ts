import { camel, readAttributes, readList } from './json-decode-common.ts';
import type { JsonValue } from './json-parse.ts';
import { child, readDouble, readId, readInt32, readInt64, readObject, readTimestamp, readUint32, readUint64 } from './json-read.ts';
import type {
  Exemplar,
  ExponentialHistogramBuckets,
  ExponentialHistogramDataPoint,
  HistogramDataPoint,
  NumberDataPoint,
  SummaryDataPoint,
  ValueAtQuantile,
} from './model.ts';

// OTLP/JSON metric data points and exemplars (metrics.proto field names; see
// json-decode-common.ts for the rules). asInt, counts and bucket counts are
// 64-bit: strings or numbers, read exactly.

export function decodeNumberDataPointJson(v: JsonValue, path: string): NumberDataPoint {
  const o = readObject(v, path);
  const p: NumberDataPoint = { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, value: undefined, exemplars: [], flags: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    switch (name) {
      case 'attributes':
        p.attributes = readAttributes(f, at);
        break;
      case 'startTimeUnixNano':
        p.startTimeUnixNano = readTimestamp(f, at);
        break;
      case 'timeUnixNano':
        p.timeUnixNano = readTimestamp(f, at);
        break;
      case 'asDouble':
        p.value = { type: 'double', value: readDouble(f, at) };
        break;
      case 'asInt':
        p.value = { type: 'int', value: readInt64(f, at) };
        break;
      case 'exemplars':
        p.exemplars = readList(f, at, decodeExemplarJson);
        break;
      case 'flags':
        p.flags = readUint32(f, at);
        break;
    }
  }
  return p;
}

export function decodeHistogramDataPointJson(v: JsonValue, path: string): HistogramDataPoint {
  const o = readObject(v, path);
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
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    switch (name) {
      case 'attributes':
        p.attributes = readAttributes(f, at);
        break;
      case 'startTimeUnixNano':
        p.startTimeUnixNano = readTimestamp(f, at);
        break;
      case 'timeUnixNano':
        p.timeUnixNano = readTimestamp(f, at);
        break;
      case 'count':
        p.count = readUint64(f, at);
        break;
      case 'sum':
        p.sum = readDouble(f, at);
        break;
      case 'bucketCounts':
        p.bucketCounts = readList(f, at, readUint64);
        break;
      case 'explicitBounds':
        p.explicitBounds = readList(f, at, readDouble);
        break;
      case 'exemplars':
        p.exemplars = readList(f, at, decodeExemplarJson);
        break;
      case 'flags':
        p.flags = readUint32(f, at);
        break;
      case 'min':
        p.min = readDouble(f, at);
        break;
      case 'max':
        p.max = readDouble(f, at);
        break;
    }
  }
  return p;
}

export function decodeExponentialHistogramDataPointJson(v: JsonValue, path: string): ExponentialHistogramDataPoint {
  const o = readObject(v, path);
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
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    switch (name) {
      case 'attributes':
        p.attributes = readAttributes(f, at);
        break;
      case 'startTimeUnixNano':
        p.startTimeUnixNano = readTimestamp(f, at);
        break;
      case 'timeUnixNano':
        p.timeUnixNano = readTimestamp(f, at);
        break;
      case 'count':
        p.count = readUint64(f, at);
        break;
      case 'sum':
        p.sum = readDouble(f, at);
        break;
      case 'scale':
        p.scale = readInt32(f, at);
        break;
      case 'zeroCount':
        p.zeroCount = readUint64(f, at);
        break;
      case 'positive':
        p.positive = decodeBucketsJson(f, at);
        break;
      case 'negative':
        p.negative = decodeBucketsJson(f, at);
        break;
      case 'flags':
        p.flags = readUint32(f, at);
        break;
      case 'exemplars':
        p.exemplars = readList(f, at, decodeExemplarJson);
        break;
      case 'min':
        p.min = readDouble(f, at);
        break;
      case 'max':
        p.max = readDouble(f, at);
        break;
      case 'zeroThreshold':
        p.zeroThreshold = readDouble(f, at);
        break;
    }
  }
  return p;
}

function decodeBucketsJson(v: JsonValue, path: string): ExponentialHistogramBuckets {
  const o = readObject(v, path);
  const b: ExponentialHistogramBuckets = { offset: 0, bucketCounts: [] };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    if (name === 'offset') b.offset = readInt32(f, child(path, name));
    else if (name === 'bucketCounts') b.bucketCounts = readList(f, child(path, name), readUint64);
  }
  return b;
}

export function decodeSummaryDataPointJson(v: JsonValue, path: string): SummaryDataPoint {
  const o = readObject(v, path);
  const p: SummaryDataPoint = { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, count: 0n, sum: 0, quantileValues: [], flags: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    switch (name) {
      case 'attributes':
        p.attributes = readAttributes(f, at);
        break;
      case 'startTimeUnixNano':
        p.startTimeUnixNano = readTimestamp(f, at);
        break;
      case 'timeUnixNano':
        p.timeUnixNano = readTimestamp(f, at);
        break;
      case 'count':
        p.count = readUint64(f, at);
        break;
      case 'sum':
        p.sum = readDouble(f, at);
        break;
      case 'quantileValues':
        p.quantileValues = readList(f, at, decodeQuantileJson);
        break;
      case 'flags':
        p.flags = readUint32(f, at);
        break;
    }
  }
  return p;
}

function decodeQuantileJson(v: JsonValue, path: string): ValueAtQuantile {
  const o = readObject(v, path);
  const q: ValueAtQuantile = { quantile: 0, value: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    if (key === 'quantile') q.quantile = readDouble(f, child(path, key));
    else if (key === 'value') q.value = readDouble(f, child(path, key));
  }
  return q;
}

function decodeExemplarJson(v: JsonValue, path: string): Exemplar {
  const o = readObject(v, path);
  const e: Exemplar = { filteredAttributes: [], timeUnixNano: 0n, value: undefined, spanId: '', traceId: '' };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    if (name === 'filteredAttributes') e.filteredAttributes = readAttributes(f, at);
    else if (name === 'timeUnixNano') e.timeUnixNano = readUint64(f, at);
    else if (name === 'asDouble') e.value = { type: 'double', value: readDouble(f, at) };
    else if (name === 'asInt') e.value = { type: 'int', value: readInt64(f, at) };
    else if (name === 'spanId') e.spanId = readId(f, at, 8);
    else if (name === 'traceId') e.traceId = readId(f, at, 16);
  }
  return e;
}
