import type { Component, CreateSettings } from '../../component/component.ts';
import { formatComponentId } from '../../component/component.ts';
import type { ConsumeResult } from '../../consumer/consumer.ts';
import { PermanentError } from '../../consumer/errors.ts';
import type { BatchSignal } from './batch-signal.ts';
import type { BatchConfig } from './factory.ts';

// The batch processor gathers requests into batches of `send_batch_size` items or
// whatever arrived within `timeout`, as the Collector's does, with one difference
// that our consumer contract forces: the Collector acknowledges a request as soon
// as it is queued in the batch; here a caller's promise settles only when every
// batch holding part of its data has been consumed by `next`. A receiver therefore
// still answers its sender only once the data is stored, and a failed write reaches
// the sender, who retries. The price is latency (up to `timeout`) on each request.
//
// Choices where the Collector has nothing to copy:
// - a request's promise rejects with the first error of any batch holding part of
//   it, once all its parts have settled; its parts still waiting are dropped then,
//   since the sender will retry the whole request anyway;
// - a batch refused permanently (bad data) that merged several requests is sent
//   again in halves, down to single requests, so only the bad one fails (see
//   deliver); resent parts were copied first when `next` may mutate data;
// - `partialSuccess` of a batch goes to the requests whose items were refused when
//   `next` names them (`refusedItems`: the tracehouse exporter does), so a valid
//   request is never told of another sender's refused span and the sender of it
//   is; otherwise (a forwarding exporter only gets a count back) the count is
//   shared in proportion to the items each contributed (largest-remainder
//   rounding, so the shares add up and none exceeds what its request sent);
// - batches are sent concurrently: a slow `next` does not hold back the next batch
//   (backpressure is the memory limiter's job);
// - on a timeout everything pending is sent (in `send_batch_max_size` chunks), not
//   just one chunk as the Collector does, so nothing waits more than one timeout;
// - requests with no items resolve at once without reaching `next`.
// The processor never changes the data it is given: batches are new wrappers
// around the callers' resource entries (see batch-signal.ts for splits).

/** Buckets of otelcol_processor_batch_batch_send_size, as the Collector's. */
const sendSizeBuckets = [
  10, 25, 50, 75, 100, 250, 500, 750, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10000, 20000, 30000,
  50000, 100000,
];

type Trigger = 'size' | 'timeout' | 'shutdown';

interface Request {
  /** Items not yet handed to a batch. */
  unsent: number;
  /** Batches holding part of this request that have not settled. */
  inFlight: number;
  rejected: number;
  errorMessages: string[];
  failed: boolean;
  error: unknown;
  resolve(result: ConsumeResult): void;
  reject(error: unknown): void;
}

interface Contribution<T> {
  request: Request;
  data: T;
  items: number;
}

interface PendingPart<T> {
  data: T;
  items: number;
  request: Request;
}

export interface BatchProcessor<T> {
  consume(data: T): Promise<ConsumeResult>;
  lifecycle: Component;
}

export interface BatchProcessorOptions {
  /** The consumer after this processor may change data in place (consumer.ts Capabilities). */
  downstreamMutatesData: boolean;
}

export function createBatchProcessor<T>(
  settings: CreateSettings,
  config: BatchConfig,
  signal: BatchSignal<T>,
  send: (data: T) => Promise<ConsumeResult>,
  options: BatchProcessorOptions,
): BatchProcessor<T> {
  const copyForResend = options.downstreamMutatesData;
  const labels = { processor: formatComponentId(settings.id) };
  const sendSize = settings.metrics
    .histogram('otelcol_processor_batch_batch_send_size', 'Number of units in the batch', ['processor'], sendSizeBuckets)
    .labels(labels);
  const sizeTriggers = settings.metrics
    .counter(
      'otelcol_processor_batch_batch_size_trigger_send',
      'Number of times the batch was sent due to a size trigger',
      ['processor'],
    )
    .labels(labels);
  const timeoutTriggers = settings.metrics
    .counter(
      'otelcol_processor_batch_timeout_trigger_send',
      'Number of times the batch was sent due to a timeout trigger',
      ['processor'],
    )
    .labels(labels);

  const pending: PendingPart<T>[] = [];
  let pendingItems = 0;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const inFlight = new Set<Promise<void>>();
  const maxItems = config.sendBatchMaxSize > 0 ? config.sendBatchMaxSize : Infinity;
  const immediate = config.timeoutMs === 0;

  const settleIfDone = (request: Request): void => {
    if (request.unsent > 0 || request.inFlight > 0) return;
    if (request.failed) {
      request.reject(request.error);
      return;
    }
    if (request.rejected === 0 && request.errorMessages.length === 0) {
      request.resolve({});
      return;
    }
    request.resolve({
      partialSuccess: { rejected: BigInt(request.rejected), errorMessage: request.errorMessages.join('; ') },
    });
  };

  const fail = (request: Request, error: unknown): void => {
    if (!request.failed) {
      request.failed = true;
      request.error = error;
    }
    // Its parts still waiting would be sent again by the retrying sender anyway.
    for (let i = pending.length - 1; i >= 0; i--) {
      const part = pending[i]!;
      if (part.request !== request) continue;
      pending.splice(i, 1);
      pendingItems -= part.items;
      request.unsent -= part.items;
    }
  };

  const sendOne = (trigger: Trigger): void => {
    const contributions: Contribution<T>[] = [];
    let taken = 0;
    while (pending.length > 0 && taken < maxItems) {
      const part = pending[0]!;
      const room = maxItems - taken;
      let items = part.items;
      let data: T;
      if (items <= room) {
        pending.shift();
        data = part.data;
      } else {
        const [head, rest] = signal.split(part.data, room);
        data = head;
        part.data = rest;
        part.items -= room;
        items = room;
      }
      taken += items;
      // A request is one pending entry, so it contributes at most one part here.
      contributions.push({ request: part.request, data, items });
    }
    pendingItems -= taken;
    for (const c of contributions) {
      c.request.unsent -= c.items;
      c.request.inFlight += 1;
    }

    sendSize.record(taken);
    if (trigger === 'size') sizeTriggers.add();
    if (trigger === 'timeout') timeoutTriggers.add();

    const settled = deliver(contributions);
    inFlight.add(settled);
    void settled.finally(() => inFlight.delete(settled));
  };

  /**
   * Sends these contributions as one batch and settles their requests. When the
   * batch is refused permanently and holds several requests' data, the halves are
   * sent again on their own, down to single requests, so only the request whose
   * data is bad gets the error (one bad sender must not fail the others merged
   * with it). A retryable failure fails them all: every sender retries.
   */
  const deliver = async (contributions: Contribution<T>[]): Promise<void> => {
    const items = contributions.reduce((n, c) => n + c.items, 0);
    // Kept to resend from; a copy only when the consumer after us may change what
    // it is given (the built-in batch -> tracehouse pipeline never pays for one).
    const resendable =
      contributions.length < 2 ? undefined : copyForResend ? contributions.map((c) => ({ ...c, data: structuredClone(c.data) })) : contributions;
    let result: ConsumeResult;
    try {
      result = await send(signal.merge(contributions.map((c) => c.data)));
    } catch (error) {
      if (resendable !== undefined && error instanceof PermanentError) {
        const mid = Math.ceil(resendable.length / 2);
        await Promise.all([deliver(resendable.slice(0, mid)), deliver(resendable.slice(mid))]);
        return;
      }
      for (const { request } of contributions) {
        request.inFlight -= 1;
        fail(request, error);
        settleIfDone(request);
      }
      return;
    }
    if (!attributePartialSuccess(result, contributions, signal)) {
      distributePartialSuccess(result, new Map(contributions.map((c) => [c.request, c.items])), items);
    }
    for (const { request } of contributions) {
      request.inFlight -= 1;
      settleIfDone(request);
    }
  };

  const sendAll = (trigger: Trigger): void => {
    while (pending.length > 0) sendOne(trigger);
  };

  const stopTimer = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
  };

  const onTimeout = (): void => {
    timer = undefined;
    sendAll('timeout');
  };

  const consume = (data: T): Promise<ConsumeResult> => {
    if (stopped) return Promise.reject(new Error(`processor ${labels.processor} is shut down`));
    const items = signal.countItems(data);
    if (items === 0) return Promise.resolve({});
    return new Promise<ConsumeResult>((resolve, reject) => {
      const request: Request = {
        unsent: items,
        inFlight: 0,
        rejected: 0,
        errorMessages: [],
        failed: false,
        error: undefined,
        resolve,
        reject,
      };
      pending.push({ data, items, request });
      pendingItems += items;

      if (immediate) {
        sendAll('size');
        return;
      }
      let sentBySize = false;
      // send_batch_size is a trigger, not a bound: what has gathered goes out whole
      // unless send_batch_max_size cuts it (then the remainder keeps waiting).
      while (pending.length > 0 && pendingItems >= config.sendBatchSize) {
        sendOne('size');
        sentBySize = true;
      }
      // As the Collector does, a size-triggered send restarts the timeout.
      if (sentBySize || pendingItems === 0) stopTimer();
      if (pendingItems > 0 && timer === undefined) {
        // Not unref'd: pending data keeps the process alive until it is sent.
        timer = setTimeout(onTimeout, config.timeoutMs);
      }
    });
  };

  return {
    consume,
    lifecycle: {
      async start() {},
      async shutdown() {
        stopped = true;
        stopTimer();
        sendAll('shutdown');
        while (inFlight.size > 0) await Promise.allSettled([...inFlight]);
      },
    },
  };
}

/**
 * Gives each request the refusals of its own items, when `next` named the refused
 * items and they account for the whole count. False when it cannot (no names, or
 * names of copies: a fan-out branch that got a copy), so the caller shares out.
 */
function attributePartialSuccess<T>(result: ConsumeResult, contributions: readonly Contribution<T>[], signal: BatchSignal<T>): boolean {
  const partial = result.partialSuccess;
  const refused = result.refusedItems;
  if (!partial || refused === undefined || partial.rejected === 0n) return false;
  const found = contributions.map((c) => {
    const reasons = new Set<string>();
    let rejected = 0;
    signal.eachItem(c.data, (item) => {
      const reason = refused.get(item);
      if (reason === undefined) return;
      rejected += 1;
      reasons.add(reason);
    });
    return { request: c.request, rejected, reasons };
  });
  if (BigInt(found.reduce((n, f) => n + f.rejected, 0)) !== partial.rejected) return false;
  for (const { request, rejected, reasons } of found) {
    request.rejected += rejected;
    for (const reason of reasons) if (!request.errorMessages.includes(reason)) request.errorMessages.push(reason);
  }
  return true;
}

/** Shares a batch's rejected count among its requests by items contributed. */
function distributePartialSuccess(result: ConsumeResult, shares: Map<Request, number>, batchItems: number): void {
  const partial = result.partialSuccess;
  if (!partial) return;
  const rejected = Number(partial.rejected > BigInt(batchItems) ? BigInt(batchItems) : partial.rejected);
  const entries = [...shares.entries()].map(([request, items]) => {
    const exact = (rejected * items) / batchItems;
    return { request, share: Math.floor(exact), remainder: exact - Math.floor(exact) };
  });
  let left = rejected - entries.reduce((total, entry) => total + entry.share, 0);
  for (const entry of [...entries].sort((a, b) => b.remainder - a.remainder)) {
    if (left <= 0) break;
    entry.share += 1;
    left -= 1;
  }
  for (const { request, share } of entries) {
    request.rejected += share;
    if (partial.errorMessage !== '' && (share > 0 || rejected === 0)) {
      if (!request.errorMessages.includes(partial.errorMessage)) request.errorMessages.push(partial.errorMessage);
    }
  }
}
