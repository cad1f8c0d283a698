import type { Labels } from '../metrics/labels.ts';
import { NAME } from '../metrics/labels.ts';
import { NativeHistogram } from '../metrics/native-histogram.ts';
import { STALE } from '../metrics/prometheus-series.ts';
import type { RawSeries } from '../metrics/prometheus-series.ts';
import type { EvalContext } from './engine.ts';
import { evaluate, lookback, refTimes, subquerySamples } from './engine.ts';
import { badData } from './errors.ts';
import {
  clamp, dropName, histogramField, histogramQuantile, labelJoin, labelReplace, mapValues, mathFunction, round,
} from './functions.ts';
import type { CallExpr, Expr, LabelMatcher } from './plan.ts';
import { evalRangeFunction, RANGE_FUNCTIONS } from './range-functions.ts';
import type { StepSeries, Value } from './values.ts';

// Function calls: argument types checked as Prometheus's parser checks them,
// then dispatched to range-functions.ts (range vector argument) or
// functions.ts (instant vectors and scalars).

async function scalarArg(e: Expr | undefined, ctx: EvalContext, func: string): Promise<number[]> {
  if (e === undefined) throw badData(`expected at least one more argument in call to function "${func}"`);
  const v = await evaluate(e, ctx);
  if (v.type !== 'scalar') throw badData(`expected type scalar in call to function "${func}", got ${v.type === 'vector' ? 'instant vector' : v.type}`);
  return v.v;
}

async function vectorArg(e: Expr | undefined, ctx: EvalContext, func: string): Promise<StepSeries[]> {
  if (e === undefined) throw badData(`expected at least one argument in call to function "${func}"`);
  const v = await evaluate(e, ctx);
  if (v.type !== 'vector') throw badData(`expected type instant vector in call to function "${func}", got ${v.type}`);
  return v.series;
}

function stringArg(e: Expr | undefined, func: string): string {
  if (e?.type !== 'string') throw badData(`expected type string in call to function "${func}"`);
  return e.value;
}

const vector = (series: StepSeries[]): Value => ({ type: 'vector', series });

export async function callFunction(e: CallExpr, ctx: EvalContext): Promise<Value> {
  const n = ctx.steps.times.length;
  const { func, args } = e;
  if (RANGE_FUNCTIONS.has(func)) return rangeCall(e, ctx);
  const math = mathFunction(func);
  if (math !== undefined) return vector(mapValues(await vectorArg(args[0], ctx, func), math));
  switch (func) {
    case 'time':
      return { type: 'scalar', v: ctx.steps.times.map((t) => t / 1000) };
    case 'vector': {
      const s = await scalarArg(args[0], ctx, func);
      return vector([{ labels: {}, v: s }]);
    }
    case 'scalar': {
      const input = await vectorArg(args[0], ctx, func);
      return {
        type: 'scalar',
        v: ctx.steps.times.map((_t, i) => {
          const present = input.filter((s) => s.v[i] !== undefined);
          return present.length === 1 ? present[0]!.v[i]! : Number.NaN;
        }),
      };
    }
    case 'round': {
      const input = await vectorArg(args[0], ctx, func);
      const to = args[1] === undefined ? new Array<number>(n).fill(1) : await scalarArg(args[1], ctx, func);
      return vector(mapValues(input, (v, i) => round(v, to[i]!)));
    }
    case 'clamp':
    case 'clamp_min':
    case 'clamp_max': {
      const input = await vectorArg(args[0], ctx, func);
      const a = await scalarArg(args[1], ctx, func);
      const b = func === 'clamp' ? await scalarArg(args[2], ctx, func) : a;
      const f =
        func === 'clamp' ? (v: number, i: number) => clamp(v, a[i]!, b[i]!) : func === 'clamp_min' ? (v: number, i: number) => Math.max(a[i]!, v) : (v: number, i: number) => Math.min(a[i]!, v);
      return vector(
        input
          .map((s) => ({ labels: dropName(s.labels), v: s.v.map((v, i) => (v === undefined ? undefined : f(v, i))) }))
          .filter((s) => s.v.some((v) => v !== undefined)),
      );
    }
    case 'timestamp': {
      const arg = args[0];
      if (arg?.type === 'selector') {
        // The sample's own timestamp, not the evaluation time (Prometheus evaluates the selector for it).
        const refs = refTimes(arg.at, arg.offsetMs, ctx);
        const raw = await ctx.source.select(arg.matchers, Math.min(...refs) - ctx.lookbackMs, Math.max(...refs));
        return vector(raw.flatMap((s) => {
          const out = lookback(s, refs, ctx.lookbackMs, true);
          return out === undefined ? [] : [{ labels: dropName(out.labels), v: out.v }];
        }));
      }
      const input = await vectorArg(arg, ctx, func);
      return vector(mapValues(input, (_v, i) => ctx.steps.times[i]! / 1000));
    }
    case 'absent': {
      const input = await vectorArg(args[0], ctx, func);
      const labels = absentLabels(args[0]!);
      const v = ctx.steps.times.map((_t, i) => (input.some((s) => s.v[i] !== undefined || s.h?.[i] !== undefined) ? undefined : 1));
      return vector(v.some((x) => x !== undefined) ? [{ labels, v }] : []);
    }
    case 'label_replace': {
      const input = await vectorArg(args[0], ctx, func);
      return vector(labelReplace(input, stringArg(args[1], func), stringArg(args[2], func), stringArg(args[3], func), stringArg(args[4], func)));
    }
    case 'label_join': {
      const input = await vectorArg(args[0], ctx, func);
      return vector(labelJoin(input, stringArg(args[1], func), stringArg(args[2], func), args.slice(3).map((a) => stringArg(a, func))));
    }
    case 'sort':
    case 'sort_desc': {
      const input = await vectorArg(args[0], ctx, func);
      // Only an instant query's order is visible; sorted by the first step's value.
      const key = (s: StepSeries) => s.v[0] ?? Number.NaN;
      const sign = func === 'sort' ? 1 : -1;
      return vector([...input].sort((a, b) => (Number.isNaN(key(a)) ? 1 : Number.isNaN(key(b)) ? -1 : sign * (key(a) - key(b)))));
    }
    case 'histogram_quantile': {
      const q = await scalarArg(args[0], ctx, func);
      return vector(histogramQuantile(q, await vectorArg(args[1], ctx, func), n));
    }
    case 'histogram_count':
    case 'histogram_sum':
      return vector(histogramField(await vectorArg(args[0], ctx, func), func === 'histogram_count' ? 'count' : 'sum'));
    default:
      throw badData(`unsupported in Tracehouse's PromQL: function "${func}"`);
  }
}

/** absent()'s labels: the selector's equality matchers other than the name. */
function absentLabels(e: Expr): Labels {
  const sel = e.type === 'selector' ? e : e.type === 'matrix' ? e.selector : undefined;
  if (sel === undefined) return {};
  const out: Record<string, string> = {};
  const seen = new Set<string>();
  for (const m of sel.matchers as LabelMatcher[]) {
    if (m.name === NAME) continue;
    if (m.op === '=' && !seen.has(m.name)) out[m.name] = m.value;
    else delete out[m.name];
    seen.add(m.name);
  }
  return out;
}

async function rangeCall(e: CallExpr, ctx: EvalContext): Promise<Value> {
  const { func, args } = e;
  const matrixIndex = func === 'quantile_over_time' ? 1 : 0;
  const arg = args[matrixIndex];
  if (arg?.type !== 'matrix' && arg?.type !== 'subquery') {
    throw badData(`expected type range vector in call to function "${func}", got ${arg === undefined ? 'nothing' : 'instant vector'}`);
  }
  const param = func === 'quantile_over_time' ? await scalarArg(args[0], ctx, func) : undefined;
  let series: RawSeries[];
  let refs: number[];
  let rangeMs: number;
  if (arg.type === 'matrix' && (func === 'rate' || func === 'increase' || func === 'delta') && arg.selector.at === undefined && ctx.steps.times.length > 1) {
    // A range query's rate/increase/delta: computed in SQL, step by step (metric-window-sql.ts).
    const pushed = await ctx.source.windowed(func, arg.selector.matchers, {
      firstEndMs: ctx.steps.startMs - arg.selector.offsetMs,
      stepMs: ctx.steps.stepMs,
      steps: ctx.steps.times.length,
      rangeMs: arg.rangeMs,
    });
    if (pushed !== undefined) return vector(pushed.map((s) => ({ labels: dropName(s.labels), v: s.v })));
  }
  if (arg.type === 'matrix') {
    refs = refTimes(arg.selector.at, arg.selector.offsetMs, ctx);
    rangeMs = arg.rangeMs;
    series = await ctx.source.select(arg.selector.matchers, Math.min(...refs) - rangeMs, Math.max(...refs));
  } else {
    ({ series, refs } = await subquerySamples(arg, ctx));
    rangeMs = arg.rangeMs;
  }
  const n = refs.length;
  if (func === 'absent_over_time') {
    const present = new Array<boolean>(n).fill(false);
    for (const s of series) forEachWindow(s, refs, rangeMs, (i, w) => (present[i] ||= w.b >= w.a));
    const v = present.map((p) => (p ? undefined : 1));
    return vector(v.some((x) => x !== undefined) ? [{ labels: absentLabels(arg.type === 'matrix' ? arg : { type: 'number', value: 0 }), v }] : []);
  }
  const keepName = func === 'last_over_time';
  const out: StepSeries[] = [];
  for (const s of series) {
    const res: StepSeries = { labels: keepName ? s.labels : dropName(s.labels), v: new Array<number | undefined>(n).fill(undefined) };
    let any = false;
    forEachWindow(s, refs, rangeMs, (i, w) => {
      const r = evalRangeFunction(func, w, param?.[i]);
      if (r === undefined) return;
      any = true;
      if (r instanceof NativeHistogram) (res.h ??= new Array<NativeHistogram | undefined>(n).fill(undefined))[i] = r;
      else res.v[i] = r;
    });
    if (any) out.push(res);
  }
  return vector(out);
}

/** Each step's window [ref - range, ref] over the series' samples, staleness markers left out. */
function forEachWindow(s: RawSeries, refs: readonly number[], rangeMs: number, f: (i: number, w: import('./range-functions.ts').Window) => void): void {
  let clean = s;
  if (s.flags.some((x) => (x & STALE) !== 0)) {
    const keep = s.t.map((_t, i) => (s.flags[i]! & STALE) === 0);
    clean = {
      labels: s.labels,
      t: s.t.filter((_x, i) => keep[i]),
      v: s.v.filter((_x, i) => keep[i]),
      h: s.h?.filter((_x, i) => keep[i]),
      flags: s.flags.filter((_x, i) => keep[i]),
    };
  }
  let a = 0;
  let b = -1;
  for (let i = 0; i < refs.length; i++) {
    const end = refs[i]!;
    const start = end - rangeMs;
    // Windows only move forward (or stay, with @): two pointers.
    while (a < clean.t.length && clean.t[a]! < start) a++;
    if (b < a - 1) b = a - 1;
    while (b + 1 < clean.t.length && clean.t[b + 1]! <= end) b++;
    f(i, { t: clean.t, v: clean.v, h: clean.h, flags: clean.flags, a, b, rangeStartMs: start, rangeEndMs: end, rangeMs });
  }
}
