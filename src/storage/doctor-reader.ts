import type { ClickHouseClient } from '@clickhouse/client';
import type { ReadOptions } from './api.ts';
import type { BuiltQuery } from './built-query.ts';
import type { DoctorQuery, DoctorReader, DoctorStats, SpanExample } from './doctor-api.ts';
import { doctorDetachedSpansSql, doctorOrphansSql, doctorSpanStatsSql, doctorTraceShapeSql } from './doctor-spans-sql.ts';
import { doctorLogStatsSql, doctorMetricStatsSql, doctorResourceStatsSql } from './doctor-signals-sql.ts';
import { selectRows } from './read-query.ts';

// DoctorReader over ClickHouse: runs the doctor's statements (each
// snapshot-tested, doctor-sql.test.ts) and names the columns.

type Row = Record<string, unknown>;

const n = (v: unknown): number => Number(v ?? 0);
const s = (v: unknown): string => (typeof v === 'string' ? v : '');
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string').sort() : []);
const span = (r: Row, prefix: string): SpanExample => ({
  traceId: s(r[`${prefix}TraceId`]),
  spanId: s(r[`${prefix}SpanId`]),
  spanName: s(r[`${prefix}SpanName`]),
});

export function createDoctorReader(client: ClickHouseClient): DoctorReader {
  const run = (q: BuiltQuery, options: ReadOptions | undefined) => selectRows<Row>(client, q.sql, q.params, options);
  return {
    async doctorStats(query: DoctorQuery, options?: ReadOptions): Promise<DoctorStats> {
      // One after another: chDB runs one statement at a time per connection
      // anyway, and a server gets no burst of seven scans from one request.
      const spans = await run(doctorSpanStatsSql(query), options);
      const shapes = await run(doctorTraceShapeSql(query), options);
      const orphans = await run(doctorOrphansSql(query), options);
      const detached = await run(doctorDetachedSpansSql(query), options);
      const logs = await run(doctorLogStatsSql(query), options);
      const metrics = await run(doctorMetricStatsSql(query), options);
      const resources = await run(doctorResourceStatsSql(query), options);
      return {
        spans: spans.map((r) => ({
          service: s(r.ServiceName),
          spans: n(r.Spans),
          traces: n(r.Traces),
          httpServerSpans: n(r.HttpServerSpans),
          noRouteSpans: n(r.NoRouteSpans),
          noRouteNames: n(r.NoRouteNames),
          noRouteExample: span(r, 'NoRoute'),
          idNameSpans: n(r.IdNameSpans),
          idNames: n(r.IdNames),
          idNameExamples: strings(r.IdNameExamples),
          idNameExample: span(r, 'IdName'),
          healthSpans: n(r.HealthSpans),
          healthNames: strings(r.HealthNames),
          healthExample: span(r, 'Health'),
          oldHttpSpans: n(r.OldHttpSpans),
          oldHttpKeys: strings(r.OldHttpKeys),
          oldHttpExample: span(r, 'OldHttp'),
          rootClientSpans: n(r.RootClientSpans),
          rootClientExample: span(r, 'RootClient'),
        })),
        traceShapes: shapes.map((r) => ({
          service: s(r.ServiceName),
          manyInternalTraces: n(r.ManyInternalTraces),
          manyInternalExample: s(r.ManyInternalExample),
          manyShortTraces: n(r.ManyShortTraces),
          manyShortExample: s(r.ManyShortExample),
        })),
        orphans: orphans.map((r) => ({ service: s(r.ServiceName), orphanSpans: n(r.OrphanSpans), example: span(r, 'Example') })),
        detached: detached.map((r) => ({
          service: s(r.ServiceName),
          rootInternalSpans: n(r.RootInternalSpans),
          insideServerSpans: n(r.InsideServerSpans),
          example: span(r, 'Example'),
        })),
        logs: logs.map((r) => ({
          service: s(r.ServiceName),
          logs: n(r.Logs),
          withoutTraceContext: n(r.WithoutTraceContext),
          withoutTraceExample: s(r.WithoutTraceExample),
          withoutSeverity: n(r.WithoutSeverity),
        })),
        metrics: metrics.map((r) => ({
          service: s(r.ServiceName),
          points: n(r.Points),
          metrics: n(r.Metrics),
          oldHttpMetrics: strings(r.OldHttpMetrics),
          noUnitMetrics: strings(r.NoUnitMetrics),
          mixedUnitMetrics: strings(r.MixedUnitMetrics),
          mixedBucketMetrics: strings(r.MixedBucketMetrics),
          unitInNameMetrics: strings(r.UnitInNameMetrics),
          seriesWithGaps: n(r.SeriesWithGaps),
          medianIntervalNs: n(r.MedianIntervalNs),
        })),
        resources: resources.map((r) => ({
          service: s(r.ServiceName),
          resources: n(r.Resources),
          withoutVersion: n(r.WithoutVersion),
          withoutEnvironment: n(r.WithoutEnvironment),
          withoutInstanceId: n(r.WithoutInstanceId),
          k8sResources: n(r.K8sResources),
          k8sWithoutPodUid: n(r.K8sWithoutPodUid),
          sdkLanguages: strings(r.SdkLanguages),
        })),
      };
    },
  };
}
