import { emptyLogRecord } from '../src/pdata/defaults.ts';
import type { LogsData, TracesData } from '../src/pdata/model.ts';

// One log record per trace of a seed batch (bench/seed-spans.ts), written by its
// server span as the Python SDK's logging handler would: same resource, the trace
// and span ids, an INFO line with the payment's outcome. For `npm run bench`'s
// logs-by-trace-id query.
export function seedLogs(traces: TracesData): LogsData {
  const resource = traces.resourceSpans[0]!.resource;
  const logRecords = traces.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans))
    .filter((span) => span.parentSpanId === '')
    .map((span) => ({
      ...emptyLogRecord(),
      timeUnixNano: span.endTimeUnixNano,
      observedTimeUnixNano: span.endTimeUnixNano + 1_000n,
      severityNumber: span.status.code === 2 ? 17 : 9,
      severityText: span.status.code === 2 ? 'ERROR' : 'INFO',
      body: { type: 'string' as const, value: span.status.code === 2 ? 'payment declined' : 'payment accepted' },
      attributes: [{ key: 'code.function', value: { type: 'string' as const, value: 'create_payment' } }],
      flags: 1,
      traceId: span.traceId,
      spanId: span.spanId,
    }));
  return {
    resourceLogs: [{
      resource,
      scopeLogs: [{ scope: { name: 'payment_api', version: '', attributes: [], droppedAttributesCount: 0 }, logRecords, schemaUrl: '' }],
      schemaUrl: '',
    }],
  };
}
