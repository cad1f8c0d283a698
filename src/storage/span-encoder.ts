import type { Span, SpanEvent, SpanLink, TracesData } from '../pdata/model.ts';
import { attributeMapColumns, writeAttributeMaps } from './attribute-columns.ts';
import { nsJson } from './ch-values.ts';
import { keyValuesJson, q } from './otlp-json.ts';
import { encodeResource, encodeResourceScope, ORIGIN_COLUMNS } from './resource-scope.ts';
import type { EncodedSignal } from './encoded-signal.ts';
import { payloadPool } from './payload-pool.ts';
import { RowBuffer } from './row-buffer.ts';

// TracesData -> one JSONCompactEachRow payload for the `spans` table. Hot path
// (bench/store-bench.ts, `npm run bench`): rows are written as bytes straight from
// the model into one growing buffer (row-buffer.ts), no per-row objects or strings.
// Measured on seed-shaped spans: the string-building encoder plus Buffer.from
// took 4-5 µs a span, Buffer.from alone half of it.

export const SPAN_COLUMNS = [
  'Timestamp',
  'TraceId',
  'SpanId',
  'ParentSpanId',
  'TraceState',
  'Flags',
  'SpanName',
  'SpanKind',
  'Duration',
  'StatusCode',
  'StatusMessage',
  ...attributeMapColumns('Attributes'),
  'DroppedAttributesCount',
  'Events',
  'DroppedEventsCount',
  'Links',
  'DroppedLinksCount',
  ...ORIGIN_COLUMNS,
] as const;

const EMPTY_LIST = Buffer.from('"[]"');
const COMMA = 0x2c;
/** A seed-shaped span is ~0.9 KB of row; starting near the size saves regrowing. */
const BYTES_PER_SPAN_GUESS = 1024;

export function encodeSpans(data: TracesData): EncodedSignal {
  let spanCount = 0;
  for (const rs of data.resourceSpans) for (const ss of rs.scopeSpans) spanCount += ss.spans.length;
  const out = new RowBuffer(spanCount * BYTES_PER_SPAN_GUESS, payloadPool);
  let rows = 0;
  const resourceScopes = new Map<string, string>();
  for (const rs of data.resourceSpans) {
    const resource = encodeResource(rs.resource, rs.schemaUrl);
    for (const ss of rs.scopeSpans) {
      if (ss.spans.length === 0) continue;
      const origin = encodeResourceScope(resource, ss.scope, ss.schemaUrl);
      resourceScopes.set(origin.id, origin.row);
      for (const span of ss.spans) {
        writeSpanRow(out, span);
        out.bytes(origin.tailBytes);
        rows++;
      }
    }
  }
  return { payload: out.finish(), rows, resourceScopes };
}

function writeSpanRow(out: RowBuffer, s: Span): void {
  out.byte(0x5b); // [
  out.ascii(nsJson(s.startTimeUnixNano));
  out.byte(COMMA);
  out.jsonString(s.traceId);
  out.byte(COMMA);
  out.jsonString(s.spanId);
  out.byte(COMMA);
  out.jsonString(s.parentSpanId);
  out.byte(COMMA);
  out.jsonString(s.traceState);
  out.byte(COMMA);
  out.int(s.flags);
  out.byte(COMMA);
  out.jsonString(s.name);
  out.byte(COMMA);
  out.int(s.kind);
  out.byte(COMMA);
  out.ascii(BigInt.asIntN(64, s.endTimeUnixNano - s.startTimeUnixNano).toString());
  out.byte(COMMA);
  out.int(s.status.code);
  out.byte(COMMA);
  out.jsonString(s.status.message);
  out.byte(COMMA);
  writeAttributeMaps(out, s.attributes);
  out.byte(COMMA);
  out.int(s.droppedAttributesCount);
  out.byte(COMMA);
  if (s.events.length === 0) out.bytes(EMPTY_LIST);
  else out.jsonString(eventsJson(s.events));
  out.byte(COMMA);
  out.int(s.droppedEventsCount);
  out.byte(COMMA);
  if (s.links.length === 0) out.bytes(EMPTY_LIST);
  else out.jsonString(linksJson(s.links));
  out.byte(COMMA);
  out.int(s.droppedLinksCount);
}

/** OTLP/JSON of Span.events. */
export function eventsJson(events: readonly SpanEvent[]): string {
  let out = '';
  for (const e of events) {
    out +=
      `${out === '' ? '' : ','}{"timeUnixNano":"${e.timeUnixNano}","name":${q(e.name)},` +
      `"attributes":${keyValuesJson(e.attributes)},"droppedAttributesCount":${e.droppedAttributesCount}}`;
  }
  return `[${out}]`;
}

/** OTLP/JSON of Span.links (ids in hex, as OTLP/JSON has them). */
export function linksJson(links: readonly SpanLink[]): string {
  let out = '';
  for (const l of links) {
    out +=
      `${out === '' ? '' : ','}{"traceId":${q(l.traceId)},"spanId":${q(l.spanId)},"traceState":${q(l.traceState)},` +
      `"attributes":${keyValuesJson(l.attributes)},"droppedAttributesCount":${l.droppedAttributesCount},"flags":${l.flags}}`;
  }
  return `[${out}]`;
}
