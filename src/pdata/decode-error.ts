import { BadRequestError } from '../consumer/errors.ts';

// Decoders report where a problem is (`resourceSpans[0].scopeSpans[1].spans[4].traceId:
// expected 16 bytes, got 5`) without paying for path bookkeeping on the good path:
// the innermost code throws a DecodeError with only the detail, and each enclosing
// message's catch prepends its own segment as the error passes through.

export class DecodeError extends BadRequestError {
  path = '';
  constructor(readonly detail: string) {
    // No stack trace: the error is the sender's, the message says where, and
    // capturing one (source-mapped under tsx) was the largest single cost of
    // answering a malformed request (test/fuzz/otlp-fuzz.test.ts profile).
    const limit = Error.stackTraceLimit;
    Error.stackTraceLimit = 0;
    super(detail);
    Error.stackTraceLimit = limit;
  }

  /** Prepends `segment` (a field name, maybe with `[i]`) to the path. */
  within(segment: string): this {
    if (segment !== '') {
      this.path = this.path === '' ? segment : `${segment}.${this.path}`;
      this.message = `${this.path}: ${this.detail}`;
    }
    return this;
  }
}

/** `error` as a DecodeError located under `segment`; other errors (bugs) pass unchanged. */
export function within(error: unknown, segment: string): unknown {
  return error instanceof DecodeError ? error.within(segment) : error;
}

/** `name[index]`, or `name` when `index` is negative (a singular field). */
export function segment(name: string, index: number): string {
  return index < 0 ? name : `${name}[${index}]`;
}
