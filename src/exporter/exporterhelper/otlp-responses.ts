import { JsonNumber, parseJson } from '../../pdata/json-parse.ts';
import type { JsonObject, JsonValue } from '../../pdata/json-parse.ts';
import type { PartialSuccess, Signal } from '../../pdata/model.ts';
import { ProtoReader, WIRE_LEN, WIRE_VARINT, tagOf } from '../../pdata/protobuf-reader.ts';

// Reading what an OTLP server answers (opentelemetry-proto docs/specification.md):
// ExportXServiceResponse { 1 partial_success { 1 rejected_<items> int64,
// 2 error_message } } on success, and on failure a google.rpc.Status
// { 1 code int32, 2 message, 3 details repeated google.protobuf.Any { 1 type_url,
// 2 value } }, whose details may hold a google.rpc.RetryInfo { 1 retry_delay
// google.protobuf.Duration { 1 seconds int64, 2 nanos int32 } }. Only these few
// fields matter to an exporter, so they are read here with the project's protobuf
// reader rather than a full codec. Every function returns undefined for input it
// cannot read: a broken answer must not turn a success into a failure.

export interface RpcStatus {
  code: number;
  message: string;
  /** RetryInfo.retry_delay, when the details carry one. */
  retryDelayMs: number | undefined;
}

const RETRY_INFO_TYPE = 'type.googleapis.com/google.rpc.RetryInfo';

export function decodeExportResponse(bytes: Uint8Array): PartialSuccess | undefined {
  try {
    const r = new ProtoReader(bytes);
    let partial: PartialSuccess | undefined;
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag !== tagOf(1, WIRE_LEN)) {
        r.skip(tag, 0);
        continue;
      }
      const outer = r.enter();
      const found: PartialSuccess = { rejected: 0n, errorMessage: '' };
      while (r.pos < r.end) {
        const inner = r.uint32();
        if (inner === tagOf(1, WIRE_VARINT)) found.rejected = r.int64();
        else if (inner === tagOf(2, WIRE_LEN)) found.errorMessage = r.string();
        else r.skip(inner, 0b110);
      }
      r.leave(outer);
      partial = found;
    }
    return partial;
  } catch {
    return undefined;
  }
}

const REJECTED_FIELD: Readonly<Record<Signal, string>> = {
  traces: 'rejectedSpans',
  metrics: 'rejectedDataPoints',
  logs: 'rejectedLogRecords',
};

export function decodeExportResponseJson(signal: Signal, text: string): PartialSuccess | undefined {
  const body = safeJsonObject(text);
  const partial = body?.['partialSuccess'] ?? body?.['partial_success'];
  if (!isObject(partial)) return undefined;
  const rejected = partial[REJECTED_FIELD[signal]];
  const message = partial['errorMessage'];
  // int64 in proto3 JSON is a decimal string; a bare number is accepted too.
  const digits = rejected instanceof JsonNumber ? rejected.raw : typeof rejected === 'string' ? rejected : '0';
  const count = /^\d+$/.test(digits) ? BigInt(digits) : 0n;
  return { rejected: count, errorMessage: typeof message === 'string' ? message : '' };
}

export function decodeRpcStatus(bytes: Uint8Array): RpcStatus | undefined {
  try {
    const r = new ProtoReader(bytes);
    const status: RpcStatus = { code: 0, message: '', retryDelayMs: undefined };
    while (r.pos < r.end) {
      const tag = r.uint32();
      if (tag === tagOf(1, WIRE_VARINT)) status.code = r.int32();
      else if (tag === tagOf(2, WIRE_LEN)) status.message = r.string();
      else if (tag === tagOf(3, WIRE_LEN)) {
        const delay = readRetryInfoAny(r);
        if (delay !== undefined) status.retryDelayMs = delay;
      } else r.skip(tag, 0b1110);
    }
    return status;
  } catch {
    return undefined;
  }
}

/** google.rpc.Status in JSON ({"code":8,"message":"..."}), as OTLP/HTTP JSON servers answer. */
export function decodeRpcStatusJson(text: string): RpcStatus | undefined {
  const body = safeJsonObject(text);
  if (!body) return undefined;
  const code = body['code'];
  const message = body['message'];
  return {
    code: code instanceof JsonNumber ? Number(code.raw) : 0,
    message: typeof message === 'string' ? message : '',
    retryDelayMs: undefined,
  };
}

/** One Any in Status.details; the RetryInfo delay in ms when it is one. */
function readRetryInfoAny(r: ProtoReader): number | undefined {
  const outer = r.enter();
  let typeUrl = '';
  let value: Uint8Array | undefined;
  while (r.pos < r.end) {
    const tag = r.uint32();
    if (tag === tagOf(1, WIRE_LEN)) typeUrl = r.string();
    else if (tag === tagOf(2, WIRE_LEN)) value = r.bytes();
    else r.skip(tag, 0b110);
  }
  r.leave(outer);
  if (typeUrl !== RETRY_INFO_TYPE || value === undefined) return undefined;
  const info = new ProtoReader(value);
  let delayMs = 0;
  while (info.pos < info.end) {
    const tag = info.uint32();
    if (tag !== tagOf(1, WIRE_LEN)) {
      info.skip(tag, 0b10);
      continue;
    }
    const durationEnd = info.enter();
    let seconds = 0n;
    let nanos = 0;
    while (info.pos < info.end) {
      const field = info.uint32();
      if (field === tagOf(1, WIRE_VARINT)) seconds = info.int64();
      else if (field === tagOf(2, WIRE_VARINT)) nanos = info.int32();
      else info.skip(field, 0b110);
    }
    info.leave(durationEnd);
    delayMs = Number(seconds) * 1000 + nanos / 1e6;
  }
  return Math.max(0, delayMs);
}

function safeJsonObject(text: string): JsonObject | undefined {
  try {
    const value = parseJson(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

function isObject(value: JsonValue | undefined): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof JsonNumber);
}
