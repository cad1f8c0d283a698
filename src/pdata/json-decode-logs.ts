import { camel, decodeAnyValueJson, decodeJsonEnvelope, readAttributes } from './json-decode-common.ts';
import type { JsonEnvelopeShape } from './json-decode-common.ts';
import type { JsonValue } from './json-parse.ts';
import { child, readEnum, readId, readObject, readString, readTimestamp, readUint32 } from './json-read.ts';
import type { LogRecord, LogsData, ResourceLogs, ScopeLogs } from './model.ts';
import { emptyLogRecord } from './defaults.ts';
import type { DecodeRefusals } from './decode-refusals.ts';

// OTLP/JSON logs (logs.proto field names; see json-decode-common.ts for the rules).

/** SeverityNumber names: SEVERITY_NUMBER_TRACE = 1 ... SEVERITY_NUMBER_FATAL4 = 24. */
const SEVERITY_NAMES: Readonly<Record<string, number>> = (() => {
  const names: Record<string, number> = { SEVERITY_NUMBER_UNSPECIFIED: 0 };
  ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].forEach((level, i) => {
    names[`SEVERITY_NUMBER_${level}`] = 4 * i + 1;
    for (let k = 2; k <= 4; k++) names[`SEVERITY_NUMBER_${level}${k}`] = 4 * i + k;
  });
  return names;
})();

function decodeLogRecordJson(v: JsonValue, path: string): LogRecord {
  const o = readObject(v, path);
  const log = emptyLogRecord();
  for (const key in o) {
    const f = o[key];
    if (f === null || f === undefined) continue;
    const name = camel(key);
    const at = child(path, name);
    switch (name) {
      case 'timeUnixNano':
        log.timeUnixNano = readTimestamp(f, at);
        break;
      case 'observedTimeUnixNano':
        log.observedTimeUnixNano = readTimestamp(f, at);
        break;
      case 'severityNumber':
        log.severityNumber = readEnum(f, at, SEVERITY_NAMES);
        break;
      case 'severityText':
        log.severityText = readString(f, at);
        break;
      case 'body':
        log.body = decodeAnyValueJson(f, at);
        break;
      case 'attributes':
        log.attributes = readAttributes(f, at);
        break;
      case 'droppedAttributesCount':
        log.droppedAttributesCount = readUint32(f, at);
        break;
      case 'flags':
        log.flags = readUint32(f, at);
        break;
      case 'traceId':
        log.traceId = readId(f, at, 16);
        break;
      case 'spanId':
        log.spanId = readId(f, at, 8);
        break;
      case 'eventName':
        log.eventName = readString(f, at);
        break;
    }
  }
  return log;
}

const SHAPE: JsonEnvelopeShape<LogRecord, ScopeLogs, ResourceLogs> = {
  names: ['resourceLogs', 'scopeLogs', 'logRecords'],
  decodeItem: decodeLogRecordJson,
  units: () => 1,
  unitsIn: () => 1,
  scopeGroup: (scope, logRecords, schemaUrl) => ({ scope, logRecords, schemaUrl }),
  resourceGroup: (resource, scopeLogs, schemaUrl) => ({ resource, scopeLogs, schemaUrl }),
};

/** Decodes an OTLP/JSON ExportLogsServiceRequest, as decodeTracesJson does spans. */
export function decodeLogsJson(text: string, refusals?: DecodeRefusals): LogsData {
  return { resourceLogs: decodeJsonEnvelope(text, SHAPE, refusals) };
}
