import { compileGoRegexp, GoRegexpError } from '../../lib/go-regexp.ts';
import type { Labels } from '../metrics/labels.ts';
import { NAME, labelsKey } from '../metrics/labels.ts';
import type { NativeHistogram } from '../metrics/native-histogram.ts';
import { badData } from './errors.ts';
import { anchoredPattern } from './matchers.ts';
import type { StepSeries } from './values.ts';

// Functions over instant vectors (promql/functions.go, Prometheus 2.42).

const MATH: Record<string, (v: number) => number> = {
  abs: Math.abs,
  ceil: Math.ceil,
  floor: Math.floor,
  exp: Math.exp,
  ln: Math.log,
  log2: Math.log2,
  log10: Math.log10,
  sqrt: Math.sqrt,
  sgn: (v) => (v > 0 ? 1 : v < 0 ? -1 : v),
};

export function dropName(labels: Labels): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) if (k !== NAME) out[k] = v;
  return out;
}

/** Applies `f` to every float value (histograms are skipped, as Prometheus's simpleFunc does); drops __name__. */
export function mapValues(input: StepSeries[], f: (v: number, i: number) => number, keepName = false): StepSeries[] {
  return input
    .map((s) => ({ labels: keepName ? s.labels : dropName(s.labels), v: s.v.map((v, i) => (v === undefined ? undefined : f(v, i))) }))
    .filter((s) => s.v.some((v) => v !== undefined));
}

export function mathFunction(name: string): ((v: number) => number) | undefined {
  return MATH[name];
}

/** round(v, to_nearest): Prometheus rounds half up (math.Floor(v*inverse+0.5)/inverse). */
export function round(v: number, toNearest: number): number {
  const inverse = 1 / toNearest;
  return Math.floor(v * inverse + 0.5) / inverse;
}

export function clamp(v: number, min: number, max: number): number | undefined {
  if (max < min) return undefined;
  return Math.max(min, Math.min(max, v));
}

function compileAnchored(regex: string) {
  try {
    return compileGoRegexp(anchoredPattern(regex));
  } catch (error) {
    if (error instanceof GoRegexpError) throw badData(`invalid regular expression in label_replace(): ${regex}`, { cause: error });
    throw error;
  }
}

/** Go's Regexp.Expand for `$1`, `${1}`, `$name`, `${name}`, `$$`. */
function expand(template: string, groups: Array<string | undefined>, names: readonly string[]): string {
  return template.replace(/\$(\$|\{([A-Za-z0-9_]+)\}|([A-Za-z0-9_]+))/g, (_all, what: string, braced?: string, bare?: string) => {
    if (what === '$') return '$';
    const name = braced ?? bare ?? '';
    if (/^[0-9]+$/.test(name)) return groups[Number(name)] ?? '';
    const at = names.indexOf(name);
    return at === -1 ? '' : (groups[at + 1] ?? '');
  });
}

export function labelReplace(input: StepSeries[], dst: string, replacement: string, src: string, regex: string): StepSeries[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(dst)) throw badData(`invalid destination label name in label_replace(): ${dst}`);
  const re = compileAnchored(regex);
  return input.map((s) => {
    const groups = re.submatches(s.labels[src] ?? '');
    if (groups === undefined) return s;
    const value = expand(replacement, groups, re.groupNames);
    const labels: Record<string, string> = { ...s.labels };
    if (value === '') delete labels[dst];
    else labels[dst] = value;
    return { ...s, labels };
  });
}

export function labelJoin(input: StepSeries[], dst: string, sep: string, srcs: string[]): StepSeries[] {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(dst)) throw badData(`invalid destination label name in label_join(): ${dst}`);
  return input.map((s) => {
    const value = srcs.map((l) => s.labels[l] ?? '').join(sep);
    const labels: Record<string, string> = { ...s.labels };
    if (value === '') delete labels[dst];
    else labels[dst] = value;
    return { ...s, labels };
  });
}

/**
 * Prometheus's bucketQuantile (2.42 promql/quantile.go) over classic `le` buckets
 * given as parallel arrays sorted by bound: `bounds[i]` and `counts[i]` for
 * i < n. `counts` is used as scratch (coalesced and made monotonic in place).
 * Arrays rather than bucket objects: histogram_quantile runs this once per group
 * and step (14,400 times in bench/promql-bench.ts), where sorting and copying
 * objects each time was ~85 ms of the query.
 */
export function bucketQuantile(q: number, bounds: number[], counts: number[], n: number): number {
  if (Number.isNaN(q)) return Number.NaN;
  if (q < 0) return Number.NEGATIVE_INFINITY;
  if (q > 1) return Number.POSITIVE_INFINITY;
  if (n === 0 || bounds[n - 1] !== Number.POSITIVE_INFINITY) return Number.NaN;
  // coalesceBuckets: equal bounds add up.
  let m = 0;
  for (let i = 0; i < n; i++) {
    if (m > 0 && bounds[m - 1] === bounds[i]) counts[m - 1]! += counts[i]!;
    else {
      bounds[m] = bounds[i]!;
      counts[m] = counts[i]!;
      m++;
    }
  }
  // ensureMonotonic
  let max = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < m; i++) {
    if (counts[i]! > max) max = counts[i]!;
    else if (counts[i]! < max) counts[i] = max;
  }
  if (m < 2) return Number.NaN;
  const observations = counts[m - 1]!;
  if (observations === 0) return Number.NaN;
  let rank = q * observations;
  let b = m - 1;
  for (let i = 0; i < m - 1; i++) {
    if (counts[i]! >= rank) {
      b = i;
      break;
    }
  }
  if (b === m - 1) return bounds[m - 2]!;
  if (b === 0 && bounds[0]! <= 0) return bounds[0]!;
  let bucketStart = 0;
  const bucketEnd = bounds[b]!;
  let count = counts[b]!;
  if (b > 0) {
    bucketStart = bounds[b - 1]!;
    count -= counts[b - 1]!;
    rank -= counts[b - 1]!;
  }
  return bucketStart + (bucketEnd - bucketStart) * (rank / count);
}

export function histogramQuantile(q: number[], input: StepSeries[], steps: number): StepSeries[] {
  const out = new Map<string, StepSeries>();
  const slot = (labels: Labels) => {
    const key = labelsKey(labels);
    let s = out.get(key);
    if (s === undefined) out.set(key, (s = { labels, v: new Array<number | undefined>(steps).fill(undefined) }));
    return s;
  };
  // Classic buckets: series grouped by their labels without `le` (and __name__).
  const groups = new Map<string, { labels: Labels; members: Array<{ s: StepSeries; le: number }> }>();
  for (const s of input) {
    if (s.h !== undefined && s.h.some((h) => h !== undefined)) {
      const target = slot(dropName(s.labels));
      s.h.forEach((h, i) => {
        if (h !== undefined) target.v[i] = h.quantile(q[i]!);
      });
      continue;
    }
    const leText = s.labels.le;
    if (leText === undefined) continue;
    const le = parseLe(leText);
    if (Number.isNaN(le)) continue;
    const { le: _le, ...rest } = dropName(s.labels);
    void _le;
    const key = labelsKey(rest);
    let g = groups.get(key);
    if (g === undefined) groups.set(key, (g = { labels: rest, members: [] }));
    g.members.push({ s, le });
  }
  for (const g of groups.values()) {
    const members = g.members.sort((a, b) => a.le - b.le);
    const bounds = new Array<number>(members.length);
    const counts = new Array<number>(members.length);
    let target: StepSeries | undefined;
    for (let i = 0; i < steps; i++) {
      let n = 0;
      for (const m of members) {
        const v = m.s.v[i];
        if (v === undefined) continue;
        bounds[n] = m.le;
        counts[n] = v;
        n++;
      }
      if (n === 0) continue;
      target ??= slot(g.labels);
      target.v[i] = bucketQuantile(q[i]!, bounds, counts, n);
    }
  }
  return [...out.values()].filter((s) => s.v.some((v) => v !== undefined));
}

function parseLe(text: string): number {
  const t = text.trim().toLowerCase();
  if (t === '+inf' || t === 'inf') return Number.POSITIVE_INFINITY;
  if (t === '-inf') return Number.NEGATIVE_INFINITY;
  return t === '' ? Number.NaN : Number(t);
}

/** histogram_count / histogram_sum of native histograms; float samples are skipped. */
export function histogramField(input: StepSeries[], field: 'count' | 'sum'): StepSeries[] {
  return input
    .filter((s) => s.h !== undefined)
    .map((s) => ({ labels: dropName(s.labels), v: s.h!.map((h: NativeHistogram | undefined) => (h === undefined ? undefined : h[field])) }))
    .filter((s) => s.v.some((v) => v !== undefined));
}
