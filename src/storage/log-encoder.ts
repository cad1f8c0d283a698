import type { AnyValue, LogRecord, LogsData } from '../pdata/model.ts';
import { attributeMapColumns, attributeMapsJson } from './attribute-columns.ts';
import { nsJson } from './ch-values.ts';
import { anyValueJson, q } from './otlp-json.ts';
import { encodeResource, encodeResourceScope, ORIGIN_COLUMNS } from './resource-scope.ts';
import type { EncodedSignal } from './encoded-signal.ts';

// LogsData -> one JSONCompactEachRow payload for the `logs` table (see
// span-encoder.ts for why rows are built as text).

export const LOG_COLUMNS = [
  'Timestamp',
  'TimeUnset',
  'ObservedTimestamp',
  'TraceId',
  'SpanId',
  'Flags',
  'SeverityText',
  'SeverityNumber',
  'Body',
  'BodyIsJson',
  'EventName',
  ...attributeMapColumns('Attributes'),
  'DroppedAttributesCount',
  ...ORIGIN_COLUMNS,
] as const;

export function encodeLogs(data: LogsData): EncodedSignal {
  let out = '';
  let rows = 0;
  const resourceScopes = new Map<string, string>();
  for (const rl of data.resourceLogs) {
    const resource = encodeResource(rl.resource, rl.schemaUrl);
    for (const sl of rl.scopeLogs) {
      if (sl.logRecords.length === 0) continue;
      const origin = encodeResourceScope(resource, sl.scope, sl.schemaUrl);
      resourceScopes.set(origin.id, origin.row);
      for (const record of sl.logRecords) {
        out += logRow(record) + origin.tail;
        rows++;
      }
    }
  }
  return { payload: Buffer.from(out), rows, resourceScopes };
}

/** The Body column: the string itself, or the OTLP/JSON of any other value. */
export function bodyText(body: AnyValue): { text: string; isJson: boolean } {
  return body.type === 'string' ? { text: body.value, isJson: false } : { text: anyValueJson(body), isJson: true };
}

function logRow(r: LogRecord): string {
  // The log data model: without a time, the observed time stands in (see 002_logs.sql).
  const timeUnset = r.timeUnixNano === 0n;
  const body = bodyText(r.body);
  return (
    `[${nsJson(timeUnset ? r.observedTimeUnixNano : r.timeUnixNano)},${timeUnset},${nsJson(r.observedTimeUnixNano)},` +
    `${q(r.traceId)},${q(r.spanId)},${r.flags},${q(r.severityText)},${r.severityNumber},` +
    `${q(body.text)},${body.isJson},${q(r.eventName)},${attributeMapsJson(r.attributes)},${r.droppedAttributesCount}`
  );
}
