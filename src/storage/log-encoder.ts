import type { AnyValue, LogRecord, LogsData } from '../pdata/model.ts';
import { attributeMapColumns, writeAttributeMaps } from './attribute-columns.ts';
import { nsJson } from './ch-values.ts';
import { anyValueJson } from './otlp-json.ts';
import { encodeResource, encodeResourceScope, ORIGIN_COLUMNS } from './resource-scope.ts';
import type { EncodedSignal } from './encoded-signal.ts';
import { payloadPool } from './payload-pool.ts';
import { RowBuffer } from './row-buffer.ts';

// LogsData -> one JSONCompactEachRow payload for the `logs` table, written as
// bytes (see span-encoder.ts for why).

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

const COMMA = 0x2c;
const BYTES_PER_RECORD_GUESS = 512;

export function encodeLogs(data: LogsData): EncodedSignal {
  let recordCount = 0;
  for (const rl of data.resourceLogs) for (const sl of rl.scopeLogs) recordCount += sl.logRecords.length;
  const out = new RowBuffer(recordCount * BYTES_PER_RECORD_GUESS, payloadPool);
  let rows = 0;
  const resourceScopes = new Map<string, string>();
  for (const rl of data.resourceLogs) {
    const resource = encodeResource(rl.resource, rl.schemaUrl);
    for (const sl of rl.scopeLogs) {
      if (sl.logRecords.length === 0) continue;
      const origin = encodeResourceScope(resource, sl.scope, sl.schemaUrl);
      resourceScopes.set(origin.id, origin.row);
      for (const record of sl.logRecords) {
        writeLogRow(out, record);
        out.bytes(origin.tailBytes);
        rows++;
      }
    }
  }
  return { payload: out.finish(), rows, resourceScopes };
}

/** The Body column: the string itself, or the OTLP/JSON of any other value. */
export function bodyText(body: AnyValue): { text: string; isJson: boolean } {
  return body.type === 'string' ? { text: body.value, isJson: false } : { text: anyValueJson(body), isJson: true };
}

function writeLogRow(out: RowBuffer, r: LogRecord): void {
  // The log data model: without a time, the observed time stands in (see 002_logs.sql).
  const timeUnset = r.timeUnixNano === 0n;
  const body = bodyText(r.body);
  out.byte(0x5b); // [
  out.ascii(nsJson(timeUnset ? r.observedTimeUnixNano : r.timeUnixNano));
  out.byte(COMMA);
  out.ascii(timeUnset ? 'true' : 'false');
  out.byte(COMMA);
  out.ascii(nsJson(r.observedTimeUnixNano));
  out.byte(COMMA);
  out.jsonString(r.traceId);
  out.byte(COMMA);
  out.jsonString(r.spanId);
  out.byte(COMMA);
  out.int(r.flags);
  out.byte(COMMA);
  out.jsonString(r.severityText);
  out.byte(COMMA);
  out.int(r.severityNumber);
  out.byte(COMMA);
  out.jsonString(body.text);
  out.byte(COMMA);
  out.ascii(body.isJson ? 'true' : 'false');
  out.byte(COMMA);
  out.jsonString(r.eventName);
  out.byte(COMMA);
  writeAttributeMaps(out, r.attributes);
  out.byte(COMMA);
  out.int(r.droppedAttributesCount);
}
