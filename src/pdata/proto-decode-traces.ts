import { segment, within } from './decode-error.ts';
import type { KeyValue, ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink, SpanStatus, TracesData } from './model.ts';
import { decodeKeyValue, fieldName, knownFields } from './proto-decode-common.ts';
import { decodeEnvelope, skipOne } from './proto-decode-envelope.ts';
import type { DecodeRefusals } from './decode-refusals.ts';
import type { EnvelopeShape } from './proto-decode-envelope.ts';
import type { ProtoReader } from './protobuf-reader.ts';

// trace.proto decoding. decodeSpan is the hottest function of ingest
// (bench/decode-bench.ts): locals per field, one object literal at the end so every
// span shares one hidden class.

const SPAN_FIELDS = [
  '',
  'traceId',
  'spanId',
  'traceState',
  'parentSpanId',
  'name',
  'kind',
  'startTimeUnixNano',
  'endTimeUnixNano',
  'attributes',
  'droppedAttributesCount',
  'events',
  'droppedEventsCount',
  'links',
  'droppedLinksCount',
  'status',
  'flags',
];
const SPAN_KNOWN = knownFields(SPAN_FIELDS);

function decodeSpan(r: ProtoReader): Span {
  const outer = r.enter();
  let traceId = '';
  let spanId = '';
  let traceState = '';
  let parentSpanId = '';
  let flags = 0;
  let name = '';
  let kind = 0;
  let startTimeUnixNano = 0n;
  let endTimeUnixNano = 0n;
  const attributes: KeyValue[] = [];
  let droppedAttributesCount = 0;
  const events: SpanEvent[] = [];
  let droppedEventsCount = 0;
  const links: SpanLink[] = [];
  let droppedLinksCount = 0;
  const status: SpanStatus = { message: '', code: 0 };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 10:
          traceId = r.id(16);
          break;
        case 18:
          spanId = r.id(8);
          break;
        case 26:
          traceState = r.string();
          break;
        case 34:
          parentSpanId = r.id(8);
          break;
        case 42:
          name = r.string();
          break;
        case 48:
          kind = r.int32();
          break;
        case 57:
          startTimeUnixNano = r.timestamp();
          break;
        case 65:
          endTimeUnixNano = r.timestamp();
          break;
        case 74:
          attributes.push(decodeKeyValue(r));
          break;
        case 80:
          droppedAttributesCount = r.uint32();
          break;
        case 90:
          events.push(decodeEvent(r));
          break;
        case 96:
          droppedEventsCount = r.uint32();
          break;
        case 106:
          links.push(decodeLink(r));
          break;
        case 112:
          droppedLinksCount = r.uint32();
          break;
        case 122:
          decodeStatus(r, status);
          break;
        case 133:
          flags = r.fixed32();
          break;
        default:
          r.skip(tag, SPAN_KNOWN);
      }
    }
  } catch (error) {
    const index = tag === 74 ? attributes.length : tag === 90 ? events.length : tag === 106 ? links.length : -1;
    throw within(error, segment(fieldName(SPAN_FIELDS, tag), index));
  }
  r.leave(outer);
  return {
    traceId,
    spanId,
    traceState,
    parentSpanId,
    flags,
    name,
    kind,
    startTimeUnixNano,
    endTimeUnixNano,
    attributes,
    droppedAttributesCount,
    events,
    droppedEventsCount,
    links,
    droppedLinksCount,
    status,
  };
}

// Span.Event: 1 time_unix_nano, 2 name, 3 attributes, 4 dropped_attributes_count.
const EVENT_FIELDS = ['', 'timeUnixNano', 'name', 'attributes', 'droppedAttributesCount'];
const EVENT_KNOWN = knownFields(EVENT_FIELDS);

function decodeEvent(r: ProtoReader): SpanEvent {
  const outer = r.enter();
  const event: SpanEvent = { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 9) event.timeUnixNano = r.fixed64();
      else if (tag === 18) event.name = r.string();
      else if (tag === 26) event.attributes.push(decodeKeyValue(r));
      else if (tag === 32) event.droppedAttributesCount = r.uint32();
      else r.skip(tag, EVENT_KNOWN);
    }
  } catch (error) {
    throw within(error, segment(fieldName(EVENT_FIELDS, tag), tag === 26 ? event.attributes.length : -1));
  }
  r.leave(outer);
  return event;
}

// Span.Link: 1 trace_id, 2 span_id, 3 trace_state, 4 attributes,
// 5 dropped_attributes_count, 6 flags (fixed32).
const LINK_FIELDS = ['', 'traceId', 'spanId', 'traceState', 'attributes', 'droppedAttributesCount', 'flags'];
const LINK_KNOWN = knownFields(LINK_FIELDS);

function decodeLink(r: ProtoReader): SpanLink {
  const outer = r.enter();
  const link: SpanLink = { traceId: '', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 10:
          link.traceId = r.id(16);
          break;
        case 18:
          link.spanId = r.id(8);
          break;
        case 26:
          link.traceState = r.string();
          break;
        case 34:
          link.attributes.push(decodeKeyValue(r));
          break;
        case 40:
          link.droppedAttributesCount = r.uint32();
          break;
        case 53:
          link.flags = r.fixed32();
          break;
        default:
          r.skip(tag, LINK_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(LINK_FIELDS, tag), tag === 34 ? link.attributes.length : -1));
  }
  r.leave(outer);
  return link;
}

// Status: 2 message, 3 code; field 1 (deprecated_code) is reserved and skipped.
const STATUS_FIELDS = ['', '', 'message', 'code'];
const STATUS_KNOWN = knownFields(STATUS_FIELDS);

function decodeStatus(r: ProtoReader, into: SpanStatus): void {
  const outer = r.enter();
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 18) into.message = r.string();
      else if (tag === 24) into.code = r.int32();
      else r.skip(tag, STATUS_KNOWN);
    }
  } catch (error) {
    throw within(error, fieldName(STATUS_FIELDS, tag));
  }
  r.leave(outer);
}

const TRACES_SHAPE: EnvelopeShape<Span, ScopeSpans, ResourceSpans> = {
  names: ['resourceSpans', 'scopeSpans', 'spans'],
  decodeItem: decodeSpan,
  units: () => 1,
  skipItem: skipOne,
  scopeGroup: (scope, spans, schemaUrl) => ({ scope, spans, schemaUrl }),
  resourceGroup: (resource, scopeSpans, schemaUrl) => ({ resource, scopeSpans, schemaUrl }),
};

/**
 * Decodes ExportTraceServiceRequest (= TracesData) bytes; DecodeError naming the
 * field when malformed. Spans storage cannot keep go to `refusals` when given
 * (decode-refusals.ts), else fail the decode.
 */
export function decodeTracesProto(bytes: Uint8Array, refusals?: DecodeRefusals): TracesData {
  return { resourceSpans: decodeEnvelope(bytes, TRACES_SHAPE, refusals) };
}
