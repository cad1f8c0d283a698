import { StorageRefusedDataError, StorageUnavailableError } from '../consumer/errors.ts';
import type { InsertFailureKind } from './insert-failure.ts';

// Finding the bad submissions of a failed group insert (group-commit.ts): the
// group is split in two and each half inserted again, recursively, until the
// offending submissions are alone. Evidence, in order of strength: a half that is
// stored proves the other half's failure is its data; the engine's error code
// says "data" (a parse or value error) or "storage" (insert-failure.ts). A storage
// failure stops the search at once (everyone retries); so does an unknown code
// when both halves fail, since nothing then shows the data is to blame.

export interface InsertFailure {
  kind: InsertFailureKind;
  cause: unknown;
}

/** One INSERT of these entries: undefined when stored, else why not. */
export type InsertAttempt<E> = (entries: readonly E[]) => Promise<InsertFailure | undefined>;

/** Retry-After when an insert failed. */
const UNAVAILABLE_RETRY_MS = 1000;

/**
 * Extra inserts one failed group may spend finding its bad submissions: one bad
 * submission among n costs ~2·log2(n) inserts (14 for 128); beyond the budget the
 * rest fail retryably and their senders' retries bisect again in new groups.
 */
const MAX_ISOLATION_INSERTS = 48;

/** The error of each entry not stored, after their insert together failed with `failure`. */
export function isolateFailures<E>(attempt: InsertAttempt<E>, entries: readonly E[], failure: InsertFailure): Promise<Map<E, Error>> {
  return isolate(attempt, entries, failure, false, { left: MAX_ISOLATION_INSERTS });
}

/** `proven`: the failure is known to be caused by data in `entries`. */
async function isolate<E>(
  attempt: InsertAttempt<E>,
  entries: readonly E[],
  failure: InsertFailure,
  proven: boolean,
  budget: { left: number },
): Promise<Map<E, Error>> {
  const all = (error: Error) => new Map(entries.map((e) => [e, error]));
  if (failure.kind === 'storage') return all(unavailable(failure));
  const dataCaused = proven || failure.kind === 'data';
  if (entries.length === 1) return all(dataCaused ? refused(failure) : unavailable(failure));
  if (budget.left < 2) return all(unavailable(failure));
  budget.left -= 2;
  const mid = Math.ceil(entries.length / 2);
  const [a, b] = [entries.slice(0, mid), entries.slice(mid)];
  const failedA = await attempt(a);
  if (failedA?.kind === 'storage') return all(unavailable(failedA));
  const failedB = await attempt(b);
  if (failedB?.kind === 'storage') {
    // a is settled by its own outcome; b cannot be told apart from storage trouble.
    const errors = failedA === undefined ? new Map<E, Error>() : await isolate(attempt, a, failedA, false, budget);
    for (const e of b) errors.set(e, unavailable(failedB));
    return errors;
  }
  if (failedA === undefined && failedB === undefined) return new Map(); // the first failure was transient
  if (failedA === undefined) return isolate(attempt, b, failedB!, true, budget);
  if (failedB === undefined) return isolate(attempt, a, failedA, true, budget);
  // Both halves failed: go on only where the engine blames the data.
  if (!dataCaused && failedA.kind !== 'data' && failedB.kind !== 'data') return all(unavailable(failedA));
  const errors = await isolate(attempt, a, failedA, failedA.kind === 'data', budget);
  for (const [e, error] of await isolate(attempt, b, failedB, failedB.kind === 'data', budget)) errors.set(e, error);
  return errors;
}

// Messages are the client's: the engine's text names tables and columns and can
// quote other senders' rows, so it travels only as the cause (server log).
function unavailable(failure: InsertFailure): StorageUnavailableError {
  return new StorageUnavailableError('storage could not take the write', UNAVAILABLE_RETRY_MS, { cause: failure.cause });
}

function refused(failure: InsertFailure): StorageRefusedDataError {
  return new StorageRefusedDataError('storage refused a value in this request that it cannot store', { cause: failure.cause });
}
