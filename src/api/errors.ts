/** A bad query parameter: answered with 400 and `{"error": {"parameter", "message"}}`. */
export class ParameterError extends Error {
  readonly code = 'bad_parameter';
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'ParameterError';
  }
}
