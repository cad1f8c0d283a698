import { anyValueToOtlpJson, envelopeToJson, put, putAttributes } from './json-encode-common.ts';
import type { JsonEncodeShape, JsonObjectOut } from './json-encode-common.ts';
import type { LogRecord, LogsData, ResourceLogs, ScopeLogs } from './model.ts';

// Model -> OTLP/JSON for logs (rules in json-encode-common.ts).

function logRecordJson(log: LogRecord): JsonObjectOut {
  const out: JsonObjectOut = {};
  put(out, 'timeUnixNano', log.timeUnixNano);
  put(out, 'observedTimeUnixNano', log.observedTimeUnixNano);
  put(out, 'severityNumber', log.severityNumber);
  put(out, 'severityText', log.severityText);
  if (log.body.type !== 'empty') out['body'] = anyValueToOtlpJson(log.body);
  putAttributes(out, 'attributes', log.attributes);
  put(out, 'droppedAttributesCount', log.droppedAttributesCount);
  put(out, 'flags', log.flags);
  put(out, 'traceId', log.traceId);
  put(out, 'spanId', log.spanId);
  put(out, 'eventName', log.eventName);
  return out;
}

const SHAPE: JsonEncodeShape<ResourceLogs, ScopeLogs, LogRecord> = {
  names: ['resourceLogs', 'scopeLogs', 'logRecords'],
  scopes: (group) => group.scopeLogs,
  items: (group) => group.logRecords,
  item: logRecordJson,
};

/** LogsData as an OTLP/JSON ExportLogsServiceRequest object. */
export function logsToOtlpJson(data: LogsData): unknown {
  return envelopeToJson(data.resourceLogs, SHAPE);
}
