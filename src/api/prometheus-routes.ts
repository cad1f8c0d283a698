import { Hono } from 'hono';
import type { Context } from 'hono';
import { storedJson } from './handler-helpers.ts';
import type { Logger } from '../lib/log.ts';
import { NAME, labelsKey, sortedLabels } from '../query/metrics/labels.ts';
import type { Labels } from '../query/metrics/labels.ts';
import { badData, PromqlError } from '../query/promql/errors.ts';
import { parsePromql } from '../query/promql/parse.ts';
import type { Expr, LabelMatcher } from '../query/promql/plan.ts';
import { DEFAULT_LOOKBACK_MS, instantQuery, MAX_POINTS, rangeQuery } from '../query/promql/query.ts';
import type { QueryResult } from '../query/promql/query.ts';
import { createSeriesSource } from '../query/promql/series-source.ts';
import type { TelemetryReader } from '../storage/api.ts';
import {
  MAX_TIME_MS, MIN_TIME_MS, clampToStoredMs, invalidParameter, parseDurationParamMs, parseLimitParam, parseTimeMs, requestParams,
} from './prometheus-params.ts';

// The Prometheus HTTP API (docs/querying/api.md) on the API port, for Grafana,
// promtool and dashboards: /api/v1/query, query_range, series, labels,
// label/{name}/values, metadata, query_exemplars, status/buildinfo. GET and
// POST (form-encoded), Prometheus's envelopes: {"status":"success","data":..,
// "warnings":[..]} and {"status":"error","errorType":..,"error":..}. None of
// these paths is used by the JSON API (/api/v1/metrics, services, traces, logs).

export interface PrometheusRoutesOptions {
  reader: TelemetryReader;
  logger: Logger;
  nowMs?: () => number;
  /** Bounds every query; a request's `timeout` may only shorten it. Default 2 minutes (Prometheus's). */
  maxQueryMs?: number;
}

const STATUS: Record<PromqlError['errorType'], number> = { bad_data: 400, execution: 422, timeout: 503, canceled: 499, internal: 500 };

function success(c: Context, data: unknown, warnings: string[] = []): Response {
  return storedJson(c, { status: 'success', data, ...(warnings.length > 0 ? { warnings } : {}) });
}

export function createPrometheusRoutes(options: PrometheusRoutesOptions): Hono {
  const { reader } = options;
  const nowMs = options.nowMs ?? Date.now;
  const maxQueryMs = options.maxQueryMs ?? 120_000;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof PromqlError) {
      return storedJson(c, { status: 'error', errorType: error.errorType, error: error.message }, STATUS[error.errorType]);
    }
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      return c.json({ status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' }, 503);
    }
    if (c.req.raw.signal.aborted) return c.body(null, 499 as 400);
    options.logger.warn('prometheus query failed', { path: c.req.path, error });
    // Engine text never reaches a client: it names tables and may quote data.
    return c.json({ status: 'error', errorType: 'internal', error: 'storage could not answer the query; see the server log' }, 503);
  });

  const signalOf = (c: Context, params: URLSearchParams): AbortSignal => {
    const text = params.get('timeout');
    const ms = text === null || text === '' ? maxQueryMs : Math.min(maxQueryMs, parseDurationParamMs('timeout', text));
    return AbortSignal.any([c.req.raw.signal, AbortSignal.timeout(ms)]);
  };
  const lookbackOf = (params: URLSearchParams): number => {
    const text = params.get('lookback_delta');
    return text === null || text === '' ? DEFAULT_LOOKBACK_MS : parseDurationParamMs('lookback_delta', text);
  };

  const query = async (c: Context) => {
    const params = await requestParams(c.req.raw);
    const limit = parseLimitParam(params.get('limit'));
    const text = params.get('query') ?? '';
    const timeMs = parseTimeMs('time', params.get('time') ?? undefined, nowMs());
    const signal = signalOf(c, params);
    const result = await instantQuery(text, timeMs, { source: createSeriesSource(reader, { signal }), lookbackMs: lookbackOf(params), signal }).catch(
      wrapQueryError,
    );
    return success(c, ...limitedResult(result, limit));
  };
  app.get('/api/v1/query', query);
  app.post('/api/v1/query', query);

  const queryRange = async (c: Context) => {
    const params = await requestParams(c.req.raw);
    const limit = parseLimitParam(params.get('limit'));
    const startMs = parseTimeMs('start', required(params, 'start'), 0);
    const endMs = parseTimeMs('end', required(params, 'end'), 0);
    if (endMs < startMs) throw invalidParameter('end', 'end timestamp must not be before start time');
    const stepMs = parseDurationParamMs('step', required(params, 'step'));
    if (stepMs <= 0) throw invalidParameter('step', 'zero or negative query resolution step widths are not accepted. Try a positive integer');
    if ((endMs - startMs) / stepMs > MAX_POINTS) {
      throw badData('exceeded maximum resolution of 11,000 points per timeseries. Try decreasing the query resolution (?step=XX)');
    }
    const signal = signalOf(c, params);
    const result = await rangeQuery(params.get('query') ?? '', startMs, endMs, stepMs, {
      source: createSeriesSource(reader, { signal }),
      lookbackMs: lookbackOf(params),
      signal,
    }).catch(wrapQueryError);
    return success(c, ...limitedResult(result, limit));
  };
  app.get('/api/v1/query_range', queryRange);
  app.post('/api/v1/query_range', queryRange);

  /** The label sets of every series the match[] selectors select in the range. */
  const seriesOf = async (params: URLSearchParams, signal: AbortSignal, requireMatch: boolean): Promise<Labels[]> => {
    const matches = params.getAll('match[]');
    if (matches.length === 0 && requireMatch) throw badData('no match[] parameter provided');
    const startMs = clampToStoredMs(parseTimeMs('start', params.get('start') ?? undefined, MIN_TIME_MS));
    const endMs = clampToStoredMs(parseTimeMs('end', params.get('end') ?? undefined, MAX_TIME_MS));
    const source = createSeriesSource(reader, { signal });
    const selectors = matches.length === 0 ? [[{ name: NAME, op: '=~', value: '.+' }] as LabelMatcher[]] : matches.map(matchersOf);
    const out = new Map<string, Labels>();
    for (const matchers of selectors) {
      for (const s of await source.select(matchers, startMs, endMs, true)) out.set(labelsKey(s.labels), sortedLabels(s.labels));
    }
    return [...out.values()];
  };

  const series = async (c: Context) => {
    const params = await requestParams(c.req.raw);
    const list = await seriesOf(params, signalOf(c, params), true);
    return success(c, ...limited(list, parseLimitParam(params.get('limit'))));
  };
  app.get('/api/v1/series', series);
  app.post('/api/v1/series', series);

  const labels = async (c: Context) => {
    const params = await requestParams(c.req.raw);
    const names = new Set<string>();
    for (const l of await seriesOf(params, signalOf(c, params), false)) for (const k of Object.keys(l)) names.add(k);
    return success(c, ...limited([...names].sort(), parseLimitParam(params.get('limit'))));
  };
  app.get('/api/v1/labels', labels);
  app.post('/api/v1/labels', labels);

  app.get('/api/v1/label/:name/values', async (c) => {
    const params = await requestParams(c.req.raw);
    const name = c.req.param('name');
    if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw badData(`invalid label name: ${JSON.stringify(name)}`);
    const values = new Set<string>();
    for (const l of await seriesOf(params, signalOf(c, params), false)) {
      const v = l[name];
      if (v !== undefined) values.add(v);
    }
    return success(c, ...limited([...values].sort(), parseLimitParam(params.get('limit'))));
  });

  const exemplars = async (c: Context) => {
    const params = await requestParams(c.req.raw);
    const expr = parsePromql(params.get('query') ?? '');
    const startMs = parseTimeMs('start', params.get('start') ?? undefined, MIN_TIME_MS);
    const endMs = parseTimeMs('end', params.get('end') ?? undefined, MAX_TIME_MS);
    if (endMs < startMs) throw invalidParameter('end', 'end timestamp must not be before start time');
    const source = createSeriesSource(reader, { signal: signalOf(c, params) });
    const out = [];
    for (const matchers of selectorsOf(expr)) out.push(...(await source.exemplars(matchers, clampToStoredMs(startMs), clampToStoredMs(endMs))));
    return success(c, out);
  };
  app.get('/api/v1/query_exemplars', exemplars);
  app.post('/api/v1/query_exemplars', exemplars);

  app.get('/api/v1/metadata', async (c) => {
    const params = await requestParams(c.req.raw);
    const now = nowMs();
    // Metrics seen in the last day: metadata has no time range in Prometheus's API.
    const families = await createSeriesSource(reader, { signal: signalOf(c, params) }).families(now - 86_400_000, now);
    const metric = params.get('metric');
    const data: Record<string, Array<{ type: string; help: string; unit: string }>> = {};
    for (const f of families) {
      if (metric !== null && metric !== '' && f.name !== metric) continue;
      (data[f.name] ??= []).push({ type: f.type, help: f.help, unit: f.unit });
    }
    const limit = parseLimitParam(params.get('limit'));
    const entries = Object.entries(data);
    return success(c, Object.fromEntries(limit === undefined ? entries : entries.slice(0, limit)));
  });

  app.get('/api/v1/status/buildinfo', (c) =>
    success(c, { version: '2.42.0', revision: 'tracehouse', branch: 'tracehouse', buildUser: 'tracehouse', buildDate: '', goVersion: '' }),
  );

  return app;
}

/** Every selector in an expression: the series query_exemplars reports on. */
function selectorsOf(e: Expr): LabelMatcher[][] {
  switch (e.type) {
    case 'selector':
      return [e.matchers];
    case 'matrix':
      return [e.selector.matchers];
    case 'subquery':
    case 'paren':
    case 'unary':
      return selectorsOf(e.expr);
    case 'aggregate':
      return selectorsOf(e.expr);
    case 'binary':
      return [...selectorsOf(e.lhs), ...selectorsOf(e.rhs)];
    case 'call':
      return e.args.flatMap(selectorsOf);
    default:
      return [];
  }
}

function required(params: URLSearchParams, name: string): string {
  const v = params.get(name);
  if (v === null || v === '') throw invalidParameter(name, `cannot parse "" to a valid ${name === 'step' ? 'duration' : 'timestamp'}`);
  return v;
}

function matchersOf(text: string): LabelMatcher[] {
  const e = parsePromql(text);
  if (e.type !== 'selector') throw invalidParameter('match[]', `${JSON.stringify(text)} is not a series selector`);
  return e.matchers;
}

function limited<T>(list: T[], limit: number | undefined): [T[], string[]] {
  if (limit === undefined || list.length <= limit) return [list, []];
  return [list.slice(0, limit), ['results truncated due to limit']];
}

/**
 * `limit` of /api/v1/query and /api/v1/query_range, as current Prometheus (3.x
 * web/api/v1/api.go truncateResults; 2.42 has no such parameter and ignores it):
 * at most `limit` series of a vector or matrix, in result order, with the warning
 * "results truncated due to limit"; scalars and strings are left alone.
 */
function limitedResult(result: QueryResult, limit: number | undefined): [QueryResult['data'], string[]] {
  const { data, warnings } = result;
  if (limit === undefined || (data.resultType !== 'vector' && data.resultType !== 'matrix') || data.result.length <= limit) return [data, warnings];
  const truncated = { ...data, result: data.result.slice(0, limit) } as QueryResult['data'];
  return [truncated, [...warnings, 'results truncated due to limit']];
}

/** Parse errors are a bad `query` parameter, in Prometheus's words. */
function wrapQueryError(error: unknown): never {
  if (error instanceof PromqlError && error.errorType === 'bad_data' && /^\d+:\d+: parse error/.test(error.message)) {
    throw badData(`invalid parameter "query": ${error.message}`, { cause: error });
  }
  throw error;
}
