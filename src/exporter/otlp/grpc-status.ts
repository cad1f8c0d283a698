import { status as GrpcStatus } from '@grpc/grpc-js';
import type { ServiceError } from '@grpc/grpc-js';
import type { ExportOutcome } from '../exporterhelper/export-outcome.ts';
import { decodeRpcStatus } from '../exporterhelper/otlp-responses.ts';

// The one place where a gRPC status becomes an export outcome (OTLP spec,
// "OTLP/gRPC Response", "Failures"): CANCELLED, DEADLINE_EXCEEDED, ABORTED,
// OUT_OF_RANGE, UNAVAILABLE and DATA_LOSS are retryable; RESOURCE_EXHAUSTED only
// when the server sent a RetryInfo (otherwise it means "no more room, ever", e.g.
// a message over the size limit); every other code is permanent. A RetryInfo's
// retry_delay, from the google.rpc.Status in the `grpc-status-details-bin`
// trailer, is the earliest time to retry.

const retryableCodes: ReadonlySet<number> = new Set([
  GrpcStatus.CANCELLED,
  GrpcStatus.DEADLINE_EXCEEDED,
  GrpcStatus.ABORTED,
  GrpcStatus.OUT_OF_RANGE,
  GrpcStatus.UNAVAILABLE,
  GrpcStatus.DATA_LOSS,
]);

export function outcomeForGrpcError(error: ServiceError): ExportOutcome {
  const name = GrpcStatus[error.code] ?? String(error.code);
  const message = `gRPC ${name}: ${error.details || error.message}`;
  const retryDelayMs = retryDelayFrom(error);
  const retryable =
    retryableCodes.has(error.code) || (error.code === GrpcStatus.RESOURCE_EXHAUSTED && retryDelayMs !== undefined);
  if (!retryable) return { status: 'failed', error: new Error(message, { cause: error }) };
  const cause = new Error(message, { cause: error });
  return retryDelayMs === undefined
    ? { status: 'retryable', error: cause }
    : { status: 'retryable', error: cause, retryAfterMs: retryDelayMs };
}

function retryDelayFrom(error: ServiceError): number | undefined {
  const details = error.metadata?.get('grpc-status-details-bin')[0];
  if (!(details instanceof Uint8Array)) return undefined;
  return decodeRpcStatus(details)?.retryDelayMs;
}
