import { BadRequestError } from '../../consumer/errors.ts';

/** The query is not TraceQL, or uses a construct this server does not evaluate: HTTP 400 naming it. */
export class TraceqlError extends BadRequestError {
  override readonly code: string = 'traceql';
}
