import type { Labels } from '../metrics/labels.ts';
import { sortedLabels } from '../metrics/labels.ts';
import { formatFloat } from '../metrics/prometheus-naming.ts';
import type { EvalContext } from './engine.ts';
import { evaluate, subquerySamples } from './engine.ts';
import { badData } from './errors.ts';
import { parsePromql } from './parse.ts';
import type { Expr } from './plan.ts';
import type { SeriesSource } from './series-source.ts';
import type { StepSeries } from './values.ts';
import { stepsOf } from './values.ts';

// Instant and range queries, answered in the Prometheus HTTP API's `data`
// shapes (docs/querying/api.md: vector, matrix, scalar, string; sample values
// as strings, timestamps as float seconds).

export const DEFAULT_LOOKBACK_MS = 5 * 60_000;

export type PromSample = [number, string];
export type PromHistogramSample = [number, { count: string; sum: string; buckets: Array<[number, string, string, string]> }];

export type QueryData =
  | { resultType: 'vector'; result: Array<{ metric: Labels; value?: PromSample; histogram?: PromHistogramSample }> }
  | { resultType: 'matrix'; result: Array<{ metric: Labels; values?: PromSample[]; histograms?: PromHistogramSample[] }> }
  | { resultType: 'scalar'; result: PromSample }
  | { resultType: 'string'; result: PromSample };

export interface QueryOptions {
  source: SeriesSource;
  lookbackMs?: number;
  signal?: AbortSignal;
}

export interface QueryResult {
  data: QueryData;
  warnings: string[];
}

const seconds = (ms: number) => ms / 1000;

function context(options: QueryOptions, startMs: number, endMs: number, stepMs: number): EvalContext {
  return {
    source: options.source,
    steps: stepsOf(startMs, endMs, stepMs),
    lookbackMs: options.lookbackMs ?? DEFAULT_LOOKBACK_MS,
    queryStartMs: startMs,
    queryEndMs: endMs,
    warnings: [],
    ...(options.signal === undefined ? {} : { signal: options.signal }),
  };
}

function sample(t: number, v: number): PromSample {
  return [seconds(t), formatFloat(v)];
}

export async function instantQuery(text: string, timeMs: number, options: QueryOptions): Promise<QueryResult> {
  const expr = parsePromql(text);
  const ctx = context(options, timeMs, timeMs, 1);
  const top = unwrap(expr);
  if (top.type === 'matrix' || top.type === 'subquery') return { data: await rangeVector(top, ctx, timeMs), warnings: ctx.warnings };
  const value = await evaluate(expr, ctx);
  switch (value.type) {
    case 'scalar':
      return { data: { resultType: 'scalar', result: sample(timeMs, value.v[0]!) }, warnings: ctx.warnings };
    case 'string':
      return { data: { resultType: 'string', result: [seconds(timeMs), value.value] }, warnings: ctx.warnings };
    case 'vector':
      return {
        data: {
          resultType: 'vector',
          result: value.series.flatMap((s): Array<{ metric: Labels; value?: PromSample; histogram?: PromHistogramSample }> => {
            const h = s.h?.[0];
            if (h !== undefined) return [{ metric: sortedLabels(s.labels), histogram: [seconds(timeMs), h.toJson()] as PromHistogramSample }];
            const v = s.v[0];
            return v === undefined ? [] : [{ metric: sortedLabels(s.labels), value: sample(timeMs, v) }];
          }),
        },
        warnings: ctx.warnings,
      };
  }
}

function unwrap(e: Expr): Expr {
  return e.type === 'paren' ? unwrap(e.expr) : e;
}

/** An instant query of a range selector or subquery: the raw samples in the range (a matrix). */
async function rangeVector(e: Expr & { type: 'matrix' | 'subquery' }, ctx: EvalContext, timeMs: number): Promise<QueryData> {
  let series;
  if (e.type === 'matrix') {
    const { at, offsetMs } = e.selector;
    const end = (at === undefined ? timeMs : at.type === 'time' ? at.ms : timeMs) - offsetMs;
    series = (await ctx.source.select(e.selector.matchers, end - e.rangeMs, end)).map((s) => {
      const keep = s.t.map((t, i) => t >= end - e.rangeMs && t <= end && (s.flags[i]! & 1) === 0);
      return { labels: s.labels, t: s.t.filter((_x, i) => keep[i]), v: s.v.filter((_x, i) => keep[i]) };
    });
  } else {
    const { series: raw, refs } = await subquerySamples(e, ctx);
    const end = refs[0]!;
    series = raw.map((s) => {
      const keep = s.t.map((t) => t >= end - e.rangeMs && t <= end);
      return { labels: s.labels, t: s.t.filter((_x, i) => keep[i]), v: s.v.filter((_x, i) => keep[i]) };
    });
  }
  return {
    resultType: 'matrix',
    result: series.filter((s) => s.t.length > 0).map((s) => ({ metric: sortedLabels(s.labels), values: s.t.map((t, i) => sample(t, s.v[i]!)) })),
  };
}

/** Prometheus refuses more than 11,000 points per series (web/api/v1/api.go). */
export const MAX_POINTS = 11_000;

export async function rangeQuery(text: string, startMs: number, endMs: number, stepMs: number, options: QueryOptions): Promise<QueryResult> {
  const expr = parsePromql(text);
  const top = unwrap(expr);
  if (top.type === 'matrix' || top.type === 'subquery') {
    throw badData(`invalid expression type "range vector" for range query, must be Scalar or instant Vector`);
  }
  const ctx = context(options, startMs, endMs, stepMs);
  const value = await evaluate(expr, ctx);
  const times = ctx.steps.times;
  if (value.type === 'string') throw badData('invalid expression type "string" for range query, must be Scalar or instant Vector');
  const series: StepSeries[] = value.type === 'scalar' ? [{ labels: {}, v: value.v }] : value.series;
  const result = series
    .map((s) => {
      const values: PromSample[] = [];
      const histograms: PromHistogramSample[] = [];
      times.forEach((t, i) => {
        const h = s.h?.[i];
        if (h !== undefined) histograms.push([seconds(t), h.toJson()]);
        else if (s.v[i] !== undefined) values.push(sample(t, s.v[i]!));
      });
      return { metric: sortedLabels(s.labels), ...(values.length > 0 ? { values } : {}), ...(histograms.length > 0 ? { histograms } : {}) };
    })
    .filter((s) => s.values !== undefined || s.histograms !== undefined)
    .sort((a, b) => compareLabels(a.metric, b.metric));
  return { data: { resultType: 'matrix', result }, warnings: ctx.warnings };
}

function compareLabels(a: Labels, b: Labels): number {
  const x = JSON.stringify(Object.entries(a));
  const y = JSON.stringify(Object.entries(b));
  return x < y ? -1 : x > y ? 1 : 0;
}
