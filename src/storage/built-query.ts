import type { QueryParams } from './sql.ts';

/**
 * A statement and its bound values, built by a pure function so the SQL can be
 * snapshot-tested (testdata/sql-snapshot.ts) apart from running it.
 */
export interface BuiltQuery {
  sql: string;
  params: QueryParams;
}
