import type { ExportRequest } from './export-request.ts';

// The sending queue between consume() and the exporter's consumers (workers), as
// the Collector's exporterhelper has it: bounded in requests, so a slow or failing
// downstream fills its own queue and then refuses data, instead of holding up the
// pipeline or other exporters. Two implementations: memory-queue.ts (the
// Collector's default; lost on a crash) and persistent-queue.ts (`storage`).

export type OfferResult = { status: 'ok' } | { status: 'full' } | { status: 'failed'; error: Error };

export interface QueueEntry<T> {
  readonly request: ExportRequest<T>;
  /** Forgets the request for good: it was sent, or dropped (permanent failure, retries exhausted). */
  done(): Promise<void>;
}

export interface SendingQueue<T> {
  readonly capacity: number;
  /** Requests waiting for a consumer (those being sent are not counted, as in the Collector). */
  readonly size: number;
  /** Prepares the queue (the persistent one reads what a previous run left); failures fail start-up. */
  open(): Promise<void>;
  /**
   * Resolves once the request is in the queue: for the persistent queue, once its
   * file is written, fsynced and renamed into place and the directory fsynced.
   */
  offer(request: ExportRequest<T>): Promise<OfferResult>;
  /** The next request, oldest first; undefined once the queue is closed (see each implementation). */
  take(): Promise<QueueEntry<T> | undefined>;
  /** Takes no more data; wakes waiting consumers. */
  close(): Promise<void>;
  /** Drops what is still waiting and returns it (the memory queue when draining ran out of time). */
  clear(): ExportRequest<T>[];
}
