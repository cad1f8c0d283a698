import { Hono } from 'hono';
import type { Context } from 'hono';
import { breakdown } from '../query/analysis/breakdown.ts';
import { compare } from '../query/analysis/compare.ts';
import type { AnalysisInput } from '../query/analysis/sampling.ts';
import type { CompareSelection } from '../storage/analysis-api.ts';
import type { AttributeFilter } from '../storage/api.ts';
import { ParameterError } from './errors.ts';
import type { ViewRoutesOptions } from './handler-helpers.ts';
import { attributeFilters, defined, optionalParam } from './handler-helpers.ts';
import { parseAttributeFilter, parseDuration, parseTimeRange } from './params.ts';

// Root cause (issue 11):
// GET /api/v1/analysis/breakdown?service=&spanName=&start=&end=&attr=&minDuration=&traceAttr=
//   where the anchor spans' time goes (query/analysis/breakdown.ts);
// GET /api/v1/analysis/compare?...&selection=slow|errors|filter&selectionAttr=&selectionMinDuration=
//   what the selected traces have in common (query/analysis/compare.ts).
// The anchor is the service's root span, or the spans named spanName; attr and
// minDuration narrow it, as in the trace search; traceAttr keeps the traces where
// one span meets those conditions together (a search's results, from their roots).

/**
 * Past this many matching traces a deterministic sample is analyzed. The
 * statements' cost grows with the traces they read (at 1M spans, load average 9-10
 * from other work: compare ~3.5 s at 10,000 traces, ~2 s at 5,000); 5,000 traces
 * put 250 in the slowest 5%, where a value on 10% of them and 1% of the rest has
 * z ~ 10, far past the significance level.
 */
export const BREAKDOWN_MAX_TRACES = 5_000;
export const COMPARE_MAX_TRACES = 5_000;

/** `attr`-style filters under another parameter name, errors naming it. */
function namedFilters(c: Context, name: string): AttributeFilter[] {
  return (c.req.queries(name) ?? []).map((t) => {
    try {
      return parseAttributeFilter(t);
    } catch (error) {
      if (error instanceof ParameterError) throw new ParameterError(name, error.message);
      throw error;
    }
  });
}

export function createAnalysisRoutes(options: ViewRoutesOptions): Hono {
  const app = new Hono();

  const input = (c: Context, maxTraces: number): AnalysisInput => {
    const service = c.req.query('service');
    if (service === undefined || service === '') throw new ParameterError('service', 'required: the service.name whose requests to analyze');
    return {
      ...parseTimeRange((n) => c.req.query(n), options.nowNs()),
      service,
      ...defined('spanName', optionalParam(c, 'spanName', String)),
      ...defined('minDurationNs', optionalParam(c, 'minDuration', (t) => parseDuration('minDuration', t))),
      attributes: attributeFilters(c),
      traceAttributes: namedFilters(c, 'traceAttr'),
      maxTraces,
    };
  };

  app.get('/api/v1/analysis/breakdown', async (c) => {
    return c.json(await breakdown(options.reader, input(c, BREAKDOWN_MAX_TRACES), { signal: c.req.raw.signal }));
  });

  app.get('/api/v1/analysis/compare', async (c) => {
    const scope = input(c, COMPARE_MAX_TRACES);
    const name = c.req.query('selection') ?? 'slow';
    let selection: CompareSelection;
    const selectionAttrs = namedFilters(c, 'selectionAttr');
    const selectionMin = optionalParam(c, 'selectionMinDuration', (t) => parseDuration('selectionMinDuration', t));
    if (name === 'slow') selection = { type: 'slow', quantile: 0.95 };
    else if (name === 'errors') selection = { type: 'errors' };
    else if (name === 'filter') {
      if (selectionAttrs.length === 0 && selectionMin === undefined) {
        throw new ParameterError('selection', 'filter needs selectionAttr or selectionMinDuration');
      }
      selection = { type: 'filter', attributes: selectionAttrs, ...defined('minDurationNs', selectionMin) };
    } else throw new ParameterError('selection', 'expected slow, errors or filter');
    return c.json(await compare(options.reader, scope, selection, { signal: c.req.raw.signal }));
  });
  return app;
}
