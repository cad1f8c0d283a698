import { BackpressureError, StorageUnavailableError } from '../consumer/errors.ts';
import type { RowSink } from './connection.ts';

// Group commit: concurrent writes to a table are gathered into one INSERT. Each
// INSERT makes a new part, costs ~15 ms before its first row (512-row inserts
// took 14 ms, 1-row ones 8 ms), and larger ones cost less CPU per row, merges
// included (4K-row groups 25-30 µs a span, 16K-row groups 17-19 µs;
// bench/store-bench.ts). So gathering is what makes the write path fast, and it
// keeps the part count, and with it merge work, low.
//
// A group is flushed when its wait has passed or it holds maxRows rows. While an
// insert into its table runs, the next group keeps gathering: under load, groups
// grow to whatever arrived during the previous insert, with no timer. A second
// insert into the same table (on a second write connection) runs beside the
// first only for a full group.
//
// Each caller's promise settles when every insert holding its rows has settled:
// resolved if all succeeded, else rejected with StorageUnavailableError. A
// caller's rows for a table are never split across groups, and a caller with
// rows for two tables (signal rows and their resource_scopes rows) is answered
// only when both inserts are in, so nothing is acknowledged half-stored. The
// other way round is at-least-once: an INSERT is atomic per part, not per
// statement, so a failure after some parts landed (rows of two days, or the
// trace_id_ts view after the spans part), or the other table's insert failing,
// leaves rows that the caller's retry then stores again.
//
// Durability: an INSERT returns once its part is written and renamed into place
// in the filesystem, so an acknowledged write survives kill -9 of this process.
// Parts are not fsync'd (fsync_after_insert is off, the MergeTree default): a
// power loss or kernel crash can lose the last seconds of acknowledged writes.
// Turning it on cost ~30 ms per insert here (spans + trace_id_ts parts): ~20% at
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
  /** Inserts allowed to run at once (the sink has that many write connections). */
  maxConcurrentInserts: number;
}

/** Retry-After for backpressure: about one more insert, with room to spare. */
const BACKPRESSURE_RETRY_MS = 1000;
/** Retry-After when an insert failed. */
const UNAVAILABLE_RETRY_MS = 1000;

interface Submission {
  /** Groups still to settle before the caller is answered. */
  remaining: number;
  failed: boolean;
  resolve(): void;
  reject(error: Error): void;
}

interface Group {
  table: string;
  columns: readonly string[];
  chunks: Buffer[];
  rows: number;
  submissions: Submission[];
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
  #pendingRows = 0;
  #closed = false;

  constructor(
    private readonly sink: RowSink,
    private readonly options: GroupCommitOptions,
  ) {}

  /** Rows accepted and not yet inserted (including the insert in flight). */
  get pendingRows(): number {
    return this.#pendingRows;
  }

  /**
   * Queues one caller's rows (possibly for several tables) and resolves when all
   * of them are inserted. Rejects at once with BackpressureError when too much is
   * waiting; a write larger than the limit is still taken when nothing waits, or
   * it could never be taken.
   */
  submit(parts: readonly TablePayload[]): Promise<void> {
    if (this.#closed) return Promise.reject(new StorageUnavailableError('the store is closed', UNAVAILABLE_RETRY_MS));
    const nonEmpty = parts.filter((p) => p.rows > 0);
    if (nonEmpty.length === 0) return Promise.resolve();
    const rows = nonEmpty.reduce((n, p) => n + p.rows, 0);
    if (this.#pendingRows > 0 && this.#pendingRows + rows > this.options.maxPendingRows) {
      return Promise.reject(
        new BackpressureError(
          `${this.#pendingRows} rows are waiting to be stored (limit ${this.options.maxPendingRows})`,
          BACKPRESSURE_RETRY_MS,
        ),
      );
    }
    this.#pendingRows += rows;
    return new Promise<void>((resolve, reject) => {
      const submission: Submission = { remaining: nonEmpty.length, failed: false, resolve, reject };
      for (const part of nonEmpty) this.#add(part, submission);
      this.#pump();
    });
  }

  /** Flushes everything pending; later submits reject. */
  async close(): Promise<void> {
    this.#closed = true;
    for (const group of [...this.#open.values()]) this.#markReady(group);
    this.#pump();
    while (this.#inFlight.size > 0) await Promise.all(this.#inFlight);
  }

  #add(part: TablePayload, submission: Submission): void {
    let group = this.#open.get(part.table);
    if (group === undefined) {
      group = { table: part.table, columns: part.columns, chunks: [], rows: 0, submissions: [], timer: undefined, ready: false };
      this.#open.set(part.table, group);
      const g = group;
      group.timer = setTimeout(() => this.#markReady(g), this.options.waitMs);
    }
    group.chunks.push(part.payload);
    group.rows += part.rows;
    group.submissions.push(submission);
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
    this.insertCount++;
    let error: Error | undefined;
    try {
      await this.sink.insertRows(group.table, group.columns, group.chunks);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      error = new StorageUnavailableError(`insert into ${group.table} failed: ${message}`, UNAVAILABLE_RETRY_MS, { cause });
    }
    this.#pendingRows -= group.rows;
    for (const s of group.submissions) {
      if (s.failed) continue;
      if (error !== undefined) {
        s.failed = true;
        s.reject(error);
      } else if (--s.remaining === 0) {
        s.resolve();
      }
    }
  }
}
