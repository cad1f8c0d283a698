import { mkdir, open, readdir, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../lib/log.ts';
import { asError } from './export-outcome.ts';
import type { ExportRequest } from './export-request.ts';
import { requestFromProto } from './export-request.ts';
import type { ExportSignal } from './export-signal.ts';
import type { OfferResult, QueueEntry, SendingQueue } from './sending-queue.ts';

// The persistent sending queue (`sending_queue.storage`): one file per request in
// its own directory, holding the request's OTLP protobuf bytes, so a file is
// self-describing (any OTLP tool can read it) and as small as the wire form. The
// name carries the order and the item count: `<seq, 16 digits>-<items>.pb`.
//
// Durability contract: offer() resolves only after the bytes were written to a
// temporary name and fsynced, renamed into place, and the directory fsynced, so an
// acknowledged request survives kill -9 and power loss. A `.tmp` file left by a
// crash was never acknowledged and is deleted on start-up. Files found at start-up
// (queued, or being sent when the process stopped) are sent again: delivery is
// at-least-once. A file is deleted after its request was sent or dropped for good.
// Waiting requests live on disk only; their bytes are read when a consumer takes them.
// close() leaves every file in place for the next start.

interface Waiting {
  seq: number;
  items: number;
  path: string;
}

const FILE_PATTERN = /^(\d{16})-(\d+)\.pb$/;

/** Directories open in this process. */
const directoriesInUse = new Set<string>();

export interface PersistentQueueOptions<T> {
  directory: string;
  capacity: number;
  signal: ExportSignal<T>;
  logger: Logger;
  onSizeChange: (size: number) => void;
}

export function createPersistentQueue<T>(options: PersistentQueueOptions<T>): SendingQueue<T> {
  const { directory, capacity, signal, logger } = options;
  const waiting: Waiting[] = [];
  const takers: Array<(entry: QueueEntry<T> | undefined) => void> = [];
  const writes = new Set<Promise<unknown>>();
  let writing = 0;
  let nextSeq = 1;
  let closed = false;
  let opened: Promise<void> | undefined;

  const sizeChanged = (): void => options.onSizeChange(waiting.length);

  const scan = async (): Promise<void> => {
    await mkdir(directory, { recursive: true });
    const found: Waiting[] = [];
    for (const name of await readdir(directory)) {
      const match = FILE_PATTERN.exec(name);
      if (match) {
        found.push({ seq: Number(match[1]), items: Number(match[2]), path: join(directory, name) });
      } else if (name.endsWith('.tmp')) {
        await unlink(join(directory, name)).catch(() => {});
      }
    }
    found.sort((a, b) => a.seq - b.seq);
    // Start-up files go first: they are the oldest, and were acknowledged.
    waiting.unshift(...found);
    nextSeq = Math.max(nextSeq, (found.at(-1)?.seq ?? 0) + 1);
    if (found.length > 0) {
      logger.info(`persistent sending queue resumes ${found.length} ${signal.signal} requests`, { directory });
    }
    sizeChanged();
  };

  const openOnce = (): Promise<void> =>
    (opened ??= (async () => {
      // Two instances on one directory would send each other's files twice.
      if (directoriesInUse.has(directory)) {
        throw new Error(`the persistent queue in ${directory} is already used by another exporter instance`);
      }
      directoriesInUse.add(directory);
      try {
        await scan();
      } catch (error) {
        directoriesInUse.delete(directory);
        throw new Error(`cannot open the persistent queue in ${directory}`, { cause: error });
      }
    })());

  const entryFor = (item: Waiting, request: ExportRequest<T>): QueueEntry<T> => ({
    request,
    done: () => removeFile(item.path, logger),
  });

  const write = async (request: ExportRequest<T>): Promise<OfferResult> => {
    const seq = nextSeq++;
    const name = `${String(seq).padStart(16, '0')}-${request.items}`;
    const item: Waiting = { seq, items: request.items, path: join(directory, `${name}.pb`) };
    const temporary = join(directory, `${name}.tmp`);
    try {
      const file = await open(temporary, 'w');
      try {
        await file.writeFile(request.protoBytes());
        await file.sync();
      } finally {
        await file.close();
      }
      await rename(temporary, item.path);
      await syncDirectory(directory);
    } catch (error) {
      await unlink(temporary).catch(() => {});
      return { status: 'failed', error: new Error(`cannot write to the persistent queue in ${directory}`, { cause: error }) };
    } finally {
      writing -= 1;
    }
    const taker = takers.shift();
    if (taker) {
      taker(entryFor(item, request));
    } else {
      waiting.push(item);
      sizeChanged();
    }
    return { status: 'ok' };
  };

  return {
    capacity,
    get size() {
      return waiting.length;
    },

    open: openOnce,

    async offer(request) {
      try {
        await openOnce();
      } catch (error) {
        return { status: 'failed', error: asError(error) };
      }
      if (closed) return { status: 'failed', error: new Error('the sending queue is closed') };
      // Requests being written count against the capacity, or a burst could overshoot it.
      if (waiting.length + writing >= capacity) return { status: 'full' };
      writing += 1;
      const pending = write(request);
      writes.add(pending);
      void pending.finally(() => writes.delete(pending));
      return pending;
    },

    async take() {
      await openOnce();
      for (;;) {
        if (closed) return undefined;
        const item = waiting.shift();
        if (!item) return new Promise<QueueEntry<T> | undefined>((resolve) => takers.push(resolve));
        sizeChanged();
        try {
          const bytes = await readFile(item.path);
          return entryFor(item, requestFromProto(signal, bytes, item.items));
        } catch (error) {
          // Removed behind our back, or unreadable: nothing can be sent from it.
          logger.error(`dropping unreadable ${signal.signal} request from the persistent queue`, {
            file: item.path,
            error: asError(error),
          });
          await removeFile(item.path, logger);
        }
      }
    },

    async close() {
      closed = true;
      for (const taker of takers.splice(0)) taker(undefined);
      // Offers being written finish, so their callers get an honest answer.
      await Promise.allSettled([...writes]);
      // Only an instance whose open succeeded holds the directory.
      if (opened && (await opened.then(() => true, () => false))) directoriesInUse.delete(directory);
    },

    clear() {
      // Nothing is dropped: the files stay for the next start.
      return [];
    },
  };
}

async function removeFile(path: string, logger: Logger): Promise<void> {
  try {
    await unlink(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    // The request will be sent again after a restart (at-least-once).
    logger.warn('cannot delete a sent request from the persistent queue', { file: path, error: asError(error) });
  }
}

/** Makes a rename durable: on POSIX the new directory entry is only safe once the directory is fsynced. */
async function syncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory for fsync; NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
