import type { AttributeFilter, StatusFilter, TimeRange, TraceQuery } from '../storage/api.ts';
import { ParameterError } from './errors.ts';
import { parseDuration, parseTime, parseTraceId } from './params.ts';

// Query parameters of Jaeger's query APIs (v1.76.0: cmd/query/app/query_parser.go
// for v1, cmd/query/app/apiv3/http_gateway.go for api_v3), checked here so the
// handlers get typed values and an error names the parameter at fault.

type Query = (name: string) => string | undefined;
type Queries = (name: string) => string[];

const usNs = 1_000n;
const msNs = 1_000_000n;
/** Jaeger's defaults: searches look back 2 days, dependencies 24 h, 100 traces. */
const searchLookbackNs = 2n * 86_400_000_000_000n;
const dependencyLookbackMs = 86_400_000n;
const defaultLimit = 100;
/** The largest limit the Jaeger UI offers. */
export const maxJaegerLimit = 1500;

function integer(name: string, text: string): bigint {
  if (!/^-?\d{1,19}$/.test(text)) throw new ParameterError(name, 'expected an integer');
  return BigInt(text);
}

function limitOf(name: string, text: string | undefined): number {
  if (text === undefined || text === '') return defaultLimit;
  const n = Number(integer(name, text));
  if (n < 1 || n > maxJaegerLimit) throw new ParameterError(name, `expected an integer from 1 to ${maxJaegerLimit}`);
  return n;
}

/**
 * Tags as Jaeger matches them, each on the span's own attributes or its
 * resource's. Jaeger stores a span's status as the `error` and `otel.status_code`
 * tags, so those select by status here.
 */
function conditionsOf(tags: Map<string, string>): { attributes: AttributeFilter[]; status?: StatusFilter } {
  const attributes: AttributeFilter[] = [];
  let status: StatusFilter | undefined;
  for (const [key, value] of tags) {
    if (key === 'error' && value === 'true') status = 'error';
    else if (key === 'otel.status_code' && (value === 'ERROR' || value === 'OK')) status = value === 'ERROR' ? 'error' : 'ok';
    else attributes.push({ key, op: '=', value });
  }
  return status === undefined ? { attributes } : { attributes, status };
}

function tagsOf(query: Queries): Map<string, string> {
  const tags = new Map<string, string>();
  for (const tag of query('tag')) {
    const at = tag.indexOf(':');
    if (at <= 0) throw new ParameterError('tag', `malformed 'tag' parameter, expecting key:value, received: ${tag}`);
    tags.set(tag.slice(0, at), tag.slice(at + 1));
  }
  for (const text of query('tags')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new ParameterError('tags', "malformed 'tags' parameter: expected a JSON object of strings");
    }
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new ParameterError('tags', "malformed 'tags' parameter: expected a JSON object of strings");
    for (const [key, value] of Object.entries(parsed)) {
      if (typeof value !== 'string') throw new ParameterError('tags', `malformed 'tags' parameter: the value of ${JSON.stringify(key)} is not a string`);
      tags.set(key, value);
    }
  }
  return tags;
}

function durations(minText: string | undefined, maxText: string | undefined, minName: string, maxName: string): Pick<TraceQuery, 'minDurationNs' | 'maxDurationNs'> {
  const min = minText ? parseDuration(minName, minText) : undefined;
  const max = maxText ? parseDuration(maxName, maxText) : undefined;
  if (min !== undefined && max !== undefined && max < min) throw new ParameterError(maxName, `'${maxName}' should be greater than '${minName}'`);
  return { ...(min === undefined ? {} : { minDurationNs: min }), ...(max === undefined ? {} : { maxDurationNs: max }) };
}

export interface V1Search {
  /** Trace ids asked for by `traceID`: then every other parameter is ignored, as in Jaeger. */
  traceIds: string[];
  query: TraceQuery;
}

/**
 * GET /api/traces: `start`/`end` in Unix microseconds (default: the last 2 days,
 * or `lookback` before `end` when the client sends the Jaeger UI's lookback such
 * as `1h`), `service` (required), `operation`, `tags` (JSON) and `tag` (key:value),
 * `minDuration`/`maxDuration` (Go durations), `limit`.
 */
export function parseV1Search(query: Query, queries: Queries, nowNs: bigint): V1Search {
  const traceIds = queries('traceID').map((id) => parseTraceId('traceID', id));
  const endText = query('end');
  const startText = query('start');
  const endNs = endText ? integer('end', endText) * usNs : nowNs;
  const lookback = query('lookback');
  const lookbackNs = lookback && lookback !== 'custom' ? parseDuration('lookback', lookback) : searchLookbackNs;
  const startNs = startText ? integer('start', startText) * usNs : endNs - lookbackNs;
  if (startNs > endNs) throw new ParameterError('start', 'must not be after end');
  const service = query('service') ?? '';
  if (service === '' && traceIds.length === 0) throw new ParameterError('service', "parameter 'service' is required");
  const operation = query('operation') ?? '';
  return {
    traceIds,
    query: {
      startNs,
      endNs,
      ...(service === '' ? {} : { service }),
      ...(operation === '' ? {} : { spanName: operation }),
      ...durations(query('minDuration'), query('maxDuration'), 'minDuration', 'maxDuration'),
      ...conditionsOf(tagsOf(queries)),
      limit: limitOf('limit', query('limit')),
    },
  };
}

/** GET /api/dependencies: `endTs` in Unix ms (default now), `lookback` in ms (default 24 h). */
export function parseDependencies(query: Query, nowNs: bigint): TimeRange {
  const endText = query('endTs');
  const endNs = endText ? integer('endTs', endText) * msNs : nowNs;
  const lookbackText = query('lookback');
  const lookbackMs = lookbackText ? integer('lookback', lookbackText) : dependencyLookbackMs;
  if (lookbackMs < 0n) throw new ParameterError('lookback', 'must not be negative');
  return { startNs: endNs - lookbackMs * msNs, endNs };
}

function rfc3339(name: string, text: string | undefined): bigint {
  if (text === undefined || text === '') throw new ParameterError(name, `${name} is required (an RFC 3339 time)`);
  if (/^\d+$/.test(text)) throw new ParameterError(name, 'expected an RFC 3339 time (2026-05-19T10:00:00Z)');
  return parseTime(name, text);
}

/**
 * GET /api/v3/traces: `query.start_time_min`/`query.start_time_max` (RFC 3339,
 * required), `query.service_name`, `query.operation_name`, `query.num_traces`,
 * `query.duration_min`/`query.duration_max` (Go durations).
 */
export function parseV3Search(query: Query): TraceQuery {
  const startNs = rfc3339('query.start_time_min', query('query.start_time_min'));
  const endNs = rfc3339('query.start_time_max', query('query.start_time_max'));
  if (startNs > endNs) throw new ParameterError('query.start_time_min', 'must not be after query.start_time_max');
  const service = query('query.service_name') ?? '';
  const operation = query('query.operation_name') ?? '';
  return {
    startNs,
    endNs,
    ...(service === '' ? {} : { service }),
    ...(operation === '' ? {} : { spanName: operation }),
    ...durations(query('query.duration_min'), query('query.duration_max'), 'query.duration_min', 'query.duration_max'),
    attributes: [],
    limit: limitOf('query.num_traces', query('query.num_traces')),
  };
}
