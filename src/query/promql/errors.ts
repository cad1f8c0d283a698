// Errors of PromQL evaluation, with Prometheus's error types (the HTTP API's
// `errorType`: web/api/v1/api.go): bad_data is a 400, execution a 422,
// timeout a 503, internal a 500.

export type PromErrorType = 'bad_data' | 'execution' | 'timeout' | 'internal' | 'canceled';

export class PromqlError extends Error {
  readonly code = 'promql';
  constructor(
    readonly errorType: PromErrorType,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export const badData = (message: string, options?: ErrorOptions) => new PromqlError('bad_data', message, options);
export const execution = (message: string, options?: ErrorOptions) => new PromqlError('execution', message, options);
