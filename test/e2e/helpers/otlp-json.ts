import { randomBytes } from 'node:crypto';

// Reading what the query API returns (OTLP JSON) in assertions: spans and data
// points flattened with their resource, attributes as plain values.

interface KeyValueJson {
  key: string;
  value: Record<string, unknown>;
}

/** OTLP JSON AnyValue -> plain value; int64 (a decimal string in JSON) -> number, fine for test values. */
export function plainValue(value: Record<string, unknown> | undefined): unknown {
  if (value === undefined) return undefined;
  if ('stringValue' in value) return value['stringValue'];
  if ('intValue' in value) return Number(value['intValue']);
  if ('doubleValue' in value) return Number(value['doubleValue']);
  if ('boolValue' in value) return value['boolValue'];
  if ('arrayValue' in value) {
    const values = (value['arrayValue'] as { values?: Record<string, unknown>[] }).values ?? [];
    return values.map(plainValue);
  }
  return value;
}

export function plainAttributes(attributes: readonly KeyValueJson[] | undefined): Record<string, unknown> {
  return Object.fromEntries((attributes ?? []).map(({ key, value }) => [key, plainValue(value)]));
}

export interface FlatSpan {
  traceId: string;
  spanId: string;
  parentSpanId: string;
  name: string;
  kind: number;
  attributes: Record<string, unknown>;
  status: { code: number; message: string };
  events: { name: string; attributes: Record<string, unknown> }[];
  resource: Record<string, unknown>;
  scope: string;
}

/** Every span of a GET /api/v1/traces/{id} answer. */
export function spansOf(body: any): FlatSpan[] {
  return (body?.resourceSpans ?? []).flatMap((rs: any) =>
    (rs.scopeSpans ?? []).flatMap((ss: any) =>
      (ss.spans ?? []).map(
        (s: any): FlatSpan => ({
          traceId: s.traceId,
          spanId: s.spanId,
          parentSpanId: s.parentSpanId ?? '',
          name: s.name,
          kind: s.kind ?? 0,
          attributes: plainAttributes(s.attributes),
          status: { code: s.status?.code ?? 0, message: s.status?.message ?? '' },
          events: (s.events ?? []).map((e: any) => ({ name: e.name, attributes: plainAttributes(e.attributes) })),
          resource: plainAttributes(rs.resource?.attributes),
          scope: ss.scope?.name ?? '',
        }),
      ),
    ),
  );
}

export interface FlatPoint {
  metric: string;
  /** 'sum', 'gauge', 'histogram'... */
  kind: string;
  unit: string;
  isMonotonic: boolean | undefined;
  attributes: Record<string, unknown>;
  timeUnixNano: bigint;
  /** asInt / asDouble for sums and gauges; count and sum for histograms. */
  value: number | undefined;
  count: number | undefined;
  sum: number | undefined;
  resource: Record<string, unknown>;
}

/** Every data point of a GET /api/v1/metrics/{name}/points answer. */
export function pointsOf(body: any): FlatPoint[] {
  return (body?.resourceMetrics ?? []).flatMap((rm: any) =>
    (rm.scopeMetrics ?? []).flatMap((sm: any) =>
      (sm.metrics ?? []).flatMap((m: any) => {
        const kind = ['sum', 'gauge', 'histogram', 'exponentialHistogram', 'summary'].find((k) => k in m) ?? '';
        return (m[kind]?.dataPoints ?? []).map(
          (p: any): FlatPoint => ({
            metric: m.name,
            kind,
            unit: m.unit ?? '',
            isMonotonic: m[kind]?.isMonotonic,
            attributes: plainAttributes(p.attributes),
            timeUnixNano: BigInt(p.timeUnixNano),
            value: p.asInt !== undefined ? Number(p.asInt) : p.asDouble !== undefined ? Number(p.asDouble) : undefined,
            count: p.count !== undefined ? Number(p.count) : undefined,
            sum: p.sum !== undefined ? Number(p.sum) : undefined,
            resource: plainAttributes(rm.resource?.attributes),
          }),
        );
      }),
    ),
  );
}

/**
 * The newest point of each attribute set: cumulative points carry the totals so
 * far, and the API returns every export of them.
 */
export function latestPoints(points: FlatPoint[], keys: string[]): Map<string, FlatPoint> {
  const latest = new Map<string, FlatPoint>();
  for (const point of points) {
    const id = keys.map((k) => String(point.attributes[k])).join('|');
    const seen = latest.get(id);
    if (seen === undefined || seen.timeUnixNano < point.timeUnixNano) latest.set(id, point);
  }
  return latest;
}

/** A W3C traceparent as an upstream service would send it. */
export function newTraceparent(): { header: string; traceId: string; parentSpanId: string } {
  const traceId = randomBytes(16).toString('hex');
  const parentSpanId = randomBytes(8).toString('hex');
  return { header: `00-${traceId}-${parentSpanId}-01`, traceId, parentSpanId };
}
