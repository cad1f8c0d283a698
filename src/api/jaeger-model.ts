import type { AnyValue, KeyValue, Span, TracesData } from '../pdata/model.ts';

// Stored traces in the JSON model of Jaeger's v1 query API (jaeger v1.76.0,
// internal/uimodel/model.go), translated as Jaeger v2 does when it reads OTLP:
// the Collector's OTLP → Jaeger translator (pkg/translator/jaeger,
// traces_to_jaegerproto.go) then the query service's adjusters and uiconv.
// - process: service.name from the resource, the other resource attributes as tags;
// - span tags: its attributes, then otel.scope.name/version, span.kind,
//   otel.status_code, error=true and otel.status_description, w3c.tracestate;
// - events are logs (an `event` field holding the name, then the attributes),
//   the parent is a CHILD_OF reference, links FOLLOWS_FROM;
// - times and durations in microseconds, tags sorted by key and log fields after
//   `event` likewise (the SortTagsAndLogFields adjuster);
// - processes keyed p1, p2... in the order spans first use them (uiconv).

export interface JaegerKeyValue {
  key: string;
  type: 'string' | 'bool' | 'int64' | 'float64' | 'binary';
  value: unknown;
}

export interface JaegerReference {
  refType: 'CHILD_OF' | 'FOLLOWS_FROM';
  traceID: string;
  spanID: string;
}

export interface JaegerSpan {
  traceID: string;
  spanID: string;
  operationName: string;
  references: JaegerReference[];
  startTime: number;
  duration: number;
  tags: JaegerKeyValue[];
  logs: { timestamp: number; fields: JaegerKeyValue[] }[];
  processID: string;
  warnings: null;
}

export interface JaegerProcess {
  serviceName: string;
  tags: JaegerKeyValue[];
}

export interface JaegerTrace {
  traceID: string;
  spans: JaegerSpan[];
  processes: Record<string, JaegerProcess>;
  warnings: null;
}

const kindNames = ['', 'internal', 'server', 'client', 'producer', 'consumer'];

/** Jaeger's name of an OTLP SpanKind ('' for unspecified), as in operations and the span.kind tag. */
export function jaegerSpanKind(kind: number): string {
  return kindNames[kind] ?? '';
}

/** An OTLP SpanKind from Jaeger's name; undefined for a name Jaeger does not use. */
export function spanKindFromJaeger(name: string): number | undefined {
  const i = kindNames.indexOf(name);
  return i > 0 ? i : undefined;
}

/** A Unix-nanosecond instant or duration in whole microseconds (Jaeger truncates). */
function micros(ns: bigint): number {
  return Number(ns / 1000n);
}

function tagOf(key: string, value: AnyValue): JaegerKeyValue {
  switch (value.type) {
    case 'string':
      return { key, type: 'string', value: value.value };
    case 'bool':
      return { key, type: 'bool', value: value.value };
    case 'int':
      // Go writes an int64 as a JSON number; past 2^53 a JavaScript number would
      // change it, so those few are written as decimal strings.
      return { key, type: 'int64', value: Number.isSafeInteger(Number(value.value)) ? Number(value.value) : value.value.toString() };
    case 'double':
      return { key, type: 'float64', value: value.value };
    case 'bytes':
      return { key, type: 'binary', value: Buffer.from(value.value).toString('base64') };
    default:
      // Arrays and maps become their JSON text (pcommon.Value.AsString), as Jaeger's translator does.
      return { key, type: 'string', value: valueText(value) };
  }
}

function plain(value: AnyValue): unknown {
  switch (value.type) {
    case 'int':
      return Number(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
      return value.value.map(plain);
    case 'kvlist':
      return Object.fromEntries(value.value.map((kv) => [kv.key, plain(kv.value)]));
    case 'empty':
      return null;
    default:
      return value.value;
  }
}

function valueText(value: AnyValue): string {
  return value.type === 'empty' ? '' : JSON.stringify(plain(value));
}

const byKey = (a: JaegerKeyValue, b: JaegerKeyValue) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

function tagsOf(attributes: readonly KeyValue[]): JaegerKeyValue[] {
  return attributes.map((kv) => tagOf(kv.key, kv.value));
}

function spanTags(span: Span, scope: { name: string; version: string }): JaegerKeyValue[] {
  const tags = tagsOf(span.attributes);
  const str = (key: string, value: string) => tags.push({ key, type: 'string', value });
  if (scope.name !== '') str('otel.scope.name', scope.name);
  if (scope.version !== '') str('otel.scope.version', scope.version);
  if (span.kind !== 0) str('span.kind', jaegerSpanKind(span.kind));
  if (span.status.code === 1) str('otel.status_code', 'OK');
  if (span.status.code === 2) {
    str('otel.status_code', 'ERROR');
    tags.push({ key: 'error', type: 'bool', value: true });
  }
  if (span.status.message !== '') str('otel.status_description', span.status.message);
  if (span.traceState !== '') str('w3c.tracestate', span.traceState);
  if (span.droppedAttributesCount > 0) tags.push({ key: 'otel.dropped_attributes_count', type: 'int64', value: span.droppedAttributesCount });
  if (span.droppedEventsCount > 0) tags.push({ key: 'otel.dropped_events_count', type: 'int64', value: span.droppedEventsCount });
  if (span.droppedLinksCount > 0) tags.push({ key: 'otel.dropped_links_count', type: 'int64', value: span.droppedLinksCount });
  return tags.sort(byKey);
}

function referencesOf(span: Span): JaegerReference[] {
  const refs: JaegerReference[] = [];
  if (span.parentSpanId !== '') refs.push({ refType: 'CHILD_OF', traceID: span.traceId, spanID: span.parentSpanId });
  for (const link of span.links) {
    if (link.traceId === span.traceId && link.spanId === span.parentSpanId) continue;
    refs.push({ refType: 'FOLLOWS_FROM', traceID: link.traceId, spanID: link.spanId });
  }
  return refs;
}

/** The spans of one trace (every span of `data` must belong to `traceId`), ordered by start time. */
export function toJaegerTrace(traceId: string, data: TracesData): JaegerTrace {
  const rows: { span: Span; process: JaegerProcess; scope: { name: string; version: string } }[] = [];
  for (const rs of data.resourceSpans) {
    const service = rs.resource.attributes.find((kv) => kv.key === 'service.name');
    const process: JaegerProcess = {
      serviceName: service?.value.type === 'string' ? service.value.value : 'OTLPResourceNoServiceName',
      tags: tagsOf(rs.resource.attributes.filter((kv) => kv.key !== 'service.name')).sort(byKey),
    };
    for (const ss of rs.scopeSpans) for (const span of ss.spans) rows.push({ span, process, scope: ss.scope });
  }
  rows.sort((a, b) => (a.span.startTimeUnixNano < b.span.startTimeUnixNano ? -1 : a.span.startTimeUnixNano > b.span.startTimeUnixNano ? 1 : 0));
  const processes: Record<string, JaegerProcess> = {};
  const idOfProcess = new Map<string, string>();
  const spans = rows.map(({ span, process, scope }): JaegerSpan => {
    // Equal processes share an id, as uiconv's process hashing does.
    const identity = JSON.stringify(process);
    let processID = idOfProcess.get(identity);
    if (processID === undefined) {
      processID = `p${idOfProcess.size + 1}`;
      idOfProcess.set(identity, processID);
      Object.defineProperty(processes, processID, { value: process, enumerable: true, writable: true, configurable: true });
    }
    return {
      traceID: span.traceId,
      spanID: span.spanId,
      operationName: span.name,
      references: referencesOf(span),
      startTime: micros(span.startTimeUnixNano),
      duration: micros(span.endTimeUnixNano - span.startTimeUnixNano),
      tags: spanTags(span, scope),
      logs: span.events.map((e) => ({
        timestamp: micros(e.timeUnixNano),
        fields: [...(e.name === '' ? [] : [{ key: 'event', type: 'string' as const, value: e.name }]), ...tagsOf(e.attributes).sort(byKey)],
      })),
      processID,
      warnings: null,
    };
  });
  return { traceID: traceId, spans, processes, warnings: null };
}
