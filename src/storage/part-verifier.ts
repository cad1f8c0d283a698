import { statfs } from 'node:fs/promises';
import type { ClickHouseClient } from '@clickhouse/client';
import { EngineInsertError } from './insert-failure.ts';
import { ident } from './sql.ts';

// The embedded engine can report an INSERT as done while the part it committed
// is empty on disk: when the file system fills during the insert (another writer
// taking the last of it), chDB 3.4.0 (ClickHouse 26.7) renamed into place a part
// whose every file had 0 bytes. Every read of the table then failed ("Empty marks
// file"), and a restart set the part aside as broken-on-start, with the rows of
// requests already acknowledged (test/disk-full.test.ts met it in 3 of 163 runs;
// docs/ARCHITECTURE.md, "Tests").
//
// So while free space is low, after an insert that failed for a storage reason,
// and on the insert after either, the table's parts written since the last check
// go through `CHECK TABLE ... PART` (the engine reads the part's files back)
// before an insert is answered. A part that fails is detached (reads work again;
// its files stay in `detached/`; DETACH fails while the disk is full, so it is
// retried on later writes), and every insert begun before it was found is
// refused with a retryable storage error: its part may be the one, and its
// senders retry (at-least-once; reads drop duplicates). With space to spare and
// no failures nothing is checked: one statfs an insert.

/** NOT_ENOUGH_SPACE: a storage code (insert-failure.ts), so the group fails retryably. */
const NOT_ENOUGH_SPACE = 243;

const LOW_SPACE_BYTES = 1 << 30;

export interface PartVerifier {
  /** A token to take before an insert starts, for afterInsert. */
  begin(): number;
  /**
   * After an insert begun with `token` returned (`failed`: it threw): resolves when
   * a successful one may be acknowledged; rejects with a storage EngineInsertError
   * when a broken part was set aside meanwhile.
   */
  afterInsert(table: string, token: number, failed: boolean): Promise<void>;
}

export interface PartVerifierOptions {
  client: ClickHouseClient;
  database: string;
  /** Whether free space is low enough to check parts (lowSpaceOf the data directory). */
  lowSpace: () => Promise<boolean>;
}

/** Whether parts are checked: free space under 1 GiB and under a tenth of the file system. */
export function isLowSpace(freeBytes: number, totalBytes: number): boolean {
  return freeBytes < Math.min(LOW_SPACE_BYTES, totalBytes / 10);
}

export function lowSpaceOf(dataDir: string): () => Promise<boolean> {
  return async () => {
    const s = await statfs(dataDir);
    return isLowSpace(s.bavail * s.bsize, s.blocks * s.bsize);
  };
}

export function createPartVerifier(options: PartVerifierOptions): PartVerifier {
  const { client, database, lowSpace } = options;
  // Bumped for every part found broken: an insert that began before may have written it.
  let broken = 0;
  let lastBroken = '';
  // The DETACH statements of broken parts not yet detached.
  const toDetach = new Set<string>();
  // Per table: the highest block number checked (MergeTree numbers a table's
  // inserts with one counter across partitions).
  const checkedThrough = new Map<string, number>();
  // Tables whose last insert failed or ran short of space.
  const suspect = new Set<string>();
  // Checks run one after another: one queued after an insert returned starts
  // after the checks before it, so it sees that insert's part.
  let checks: Promise<void> = Promise.resolve();

  async function check(table: string): Promise<void> {
    const through = checkedThrough.get(table) ?? 0;
    const parts = await (
      await client.query({
        query: `SELECT name, max_block_number FROM system.parts
                WHERE database = {database:String} AND table = {table:String} AND active AND level = 0
                  AND min_block_number > {through:Int64}
                ORDER BY min_block_number`,
        query_params: { database, table, through },
        format: 'JSONEachRow',
      })
    ).json<{ name: string; max_block_number: string | number }>();
    let highest = through;
    const qualified = `${ident(database)}.${ident(table)}`;
    for (const part of parts) {
      // Part names are the engine's own (partition id, block numbers, level).
      if (!/^[\w-]+$/.test(part.name)) throw new Error(`unexpected part name ${JSON.stringify(part.name)}`);
      // A CHECK that throws fails the insert waiting on it (retryably), and the
      // part is checked again by the next one.
      const [result] = await (
        await client.query({
          query: `CHECK TABLE ${qualified} PART '${part.name}'`,
          clickhouse_settings: { check_query_single_value_result: 0 },
          format: 'JSONEachRow',
        })
      ).json<{ is_passed: number | string; message: string }>();
      if (result !== undefined && Number(result.is_passed) === 0) {
        broken++;
        lastBroken = `part ${part.name} of ${table} (${result.message})`;
        toDetach.add(`ALTER TABLE ${qualified} DETACH PART '${part.name}'`);
      }
      highest = Math.max(highest, Number(part.max_block_number));
    }
    checkedThrough.set(table, highest);
  }

  /** DETACH fails while the disk is full; a part that could not go yet is tried again on every write. */
  async function detachBroken(): Promise<void> {
    for (const statement of toDetach) {
      try {
        await client.command({ query: statement });
        toDetach.delete(statement);
      } catch {
        return;
      }
    }
  }

  return {
    begin: () => broken,
    async afterInsert(table, token, failed) {
      const low = await lowSpace();
      if (failed || low || suspect.has(table)) {
        // Until an insert ends well with space to spare, the next one checks again:
        // a failed insert has been seen to commit its empty part after it returned.
        if (failed || low) suspect.add(table);
        const next = checks.then(() => check(table));
        checks = next.catch(() => {});
        await next;
        if (!failed && !low) suspect.delete(table);
      }
      if (toDetach.size > 0) await detachBroken();
      if (broken !== token) {
        throw new EngineInsertError(
          `a part written while the disk was full failed its check, ${lastBroken}; this insert may have been in it and is not acknowledged; ` +
            (toDetach.size > 0 ? 'it could not be detached yet (reads of the table fail until it is)' : 'it was detached'),
          NOT_ENOUGH_SPACE,
        );
      }
    },
  };
}

