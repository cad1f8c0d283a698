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
import type { DecodeRefusals } from '../../pdata/decode-refusals.ts';
import { countDataPoints, countLogRecords, countSpans } from '../../pdata/item-count.ts';
import type { PartialSuccess, Signal } from '../../pdata/model.ts';

/**
 * What both OTLP transports do per signal: decode (items storage cannot keep go to
 * `refusals`, pdata/decode-refusals.ts), count for own telemetry, hand on.
 */
export interface SignalHandling {
  decodeProto(bytes: Uint8Array, refusals: DecodeRefusals): unknown;
  decodeJson(text: string, refusals: DecodeRefusals): unknown;
  count(data: never): number;
  consume(consumers: ReceiverConsumers, data: never): Promise<ConsumeResult>;
}

/**
 * Hands decoded data to the pipeline and answers with one partial success: the
 * items the decoder refused plus those the pipeline refused (the store exporter's
 * retention check), the one place the two meet. `items` is what the decoder kept;
 * when it kept nothing and refused something, the pipeline is not called.
 */
export async function consumeDecoded(
  route: SignalHandling,
  consumers: ReceiverConsumers,
  data: unknown,
  items: number,
  refusals: DecodeRefusals,
): Promise<PartialSuccess | undefined> {
  const downstream = items === 0 && refusals.any ? undefined : (await route.consume(consumers, data as never)).partialSuccess;
  return mergePartialSuccess(refusals, downstream);
}

export function mergePartialSuccess(refusals: DecodeRefusals, downstream: PartialSuccess | undefined): PartialSuccess | undefined {
  if (!refusals.any) return downstream;
  const rejected = BigInt(refusals.count) + (downstream?.rejected ?? 0n);
  const messages = [refusals.errorMessage(), downstream?.errorMessage ?? ''].filter((m) => m !== '');
  return { rejected, errorMessage: messages.join('; ') };
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
