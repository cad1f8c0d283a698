import { segment, within } from './decode-error.ts';
import type { LogRecord, LogsData, ResourceLogs, ScopeLogs } from './model.ts';
import { decodeAnyValue, decodeKeyValue, fieldName, knownFields } from './proto-decode-common.ts';
import { decodeEnvelope, skipOne } from './proto-decode-envelope.ts';
import type { DecodeRefusals } from './decode-refusals.ts';
import type { EnvelopeShape } from './proto-decode-envelope.ts';
import type { ProtoReader } from './protobuf-reader.ts';
import { emptyLogRecord } from './defaults.ts';

// logs.proto decoding. LogRecord: 1 time_unix_nano, 11 observed_time_unix_nano,
// 2 severity_number, 3 severity_text, 5 body, 6 attributes,
// 7 dropped_attributes_count, 8 flags (fixed32), 9 trace_id, 10 span_id,
// 12 event_name; 4 is reserved.

const LOG_FIELDS = [
  '',
  'timeUnixNano',
  'severityNumber',
  'severityText',
  '',
  'body',
  'attributes',
  'droppedAttributesCount',
  'flags',
  'traceId',
  'spanId',
  'observedTimeUnixNano',
  'eventName',
];
const LOG_KNOWN = knownFields(LOG_FIELDS);

function decodeLogRecord(r: ProtoReader): LogRecord {
  const outer = r.enter();
  const log = emptyLogRecord();
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 9:
          log.timeUnixNano = r.timestamp();
          break;
        case 89:
          log.observedTimeUnixNano = r.timestamp();
          break;
        case 16:
          log.severityNumber = r.int32();
          break;
        case 26:
          log.severityText = r.string();
          break;
        case 42:
          log.body = decodeAnyValue(r);
          break;
        case 50:
          log.attributes.push(decodeKeyValue(r));
          break;
        case 56:
          log.droppedAttributesCount = r.uint32();
          break;
        case 69:
          log.flags = r.fixed32();
          break;
        case 74:
          log.traceId = r.id(16);
          break;
        case 82:
          log.spanId = r.id(8);
          break;
        case 98:
          log.eventName = r.string();
          break;
        default:
          r.skip(tag, LOG_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(LOG_FIELDS, tag), tag === 50 ? log.attributes.length : -1));
  }
  r.leave(outer);
  return log;
}

const LOGS_SHAPE: EnvelopeShape<LogRecord, ScopeLogs, ResourceLogs> = {
  names: ['resourceLogs', 'scopeLogs', 'logRecords'],
  decodeItem: decodeLogRecord,
  units: () => 1,
  skipItem: skipOne,
  scopeGroup: (scope, logRecords, schemaUrl) => ({ scope, logRecords, schemaUrl }),
  resourceGroup: (resource, scopeLogs, schemaUrl) => ({ resource, scopeLogs, schemaUrl }),
};

/** Decodes ExportLogsServiceRequest (= LogsData) bytes, as decodeTracesProto does spans. */
export function decodeLogsProto(bytes: Uint8Array, refusals?: DecodeRefusals): LogsData {
  return { resourceLogs: decodeEnvelope(bytes, LOGS_SHAPE, refusals) };
}
