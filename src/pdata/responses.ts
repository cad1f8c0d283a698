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

/**
 * google.rpc.Status with one google.rpc.RetryInfo detail, the `grpc-status-details-bin`
 * trailer that tells an OTLP/gRPC client when to retry (RESOURCE_EXHAUSTED is only
 * retried when it carries one).
 */
export function encodeStatusWithRetryInfo(code: number, message: string, retryDelayMs: number): Uint8Array {
  const duration = new ProtoWriter(32); // google.protobuf.Duration { 1 seconds, 2 nanos }
  const seconds = Math.floor(retryDelayMs / 1000);
  const nanos = Math.round((retryDelayMs % 1000) * 1_000_000);
  if (seconds !== 0) {
    duration.uint32(8);
    duration.uint64(BigInt(seconds));
  }
  if (nanos !== 0) {
    duration.uint32(16);
    duration.int32(nanos);
  }
  const retryInfo = new ProtoWriter(32); // google.rpc.RetryInfo { 1 retry_delay }
  retryInfo.uint32(10);
  retryInfo.bytesField(duration.finish());
  const any = new ProtoWriter(96); // google.protobuf.Any { 1 type_url, 2 value }
  any.uint32(10);
  any.string('type.googleapis.com/google.rpc.RetryInfo');
  any.uint32(18);
  any.bytesField(retryInfo.finish());
  const status = new ProtoWriter(128 + message.length * 3);
  status.uint32(8);
  status.int32(code);
  status.uint32(18);
  status.string(message);
  status.uint32(26);
  status.bytesField(any.finish());
  return status.finish();
}
