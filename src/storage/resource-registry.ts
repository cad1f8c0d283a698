import type { TablePayload } from './group-commit.ts';
import { RESOURCE_SCOPE_COLUMNS } from './resource-scope.ts';

// Which resource_scopes rows this process has stored, so each is inserted once
// (then again hourly, to move its LastSeen and so its TTL) rather than with every
// write. A signal row must not be acknowledged before the resource_scopes row it
// refers to is in: a write either carries the missing rows in its own
// submission, or waits for the submission of the write that carries them.

/** Re-insert a known row this often, so its TTL (from LastSeen) keeps moving. */
const REFRESH_MS = 60 * 60 * 1000;
/** Bound on remembered ids; the oldest are forgotten first (and merely re-inserted). */
const MAX_ENTRIES = 100_000;

interface Entry {
  insertedAtMs: number;
  /** The submission carrying the row, until it has succeeded. */
  pending: Promise<void> | undefined;
}

export interface ResourceClaim {
  /** Rows this write must insert, or undefined when all are known or pending. */
  part: TablePayload | undefined;
  /** Other writes' submissions that carry rows this write refers to. */
  waitFor: Promise<void>[];
  /** Call with this write's submission (when `part` is set). */
  track(submission: Promise<void>): void;
}

export class ResourceScopeRegistry {
  #entries = new Map<string, Entry>();

  claim(rows: ReadonlyMap<string, string>, nowMs: number = Date.now()): ResourceClaim {
    const missing: string[] = [];
    const waitFor = new Set<Promise<void>>();
    let text = '';
    for (const [id, row] of rows) {
      const entry = this.#entries.get(id);
      if (entry !== undefined && nowMs - entry.insertedAtMs < REFRESH_MS) {
        if (entry.pending !== undefined) waitFor.add(entry.pending);
        continue;
      }
      missing.push(id);
      text += row;
    }
    if (missing.length === 0) return { part: undefined, waitFor: [...waitFor], track: () => {} };
    return {
      part: { table: 'resource_scopes', columns: RESOURCE_SCOPE_COLUMNS, payload: Buffer.from(text), rows: missing.length },
      waitFor: [...waitFor],
      track: (submission) => {
        for (const id of missing) {
          this.#entries.delete(id); // re-insert at the end: Map order is age order
          this.#entries.set(id, { insertedAtMs: nowMs, pending: submission });
        }
        while (this.#entries.size > MAX_ENTRIES) this.#entries.delete(this.#entries.keys().next().value!);
        submission.then(
          () => {
            for (const id of missing) {
              const e = this.#entries.get(id);
              if (e?.pending === submission) e.pending = undefined;
            }
          },
          () => {
            // Not stored: forget, so the next write that needs them carries them.
            for (const id of missing) if (this.#entries.get(id)?.pending === submission) this.#entries.delete(id);
          },
        );
      },
    };
  }
}
