import { camel, decodeJsonEnvelope, readAttributes, readList } from './json-decode-common.ts';
import type { JsonEnvelopeShape } from './json-decode-common.ts';
import type { JsonValue } from './json-parse.ts';
import { child, readEnum, readId, readObject, readString, readTimestamp, readUint32, readUint64 } from './json-read.ts';
import type { ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink, SpanStatus, TracesData } from './model.ts';
import { emptySpan } from './defaults.ts';
import type { DecodeRefusals } from './decode-refusals.ts';

// OTLP/JSON traces (trace.proto field names; see json-decode-common.ts for the rules).

const SPAN_KIND_NAMES: Readonly<Record<string, number>> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

const STATUS_CODE_NAMES: Readonly<Record<string, number>> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

function decodeSpanJson(v: JsonValue, path: string): Span {
  const o = readObject(v, path);
  const span = emptySpan();
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    switch (name) {
      case 'traceId':
        span.traceId = readId(f, at, 16);
        break;
      case 'spanId':
        span.spanId = readId(f, at, 8);
        break;
      case 'traceState':
        span.traceState = readString(f, at);
        break;
      case 'parentSpanId':
        span.parentSpanId = readId(f, at, 8);
        break;
      case 'flags':
        span.flags = readUint32(f, at);
        break;
      case 'name':
        span.name = readString(f, at);
        break;
      case 'kind':
        span.kind = readEnum(f, at, SPAN_KIND_NAMES);
        break;
      case 'startTimeUnixNano':
        span.startTimeUnixNano = readTimestamp(f, at);
        break;
      case 'endTimeUnixNano':
        span.endTimeUnixNano = readTimestamp(f, at);
        break;
      case 'attributes':
        span.attributes = readAttributes(f, at);
        break;
      case 'droppedAttributesCount':
        span.droppedAttributesCount = readUint32(f, at);
        break;
      case 'events':
        span.events = readList(f, at, decodeEventJson);
        break;
      case 'droppedEventsCount':
        span.droppedEventsCount = readUint32(f, at);
        break;
      case 'links':
        span.links = readList(f, at, decodeLinkJson);
        break;
      case 'droppedLinksCount':
        span.droppedLinksCount = readUint32(f, at);
        break;
      case 'status':
        span.status = decodeStatusJson(f, at);
        break;
    }
  }
  return span;
}

function decodeEventJson(v: JsonValue, path: string): SpanEvent {
  const o = readObject(v, path);
  const event: SpanEvent = { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    if (name === 'timeUnixNano') event.timeUnixNano = readUint64(f, at);
    else if (name === 'name') event.name = readString(f, at);
    else if (name === 'attributes') event.attributes = readAttributes(f, at);
    else if (name === 'droppedAttributesCount') event.droppedAttributesCount = readUint32(f, at);
  }
  return event;
}

function decodeLinkJson(v: JsonValue, path: string): SpanLink {
  const o = readObject(v, path);
  const link: SpanLink = { traceId: '', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    if (name === 'traceId') link.traceId = readId(f, at, 16);
    else if (name === 'spanId') link.spanId = readId(f, at, 8);
    else if (name === 'traceState') link.traceState = readString(f, at);
    else if (name === 'attributes') link.attributes = readAttributes(f, at);
    else if (name === 'droppedAttributesCount') link.droppedAttributesCount = readUint32(f, at);
    else if (name === 'flags') link.flags = readUint32(f, at);
  }
  return link;
}

function decodeStatusJson(v: JsonValue, path: string): SpanStatus {
  const o = readObject(v, path);
  const status: SpanStatus = { message: '', code: 0 };
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    if (key === 'message') status.message = readString(f, child(path, key));
    else if (key === 'code') status.code = readEnum(f, child(path, key), STATUS_CODE_NAMES);
  }
  return status;
}

const SHAPE: JsonEnvelopeShape<Span, ScopeSpans, ResourceSpans> = {
  names: ['resourceSpans', 'scopeSpans', 'spans'],
  decodeItem: decodeSpanJson,
  units: () => 1,
  unitsIn: () => 1,
  scopeGroup: (scope, spans, schemaUrl) => ({ scope, spans, schemaUrl }),
  resourceGroup: (resource, scopeSpans, schemaUrl) => ({ resource, scopeSpans, schemaUrl }),
};

/**
 * Decodes an OTLP/JSON ExportTraceServiceRequest; DecodeError naming the JSON path
 * when malformed. Spans storage cannot keep go to `refusals` when given
 * (decode-refusals.ts), else fail the decode.
 */
export function decodeTracesJson(text: string, refusals?: DecodeRefusals): TracesData {
  return { resourceSpans: decodeJsonEnvelope(text, SHAPE, refusals) };
}
