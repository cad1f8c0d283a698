import { BadRequestError } from '../../consumer/errors.ts';

/**
 * A query Tracehouse refuses: bad syntax, a bad regex, or LogQL it does not
 * evaluate (the message names the construct). Loki answers these with 400 and
 * the message as plain text; so does the Loki API here.
 */
export class LogqlError extends BadRequestError {
  override readonly code: string = 'bad_logql';
}

export function unsupported(construct: string): LogqlError {
  return new LogqlError(`unsupported LogQL: ${construct} is not supported by Tracehouse`);
}
