// The OTLP codecs: protobuf and OTLP/JSON for the three signals, the answers an
// OTLP server sends, and id helpers. The model itself is in model.ts.

export { decodeLogsJson } from './json-decode-logs.ts';
export { decodeMetricsJson } from './json-decode-metrics.ts';
export { decodeTracesJson } from './json-decode-traces.ts';
export { anyValueFromOtlpJson } from './json-decode-common.ts';
export { anyValueToOtlpJson } from './json-encode-common.ts';
export { logsToOtlpJson } from './json-encode-logs.ts';
export { metricsToOtlpJson } from './json-encode-metrics.ts';
export { tracesToOtlpJson } from './json-encode-traces.ts';
export { decodeLogsProto } from './proto-decode-logs.ts';
export { decodeMetricsProto } from './proto-decode-metrics.ts';
export { decodeTracesProto } from './proto-decode-traces.ts';
export { encodeLogsProto } from './proto-encode-logs.ts';
export { encodeMetricsProto } from './proto-encode-metrics.ts';
export { encodeTracesProto } from './proto-encode-traces.ts';
export {
  encodeExportResponseProto,
  encodeStatusProto,
  encodeStatusWithRetryInfo,
  exportResponseToOtlpJson,
  statusToJson,
} from './responses.ts';
export { bytesFromHex, hexFromBytes } from './hex.ts';
