import { Metadata } from '@grpc/grpc-js';
import {
  BackpressureError,
  BadRequestError,
  PayloadTooLargeError,
  PermanentError,
  RetryableError,
} from '../../consumer/errors.ts';
import { encodeStatusWithRetryInfo } from '../../pdata/index.ts';

// The one place where an error becomes an OTLP/HTTP status (STYLE: one mapping per
// protocol). OTLP/HTTP spec, "Failures": 400 for bad data (not retryable), 429/503
// with an optional Retry-After for throttling and unavailability (retryable); every
// error body is a google.rpc.Status whose `code` is the matching gRPC code.

/** google.rpc.Code values used in Status bodies. */
export const GrpcCode = {
  INVALID_ARGUMENT: 3,
  RESOURCE_EXHAUSTED: 8,
  UNIMPLEMENTED: 12,
  UNAVAILABLE: 14,
} as const;

export interface HttpFailure {
  status: 400 | 413 | 415 | 429 | 503;
  grpcCode: number;
  message: string;
  /** Sent as Retry-After (whole seconds) on 429 and 503. */
  retryAfterSeconds?: number;
}

/** Errors the receiver itself raises before any consumer runs. */
export class UnsupportedMediaTypeError extends BadRequestError {
  override readonly code: string = 'unsupported_media_type';
}

export function httpFailureFor(error: unknown): HttpFailure {
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
  const message = error instanceof Error ? error.message : String(error);
  return { status: 503, grpcCode: GrpcCode.UNAVAILABLE, message, retryAfterSeconds };
}

// ---------------------------------------------------------------- gRPC

/** The error object grpc-js sends for a failed unary call. */
export interface GrpcFailure {
  code: number;
  details: string;
  metadata: Metadata;
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
  return { code, details: f.message, metadata };
}
