import type { ConsumeResult, TelemetryConsumer } from '../../consumer/consumer.ts';
import type { LogRecord, LogsData, Metric, MetricsData, Span, TracesData } from '../../pdata/model.ts';
import type { TelemetryWriter } from '../../storage/api.ts';

// The `tracehouse` exporter: the local store as the end of a pipeline. It refuses
// what storage would not keep: items it could never find again (a span without
// ids, a metric without a name) and items older than the retention, which the TTL
// would delete at once. They are reported as OTLP partial success, so the rest of
// the request is kept and the sender learns what was dropped and why, instead of
// a 200 for data that is gone.

export interface StoreExporterOptions {
  /** Items whose time is before now minus this are refused. */
  retentionNs: bigint;
  /** Unix nanoseconds now; tests pin it. */
  nowNs?: () => bigint;
}

const defaultNow = () => BigInt(Date.now()) * 1_000_000n;

/**
 * The TTL is `toDateTime(time) + retention` (storage/retention.ts), a 32-bit count
 * of seconds that wraps after 2106-02-07T06:28:15Z: a row whose time plus the
 * retention passes it gets a TTL in 1970 and is deleted at once (seen: a span
 * stamped 2106-02-07 acknowledged, then 404). The decoder already refuses times
 * from 2^63 ns on; this is the narrower limit of the TTL.
 */
const LAST_TTL_NS = (2n ** 32n - 1n) * 1_000_000_000n;

export function createStoreExporter(writer: TelemetryWriter, options: StoreExporterOptions): TelemetryConsumer {
  const cutoff = () => (options.nowNs ?? defaultNow)() - options.retentionNs;
  const latest = LAST_TTL_NS - options.retentionNs;
  const latestIso = new Date(Number(latest / 1_000_000n)).toISOString();
  const tooLate = (items: string) => `${items} after ${latestIso} are not kept (their retention TTL would pass 2106-02-07)`;
  return {
    async consumeTraces(data: TracesData): Promise<ConsumeResult> {
      const oldest = cutoff();
      const reasons = new Refusals();
      const keep = (s: Span) =>
        s.traceId === '' || s.spanId === ''
          ? reasons.refuse('spans must have a non-empty trace_id and span_id', s)
          : s.startTimeUnixNano < oldest
            ? reasons.refuse('spans older than the retention period are not kept', s)
            : s.startTimeUnixNano >= latest
              ? reasons.refuse(tooLate('spans starting'), s)
              : true;
      const kept: TracesData = {
        resourceSpans: data.resourceSpans.map((rs) => ({
          ...rs,
          scopeSpans: rs.scopeSpans.map((ss) => filtered(ss, 'spans', keep)),
        })),
      };
      await writer.writeTraces(reasons.count === 0 ? data : kept);
      return reasons.result();
    },

    async consumeMetrics(data: MetricsData): Promise<ConsumeResult> {
      const oldest = cutoff();
      const reasons = new Refusals();
      const keepMetric = (m: Metric) => {
        if (m.name !== '') return true;
        reasons.refuse('metrics must have a non-empty name', ...(m.data?.dataPoints ?? []));
        return false;
      };
      const keepPoints = (m: Metric): Metric => {
        if (m.data === undefined) return m;
        const points = m.data.dataPoints as { timeUnixNano: bigint }[];
        const recent = points.filter((p) =>
          p.timeUnixNano < oldest
            ? reasons.refuse('data points older than the retention period are not kept', p)
            : p.timeUnixNano >= latest
              ? reasons.refuse(tooLate('data points'), p)
              : true,
        );
        return recent.length === points.length ? m : { ...m, data: { ...m.data, dataPoints: recent } as Metric['data'] };
      };
      const kept: MetricsData = {
        resourceMetrics: data.resourceMetrics.map((rm) => ({
          ...rm,
          scopeMetrics: rm.scopeMetrics.map((sm) => ({ ...sm, metrics: sm.metrics.filter(keepMetric).map(keepPoints) })),
        })),
      };
      await writer.writeMetrics(reasons.count === 0 ? data : kept);
      return reasons.result();
    },

    async consumeLogs(data: LogsData): Promise<ConsumeResult> {
      const oldest = cutoff();
      const reasons = new Refusals();
      // Storage files a record without a time (0: unknown, per OTLP) under its observed time.
      const keep = (r: LogRecord) => {
        const time = r.timeUnixNano === 0n ? r.observedTimeUnixNano : r.timeUnixNano;
        if (time < oldest) return reasons.refuse('log records older than the retention period, or without any time, are not kept', r);
        return time >= latest ? reasons.refuse(tooLate('log records'), r) : true;
      };
      const kept: LogsData = {
        resourceLogs: data.resourceLogs.map((rl) => ({
          ...rl,
          scopeLogs: rl.scopeLogs.map((sl) => filtered(sl, 'logRecords', keep)),
        })),
      };
      await writer.writeLogs(reasons.count === 0 ? data : kept);
      return reasons.result();
    },
  };
}

/** The same object when every item is kept, else a copy with only the kept ones. */
function filtered<T extends Record<K, I[]>, K extends string, I>(holder: T, key: K, keep: (item: I) => boolean): T {
  const items = holder[key];
  const kept = items.filter(keep);
  return kept.length === items.length ? holder : { ...holder, [key]: kept };
}

/** The refused items, each with its reason; every distinct reason is reported once. */
class Refusals {
  count = 0;
  private readonly reasons = new Set<string>();
  private readonly items = new Map<object, string>();

  refuse(reason: string, ...items: object[]): false {
    this.count += items.length;
    this.reasons.add(reason);
    for (const item of items) this.items.set(item, reason);
    return false;
  }

  result(): ConsumeResult {
    return this.count === 0
      ? {}
      : {
          partialSuccess: { rejected: BigInt(this.count), errorMessage: [...this.reasons].join('; ') },
          refusedItems: this.items,
        };
  }
}
