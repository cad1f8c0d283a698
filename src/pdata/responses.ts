import { put } from './json-encode-common.ts';
import type { JsonObjectOut } from './json-encode-common.ts';
import type { PartialSuccess, Signal } from './model.ts';
import { ProtoWriter } from './protobuf-writer.ts';

// What an OTLP server answers (opentelemetry-proto docs/specification.md): an
// ExportXServiceResponse on success, full or partial, and a google.rpc.Status on
// failure. The three ExportXServiceResponse messages are wire-identical:
// 1 partial_success { 1 rejected_<items> (int64), 2 error_message }.

/** ExportXServiceResponse bytes; empty (all defaults) when everything was accepted. */
export function encodeExportResponseProto(partialSuccess?: PartialSuccess): Uint8Array {
  if (partialSuccess === undefined) return new Uint8Array(0);
  const w = new ProtoWriter(64 + partialSuccess.errorMessage.length * 3);
  w.uint32(10);
  const start = w.fork();
  if (partialSuccess.rejected !== 0n) {
    w.uint32(8);
    w.uint64(partialSuccess.rejected);
  }
  if (partialSuccess.errorMessage !== '') {
    w.uint32(18);
    w.string(partialSuccess.errorMessage);
  }
  w.join(start);
  return w.finish();
}

const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

/** ExportXServiceResponse in OTLP/JSON: `{}` when everything was accepted. */
export function exportResponseToOtlpJson(signal: Signal, partialSuccess?: PartialSuccess): unknown {
  if (partialSuccess === undefined) return {};
  const body: JsonObjectOut = {};
  put(body, REJECTED_FIELD[signal], partialSuccess.rejected);
  put(body, 'errorMessage', partialSuccess.errorMessage);
  return { partialSuccess: body };
}

/**
 * google.rpc.Status { 1 code (int32), 2 message, 3 details (repeated Any) }, the
 * body of an OTLP/HTTP error answer; no details are sent.
 */
export function encodeStatusProto(code: number, message: string): Uint8Array {
  const w = new ProtoWriter(16 + message.length * 3);
  if (code !== 0) {
    w.uint32(8);
    w.int32(code);
  }
  if (message !== '') {
    w.uint32(18);
    w.string(message);
  }
  return w.finish();
}

/** google.rpc.Status in JSON, e.g. {"code":3,"message":"..."}. */
export function statusToJson(code: number, message: string): unknown {
  return { code, message };
}
