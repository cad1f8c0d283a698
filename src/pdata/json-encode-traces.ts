import { envelopeToJson, put, putAttributes } from './json-encode-common.ts';
import type { JsonEncodeShape, JsonObjectOut } from './json-encode-common.ts';
import type { ResourceSpans, ScopeSpans, Span, SpanEvent, SpanLink, TracesData } from './model.ts';

// Model -> OTLP/JSON for traces (rules in json-encode-common.ts).

function spanJson(span: Span): JsonObjectOut {
  // Ids, name and both times are always written: readers of our own API rely on them.
  const out: JsonObjectOut = { traceId: span.traceId, spanId: span.spanId };
  put(out, 'traceState', span.traceState);
  put(out, 'parentSpanId', span.parentSpanId);
  put(out, 'flags', span.flags);
  out['name'] = span.name;
  put(out, 'kind', span.kind);
  out['startTimeUnixNano'] = span.startTimeUnixNano.toString();
  out['endTimeUnixNano'] = span.endTimeUnixNano.toString();
  putAttributes(out, 'attributes', span.attributes);
  put(out, 'droppedAttributesCount', span.droppedAttributesCount);
  put(out, 'events', span.events.map(eventJson));
  put(out, 'droppedEventsCount', span.droppedEventsCount);
  put(out, 'links', span.links.map(linkJson));
  put(out, 'droppedLinksCount', span.droppedLinksCount);
  const status: JsonObjectOut = {};
  put(status, 'message', span.status.message);
  put(status, 'code', span.status.code);
  out['status'] = status;
  return out;
}

function eventJson(event: SpanEvent): JsonObjectOut {
  const out: JsonObjectOut = {};
  put(out, 'timeUnixNano', event.timeUnixNano);
  put(out, 'name', event.name);
  putAttributes(out, 'attributes', event.attributes);
  put(out, 'droppedAttributesCount', event.droppedAttributesCount);
  return out;
}

function linkJson(link: SpanLink): JsonObjectOut {
  const out: JsonObjectOut = {};
  put(out, 'traceId', link.traceId);
  put(out, 'spanId', link.spanId);
  put(out, 'traceState', link.traceState);
  putAttributes(out, 'attributes', link.attributes);
  put(out, 'droppedAttributesCount', link.droppedAttributesCount);
  put(out, 'flags', link.flags);
  return out;
}

const SHAPE: JsonEncodeShape<ResourceSpans, ScopeSpans, Span> = {
  names: ['resourceSpans', 'scopeSpans', 'spans'],
  scopes: (group) => group.scopeSpans,
  items: (group) => group.spans,
  item: spanJson,
};

/** TracesData as an OTLP/JSON ExportTraceServiceRequest object (JSON.stringify it to send). */
export function tracesToOtlpJson(data: TracesData): unknown {
  return envelopeToJson(data.resourceSpans, SHAPE);
}
