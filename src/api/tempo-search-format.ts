import type { Field } from '../query/traceql/ast.ts';
import { fieldText } from '../query/traceql/ast.ts';
import { typedValue } from '../query/traceql/metrics-result.ts';
import type { TraceqlTraceRow } from '../storage/tempo-api.ts';

// Search rows -> Tempo's SearchResponse JSON (pkg/tempopb/tempo.proto
// TraceSearchMetadata, SpanSet, Span as jsonpb writes them: uint64 as strings,
// lowerCamelCase names), what Grafana's Tempo data source turns into its table.

const STATUS = ['unset', 'ok', 'error'];
const KIND = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];

export function searchResponse(rows: TraceqlTraceRow[], fields: Field[]) {
  const traces = rows.map((t) => {
    const spanSet = {
      spans: t.spans.map((s) => ({
        spanID: s.spanId,
        name: s.name,
        startTimeUnixNano: s.startNs,
        durationNanos: s.durationNs,
        attributes: s.fields.flatMap(([type, text], i) => {
          const f = fields[i];
          if (f === undefined || type === '') return [];
          const key = f.kind === 'attribute' ? f.key : fieldText(f);
          const value = type === 'status' ? { stringValue: STATUS[Number(text)] ?? text } : type === 'kind' ? { stringValue: KIND[Number(text)] ?? text } : typedValue(type, text);
          return [{ key, value }];
        }),
      })),
      matched: t.matched,
    };
    return {
      traceID: t.traceId,
      // Tempo's placeholder while the root span has not arrived.
      rootServiceName: t.rootServiceName === '' ? '<root span not yet received>' : t.rootServiceName,
      ...(t.rootName === '' ? {} : { rootTraceName: t.rootName }),
      startTimeUnixNano: t.startNs,
      durationMs: Math.floor(Number(BigInt(t.durationNs) / 1_000n) / 1000),
      spanSet,
      spanSets: [spanSet],
      serviceStats: Object.fromEntries(t.serviceStats.map((s) => [s.service, { spanCount: s.spanCount, ...(s.errorCount > 0 ? { errorCount: s.errorCount } : {}) }])),
    };
  });
  return { traces, metrics: { inspectedTraces: rows.length, inspectedBytes: '0', completedJobs: 1, totalJobs: 1 } };
}
