import type { Span, SpanEvent, SpanLink, TracesData } from '../pdata/model.ts';
import { attributeMapColumns, attributeMapsJson } from './attribute-columns.ts';
import { nsJson } from './ch-values.ts';
import { keyValuesJson, q } from './otlp-json.ts';
import { encodeResource, encodeResourceScope, ORIGIN_COLUMNS } from './resource-scope.ts';
import type { EncodedSignal } from './encoded-signal.ts';

// TracesData -> one JSONCompactEachRow payload for the `spans` table. Hot path
// (bench/store-bench.ts): rows are built as text straight from the model, no
// per-row objects; JSON.stringify only quotes strings; bigints print themselves.

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

const EMPTY_LIST = '"[]"';

export function encodeSpans(data: TracesData): EncodedSignal {
  let out = '';
  let rows = 0;
  const resourceScopes = new Map<string, string>();
  for (const rs of data.resourceSpans) {
    const resource = encodeResource(rs.resource, rs.schemaUrl);
    for (const ss of rs.scopeSpans) {
      if (ss.spans.length === 0) continue;
      const origin = encodeResourceScope(resource, ss.scope, ss.schemaUrl);
      resourceScopes.set(origin.id, origin.row);
      for (const span of ss.spans) {
        out += spanRow(span) + origin.tail;
        rows++;
      }
    }
  }
  return { payload: Buffer.from(out), rows, resourceScopes };
}

function spanRow(s: Span): string {
  return (
    `[${nsJson(s.startTimeUnixNano)},${q(s.traceId)},${q(s.spanId)},${q(s.parentSpanId)},${q(s.traceState)},` +
    `${s.flags},${q(s.name)},${s.kind},${BigInt.asIntN(64, s.endTimeUnixNano - s.startTimeUnixNano)},` +
    `${s.status.code},${q(s.status.message)},${attributeMapsJson(s.attributes)},${s.droppedAttributesCount},` +
    `${s.events.length === 0 ? EMPTY_LIST : q(eventsJson(s.events))},${s.droppedEventsCount},` +
    `${s.links.length === 0 ? EMPTY_LIST : q(linksJson(s.links))},${s.droppedLinksCount}`
  );
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
