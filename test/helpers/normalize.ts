import type { KeyValue, LogsData, TracesData } from '../../src/pdata/model.ts';

// OTLP treats attribute lists as maps and does not promise the order of resources,
// scopes or spans in a request, so comparisons flatten and sort; everything else
// must match exactly.

const byKey = (a: KeyValue, b: KeyValue) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
const sorted = (attributes: KeyValue[]) => [...attributes].sort(byKey);

export function flattenSpans(data: TracesData) {
  return data.resourceSpans
    .flatMap((rs) =>
      rs.scopeSpans.flatMap((ss) =>
        ss.spans.map((span) => ({
          resource: { ...rs.resource, attributes: sorted(rs.resource.attributes) },
          resourceSchemaUrl: rs.schemaUrl,
          scope: { ...ss.scope, attributes: sorted(ss.scope.attributes) },
          scopeSchemaUrl: ss.schemaUrl,
          span: {
            ...span,
            attributes: sorted(span.attributes),
            events: span.events.map((e) => ({ ...e, attributes: sorted(e.attributes) })),
            links: span.links.map((l) => ({ ...l, attributes: sorted(l.attributes) })),
          },
        })),
      ),
    )
    .sort((a, b) => (a.span.spanId < b.span.spanId ? -1 : 1));
}

export function flattenLogs(data: LogsData) {
  return data.resourceLogs
    .flatMap((rl) =>
      rl.scopeLogs.flatMap((sl) =>
        sl.logRecords.map((record) => ({
          resource: { ...rl.resource, attributes: sorted(rl.resource.attributes) },
          scope: { ...sl.scope, attributes: sorted(sl.scope.attributes) },
          record: { ...record, attributes: sorted(record.attributes) },
        })),
      ),
    )
    .sort((a, b) => (a.record.timeUnixNano < b.record.timeUnixNano ? -1 : 1));
}
