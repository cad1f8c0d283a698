import type { TracesData } from '../../pdata/model.ts';
import { attributesBlock, attributesInline, goTime, scopeLine } from './text-common.ts';

// The debug exporter's traces text at `normal` (a line per span) and `detailed`
// (every field) verbosity.

const kindNames = ['Unspecified', 'Internal', 'Server', 'Client', 'Producer', 'Consumer'];
const statusNames = ['Unset', 'Ok', 'Error'];

export function tracesNormal(data: TracesData): string[] {
  const lines: string[] = [];
  data.resourceSpans.forEach((rs, i) => {
    lines.push(joined(`ResourceTraces #${i}`, rs.schemaUrl && `[${rs.schemaUrl}]`, attributesInline(rs.resource.attributes)));
    rs.scopeSpans.forEach((ss, j) => {
      lines.push(joined(`ScopeTraces #${j}`, ss.scope.name, ss.scope.version, ss.schemaUrl && `[${ss.schemaUrl}]`));
      for (const span of ss.spans) lines.push(joined(span.name, span.traceId, span.spanId, attributesInline(span.attributes)));
    });
  });
  return lines;
}

export function tracesDetailed(data: TracesData): string[] {
  const lines: string[] = [];
  data.resourceSpans.forEach((rs, i) => {
    lines.push(`ResourceSpans #${i}`, `Resource SchemaURL: ${rs.schemaUrl}`);
    attributesBlock(lines, 'Resource attributes:', rs.resource.attributes);
    rs.scopeSpans.forEach((ss, j) => {
      lines.push(`ScopeSpans #${j}`, `ScopeSpans SchemaURL: ${ss.schemaUrl}`, scopeLine(ss.scope));
      attributesBlock(lines, 'InstrumentationScope attributes:', ss.scope.attributes);
      ss.spans.forEach((span, k) => {
        lines.push(
          `Span #${k}`,
          `    Trace ID       : ${span.traceId}`,
          `    Parent ID      : ${span.parentSpanId}`,
          `    ID             : ${span.spanId}`,
          `    Name           : ${span.name}`,
          `    Kind           : ${kindNames[span.kind] ?? span.kind}`,
          `    TraceState     : ${span.traceState}`,
          `    Flags          : ${span.flags}`,
          `    Start time     : ${goTime(span.startTimeUnixNano)}`,
          `    End time       : ${goTime(span.endTimeUnixNano)}`,
          `    Status code    : ${statusNames[span.status.code] ?? span.status.code}`,
          `    Status message : ${span.status.message}`,
        );
        if (span.droppedAttributesCount > 0) lines.push(`    DroppedAttributesCount: ${span.droppedAttributesCount}`);
        attributesBlock(lines, 'Attributes:', span.attributes);
        if (span.events.length > 0) lines.push('Events:');
        span.events.forEach((event, e) => {
          lines.push(
            `SpanEvent #${e}`,
            `     -> Name: ${event.name}`,
            `     -> Timestamp: ${goTime(event.timeUnixNano)}`,
            `     -> DroppedAttributesCount: ${event.droppedAttributesCount}`,
          );
          attributesBlock(lines, '     -> Attributes::', event.attributes, '          ');
        });
        if (span.links.length > 0) lines.push('Links:');
        span.links.forEach((link, l) => {
          lines.push(
            `SpanLink #${l}`,
            `     -> Trace ID: ${link.traceId}`,
            `     -> ID: ${link.spanId}`,
            `     -> TraceState: ${link.traceState}`,
            `     -> DroppedAttributesCount: ${link.droppedAttributesCount}`,
          );
          attributesBlock(lines, '     -> Attributes::', link.attributes, '          ');
        });
      });
    });
  });
  return lines;
}

/** Space-joined, skipping empty parts. */
export function joined(...parts: string[]): string {
  return parts.filter((part) => part !== '').join(' ');
}
