import type { ReceiverConsumers } from '../../component/component.ts';
import type { ConsumeResult } from '../../consumer/consumer.ts';
import {
  decodeLogsJson,
  decodeLogsProto,
  decodeMetricsJson,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
} from '../../pdata/index.ts';
import { countDataPoints, countLogRecords, countSpans } from '../../pdata/item-count.ts';
import type { Signal } from '../../pdata/model.ts';

/** What both OTLP transports do per signal: decode, count for own telemetry, hand on. */
export interface SignalHandling {
  decodeProto(bytes: Uint8Array): unknown;
  decodeJson(text: string): unknown;
  count(data: never): number;
  consume(consumers: ReceiverConsumers, data: never): Promise<ConsumeResult>;
}

export const signalHandling: Readonly<Record<Signal, SignalHandling>> = {
  traces: {
    decodeProto: decodeTracesProto,
    decodeJson: decodeTracesJson,
    count: countSpans,
    consume: (c, d) => c.traces!.consumeTraces(d),
  },
  metrics: {
    decodeProto: decodeMetricsProto,
    decodeJson: decodeMetricsJson,
    count: countDataPoints,
    consume: (c, d) => c.metrics!.consumeMetrics(d),
  },
  logs: {
    decodeProto: decodeLogsProto,
    decodeJson: decodeLogsJson,
    count: countLogRecords,
    consume: (c, d) => c.logs!.consumeLogs(d),
  },
};
