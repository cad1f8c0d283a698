import type { PartialSuccess } from '../../pdata/model.ts';

// What one attempt to send a request downstream came to. Expected outcomes are
// values, not exceptions (STYLE, after OpenTelemetry JS): each protocol turns its
// statuses into one of these in exactly one place (otlp/grpc-status.ts,
// otlphttp/http-status.ts), and the retry loop and the queue only switch on
// `status`.

export type ExportOutcome =
  /** Accepted downstream; a partial success names items the backend refused. */
  | { status: 'ok'; partialSuccess?: PartialSuccess }
  /**
   * A transient failure: trying again may help. `retryAfterMs` is the delay the
   * server asked for (Retry-After, google.rpc.RetryInfo), when it gave one.
   */
  | { status: 'retryable'; error: Error; retryAfterMs?: number }
  /** Sending the same request again cannot help (the Collector's "permanent" error). */
  | { status: 'failed'; error: Error };

export const ok: ExportOutcome = { status: 'ok' };

export function retryable(message: string, retryAfterMs?: number, cause?: unknown): ExportOutcome {
  const error = new Error(message, cause === undefined ? undefined : { cause });
  return retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs };
}

export function failed(message: string, cause?: unknown): ExportOutcome {
  return { status: 'failed', error: new Error(message, cause === undefined ? undefined : { cause }) };
}

/** A caught value as an Error, for outcomes and logs. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
