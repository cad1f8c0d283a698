import type { ClickHouseClient } from '@clickhouse/client';
import type { Exemplar, Metric, MetricData, MetricKind, MetricsData, NumberDataPoint, NumberValue } from '../pdata/model.ts';
import type { MetricPointQuery, MetricSummary, ReadOptions, TimeRange } from './api.ts';
import { attributeMapsOf, attributesFromMaps } from './attribute-columns.ts';
import { attributeFilterSql } from './attribute-filter.ts';
import { doubleFromCh, nsFromCh } from './ch-values.ts';
import { ValueType } from './metric-encoder.ts';
import { doubleFromOtlp, keyValuesFromJson } from './otlp-json.ts';
import type { Json } from './otlp-json.ts';
import { selectNewestDistinct } from './newest-distinct.ts';
import { selectRows } from './read-query.ts';
import { groupByResourceScope, withResourceScopes } from './resource-scope.ts';
import { QueryParams } from './sql.ts';

// Metric reads over `metric_points` (003_metric_points.sql).

type Row = Record<string, unknown>;

export interface MetricReader {
  listMetrics(range: TimeRange, options?: ReadOptions): Promise<MetricSummary[]>;
  metricPoints(query: MetricPointQuery, options?: ReadOptions): Promise<MetricsData>;
}

/** The fields that make two rows belong to the same Metric message. */
const METRIC_FIELDS = ['MetricName', 'MetricDescription', 'MetricUnit', 'MetricMetadata', 'Kind', 'AggregationTemporality', 'IsMonotonic'];

/**
 * What makes two stored rows the same data point: its time series (metric name,
 * kind, temporality and monotonicity, resource and scope, attributes) and its
 * start and end times. Delivery is at-least-once, so a point can be stored
 * twice; and a series has one value per timestamp (the OpenTelemetry metrics
 * data model's single-writer rule, Prometheus' "duplicate sample"), so two rows
 * for the same series and times are one point, whatever their values.
 */
export const POINT_IDENTITY = `MetricName, Kind, AggregationTemporality, IsMonotonic, ResourceScopeId,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, StartTimestamp, Timestamp`;

export function createMetricReader(client: ClickHouseClient): MetricReader {
  return {
    async listMetrics(range, options) {
      const p = new QueryParams();
      const rows = await selectRows<{ name: string; kind: MetricKind; unit: string; description: string; services: string[] }>(
        client,
        `SELECT MetricName AS name, toString(Kind) AS kind,
           argMax(MetricUnit, Timestamp) AS unit, argMax(MetricDescription, Timestamp) AS description,
           arraySort(groupUniqArray(ServiceName)) AS services
         FROM metric_points
         WHERE Timestamp >= ${p.bindNs(range.startNs)} AND Timestamp < ${p.bindNs(range.endNs)}
         GROUP BY MetricName, Kind ORDER BY MetricName, Kind`,
        p,
        options,
      );
      return rows.map((r) => ({ name: r.name, kind: r.kind, unit: r.unit, description: r.description, services: r.services }));
    },

    async metricPoints(query, options) {
      const rows = await selectNewestDistinct(
        client,
        {
          inner: (fetchLimit, p) => {
            const where = [
              `MetricName = ${p.bind('String', query.name)}`,
              `Timestamp >= ${p.bindNs(query.startNs)}`,
              `Timestamp < ${p.bindNs(query.endNs)}`,
              ...query.attributes.map((f) => attributeFilterSql(f, p)),
            ];
            return `SELECT MetricName, MetricDescription, MetricUnit, MetricMetadata, toString(Kind) AS Kind,
               AggregationTemporality, IsMonotonic,
               toUnixTimestamp64Nano(StartTimestamp) AS StartNs, toUnixTimestamp64Nano(Timestamp) AS TimeNs, Flags,
               ValueType, ValueDouble, ValueInt, Count, Sum, Min, Max, BucketCounts, ExplicitBounds,
               Scale, ZeroCount, ZeroThreshold, PositiveOffset, PositiveBucketCounts, NegativeOffset, NegativeBucketCounts,
               Quantiles, QuantileValues, Exemplars,
               AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson,
               ServiceName, ResourceScopeId, StartTimestamp, Timestamp
             FROM metric_points WHERE ${where.join(' AND ')}
             ORDER BY Timestamp DESC LIMIT ${fetchLimit}`;
          },
          identity: POINT_IDENTITY,
          limit: query.limit,
        },
        () => new QueryParams(),
        options,
      );
      return {
        resourceMetrics: groupByResourceScope(await withResourceScopes(client, rows, options), (r, scopes) => ({
          resource: r.resource,
          scopeMetrics: scopes.map((s) => ({ scope: s.scope.scope, metrics: metricsOf(s.rows), schemaUrl: s.scope.schemaUrl })),
          schemaUrl: r.schemaUrl,
        })),
      };
    },
  };
}

/** One Metric per distinct metric fields, points in row order (newest first). */
function metricsOf(rows: readonly Row[]): Metric[] {
  const groups = new Map<string, Row[]>();
  for (const row of rows) {
    const key = JSON.stringify(METRIC_FIELDS.map((f) => row[f]));
    const group = groups.get(key);
    if (group === undefined) groups.set(key, [row]);
    else group.push(row);
  }
  return [...groups.values()].map((group) => {
    const first = group[0]!;
    return {
      name: String(first.MetricName),
      description: String(first.MetricDescription),
      unit: String(first.MetricUnit),
      metadata: keyValuesFromJson(JSON.parse(String(first.MetricMetadata)) as Json),
      data: dataOf(first, group),
    };
  });
}

function dataOf(first: Row, rows: readonly Row[]): MetricData {
  const kind = first.Kind as MetricKind;
  const aggregationTemporality = Number(first.AggregationTemporality);
  switch (kind) {
    case 'gauge':
      return { type: 'gauge', dataPoints: rows.map(numberPointOf) };
    case 'sum':
      return { type: 'sum', aggregationTemporality, isMonotonic: first.IsMonotonic === true, dataPoints: rows.map(numberPointOf) };
    case 'histogram':
      return {
        type: 'histogram',
        aggregationTemporality,
        dataPoints: rows.map((r) => ({
          ...common(r),
          count: BigInt(r.Count as string),
          sum: optionalDouble(r.Sum),
          bucketCounts: bigints(r.BucketCounts),
          explicitBounds: doubles(r.ExplicitBounds),
          exemplars: exemplarsOf(r),
          min: optionalDouble(r.Min),
          max: optionalDouble(r.Max),
        })),
      };
    case 'exponentialHistogram':
      return {
        type: 'exponentialHistogram',
        aggregationTemporality,
        dataPoints: rows.map((r) => ({
          ...common(r),
          count: BigInt(r.Count as string),
          sum: optionalDouble(r.Sum),
          scale: Number(r.Scale),
          zeroCount: BigInt(r.ZeroCount as string),
          positive: { offset: Number(r.PositiveOffset), bucketCounts: bigints(r.PositiveBucketCounts) },
          negative: { offset: Number(r.NegativeOffset), bucketCounts: bigints(r.NegativeBucketCounts) },
          exemplars: exemplarsOf(r),
          min: optionalDouble(r.Min),
          max: optionalDouble(r.Max),
          zeroThreshold: doubleFromCh(r.ZeroThreshold as Json),
        })),
      };
    case 'summary':
      return {
        type: 'summary',
        dataPoints: rows.map((r) => {
          const quantiles = doubles(r.Quantiles);
          const values = doubles(r.QuantileValues);
          return {
            ...common(r),
            count: BigInt(r.Count as string),
            sum: doubleFromCh(r.Sum as Json),
            quantileValues: quantiles.map((quantile, i) => ({ quantile, value: values[i] ?? 0 })),
          };
        }),
      };
  }
}

function common(r: Row): { attributes: NumberDataPoint['attributes']; startTimeUnixNano: bigint; timeUnixNano: bigint; flags: number } {
  return {
    attributes: attributesFromMaps(attributeMapsOf(r, 'Attributes')),
    startTimeUnixNano: nsFromCh(r.StartNs),
    timeUnixNano: nsFromCh(r.TimeNs),
    flags: Number(r.Flags),
  };
}

function numberPointOf(r: Row): NumberDataPoint {
  const type = Number(r.ValueType);
  const value: NumberValue | undefined =
    type === ValueType.DOUBLE
      ? { type: 'double', value: doubleFromCh(r.ValueDouble as Json) }
      : type === ValueType.INT
        ? { type: 'int', value: BigInt(r.ValueInt as string) }
        : undefined;
  return { ...common(r), value, exemplars: exemplarsOf(r) };
}

function optionalDouble(v: unknown): number | undefined {
  return v === null || v === undefined ? undefined : doubleFromCh(v as Json);
}

function bigints(v: unknown): bigint[] {
  return (v as string[]).map((x) => BigInt(x));
}

function doubles(v: unknown): number[] {
  return (v as Json[]).map(doubleFromCh);
}

function exemplarsOf(r: Row): Exemplar[] {
  const list = JSON.parse(String(r.Exemplars)) as Json;
  if (!Array.isArray(list)) return [];
  return list.map((e) => {
    const o = e as { [k: string]: Json };
    const value: NumberValue | undefined =
      'asDouble' in o
        ? { type: 'double', value: doubleFromOtlp(o.asDouble) }
        : 'asInt' in o
          ? { type: 'int', value: BigInt(String(o.asInt)) }
          : undefined;
    return {
      filteredAttributes: keyValuesFromJson(o.filteredAttributes),
      timeUnixNano: BigInt(String(o.timeUnixNano ?? '0')),
      value,
      spanId: String(o.spanId ?? ''),
      traceId: String(o.traceId ?? ''),
    };
  });
}
