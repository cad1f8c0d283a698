import type { ExportRequest } from './export-request.ts';
import type { OfferResult, QueueEntry, SendingQueue } from './sending-queue.ts';

// The in-memory sending queue (the Collector's default): a request is acknowledged
// once it is held here, so a crash loses what is queued. After close() consumers
// still take what is waiting (shutdown drains it), then get undefined.

export function createMemoryQueue<T>(capacity: number, onSizeChange: (size: number) => void): SendingQueue<T> {
  const waiting: ExportRequest<T>[] = [];
  const takers: Array<(entry: QueueEntry<T> | undefined) => void> = [];
  let closed = false;

  const entry = (request: ExportRequest<T>): QueueEntry<T> => ({ request, done: async () => {} });

  return {
    capacity,
    get size() {
      return waiting.length;
    },

    async open() {},

    async offer(request): Promise<OfferResult> {
      if (closed) return { status: 'failed', error: new Error('the sending queue is closed') };
      const taker = takers.shift();
      if (taker) {
        taker(entry(request));
        return { status: 'ok' };
      }
      if (waiting.length >= capacity) return { status: 'full' };
      waiting.push(request);
      onSizeChange(waiting.length);
      return { status: 'ok' };
    },

    take() {
      const request = waiting.shift();
      if (request) {
        onSizeChange(waiting.length);
        return Promise.resolve(entry(request));
      }
      if (closed) return Promise.resolve(undefined);
      return new Promise((resolve) => takers.push(resolve));
    },

    async close() {
      closed = true;
      for (const taker of takers.splice(0)) taker(undefined);
    },

    clear() {
      const dropped = waiting.splice(0);
      onSizeChange(0);
      return dropped;
    },
  };
}
