import { attributesToPlain } from '../api/plain-json.ts';
import { jaegerSpanKind } from '../api/jaeger-model.ts';
import type { KeyValue, Span, TracesData } from '../pdata/model.ts';
import { assembleTraceView } from '../query/trace-view.ts';
import type { TreeSpanRow } from '../storage/view-api.ts';

// A trace as a compact tree for an assistant to read: each span once, depth-first
// (trace-tree.ts), with its duration, self time (self-time.ts), whether it is on
// the critical path, its error, and its attributes, with long values and many
// attributes cut so one span cannot fill the answer.

const maxAttributesPerSpan = 25;
const maxValueChars = 300;

export interface CompactSpan {
  depth: number;
  spanId: string;
  parentSpanId: string;
  service: string;
  name: string;
  kind: string;
  startOffsetMs: number;
  durationMs: number;
  selfMs: number;
  critical: boolean;
  error: string | null;
  orphan: boolean;
  attributes: Record<string, unknown>;
  events: string[];
}

export interface CompactTrace {
  traceId: string;
  durationMs: number;
  spanCount: number;
  errorCount: number;
  services: string[];
  /** At most `maxSpans`, in tree order; `truncated` says when spans were left out. */
  spans: CompactSpan[];
  truncated: boolean;
}

const ms = (ns: number) => Math.round(ns / 1000) / 1000;

function cut(value: unknown): unknown {
  if (typeof value === 'string' && value.length > maxValueChars) return `${value.slice(0, maxValueChars)}… (${value.length} chars)`;
  if (Array.isArray(value) || (value !== null && typeof value === 'object')) {
    const text = JSON.stringify(value);
    return text.length > maxValueChars ? `${text.slice(0, maxValueChars)}… (${text.length} chars)` : value;
  }
  return value;
}

function attributesOf(span: readonly KeyValue[]): Record<string, unknown> {
  const plain = attributesToPlain([...span.slice(0, maxAttributesPerSpan)]);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(plain)) Object.defineProperty(out, k, { value: cut(v), enumerable: true });
  if (span.length > maxAttributesPerSpan) Object.defineProperty(out, '…', { value: `${span.length - maxAttributesPerSpan} more attributes`, enumerable: true });
  return out;
}

export function compactTrace(traceId: string, data: TracesData, maxSpans: number): CompactTrace {
  const spans: { span: Span; service: string }[] = [];
  for (const rs of data.resourceSpans) {
    const name = rs.resource.attributes.find((kv) => kv.key === 'service.name');
    const service = name?.value.type === 'string' ? name.value.value : '';
    for (const ss of rs.scopeSpans) for (const span of ss.spans) spans.push({ span, service });
  }
  const rows: TreeSpanRow[] = spans.map(({ span, service }) => ({
    spanId: span.spanId,
    parentSpanId: span.parentSpanId,
    serviceName: service,
    name: span.name,
    kind: span.kind,
    startTimeUnixNano: span.startTimeUnixNano,
    durationNs: span.endTimeUnixNano - span.startTimeUnixNano,
    statusCode: span.status.code,
    eventTimesUnixNano: span.events.map((e) => e.timeUnixNano),
    hasException: span.events.some((e) => e.name === 'exception'),
  }));
  const view = assembleTraceView(rows);
  const out: CompactSpan[] = [];
  for (const i of view.tree.order) {
    if (out.length >= maxSpans) break;
    const { span, service } = spans[i]!;
    const exception = span.events.find((e) => e.name === 'exception');
    const exceptionMessage = exception?.attributes.find((kv) => kv.key === 'exception.message');
    const error =
      span.status.code === 2
        ? span.status.message || (exceptionMessage?.value.type === 'string' ? exceptionMessage.value.value : 'error')
        : null;
    out.push({
      depth: view.tree.depth[i]!,
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      service,
      name: span.name,
      kind: jaegerSpanKind(span.kind) || 'unspecified',
      startOffsetMs: ms(view.spans[i]!.startNs),
      durationMs: ms(view.spans[i]!.endNs - view.spans[i]!.startNs),
      selfMs: ms(view.selfNs[i]!),
      critical: view.critical[i] === 1,
      error,
      orphan: view.tree.orphan[i] === 1,
      attributes: attributesOf(span.attributes),
      events: span.events.slice(0, 10).map((e) => e.name),
    });
  }
  return {
    traceId,
    durationMs: ms(view.durationNs),
    spanCount: spans.length,
    errorCount: spans.filter((s) => s.span.status.code === 2).length,
    services: [...new Set(spans.map((s) => s.service))].sort(),
    spans: out,
    truncated: view.tree.order.length > out.length,
  };
}
