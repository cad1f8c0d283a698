import type { WriteHealth } from './api.ts';

// Admission control for the group committer: how much may wait to be written,
// and whether writes are reaching storage at all.
//
// A row cap alone lets latency grow with whatever the engine's rate is at the
// moment (finding: 160 requests in flight, p99 7 s, no 429). So past what keeps
// the write connections busy, a write is also refused when what already waits
// would take longer than maxPendingWriteMs to insert at the measured rate, or
// when the oldest waiting write has already waited that long (the engine fell
// behind, whatever the estimate says). The
// sender is told to come back when the backlog should be gone: BackpressureError
// with that Retry-After, which OTLP exporters honour. A write is always taken
// when nothing waits, or a large one could never be taken.

export interface AdmissionOptions {
  maxPendingRows: number;
  maxPendingWriteMs: number;
  /** Inserts that run at once when enough is waiting (write connections). */
  concurrency: number;
  /** Rows that make a full group: below this, one insert runs at a time. */
  fullGroupRows: number;
}

export interface Refusal {
  message: string;
  retryAfterMs: number;
}

interface Waiting {
  submittedAtMs: number;
  rows: number;
}

/**
 * Inserts smaller than this do not feed the rate: their ~10-15 ms fixed cost
 * (group-commit.ts) would make the rate look several times lower than it is. At
 * 2K rows it is under a third of the insert; under load groups are far larger.
 */
const MIN_RATE_SAMPLE_ROWS = 2048;
/** Weight of the newest insert in the rate estimate: a few inserts to adapt. */
const RATE_EWMA_WEIGHT = 0.3;
const MIN_RETRY_MS = 1000;
/** OTLP exporters give up after their max_elapsed_time (5 min by default): stay well inside it. */
const MAX_RETRY_MS = 10_000;

export class AdmissionControl {
  #pendingRows = 0;
  /** Admitted and not yet answered, oldest first (Set keeps insertion order). */
  #waiting = new Set<Waiting>();
  /** Rows per millisecond of one insert, smoothed; undefined until one was measured. */
  #rowsPerMs: number | undefined;
  #failingSinceMs: number | undefined;
  #lastFailure: unknown;

  constructor(private readonly options: AdmissionOptions) {}

  get pendingRows(): number {
    return this.#pendingRows;
  }

  /** Why a write of `rows` rows must wait, or undefined when it is taken. */
  refusal(rows: number, nowMs: number): Refusal | undefined {
    if (this.#pendingRows === 0) return undefined;
    const o = this.options;
    const drainMs = this.#drainMs(this.#pendingRows + rows);
    const retryAfterMs = Math.min(MAX_RETRY_MS, Math.max(MIN_RETRY_MS, Math.ceil(drainMs ?? 0)));
    if (this.#pendingRows + rows > o.maxPendingRows) {
      return { message: `${this.#pendingRows} rows are waiting to be stored (limit ${o.maxPendingRows})`, retryAfterMs };
    }
    // Enough to keep every write connection on a full group and the next one
    // gathering is always taken: refusing less than that leaves the engine idle
    // while senders are told it is busy. On a starved machine one 16K-row insert
    // took 1.5 s, longer than the whole budget; the budget alone then kept the
    // second connection idle and took 44-98 of 480 requests (160 in flight)
    // where the row cap alone took all 480 in about the same time.
    if (this.#pendingRows + rows <= (o.concurrency + 1) * o.fullGroupRows) return undefined;
    if (drainMs !== undefined && drainMs > o.maxPendingWriteMs) {
      return {
        message: `the writes waiting would take ~${Math.round(drainMs)} ms to store (limit ${o.maxPendingWriteMs} ms)`,
        retryAfterMs,
      };
    }
    const oldest = this.#waiting.values().next().value;
    if (oldest !== undefined && nowMs - oldest.submittedAtMs > o.maxPendingWriteMs) {
      return {
        message: `the oldest write waiting has waited ${nowMs - oldest.submittedAtMs} ms (limit ${o.maxPendingWriteMs} ms)`,
        retryAfterMs,
      };
    }
    return undefined;
  }

  admitted(write: Waiting): void {
    this.#pendingRows += write.rows;
    this.#waiting.add(write);
  }

  /** A group's rows left the queue (stored or failed). */
  settledRows(rows: number): void {
    this.#pendingRows -= rows;
  }

  /** A write was answered. */
  finished(write: Waiting): void {
    this.#waiting.delete(write);
  }

  /** A group insert of `rows` rows took `durationMs`. */
  inserted(rows: number, durationMs: number): void {
    if (rows < MIN_RATE_SAMPLE_ROWS) return;
    const sample = rows / Math.max(1, durationMs);
    this.#rowsPerMs = this.#rowsPerMs === undefined ? sample : this.#rowsPerMs + RATE_EWMA_WEIGHT * (sample - this.#rowsPerMs);
  }

  insertSucceeded(): void {
    this.#failingSinceMs = undefined;
    this.#lastFailure = undefined;
  }

  /** An insert failed for a reason other than its data. */
  insertFailed(cause: unknown): void {
    this.#failingSinceMs ??= Date.now();
    this.#lastFailure = cause;
  }

  health(): WriteHealth {
    return this.#failingSinceMs === undefined
      ? { ok: true }
      : { ok: false, failingSinceMs: this.#failingSinceMs, lastFailure: this.#lastFailure };
  }

  #drainMs(rows: number): number | undefined {
    if (this.#rowsPerMs === undefined) return undefined;
    // Past a full group the second write connection takes full groups beside the
    // first (group-commit.ts), and the measured per-insert rate already reflects
    // the two sharing the CPU.
    const parallel = rows > this.options.fullGroupRows ? this.options.concurrency : 1;
    return rows / (this.#rowsPerMs * parallel);
  }
}
