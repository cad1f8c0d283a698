import { randomBytes } from 'node:crypto';
import { Metadata } from '@grpc/grpc-js';
import {
  BackpressureError,
  BadRequestError,
  PayloadTooLargeError,
  PermanentError,
  RetryableError,
  StorageRefusedDataError,
} from '../../consumer/errors.ts';
import { encodeStatusWithRetryInfo } from '../../pdata/index.ts';

// The one place where an error becomes an OTLP/HTTP status (STYLE: one mapping per
// protocol). OTLP/HTTP spec, "Failures": 400 for bad data (not retryable), 429/503
// with an optional Retry-After for throttling and unavailability (retryable); every
// error body is a google.rpc.Status whose `code` is the matching gRPC code.
//
// What a client reads is only ever our own message. An error that comes from
// storage carries the engine's exception as its cause, and that text names tables
// and columns and can quote the rows being inserted, other senders' data among
// them; an unexpected error may say anything. For those the answer carries a
// request id and `serverLog` the detail, which the receiver logs once under that
// id, so an operator can find what a client reports.

/** google.rpc.Code values used in Status bodies. */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
  UNAUTHENTICATED: 16,
} as const;

export interface HttpFailure {
  status: 400 | 413 | 415 | 429 | 503;
  grpcCode: number;
  message: string;
  /** Sent as Retry-After (whole seconds) on 429 and 503. */
  retryAfterSeconds?: number;
  /** For the server log only: the id the client was given and the full cause chain. */
  serverLog?: { requestId: string; detail: string };
}

/** Errors the receiver itself raises before any consumer runs. */
export class UnsupportedMediaTypeError extends BadRequestError {
  override readonly code: string = 'unsupported_media_type';
}

export function httpFailureFor(error: unknown): HttpFailure {
  const f = classify(error);
  if (!hidesDetail(error)) return f;
  const requestId = randomBytes(8).toString('hex');
  return {
    ...f,
    message: `${f.message}; request id ${requestId}, see the server log`,
    serverLog: { requestId, detail: causeChain(error) },
  };
}

function classify(error: unknown): HttpFailure {
  if (error instanceof PayloadTooLargeError) {
    return { status: 413, grpcCode: GrpcCode.INVALID_ARGUMENT, message: error.message };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { status: 415, grpcCode: GrpcCode.INVALID_ARGUMENT, message: error.message };
  }
  // Any permanent error (bad data, or a processor that cannot handle it): retrying
  // the same request cannot help, so it must not be a 5xx the sender retries.
  if (error instanceof PermanentError) {
    return { status: 400, grpcCode: GrpcCode.INVALID_ARGUMENT, message: error.message };
  }
  const retryAfterSeconds = Math.max(1, Math.ceil((error instanceof RetryableError ? error.retryAfterMs : 1000) / 1000));
  if (error instanceof BackpressureError) {
    return { status: 429, grpcCode: GrpcCode.RESOURCE_EXHAUSTED, message: error.message, retryAfterSeconds };
  }
  // StorageUnavailableError, and anything unexpected: the consumer contract treats
  // unknown failures as retryable, so the sender keeps the data and tries again.
  const message = error instanceof RetryableError ? error.message : 'internal error';
  return { status: 503, grpcCode: GrpcCode.UNAVAILABLE, message, retryAfterSeconds };
}

/**
 * Our error kinds carry messages written for the client; the detail is in their
 * cause. Request errors (bad body, bad field) are the client's own and precise:
 * no id. Storage refusing data, a retryable failure with a cause, and anything
 * that is not one of our kinds get an id.
 */
function hidesDetail(error: unknown): boolean {
  if (error instanceof StorageRefusedDataError) return true;
  if (error instanceof PermanentError) return false;
  if (error instanceof RetryableError) return error.cause !== undefined;
  return true;
}

function causeChain(error: unknown): string {
  const parts: string[] = [];
  for (let e: unknown = error, depth = 0; e !== undefined && depth < 5; depth++) {
    if (e instanceof Error) {
      parts.push(`${e.name}: ${e.message}`);
      e = e.cause;
    } else {
      parts.push(String(e));
      break;
    }
  }
  return parts.join(' <- caused by ');
}

// ---------------------------------------------------------------- gRPC

/** The error object grpc-js sends for a failed unary call. */
export interface GrpcFailure {
  code: number;
  details: string;
  metadata: Metadata;
  /** Not sent: see HttpFailure.serverLog. */
  serverLog?: HttpFailure['serverLog'];
}

/**
 * OTLP/gRPC "Failures": INVALID_ARGUMENT for bad data (not retryable);
 * UNAVAILABLE or RESOURCE_EXHAUSTED for transient trouble, with a RetryInfo in
 * the status details. RESOURCE_EXHAUSTED is retried by clients only when RetryInfo
 * is present, so it is always sent with one.
 */
export function grpcFailureFor(error: unknown): GrpcFailure {
  const f = httpFailureFor(error);
  const code =
    f.status === 429 ? GrpcCode.RESOURCE_EXHAUSTED : f.status === 503 ? GrpcCode.UNAVAILABLE : GrpcCode.INVALID_ARGUMENT;
  const metadata = new Metadata();
  if (f.retryAfterSeconds !== undefined) {
    metadata.set('grpc-status-details-bin', Buffer.from(encodeStatusWithRetryInfo(code, f.message, f.retryAfterSeconds * 1000)));
  }
  return { code, details: f.message, metadata, ...(f.serverLog === undefined ? {} : { serverLog: f.serverLog }) };
}
