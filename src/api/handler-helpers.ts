import type { Context } from 'hono';
import { jsonText } from '../lib/json-text.ts';
import type { AttributeFilter, StoredLog, TelemetryReader } from '../storage/api.ts';
import { parseAttributeFilter } from './params.ts';
import { anyValueToPlain, attributesToPlain } from './plain-json.ts';
import type { LogRecordJson } from './types.ts';

// Small pieces every route file of the query API shares.

/** What the route files of the UI's views take (createServiceRoutes ...). */
export interface ViewRoutesOptions {
  reader: TelemetryReader;
  /** Unix nanoseconds now: the default end of a time range. */
  nowNs: () => bigint;
}

/** Stored telemetry as JSON: like c.json, but a stored -0.0 stays `-0` (lib/json-text.ts). */
export function storedJson(c: Context, value: unknown, status = 200): Response {
  return c.body(jsonText(value), status as 200, { 'Content-Type': 'application/json' });
}

/** A parameter that may be absent or empty (then undefined), else parsed. */
export function optionalParam<T>(c: Context, name: string, parse: (text: string) => T): T | undefined {
  const text = c.req.query(name);
  return text === undefined || text === '' ? undefined : parse(text);
}

export function attributeFilters(c: Context): AttributeFilter[] {
  return (c.req.queries('attr') ?? []).map(parseAttributeFilter);
}

/** `{ key: value }` when defined, `{}` otherwise (exactOptionalPropertyTypes). */
export function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]: V });
}

export function logToJson({ record, resource, scope, serviceName }: StoredLog): LogRecordJson {
  return {
    timeUnixNano: record.timeUnixNano.toString(),
    observedTimeUnixNano: record.observedTimeUnixNano.toString(),
    severityNumber: record.severityNumber,
    severityText: record.severityText,
    body: anyValueToPlain(record.body),
    attributes: attributesToPlain(record.attributes),
    resource: attributesToPlain(resource.attributes),
    scope: { name: scope.name, version: scope.version },
    traceId: record.traceId,
    spanId: record.spanId,
    flags: record.flags,
    eventName: record.eventName,
    serviceName,
  };
}
