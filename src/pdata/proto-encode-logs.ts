import type { LogRecord, LogsData, ResourceLogs, ScopeLogs } from './model.ts';
import {
  encodeEnvelope,
  writeAnyValue,
  writeFixed64Field,
  writeIdField,
  writeInt32Field,
  writeKeyValues,
  writeStringField,
  writeUint32Field,
} from './proto-encode-common.ts';
import type { EncodeShape } from './proto-encode-common.ts';
import type { ProtoWriter } from './protobuf-writer.ts';

// logs.proto encoding (field numbers in proto-decode-logs.ts).

function writeLogRecord(w: ProtoWriter, log: LogRecord): void {
  writeFixed64Field(w, 9, log.timeUnixNano);
  writeInt32Field(w, 16, log.severityNumber);
  writeStringField(w, 26, log.severityText);
  if (log.body.type !== 'empty') writeAnyValue(w, 42, log.body);
  writeKeyValues(w, 50, log.attributes);
  writeUint32Field(w, 56, log.droppedAttributesCount);
  if (log.flags !== 0) {
    w.uint32(69);
    w.fixed32(log.flags);
  }
  writeIdField(w, 74, log.traceId, 16);
  writeIdField(w, 82, log.spanId, 8);
  writeFixed64Field(w, 89, log.observedTimeUnixNano);
  writeStringField(w, 98, log.eventName);
}

const SHAPE: EncodeShape<ResourceLogs, ScopeLogs, LogRecord> = {
  scopes: (group) => group.scopeLogs,
  items: (group) => group.logRecords,
  writeItem: writeLogRecord,
  itemPrefixBytes: 2,
};

/** LogsData as ExportLogsServiceRequest protobuf bytes. */
export function encodeLogsProto(data: LogsData): Uint8Array {
  return encodeEnvelope(data.resourceLogs, SHAPE);
}
