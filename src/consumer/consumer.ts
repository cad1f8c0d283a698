import type { LogsData, MetricsData, PartialSuccess, TracesData } from '../pdata/model.ts';

// Data moves between components only through these interfaces (the Collector's
// consumer package). The contract every implementation keeps:
// - the returned promise resolves only when the data is durably stored or accepted
//   by the next stage under the same promise; a receiver acknowledges its sender
//   only after that;
// - it rejects with a RetryableError (try again later) or a PermanentError (the
//   data is bad); anything else is treated as retryable by the receiver;
// - the data belongs to the consumer after the call: the caller must not change
//   it, and the consumer must not change it either if it fans out to others;
// - a `partialSuccess` reports items refused while the rest was kept.

export interface ConsumeResult {
  partialSuccess?: PartialSuccess;
  /**
   * The refused items themselves (the Span, LogRecord or data point objects the
   * consumer was given), each with its reason, when the consumer can name them.
   * A batch processor that merged several requests uses it to tell each request
   * what of *its* data was refused, instead of sharing the count out.
   */
  refusedItems?: ReadonlyMap<object, string>;
}

/**
 * The Collector's consumer.Capabilities. `mutatesData`: the consumer may change
 * the data it is given in place (the attributes processor's `hash`, a filter
 * removing items). A component that needs the data unchanged after handing it on
 * (the batch processor resending a batch's parts) copies it first only when the
 * consumer after it declares this. Handed to a processor as its `next`, it covers
 * everything downstream (pipeline/service.ts); on a component, only itself. Not
 * declared means "may mutate": a copy too many costs time, one too few corrupts
 * data.
 */
export interface Capabilities {
  readonly mutatesData: boolean;
}

/** Capabilities of a consumer that only reads what it is given (exporters, pass-through processors). */
export const readsOnly: Capabilities = Object.freeze({ mutatesData: false });

export interface TracesConsumer {
  consumeTraces(data: TracesData): Promise<ConsumeResult>;
  readonly capabilities?: Capabilities;
}

export interface MetricsConsumer {
  consumeMetrics(data: MetricsData): Promise<ConsumeResult>;
  readonly capabilities?: Capabilities;
}

export interface LogsConsumer {
  consumeLogs(data: LogsData): Promise<ConsumeResult>;
  readonly capabilities?: Capabilities;
}

/** Whether data handed to this consumer may be changed (undeclared: yes). */
export function mutatesData(consumer: { readonly capabilities?: Capabilities | undefined }): boolean {
  return consumer.capabilities?.mutatesData ?? true;
}

export type TelemetryConsumer = TracesConsumer & MetricsConsumer & LogsConsumer;
