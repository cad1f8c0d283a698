import { BackpressureError, StorageUnavailableError } from '../consumer/errors.ts';
import type { WriteHealth } from './api.ts';
import type { RowSink } from './connection.ts';
import { insertFailureKind } from './insert-failure.ts';
import { isolateFailures } from './insert-isolation.ts';
import type { InsertFailure } from './insert-isolation.ts';
import { payloadPool } from './payload-pool.ts';
import { AdmissionControl } from './write-admission.ts';

// Group commit: concurrent writes to a table are gathered into one INSERT. Each
// INSERT makes a new part, costs ~15 ms before its first row (512-row inserts
// took 14 ms, 1-row ones 8 ms), and larger ones cost less CPU per row, merges
// included (4K-row groups 25-30 µs a span, 16K-row groups 17-19 µs;
// bench/store-bench.ts, before migration 005; after it, engine CPU of paced
// inserts plus their merges, bench/insert-cost-bench.ts: 4K rows an insert 25.7
// µs a row, 20-22 with migration 006; 16K rows 16.8-18.2, 13.0-13.5 with 006). So gathering is what makes the write path
// fast, and it keeps the part count, and with it merge work, low. Holding a group
// back after an insert returned, so the senders just answered could join it, gave
// larger parts but less ingest at 16 requests in flight: not done
// (docs/ARCHITECTURE.md, "Write path").
//
// A group is flushed when its wait has passed or it holds maxRows rows. While an
// insert into its table runs, the next group keeps gathering: under load, groups
// grow to whatever arrived during the previous insert, with no timer. A second
// insert into the same table (on a second write connection) runs beside the
// first only for a full group.
//
// One bad request must not fail the others gathered with it. When a group's
// insert fails with an error the engine blames on the data (a parse or value
// code, insert-failure.ts), or with an unknown code, the group is split in two
// and each half inserted again, recursively, until the offending submissions are
// alone: they get StorageRefusedDataError (permanent: retrying cannot help), the
// others are stored. A half that is stored proves the other half's failure is
// its data, whatever the code said. A storage failure (disk full, the engine
// gone) fails the whole group retryably at once, without bisection, and so does
// an unknown code when both halves fail (no evidence the data is to blame).
// Bisection (insert-isolation.ts) runs in the group's own insert slot, bounded.
//
// Each caller's promise settles when every insert holding its rows has settled:
// resolved if all succeeded, else rejected with the first error. A caller's rows
// for a table are never split across groups (so bisection never cuts a caller's
// rows), and a caller with rows for two tables (signal rows and their
// resource_scopes rows) is answered only when both inserts are in, so nothing is
// acknowledged half-stored. The other way round is at-least-once: an INSERT is
// atomic per part, not per statement, so a failure after some parts landed (rows
// of two days), the other table's
// insert failing, or a bisection retry of rows whose first insert wrote a block
// before failing, leaves rows that are stored again (the caller's retry, or the
// half's insert). Reads treat a span stored twice as one. A caller refused
// permanently may likewise leave some of its valid rows stored.
//
// Durability: an INSERT returns once its part is written and renamed into place
// in the filesystem, so an acknowledged write survives kill -9 of this process.
// Parts are not fsync'd (fsync_after_insert is off, the MergeTree default): a
// power loss or kernel crash can lose the last seconds of acknowledged writes.
// Turning it on cost ~30 ms per insert here (then spans + trace_id_ts parts): ~20% at
// full 16K-row groups, 3x for a lone 512-span write.

/** One caller's rows for one table: JSONCompactEachRow text. */
export interface TablePayload {
  table: string;
  columns: readonly string[];
  payload: Buffer;
  rows: number;
}

export interface GroupCommitOptions {
  waitMs: number;
  maxRows: number;
  maxPendingRows: number;
  /** Refuse new writes when the pending ones would take longer than this to drain. */
  maxPendingWriteMs: number;
  /** Inserts allowed to run at once (the sink has that many write connections). */
  maxConcurrentInserts: number;
}

/** Retry-After when the store is closed. */
const UNAVAILABLE_RETRY_MS = 1000;

/** One caller's write, possibly spanning several tables. */
export interface SubmittedWrite {
  /** Settles when every part has. */
  done: Promise<void>;
  /** One per part with rows, in order: settles when that part's insert has. */
  parts: Promise<void>[];
}

interface Submission {
  /** Groups still to settle before the caller is answered. */
  remaining: number;
  failed: boolean;
  rows: number;
  submittedAtMs: number;
  resolve(): void;
  reject(error: Error): void;
}

interface Entry {
  chunk: Buffer;
  submission: Submission;
  settlePart(error: Error | undefined): void;
}

interface Group {
  table: string;
  columns: readonly string[];
  entries: Entry[];
  rows: number;
  timer: NodeJS.Timeout | undefined;
  /** Queued for the next free insert slot. */
  ready: boolean;
}

export class GroupCommitter {
  /** INSERT statements sent so far (tests check that writes are grouped). */
  insertCount = 0;
  #open = new Map<string, Group>();
  #ready: Group[] = [];
  #inFlight = new Set<Promise<void>>();
  /** Inserts in flight per table. */
  #tablesInFlight = new Map<string, number>();
  readonly #admission: AdmissionControl;
  #closed = false;

  constructor(
    private readonly sink: RowSink,
    private readonly options: GroupCommitOptions,
  ) {
    this.#admission = new AdmissionControl({
      maxPendingRows: options.maxPendingRows,
      maxPendingWriteMs: options.maxPendingWriteMs,
      concurrency: options.maxConcurrentInserts,
      fullGroupRows: options.maxRows,
    });
  }

  /** Rows accepted and not yet inserted (including the insert in flight). */
  get pendingRows(): number {
    return this.#admission.pendingRows;
  }

  /** Whether writes are reaching storage (readiness). */
  health(): WriteHealth {
    return this.#admission.health();
  }

  /**
   * Throws the BackpressureError a submit of about `rows` rows would get now, so
   * a caller can refuse before spending CPU on encoding rows that would be refused.
   */
  checkAdmission(rows: number): void {
    const refusal = this.#closed ? undefined : this.#admission.refusal(rows, Date.now());
    if (refusal !== undefined) throw new BackpressureError(refusal.message, refusal.retryAfterMs);
  }

  /** Queues one caller's rows and resolves when all of them are inserted (see submitEach). */
  submit(parts: readonly TablePayload[]): Promise<void> {
    return this.submitEach(parts).done;
  }

  /**
   * Queues one caller's rows (possibly for several tables). Rejects at once with
   * BackpressureError when the writes waiting would take too long to drain; a
   * write is still taken when nothing waits, or it could never be taken.
   */
  submitEach(parts: readonly TablePayload[]): SubmittedWrite {
    if (this.#closed) {
      const closed = Promise.reject(new StorageUnavailableError('the store is closed', UNAVAILABLE_RETRY_MS));
      return { done: closed, parts: [] };
    }
    const nonEmpty = parts.filter((p) => p.rows > 0);
    if (nonEmpty.length === 0) return { done: Promise.resolve(), parts: [] };
    const rows = nonEmpty.reduce((n, p) => n + p.rows, 0);
    const refusal = this.#admission.refusal(rows, Date.now());
    if (refusal !== undefined) {
      return { done: Promise.reject(new BackpressureError(refusal.message, refusal.retryAfterMs)), parts: [] };
    }
    const settlers: ((error: Error | undefined) => void)[] = [];
    const partPromises = nonEmpty.map(
      (_, i) =>
        new Promise<void>((resolve, reject) => {
          settlers[i] = (error) => (error === undefined ? resolve() : reject(error));
        }),
    );
    // A part nobody waits on must not become an unhandled rejection.
    for (const p of partPromises) p.catch(() => {});
    const done = new Promise<void>((resolve, reject) => {
      const submission: Submission = {
        remaining: nonEmpty.length,
        failed: false,
        rows,
        submittedAtMs: Date.now(),
        resolve,
        reject,
      };
      this.#admission.admitted(submission);
      nonEmpty.forEach((part, i) => this.#add(part, submission, settlers[i]!));
      this.#pump();
    });
    return { done, parts: partPromises };
  }

  /** Flushes everything pending; later submits reject. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const group of [...this.#open.values()]) this.#markReady(group);
    this.#pump();
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #add(part: TablePayload, submission: Submission, settlePart: Entry['settlePart']): void {
    let group = this.#open.get(part.table);
    if (group === undefined) {
      group = { table: part.table, columns: part.columns, entries: [], rows: 0, timer: undefined, ready: false };
      this.#open.set(part.table, group);
      const g = group;
      group.timer = setTimeout(() => this.#markReady(g), this.options.waitMs);
    }
    group.entries.push({ chunk: part.payload, submission, settlePart });
    group.rows += part.rows;
    if (group.rows >= this.options.maxRows) {
      // Full: later writes start a new group, this one goes as soon as it can.
      this.#open.delete(part.table);
      this.#markReady(group);
    }
  }

  #markReady(group: Group): void {
    clearTimeout(group.timer);
    if (!group.ready) {
      group.ready = true;
      this.#ready.push(group);
    }
    this.#pump(); // also when it was waiting, partial, and is now full
  }

  #pump(): void {
    while (this.#inFlight.size < this.options.maxConcurrentInserts) {
      // Beside an insert of its own table only a full group goes: under load the
      // inserts stay large (the per-row cost falls with size), and the second
      // connection takes full groups the first cannot drain in time. A partial
      // group of another table (logs, resource_scopes beside spans) does go, or
      // a busy table would starve the quiet ones.
      const i = this.#ready.findIndex((g) => g.rows >= this.options.maxRows || !this.#tablesInFlight.has(g.table));
      if (i < 0) return;
      const group = this.#ready.splice(i, 1)[0]!;
      // Still open (flushed by its timer): it stops gathering now.
      if (this.#open.get(group.table) === group) this.#open.delete(group.table);
      this.#tablesInFlight.set(group.table, (this.#tablesInFlight.get(group.table) ?? 0) + 1);
      const insert: Promise<void> = this.#insert(group).finally(() => {
        this.#inFlight.delete(insert);
        const n = this.#tablesInFlight.get(group.table)! - 1;
        if (n === 0) this.#tablesInFlight.delete(group.table);
        else this.#tablesInFlight.set(group.table, n);
        this.#pump();
      });
      this.#inFlight.add(insert);
    }
  }

  async #insert(group: Group): Promise<void> {
    const startedMs = Date.now();
    const failure = await this.#attempt(group, group.entries);
    if (failure === undefined) this.#admission.inserted(group.rows, Date.now() - startedMs);
    const errors =
      failure === undefined ? new Map<Entry, Error>() : await isolateFailures((entries) => this.#attempt(group, entries), group.entries, failure);
    this.#admission.settledRows(group.rows);
    // Stored in one insert: nothing reads these rows again, their memory is the
    // next request's (payload-pool.ts). After a failure they are left to the GC.
    if (failure === undefined) for (const entry of group.entries) payloadPool.release(entry.chunk);
    for (const entry of group.entries) {
      const error = errors.get(entry);
      entry.settlePart(error);
      const s = entry.submission;
      if (s.failed) continue;
      if (error !== undefined) {
        s.failed = true;
        this.#admission.finished(s);
        s.reject(error);
      } else if (--s.remaining === 0) {
        this.#admission.finished(s);
        s.resolve();
      }
    }
  }

  /** One INSERT of these entries: undefined when stored, else why not. */
  async #attempt(group: Group, entries: readonly Entry[]): Promise<InsertFailure | undefined> {
    this.insertCount++;
    try {
      const chunks = entries.map((e) => e.chunk);
      // One buffer for the insert, from the pool rather than a Buffer.concat per insert.
      const combined = chunks.length === 1 ? undefined : concatPooled(chunks);
      await this.sink.insertRows(group.table, group.columns, combined === undefined ? chunks : [combined]);
      // Only once it succeeded: a failed server request may still hold the bytes in its socket.
      if (combined !== undefined) payloadPool.release(combined);
      this.#admission.insertSucceeded();
      return undefined;
    } catch (cause) {
      const kind = insertFailureKind(cause);
      if (kind !== 'data') this.#admission.insertFailed(cause);
      return { kind, cause };
    }
  }
}

function concatPooled(chunks: readonly Buffer[]): Buffer {
  let bytes = 0;
  for (const c of chunks) bytes += c.length;
  const out = payloadPool.take(bytes);
  let at = 0;
  for (const c of chunks) at += c.copy(out, at);
  return out.subarray(0, bytes);
}
