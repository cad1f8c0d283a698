import type { ResourceSpans, ScopeSpans, Span, TracesData } from './model.ts';
import {
  encodeEnvelope,
  writeFixed64Field,
  writeIdField,
  writeInt32Field,
  writeKeyValues,
  writeStringField,
  writeUint32Field,
} from './proto-encode-common.ts';
import type { EncodeShape } from './proto-encode-common.ts';
import type { ProtoWriter } from './protobuf-writer.ts';

// trace.proto encoding (field numbers in proto-decode-traces.ts).

function writeSpan(w: ProtoWriter, span: Span): void {
  writeIdField(w, 10, span.traceId, 16);
  writeIdField(w, 18, span.spanId, 8);
  writeStringField(w, 26, span.traceState);
  writeIdField(w, 34, span.parentSpanId, 8);
  writeStringField(w, 42, span.name);
  writeInt32Field(w, 48, span.kind);
  writeFixed64Field(w, 57, span.startTimeUnixNano);
  writeFixed64Field(w, 65, span.endTimeUnixNano);
  writeKeyValues(w, 74, span.attributes);
  writeUint32Field(w, 80, span.droppedAttributesCount);
  for (const event of span.events) {
    w.uint32(90);
    const start = w.fork(2);
    writeFixed64Field(w, 9, event.timeUnixNano);
    writeStringField(w, 18, event.name);
    writeKeyValues(w, 26, event.attributes);
    writeUint32Field(w, 32, event.droppedAttributesCount);
    w.join(start, 2);
  }
  writeUint32Field(w, 96, span.droppedEventsCount);
  for (const link of span.links) {
    w.uint32(106);
    const start = w.fork();
    writeIdField(w, 10, link.traceId, 16);
    writeIdField(w, 18, link.spanId, 8);
    writeStringField(w, 26, link.traceState);
    writeKeyValues(w, 34, link.attributes);
    writeUint32Field(w, 40, link.droppedAttributesCount);
    if (link.flags !== 0) {
      w.uint32(53);
      w.fixed32(link.flags);
    }
    w.join(start);
  }
  writeUint32Field(w, 112, span.droppedLinksCount);
  const status = span.status;
  if (status.code !== 0 || status.message !== '') {
    w.uint32(122);
    const start = w.fork();
    writeStringField(w, 18, status.message);
    writeInt32Field(w, 24, status.code);
    w.join(start);
  }
  if (span.flags !== 0) {
    w.uint32(133);
    w.fixed32(span.flags);
  }
}

const SHAPE: EncodeShape<ResourceSpans, ScopeSpans, Span> = {
  scopes: (group) => group.scopeSpans,
  items: (group) => group.spans,
  writeItem: writeSpan,
  itemPrefixBytes: 2,
};

/** TracesData as ExportTraceServiceRequest protobuf bytes. */
export function encodeTracesProto(data: TracesData): Uint8Array {
  return encodeEnvelope(data.resourceSpans, SHAPE);
}
