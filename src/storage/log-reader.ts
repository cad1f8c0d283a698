import type { ClickHouseClient } from '@clickhouse/client';
import type { AnyValue, LogRecord } from '../pdata/model.ts';
import type { LogQuery, ReadOptions, StoredLog } from './api.ts';
import { attributeMapsOf, attributesFromMaps } from './attribute-columns.ts';
import { attributeFilterSql } from './attribute-filter.ts';
import { nsFromCh } from './ch-values.ts';
import { anyValueFromJson } from './otlp-json.ts';
import type { Json } from './otlp-json.ts';
import { selectNewestDistinct } from './newest-distinct.ts';
import { resourceOf, scopeOf, withResourceScopes } from './resource-scope.ts';
import { containsPattern, QueryParams } from './sql.ts';

// Log reads over `logs` (002_logs.sql).

type Row = Record<string, unknown>;

export interface LogReader {
  searchLogs(query: LogQuery, options?: ReadOptions): Promise<StoredLog[]>;
}

export function createLogReader(client: ClickHouseClient): LogReader {
  return {
    async searchLogs(query, options) {
      const rows = await selectNewestDistinct(
        client,
        {
          inner: (fetchLimit, p) => `SELECT ${LOG_SELECT}, Timestamp, ObservedTimestamp
           FROM logs WHERE ${logConditions(query, p).join(' AND ')}
           ORDER BY Timestamp DESC LIMIT ${fetchLimit}`,
          identity: LOG_IDENTITY,
          limit: query.limit,
        },
        () => new QueryParams(),
        options,
      );
      return storedLogsOf(client, rows, options);
    },
  };
}

/**
 * What makes two stored log rows the same record: every column. A log record has
 * no id in OTLP, and delivery is at-least-once (a sender retries a request whose
 * answer it lost, or one refused after its rows landed), so a record can be
 * stored twice. Two rows equal in every field, the observed time in nanoseconds
 * and the resource included, carry nothing that tells them apart and are read
 * as one; records that differ in anything (a second identical line logged a
 * nanosecond later) stay two. Counting surfaces use the same list
 * (uniqExact(LOG_IDENTITY)).
 */
export const LOG_IDENTITY = `Timestamp, ObservedTimestamp, TimeUnset, ServiceName, ResourceScopeId, TraceId, SpanId, Flags,
  SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount`;

/** The columns storedLogsOf reads. */
export const LOG_SELECT = `toUnixTimestamp64Nano(Timestamp) AS TimeNs, TimeUnset, toUnixTimestamp64Nano(ObservedTimestamp) AS ObservedNs,
  TraceId, SpanId, Flags, SeverityText, SeverityNumber, Body, BodyIsJson, EventName,
  AttributesString, AttributesInt, AttributesDouble, AttributesBool, AttributesJson, DroppedAttributesCount,
  ServiceName, ResourceScopeId`;

/** The WHERE conditions of a log query (also used by the log histogram, log-histogram-sql.ts). */
export function logConditions(query: Omit<LogQuery, 'limit'>, p: QueryParams): string[] {
  const where = [`Timestamp >= ${p.bindNs(query.startNs)}`, `Timestamp < ${p.bindNs(query.endNs)}`];
  if (query.traceId !== undefined) where.push(`TraceId = ${p.bind('String', query.traceId)}`);
  if (query.spanId !== undefined) where.push(`SpanId = ${p.bind('String', query.spanId)}`);
  if (query.service !== undefined) where.push(`ServiceName = ${p.bind('String', query.service)}`);
  if (query.minSeverity !== undefined) where.push(`SeverityNumber >= ${p.bind('Int32', query.minSeverity)}`);
  if (query.text !== undefined && query.text !== '') {
    // Same expression as the ngram index (idx_body), so the index applies.
    where.push(`lowerUTF8(Body) LIKE lowerUTF8(${p.bind('String', containsPattern(query.text))})`);
  }
  for (const f of query.attributes) where.push(attributeFilterSql(f, p));
  return where;
}

/** Rows selected with LOG_SELECT -> stored logs with their resource and scope. */
export async function storedLogsOf(client: ClickHouseClient, rows: Row[], options: ReadOptions | undefined): Promise<StoredLog[]> {
  return (await withResourceScopes(client, rows, options)).map(
    (r): StoredLog => ({ record: recordOf(r), resource: resourceOf(r).resource, scope: scopeOf(r).scope, serviceName: String(r.ServiceName) }),
  );
}

function recordOf(r: Row): LogRecord {
  const body: AnyValue = r.BodyIsJson ? anyValueFromJson(JSON.parse(String(r.Body)) as Json) : { type: 'string', value: String(r.Body) };
  return {
    timeUnixNano: r.TimeUnset ? 0n : nsFromCh(r.TimeNs),
    observedTimeUnixNano: nsFromCh(r.ObservedNs),
    severityNumber: Number(r.SeverityNumber),
    severityText: String(r.SeverityText),
    body,
    attributes: attributesFromMaps(attributeMapsOf(r, 'Attributes')),
    droppedAttributesCount: Number(r.DroppedAttributesCount),
    flags: Number(r.Flags),
    traceId: String(r.TraceId),
    spanId: String(r.SpanId),
    eventName: String(r.EventName),
  };
}
