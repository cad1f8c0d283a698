// Error kinds shared by every component. Each carries a stable `code`; callers
// switch on the class or the code, never on message text. Turning them into
// HTTP or gRPC statuses happens once per protocol (receiver/otlp/status.ts).

/** The data itself is wrong: sending it again cannot help. */
export class PermanentError extends Error {
  readonly code: string = 'permanent';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A malformed request (bad protobuf, bad JSON, bad field): HTTP 400, gRPC InvalidArgument. */
export class BadRequestError extends PermanentError {
  override readonly code: string = 'bad_request';
}

/** The request body is larger than the configured limit: HTTP 413. */
export class PayloadTooLargeError extends PermanentError {
  override readonly code: string = 'payload_too_large';
  constructor(readonly limitBytes: number) {
    super(`request body exceeds the limit of ${limitBytes} bytes (after decompression)`);
  }
}

/**
 * Storage refused this request's data itself (a value the engine cannot parse or
 * keep), found by retrying the other requests of its insert without it: sending
 * it again cannot help. HTTP 400, gRPC InvalidArgument. The engine's error is the
 * `cause` (server log only: it names tables and columns and may quote rows).
 */
export class StorageRefusedDataError extends PermanentError {
  override readonly code: string = 'storage_refused_data';
}

/** A transient failure: the sender should retry after `retryAfterMs`. */
export class RetryableError extends Error {
  readonly code: string = 'retryable';
  constructor(
    message: string,
    readonly retryAfterMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Storage cannot be reached or refused the write: HTTP 503, gRPC Unavailable. */
export class StorageUnavailableError extends RetryableError {
  override readonly code: string = 'storage_unavailable';
}

/** The server is saturated (too much pending work): HTTP 429, gRPC ResourceExhausted. */
export class BackpressureError extends RetryableError {
  override readonly code: string = 'backpressure';
}
