import type { Labels } from '../metrics/labels.ts';
import { NAME } from '../metrics/labels.ts';
import type { NativeHistogram } from '../metrics/native-histogram.ts';
import { STALE } from '../metrics/prometheus-series.ts';
import type { RawSeries } from '../metrics/prometheus-series.ts';
import { aggregate } from './aggregations.ts';
import { isComparison, elemBinop, scalarBinop, vectorBinop } from './binary.ts';
import { badData } from './errors.ts';
import { callFunction } from './calls.ts';
import { RANGE_FUNCTIONS } from './range-functions.ts';
import { refuseSameLabelset } from './same-labelset.ts';
import type { AggregateExpr, At, Expr, SelectorExpr, SubqueryExpr } from './plan.ts';
import type { SeriesSource } from './series-source.ts';
import type { Steps, StepSeries, Value } from './values.ts';
import { stepsOf } from './values.ts';

// The evaluator: every node over all steps at once, as Prometheus's range
// evaluation. Selectors fetch their series once for the whole query range
// (series-source.ts: matching and time range in SQL), then each step looks back
// up to lookbackMs (5 minutes by default) for the latest sample, and a
// staleness marker ends a series, as in Prometheus.

export interface EvalContext {
  source: SeriesSource;
  steps: Steps;
  lookbackMs: number;
  /** The query's own start and end, for @ start() / @ end(). */
  queryStartMs: number;
  queryEndMs: number;
  warnings: string[];
  signal?: AbortSignal;
}

/** Prometheus's default evaluation interval: a subquery without a step uses it. */
export const DEFAULT_SUBQUERY_STEP_MS = 60_000;

export async function evaluate(e: Expr, ctx: EvalContext): Promise<Value> {
  ctx.signal?.throwIfAborted();
  const n = ctx.steps.times.length;
  switch (e.type) {
    case 'number':
      return { type: 'scalar', v: new Array<number>(n).fill(e.value) };
    case 'string':
      return { type: 'string', value: e.value };
    case 'paren':
      return evaluate(e.expr, ctx);
    case 'unary': {
      const v = await evaluate(e.expr, ctx);
      if (e.op === '+') return v;
      if (v.type === 'scalar') return { type: 'scalar', v: v.v.map((x) => -x) };
      if (v.type === 'vector') {
        const series = v.series.map((s) => ({ labels: withoutName(s.labels), v: s.v.map((x) => (x === undefined ? undefined : -x)) }));
        refuseSameLabelset(series, 'whole-result');
        return { type: 'vector', series };
      }
      throw badData('unary expression only allowed on expressions of type scalar or instant vector');
    }
    case 'selector':
      return { type: 'vector', series: await instantSelector(e, ctx) };
    case 'matrix':
    case 'subquery':
      throw badData(`ranges only allowed for range functions: the expression returns a range vector, not an instant vector or scalar`);
    case 'aggregate': {
      const pushed = await pushedSum(e, ctx);
      if (pushed !== undefined) return { type: 'vector', series: pushed };
      const input = await evaluate(e.expr, ctx);
      if (input.type !== 'vector') throw badData(`expected type instant vector in aggregation expression, got ${input.type}`);
      let param: number[] | string | undefined;
      if (e.param !== undefined) {
        const p = await evaluate(e.param, ctx);
        if (e.op === 'count_values') {
          if (p.type !== 'string') throw badData('expected type string in aggregation parameter, got ' + p.type);
          if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(p.value)) throw badData(`invalid label name "${p.value}"`);
          param = p.value;
        } else {
          if (p.type !== 'scalar') throw badData('expected type scalar in aggregation parameter, got ' + p.type);
          param = p.v;
        }
      }
      return { type: 'vector', series: aggregate(e, input.series, n, param) };
    }
    case 'binary': {
      const [l, r] = [await evaluate(e.lhs, ctx), await evaluate(e.rhs, ctx)];
      if (l.type === 'string' || r.type === 'string') throw badData('binary expression must contain only scalar and instant vector types');
      if (l.type === 'scalar' && r.type === 'scalar') {
        if (isComparison(e.op) && !e.bool) throw badData('comparisons between scalars must use BOOL modifier');
        return {
          type: 'scalar',
          v: l.v.map((x, i) => {
            const [value, keep] = elemBinop(e.op, x, r.v[i]!);
            return e.bool ? (keep ? 1 : 0) : value;
          }),
        };
      }
      if ((e.op === 'and' || e.op === 'or' || e.op === 'unless') && (l.type !== 'vector' || r.type !== 'vector')) {
        throw badData(`set operator "${e.op}" not allowed in binary scalar expression`);
      }
      const series =
        l.type === 'vector' && r.type === 'vector'
          ? vectorBinop(e, l.series, r.series, n)
          : l.type === 'vector' && r.type === 'scalar'
            ? scalarBinop(e, l.series, r.v, false, n)
            : l.type === 'scalar' && r.type === 'vector'
              ? scalarBinop(e, r.series, l.v, true, n)
              : undefined;
      if (series === undefined) throw badData('binary expression must contain only scalar and instant vector types');
      refuseSameLabelset(series, 'per-step');
      return { type: 'vector', series };
    }
    case 'call': {
      const value = await callFunction(e, ctx);
      if (value.type === 'vector') refuseSameLabelset(value.series, RANGE_FUNCTIONS.has(e.func) ? 'whole-result' : 'per-step');
      return value;
    }
  }
}

/** `sum by (...) (rate|increase|delta(selector[range]))` of a range query, wholly in SQL when it can be. */
async function pushedSum(e: AggregateExpr, ctx: EvalContext): Promise<StepSeries[] | undefined> {
  let inner = e.expr;
  while (inner.type === 'paren') inner = inner.expr;
  if (e.op !== 'sum' || e.without || inner.type !== 'call' || ctx.steps.times.length < 2) return undefined;
  const { func, args } = inner;
  const arg = args[0];
  if ((func !== 'rate' && func !== 'increase' && func !== 'delta') || args.length !== 1 || arg?.type !== 'matrix' || arg.selector.at !== undefined) return undefined;
  return ctx.source.windowedSum(func, arg.selector.matchers, {
    firstEndMs: ctx.steps.startMs - arg.selector.offsetMs,
    stepMs: ctx.steps.stepMs,
    steps: ctx.steps.times.length,
    rangeMs: arg.rangeMs,
  }, e.grouping);
}

function withoutName(labels: Labels): Labels {
  const { [NAME]: _n, ...rest } = labels;
  void _n;
  return rest;
}

/** The evaluation time a selector or subquery looks at, per step: @ and offset applied. */
export function refTimes(at: At | undefined, offsetMs: number, ctx: EvalContext): number[] {
  const atMs = at === undefined ? undefined : at.type === 'time' ? at.ms : at.type === 'start' ? ctx.queryStartMs : ctx.queryEndMs;
  return ctx.steps.times.map((t) => (atMs ?? t) - offsetMs);
}

async function instantSelector(e: SelectorExpr, ctx: EvalContext): Promise<StepSeries[]> {
  const refs = refTimes(e.at, e.offsetMs, ctx);
  const raw = await ctx.source.select(e.matchers, Math.min(...refs) - ctx.lookbackMs, Math.max(...refs));
  return raw.flatMap((s) => {
    const out = lookback(s, refs, ctx.lookbackMs);
    return out === undefined ? [] : [out];
  });
}

/** The latest sample at or before each time, no older than lookbackMs, unless it is a staleness marker. */
export function lookback(s: RawSeries, refs: readonly number[], lookbackMs: number, timestamps = false): StepSeries | undefined {
  const v = new Array<number | undefined>(refs.length).fill(undefined);
  const h = s.h === undefined ? undefined : new Array<NativeHistogram | undefined>(refs.length).fill(undefined);
  let any = false;
  for (let i = 0; i < refs.length; i++) {
    const ref = refs[i]!;
    const j = lastAtOrBefore(s.t, ref);
    if (j < 0 || s.t[j]! < ref - lookbackMs || (s.flags[j]! & STALE) !== 0) continue;
    if (timestamps) v[i] = s.t[j]! / 1000;
    else if (s.h?.[j] !== undefined) h![i] = s.h[j];
    else v[i] = s.v[j];
    any = true;
  }
  if (!any) return undefined;
  return h === undefined || timestamps ? { labels: s.labels, v } : { labels: s.labels, v, h };
}

export function lastAtOrBefore(t: readonly number[], ref: number): number {
  let lo = 0;
  let hi = t.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t[mid]! <= ref) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** A subquery's inner results as raw series, and the window ends per outer step (Prometheus 2.42's alignment). */
export async function subquerySamples(e: SubqueryExpr, ctx: EvalContext): Promise<{ series: RawSeries[]; refs: number[] }> {
  const refs = refTimes(e.at, e.offsetMs, ctx);
  const stepMs = e.stepMs ?? DEFAULT_SUBQUERY_STEP_MS;
  if (stepMs <= 0) throw badData('zero or negative subquery step');
  const from = Math.min(...refs) - e.rangeMs;
  let start = stepMs * Math.trunc(from / stepMs);
  if (start < from) start += stepMs;
  const inner: EvalContext = { ...ctx, steps: stepsOf(start, Math.max(...refs), stepMs) };
  const value = await evaluate(e.expr, inner);
  if (value.type !== 'vector' && value.type !== 'scalar') throw badData('subquery is only allowed on instant vector or scalar');
  const stepSeries = value.type === 'scalar' ? [{ labels: {}, v: value.v as Array<number | undefined> }] : value.series;
  const series = stepSeries.map((s): RawSeries => {
    const raw: RawSeries = { labels: s.labels, t: [], v: [], h: s.h === undefined ? undefined : [], flags: [] };
    inner.steps.times.forEach((t, i) => {
      if (s.v[i] === undefined && s.h?.[i] === undefined) return;
      raw.t.push(t);
      raw.v.push(s.v[i] ?? Number.NaN);
      raw.h?.push(s.h?.[i]);
      raw.flags.push(0);
    });
    return raw;
  });
  return { series, refs };
}
