import type { CompareSelection, CompareNumberRow, CompareValueRow } from '../../storage/analysis-api.ts';
import type { ReadOptions, TelemetryReader } from '../../storage/api.ts';
import type {
  CompareNumberResult,
  CompareResponse,
  CompareResult,
  CompareValueResult,
  FoundOn,
  LeftOutKey,
} from './analysis-types.ts';
import { looksLikeIdOrTime, MAX_VALUES } from './high-cardinality.ts';
import type { AnalysisInput } from './sampling.ts';
import { basisOf, sampledScope } from './sampling.ts';
import { significance } from './significance.ts';

// What the slow ones have in common (issue 11, part 2): attribute values of every
// span of the trace and of the resources, counted per trace in ClickHouse
// (storage/analysis-compare-sql.ts), ranked here by how over-represented they are
// in the selection (two-proportion z-test, significance.ts). Unlike a compare of
// the selected span alone (Tempo's compare(), Grafana Traces Drilldown, HyperDX
// Event Deltas), a value found on another span of the trace counts too, and each
// result says where it was found.

export const MAX_RESULTS = 50;

function foundOn(scope: 'span' | 'resource', service: string, spanName: string): FoundOn {
  const label = scope === 'resource' ? `${service} resource attribute` : `${spanName} span attribute (${service})`;
  return { scope, service, spanName, label };
}

function describe(selection: CompareSelection): string {
  switch (selection.type) {
    case 'slow':
      return `the slowest ${Math.round((1 - selection.quantile) * 100)}% by duration`;
    case 'errors':
      return 'spans with status Error';
    case 'filter': {
      const parts = selection.attributes.map((f) => `${f.key}${f.op}${f.value}`);
      if (selection.minDurationNs !== undefined) parts.push(`duration >= ${Number(selection.minDurationNs) / 1e6} ms`);
      return parts.length === 0 ? 'every trace' : parts.join(' and ');
    }
  }
}

export async function compare(
  reader: TelemetryReader,
  input: AnalysisInput,
  selection: CompareSelection,
  options?: ReadOptions,
): Promise<CompareResponse> {
  const { scope, matchedTraces, sample } = await sampledScope(reader, input, options);
  const values = matchedTraces === 0 ? [] : await reader.compareValues(scope, selection, MAX_VALUES, options);
  const numbers = matchedTraces === 0 ? [] : await reader.compareNumbers(scope, selection, options);
  // Every trace has its root's resource (service.name), so the set sizes come
  // from the service.name resource rows; without them, from the numbers.
  const sizes = setSizes(values, numbers, scope.service);
  const leftOut: LeftOutKey[] = [];
  const numericKeys = new Set(numbers.map((n) => `${n.service}\u0000${n.name}\u0000${n.key}`));
  const usable: CompareValueRow[] = [];
  for (const v of values) {
    const where = foundOn(v.scope, v.service, v.name);
    if (v.distinctValues > MAX_VALUES) {
      // Integers with many values are compared by distribution instead.
      if (!(v.type === 'int' && numericKeys.has(`${v.service}\u0000${v.name}\u0000${v.key}`))) {
        leftOut.push({ foundOn: where, key: v.key, distinctValues: v.distinctValues, reason: `high cardinality: ${v.distinctValues} distinct values (more than ${MAX_VALUES}), such as ids` });
      }
      continue;
    }
    usable.push(v);
  }
  // An integer with few values (a status code) is compared value by value only.
  const categorical = new Set(usable.filter((v) => v.type === 'int').map((v) => `${v.service}\u0000${v.name}\u0000${v.key}`));
  const usableNumbers: CompareNumberRow[] = [];
  for (const n of numbers) {
    if (categorical.has(`${n.service}\u0000${n.name}\u0000${n.key}`)) continue;
    if (looksLikeIdOrTime(n.key)) {
      leftOut.push({ foundOn: foundOn('span', n.service, n.name), key: n.key, distinctValues: null, reason: 'a number named as an id or a time: no threshold of it explains a set' });
    } else {
      usableNumbers.push(n);
    }
  }
  const tests = usable.length + usableNumbers.length;
  const results: CompareResult[] = [
    ...usable.map((v) => valueResult(v, sizes, tests)),
    ...usableNumbers.map((n) => numberResult(n, tests)).filter((r): r is CompareNumberResult => r !== undefined),
  ];
  results.sort((a, b) => Number(b.significance.significant) - Number(a.significance.significant) || b.significance.z - a.significance.z);
  const notes = [
    'attributes of every span of each trace and of their resources, counted once a trace',
    'significance: two-proportion z-test, p < 0.01 Bonferroni-corrected for every value compared, at least 5 selected traces with the value',
    'numbers: per trace the largest value where it was found; each set read as its 1st..99th percentiles, thresholds tried at those, fractions to 1%',
  ];
  if (sample !== null) notes.push(sample.note);
  return {
    ...basisOf(scope, matchedTraces, sizes.selected + sizes.baseline, sample, notes),
    selection: { type: selection.type, description: describe(selection), traces: sizes.selected },
    baseline: { traces: sizes.baseline },
    results: results.slice(0, MAX_RESULTS),
    leftOut: leftOut.sort((a, b) => a.key.localeCompare(b.key)),
  };
}

function setSizes(values: readonly CompareValueRow[], numbers: readonly CompareNumberRow[], service: string): { selected: number; baseline: number } {
  const root = values.find((v) => v.scope === 'resource' && v.service === service && v.key === 'service.name');
  if (root !== undefined) return { selected: root.selectedTraces, baseline: root.baselineTraces };
  const widest = [...numbers].sort((a, b) => b.selectedTraces + b.baselineTraces - (a.selectedTraces + a.baselineTraces))[0];
  return { selected: widest?.selectedTraces ?? 0, baseline: widest?.baselineTraces ?? 0 };
}

const fraction = (n: number, of: number) => (of === 0 ? 0 : n / of);
const liftOf = (sel: number, base: number) => (base === 0 ? null : sel / base);

function valueResult(v: CompareValueRow, sizes: { selected: number; baseline: number }, tests: number): CompareValueResult {
  const selectedFraction = fraction(v.selectedTraces, sizes.selected);
  const baselineFraction = fraction(v.baselineTraces, sizes.baseline);
  return {
    kind: 'value',
    foundOn: foundOn(v.scope, v.service, v.name),
    key: v.key,
    value: v.value,
    type: v.type,
    selectedTraces: v.selectedTraces,
    baselineTraces: v.baselineTraces,
    selectedFraction,
    baselineFraction,
    lift: liftOf(selectedFraction, baselineFraction),
    significance: significance(v.selectedTraces, sizes.selected, v.baselineTraces, sizes.baseline, tests),
    filter: `${v.key}=${v.value}`,
    exampleTraceIds: v.exampleTraceIds,
  };
}

/** Fraction of a set above `t`, read from its percentiles (1% resolution). */
function fractionAbove(quantiles: readonly number[], t: number): number {
  if (quantiles.length === 0 || !Number.isFinite(quantiles[0])) return 0;
  let above = 0;
  for (const q of quantiles) if (q > t) above++;
  return above / quantiles.length;
}

/** The cut with the largest difference between the fractions of each set beyond it. */
function numberResult(n: CompareNumberRow, tests: number): CompareNumberResult | undefined {
  const candidates = [...new Set([...n.selectedQuantiles, ...n.baselineQuantiles].filter(Number.isFinite))].sort((a, b) => a - b);
  if (candidates.length < 2 || n.selectedTraces === 0 || n.baselineTraces === 0) return undefined;
  let best: { value: number; op: '>' | '<'; diff: number; sel: number; base: number } | undefined;
  for (const t of candidates.slice(0, -1)) {
    const sel = fractionAbove(n.selectedQuantiles, t);
    const base = fractionAbove(n.baselineQuantiles, t);
    const diff = Math.abs(sel - base);
    if (best === undefined || diff > best.diff) best = { value: t, op: sel >= base ? '>' : '<', diff, sel, base };
  }
  if (best === undefined) return undefined;
  const { value, op } = best;
  const selectedFraction = op === '>' ? best.sel : 1 - best.sel;
  const baselineFraction = op === '>' ? best.base : 1 - best.base;
  const selHits = Math.round(selectedFraction * n.selectedTraces);
  const baseHits = Math.round(baselineFraction * n.baselineTraces);
  // The cut was chosen to separate the sets, so the z of the chosen cut is
  // optimistic; the Bonferroni level counts each candidate tried as a test.
  const sig = significance(selHits, n.selectedTraces, baseHits, n.baselineTraces, tests * candidates.length);
  const at = (qs: readonly number[], level: number) => qs[level - 1] ?? Number.NaN;
  return {
    kind: 'number',
    foundOn: foundOn('span', n.service, n.name),
    key: n.key,
    selected: { p50: at(n.selectedQuantiles, 50), p95: at(n.selectedQuantiles, 95) },
    baseline: { p50: at(n.baselineQuantiles, 50), p95: at(n.baselineQuantiles, 95) },
    threshold: { op, value, selectedFraction, baselineFraction },
    selectedTraces: selHits,
    baselineTraces: baseHits,
    lift: liftOf(selectedFraction, baselineFraction),
    significance: sig,
    filter: `${n.key}${op}${value}`,
    exampleTraceIds: n.examples.filter((e) => (op === '>' ? e.value > value : e.value <= value)).slice(0, 5).map((e) => e.traceId),
  };
}
