import { ClickHouseError } from '@clickhouse/client';

// Why an INSERT failed, as far as the engine says: the data (a row it cannot parse
// or a value it cannot keep), or storage itself (disk full, memory, the engine
// gone). The group committer bisects a group only for the first kind; the second
// fails everyone retryably at once. The code alone is a hint, not proof: bisection
// adds the proof (a half that is stored shows the other half's failure is its own).

/** A failed INSERT with the engine's numeric error code, when it gave one. */
export class EngineInsertError extends Error {
  constructor(
    message: string,
    readonly engineCode: number | undefined,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type InsertFailureKind = 'data' | 'storage' | 'unknown';

/**
 * ClickHouse error codes (src/Common/ErrorCodes.cpp) raised by the input format or
 * by a value conversion: the rows themselves are at fault.
 */
const DATA_CODES = new Set([
  6, // CANNOT_PARSE_TEXT
  25, // CANNOT_PARSE_ESCAPE_SEQUENCE (a lone surrogate \ud800 in JSON)
  26, // CANNOT_PARSE_QUOTED_STRING
  27, // CANNOT_PARSE_INPUT_ASSERTION_FAILED
  32, // ATTEMPT_TO_READ_AFTER_EOF (a truncated row)
  33, // CANNOT_READ_ALL_DATA
  38, // CANNOT_PARSE_DATE
  41, // CANNOT_PARSE_DATETIME
  53, // TYPE_MISMATCH
  69, // ARGUMENT_OUT_OF_BOUND
  70, // CANNOT_CONVERT_TYPE
  72, // CANNOT_PARSE_NUMBER
  117, // INCORRECT_DATA
  130, // CANNOT_READ_ARRAY_FROM_TEXT
  131, // TOO_LARGE_STRING_SIZE
  190, // SIZES_OF_ARRAYS_DONT_MATCH
  321, // VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE
  349, // CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN
  407, // DECIMAL_OVERFLOW ("Decimal math overflow": a timestamp past DateTime64(9))
  467, // CANNOT_PARSE_BOOL
]);

/** Codes that say storage cannot take any write now, whatever the rows. */
const STORAGE_CODES = new Set([
  16, // NO_SUCH_COLUMN_IN_TABLE (schema changed under us)
  60, // UNKNOWN_TABLE
  81, // UNKNOWN_DATABASE
  159, // TIMEOUT_EXCEEDED
  164, // READONLY
  202, // TOO_MANY_SIMULTANEOUS_QUERIES
  209, // SOCKET_TIMEOUT
  210, // NETWORK_ERROR
  236, // ABORTED
  241, // MEMORY_LIMIT_EXCEEDED
  243, // NOT_ENOUGH_SPACE
  252, // TOO_MANY_PARTS
  425, // SYSTEM_ERROR (errno from the OS, ENOSPC among them)
]);

export function insertFailureKind(error: unknown): InsertFailureKind {
  if (!(error instanceof EngineInsertError)) return 'storage';
  if (error.engineCode === undefined) return 'storage'; // no answer from the engine at all
  if (DATA_CODES.has(error.engineCode)) return 'data';
  if (STORAGE_CODES.has(error.engineCode)) return 'storage';
  return 'unknown';
}

/**
 * Wraps what a client threw. chDB's errors (ChdbError, not exported by the
 * package) carry the engine code as the documented `clickhouseCode` number;
 * @clickhouse/client's ClickHouseError as the string `code`. Anything else (a
 * closed connection, a socket error) has no engine code: storage is unreachable.
 */
export function engineInsertError(cause: unknown): EngineInsertError {
  const message = cause instanceof Error ? cause.message : String(cause);
  let code: number | undefined;
  if (cause instanceof ClickHouseError) {
    const n = Number(cause.code);
    code = Number.isInteger(n) ? n : undefined;
  } else if (cause instanceof Error && 'clickhouseCode' in cause && typeof cause.clickhouseCode === 'number') {
    code = cause.clickhouseCode;
  }
  return new EngineInsertError(message, code, { cause });
}
