import { Hono } from 'hono';
import type { Context } from 'hono';
import type { Logger } from '../lib/log.ts';
import type { LabelMatcher, MetricExpr } from '../query/logql/ast.ts';
import { evaluate, stepsOf } from '../query/logql/evaluate.ts';
import type { Steps } from '../query/logql/evaluate.ts';
import { LogqlError } from '../query/logql/logql-error.ts';
import { parseLogql } from '../query/logql/parse.ts';
import type { TelemetryReader } from '../storage/api.ts';
import { storedJson } from './handler-helpers.ts';
import { metricData, statsOf, streamsOf } from './loki-format.ts';
import { parseDirection, parseLokiLimit, parseLokiRange, parseLokiTime, parseStep } from './loki-params.ts';
import { requestParams } from './prometheus-params.ts';

// The Loki HTTP API (Loki docs, "Loki HTTP API"), what Grafana's Loki data source
// and logcli call: query, query_range, labels, label values, series, index/stats
// and buildinfo, GET or POST (form-encoded), Loki's envelopes
// ({"status":"success","data":...}). LogQL runs in ClickHouse (query/logql/,
// storage/logql-*-sql.ts). Errors are Loki's: a 400 whose plain-text body says
// what is wrong (a parse error, a bad regex, the unsupported construct, the
// parameter); storage failures keep their text in the server log.

export interface LokiRoutesOptions {
  reader: TelemetryReader;
  logger: Logger;
  nowNs: () => bigint;
}

const SIX_HOURS_NS = 6n * 3_600_000_000_000n;
/** The Loki release whose API and LogQL this follows (Grafana reads it to pick features). */
const LOKI_VERSION = '3.0.0';

export function createLokiRoutes(options: LokiRoutesOptions): Hono {
  const { reader, nowNs } = options;
  const app = new Hono();

  app.onError((error, c) => {
    if (error instanceof LogqlError) return c.text(error.message, 400);
    if (c.req.raw.signal.aborted) return c.body(null, 499 as 400);
    options.logger.warn('loki query failed', { path: c.req.path, error });
    const { code, type } = error as { code?: unknown; type?: unknown };
    if (type === 'TIMEOUT_EXCEEDED' || code === '159' || code === 159) {
      return c.text('the query ran past the query timeout (--query-timeout): narrow the time range or the filters', 504);
    }
    return c.text('storage could not answer the query; see the server log', 503);
  });

  const both = (path: string, handler: (c: Context) => Promise<Response>) => {
    app.get(path, handler);
    app.post(path, handler);
  };
  const categorized = (c: Context) => (c.req.header('X-Loki-Response-Encoding-Flags') ?? '').split(',').map((s) => s.trim()).includes('categorize-labels');
  const success = (c: Context, data: unknown) => storedJson(c, { status: 'success', data });

  const metric = async (c: Context, expr: MetricExpr, steps: Steps, instant: boolean, startedMs: number) => {
    const signal = c.req.raw.signal;
    const result = await evaluate(expr, steps, (input) => reader.logqlSampleBuckets(input, { signal }));
    const data = metricData(result, steps, instant);
    return success(c, { ...data, stats: statsOf((Date.now() - startedMs) / 1000, 0, 0) });
  };

  both('/loki/api/v1/query_range', async (c) => {
    const startedMs = Date.now();
    const params = await requestParams(c.req.raw);
    const query = parseLogql(params.get('query') ?? '');
    const range = parseLokiRange(params, nowNs());
    const limit = parseLokiLimit(params.get('limit'));
    const direction = parseDirection(params.get('direction'));
    if (query.kind === 'logs') {
      const lines = await reader.logqlLines({ selector: query.selector, startNs: range.startNs, endNs: range.endNs, direction, limit }, { signal: c.req.raw.signal });
      const categorize = categorized(c);
      const bytes = lines.reduce((n, l) => n + Buffer.byteLength(l.line), 0);
      return success(c, {
        resultType: 'streams',
        result: streamsOf(lines, categorize),
        stats: statsOf((Date.now() - startedMs) / 1000, lines.length, bytes),
        ...(categorize ? { encodingFlags: ['categorize-labels'] } : {}),
      });
    }
    const step = parseStep(params.get('step'), range);
    return metric(c, query.expr, stepsOf(range.startNs, range.endNs, step), false, startedMs);
  });

  both('/loki/api/v1/query', async (c) => {
    const startedMs = Date.now();
    const params = await requestParams(c.req.raw);
    const query = parseLogql(params.get('query') ?? '');
    const timeNs = parseLokiTime('time', params.get('time'), nowNs());
    parseLokiLimit(params.get('limit'));
    parseDirection(params.get('direction'));
    if (query.kind === 'logs') {
      throw new LogqlError('log queries are not supported as an instant query type, please change your query to a range query type');
    }
    return metric(c, query.expr, stepsOf(timeNs, timeNs, 1n), true, startedMs);
  });

  /** `query` of the label endpoints: a stream selector (a pipeline is refused). */
  const selectorOf = (text: string | null, name = 'query'): LabelMatcher[][] => {
    if (text === null || text === '') return [];
    const q = parseLogql(text);
    if (q.kind !== 'logs' || q.selector.stages.length > 0) throw new LogqlError(`invalid ${name}: ${JSON.stringify(text)} must be a stream selector such as {service_name="api"}`);
    return [q.selector.matchers];
  };

  const labels = async (c: Context) => {
    const params = await requestParams(c.req.raw);
    const range = parseLokiRange(params, nowNs(), SIX_HOURS_NS);
    const names = await reader.lokiLabelNames({ ...range, selectors: selectorOf(params.get('query')) }, { signal: c.req.raw.signal });
    return success(c, names);
  };
  both('/loki/api/v1/labels', labels);
  both('/loki/api/v1/label', labels);

  both('/loki/api/v1/label/:name/values', async (c) => {
    const params = await requestParams(c.req.raw);
    const range = parseLokiRange(params, nowNs(), SIX_HOURS_NS);
    const values = await reader.lokiLabelValues(c.req.param('name') ?? '', { ...range, selectors: selectorOf(params.get('query')) }, { signal: c.req.raw.signal });
    return success(c, values);
  });

  both('/loki/api/v1/series', async (c) => {
    const params = await requestParams(c.req.raw);
    const range = parseLokiRange(params, nowNs(), SIX_HOURS_NS);
    const texts = [...params.getAll('match[]'), ...params.getAll('match')];
    if (texts.length === 0) throw new LogqlError('invalid match[]: at least one match[] selector is required, such as match[]={service_name="api"}');
    const selectors = texts.flatMap((t) => selectorOf(t, 'match[]'));
    return success(c, await reader.lokiSeries({ ...range, selectors }, { signal: c.req.raw.signal }));
  });

  // Not enveloped, as Loki's: {"streams":..,"chunks":..,"entries":..,"bytes":..}.
  both('/loki/api/v1/index/stats', async (c) => {
    const params = await requestParams(c.req.raw);
    const range = parseLokiRange(params, nowNs());
    const text = params.get('query');
    if (text === null || text === '') throw new LogqlError('invalid query: a stream selector is required, such as {service_name="api"}');
    const q = parseLogql(text);
    const matchers = q.kind === 'logs' ? q.selector.matchers : undefined;
    if (matchers === undefined) throw new LogqlError('invalid query: index/stats takes a log query');
    return c.json(await reader.lokiIndexStats({ ...range, selectors: [matchers] }, { signal: c.req.raw.signal }));
  });

  app.get('/loki/api/v1/status/buildinfo', (c) =>
    c.json({ version: LOKI_VERSION, revision: 'tracehouse', branch: 'tracehouse', buildUser: '', buildDate: '', goVersion: '' }),
  );

  return app;
}
