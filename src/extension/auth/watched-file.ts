import { readFileSync, unwatchFile, watchFile } from 'node:fs';
import type { Stats } from 'node:fs';
import type { Logger } from '../../lib/log.ts';

// A credentials file read at start and again whenever it changes, as the
// Collector's bearertokenauth `filename` (fsnotify). Polling the file's stat,
// not fs.watch: a Kubernetes secret or `mv new token` replaces the file by
// rename, which an inode watch misses; a stat sees the new one.

export interface WatchedFile {
  /** The content last read successfully. */
  current(): string;
  close(): void;
}

export const watchIntervalMs = 500;

/** Throws when the file cannot be read at start; later read failures keep the previous content. */
export function watchTextFile(file: string, logger: Logger, what: string, onChange?: (text: string) => void): WatchedFile {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new Error(`cannot read ${what} ${file}`, { cause: error });
  }
  const listener = (now: Stats, before: Stats): void => {
    if (now.mtimeMs === before.mtimeMs && now.size === before.size && now.ino === before.ino) return;
    try {
      text = readFileSync(file, 'utf8');
      onChange?.(text);
      logger.info(`${what} re-read`, { file });
    } catch (error) {
      logger.warn(`${what} could not be re-read: keeping the previous one`, { file, error });
    }
  };
  watchFile(file, { interval: watchIntervalMs, persistent: false }, listener);
  return {
    current: () => text,
    close: () => unwatchFile(file, listener),
  };
}
