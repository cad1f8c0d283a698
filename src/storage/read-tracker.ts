import { StorageUnavailableError } from '../consumer/errors.ts';

// The reads running on the store, so that closing waits for them and a read that
// arrives once closing has begun is refused instead of reaching a connection
// that is about to close.

const RETRY_AFTER_MS = 1000;

export class ReadTracker {
  readonly #running = new Set<Promise<unknown>>();
  #refusing = false;

  run<T>(read: () => Promise<T>): Promise<T> {
    if (this.#refusing) {
      return Promise.reject(new StorageUnavailableError('storage is shutting down', RETRY_AFTER_MS));
    }
    const running = read();
    const settled = running.then(
      () => undefined,
      () => undefined,
    );
    this.#running.add(settled);
    void settled.then(() => this.#running.delete(settled));
    return running;
  }

  refuseNew(): void {
    this.#refusing = true;
  }

  /**
   * Resolves when every read started so far has settled. A read the caller
   * aborted settles at once on chDB while the engine finishes the statement;
   * Connections.close() waits for those (connection.ts).
   */
  async drained(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
  }
}
