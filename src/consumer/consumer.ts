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
}

export interface TracesConsumer {
  consumeTraces(data: TracesData): Promise<ConsumeResult>;
}

export interface MetricsConsumer {
  consumeMetrics(data: MetricsData): Promise<ConsumeResult>;
}

export interface LogsConsumer {
  consumeLogs(data: LogsData): Promise<ConsumeResult>;
}

export type TelemetryConsumer = TracesConsumer & MetricsConsumer & LogsConsumer;
