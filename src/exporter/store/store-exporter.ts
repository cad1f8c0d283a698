import type { ConsumeResult, TelemetryConsumer } from '../../consumer/consumer.ts';
import type { LogsData, MetricsData, TracesData } from '../../pdata/model.ts';
import type { TelemetryWriter } from '../../storage/api.ts';

// The `tracehouse` exporter: the local store as the end of a pipeline. It refuses
// items storage could never find again (a span without ids, a metric without a
// name) and reports them as OTLP partial success, so the rest of the request is
// kept and the sender learns what was dropped and why.

export function createStoreExporter(writer: TelemetryWriter): TelemetryConsumer {
  return {
    async consumeTraces(data: TracesData): Promise<ConsumeResult> {
      let rejected = 0;
      const kept: TracesData = {
        resourceSpans: data.resourceSpans.map((rs) => ({
          ...rs,
          scopeSpans: rs.scopeSpans.map((ss) => {
            const spans = ss.spans.filter((s) => s.traceId !== '' && s.spanId !== '');
            rejected += ss.spans.length - spans.length;
            return spans.length === ss.spans.length ? ss : { ...ss, spans };
          }),
        })),
      };
      await writer.writeTraces(rejected === 0 ? data : kept);
      return partial(rejected, 'spans must have a non-empty trace_id and span_id');
    },

    async consumeMetrics(data: MetricsData): Promise<ConsumeResult> {
      let rejected = 0;
      const kept: MetricsData = {
        resourceMetrics: data.resourceMetrics.map((rm) => ({
          ...rm,
          scopeMetrics: rm.scopeMetrics.map((sm) => {
            const metrics = sm.metrics.filter((m) => {
              if (m.name !== '') return true;
              rejected += m.data?.dataPoints.length ?? 0;
              return false;
            });
            return metrics.length === sm.metrics.length ? sm : { ...sm, metrics };
          }),
        })),
      };
      await writer.writeMetrics(rejected === 0 ? data : kept);
      return partial(rejected, 'metrics must have a non-empty name');
    },

    async consumeLogs(data: LogsData): Promise<ConsumeResult> {
      await writer.writeLogs(data);
      return {};
    },
  };
}

function partial(rejected: number, errorMessage: string): ConsumeResult {
  return rejected === 0 ? {} : { partialSuccess: { rejected: BigInt(rejected), errorMessage } };
}
