import type { Labels } from '../metrics/labels.ts';
import { NAME, labelsKey } from '../metrics/labels.ts';
import { execution } from './errors.ts';
import type { BinaryExpr, BinaryOp, VectorMatching } from './plan.ts';
import type { StepSeries } from './values.ts';

// Binary operators (promql/engine.go VectorBinop / VectorscalarBinop / and, or,
// unless, Prometheus 2.42): vector matching on signatures of the `on` labels or
// all but the `ignoring` ones (never __name__), group_left / group_right, bool.

const COMPARISONS = new Set<BinaryOp>(['==', '!=', '>', '<', '>=', '<=']);

export function isComparison(op: BinaryOp): boolean {
  return COMPARISONS.has(op);
}

/** Go's math.Mod: the result has the sign of x. */
function mod(x: number, y: number): number {
  return x % y;
}

/** [value, keep] as Prometheus's vectorElemBinop. */
export function elemBinop(op: BinaryOp, l: number, r: number): [number, boolean] {
  switch (op) {
    case '+': return [l + r, true];
    case '-': return [l - r, true];
    case '*': return [l * r, true];
    case '/': return [l / r, true];
    case '%': return [mod(l, r), true];
    case '^': return [l ** r, true];
    case 'atan2': return [Math.atan2(l, r), true];
    case '==': return [l, l === r];
    case '!=': return [l, l !== r];
    case '>': return [l, l > r];
    case '<': return [l, l < r];
    case '>=': return [l, l >= r];
    case '<=': return [l, l <= r];
    default: throw execution(`operator ${op} not allowed here`);
  }
}

/** Prometheus 2.42's shouldDropMetricName: arithmetic drops __name__, but not atan2 and not comparisons. */
function dropsName(op: BinaryOp): boolean {
  return op === '+' || op === '-' || op === '*' || op === '/' || op === '%' || op === '^';
}

function signature(labels: Labels, m: VectorMatching | undefined): string {
  const on = m?.on ?? false;
  const names = m?.labels ?? [];
  const picked: Record<string, string> = {};
  for (const [k, v] of Object.entries(labels)) {
    if (on ? names.includes(k) : k !== NAME && !names.includes(k)) picked[k] = v;
  }
  return labelsKey(picked);
}

function dropName(labels: Labels): Record<string, string> {
  const { [NAME]: _ignored, ...rest } = labels;
  void _ignored;
  return rest;
}

function resultLabels(lhs: Labels, rhs: Labels, e: BinaryExpr, m: VectorMatching): Labels {
  let out: Record<string, string> = e.bool || dropsName(e.op) ? dropName(lhs) : { ...lhs };
  if (m.card === 'one-to-one') {
    if (m.on) out = Object.fromEntries(Object.entries(out).filter(([k]) => m.labels.includes(k)));
    else for (const k of m.labels) delete out[k];
  }
  for (const k of m.include) {
    const v = rhs[k];
    if (v !== undefined && v !== '') out[k] = v;
    else delete out[k];
  }
  return out;
}

export function vectorBinop(e: BinaryExpr, lhs: StepSeries[], rhs: StepSeries[], steps: number): StepSeries[] {
  const m = e.matching ?? { card: 'one-to-one', on: false, labels: [], include: [] };
  if (e.op === 'and' || e.op === 'or' || e.op === 'unless') return setOp(e.op, m, lhs, rhs, steps);
  // group_right: the right side is the "many" side; swap, and swap the operands back when computing.
  const swapped = m.card === 'one-to-many';
  const [many, one] = swapped ? [rhs, lhs] : [lhs, rhs];
  const out = new Map<string, StepSeries>();
  const oneSigs = one.map((s) => signature(s.labels, m));
  const manySigs = many.map((s) => signature(s.labels, m));
  for (let i = 0; i < steps; i++) {
    const right = new Map<string, StepSeries>();
    one.forEach((s, j) => {
      if (s.v[i] === undefined) return;
      const sig = oneSigs[j]!;
      if (right.has(sig)) {
        throw execution(`found duplicate series for the match group ${sig.replace(/\u0000/g, '=').replace(/\u0001/g, ', ')} on the ${swapped ? 'left' : 'right'} hand-side of the operation: many-to-many matching not allowed: matching labels must be unique on one side`);
      }
      right.set(sig, s);
    });
    const matchedOnce = new Set<string>();
    many.forEach((s, j) => {
      const lv = s.v[i];
      if (lv === undefined) return;
      const sig = manySigs[j]!;
      const r = right.get(sig);
      if (r === undefined) return;
      if (m.card === 'one-to-one') {
        if (matchedOnce.has(sig)) throw execution('multiple matches for labels: many-to-one matching must be explicit (group_left/group_right)');
        matchedOnce.add(sig);
      }
      const rv = r.v[i]!;
      const [l, rr] = swapped ? [rv, lv] : [lv, rv];
      let [value, keep] = elemBinop(e.op, l, rr);
      if (e.bool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) return;
      const labels = resultLabels(s.labels, r.labels, e, m);
      const key = labelsKey(labels);
      let res = out.get(key);
      if (res === undefined) out.set(key, (res = { labels, v: new Array<number | undefined>(steps).fill(undefined) }));
      else if (res.v[i] !== undefined) throw execution('multiple matches for labels: grouping labels must ensure unique matches');
      res.v[i] = value;
    });
  }
  return [...out.values()];
}

function setOp(op: 'and' | 'or' | 'unless', m: VectorMatching, lhs: StepSeries[], rhs: StepSeries[], steps: number): StepSeries[] {
  const lSigs = lhs.map((s) => signature(s.labels, m));
  const rSigs = rhs.map((s) => signature(s.labels, m));
  const result = lhs.map((s) => ({ labels: s.labels, v: new Array<number | undefined>(steps).fill(undefined), h: s.h === undefined ? undefined : new Array(steps).fill(undefined) }));
  const extra = rhs.map((s) => ({ labels: s.labels, v: new Array<number | undefined>(steps).fill(undefined), h: s.h === undefined ? undefined : new Array(steps).fill(undefined) }));
  for (let i = 0; i < steps; i++) {
    const rightSigs = new Set(rhs.flatMap((s, j) => (s.v[i] !== undefined || s.h?.[i] !== undefined ? [rSigs[j]!] : [])));
    const leftSigs = new Set<string>();
    lhs.forEach((s, j) => {
      if (s.v[i] === undefined && s.h?.[i] === undefined) return;
      leftSigs.add(lSigs[j]!);
      const inRight = rightSigs.has(lSigs[j]!);
      if (op === 'or' || (op === 'and' && inRight) || (op === 'unless' && !inRight)) {
        result[j]!.v[i] = s.v[i];
        if (result[j]!.h) result[j]!.h![i] = s.h?.[i];
      }
    });
    if (op === 'or') {
      rhs.forEach((s, j) => {
        if ((s.v[i] !== undefined || s.h?.[i] !== undefined) && !leftSigs.has(rSigs[j]!)) {
          extra[j]!.v[i] = s.v[i];
          if (extra[j]!.h) extra[j]!.h![i] = s.h?.[i];
        }
      });
    }
  }
  const all = [...result, ...extra].filter((s) => s.v.some((v) => v !== undefined) || s.h?.some((h) => h !== undefined));
  return all.map((s) => (s.h === undefined ? { labels: s.labels, v: s.v } : { labels: s.labels, v: s.v, h: s.h }));
}

/** A vector and a scalar: `swap` when the scalar is on the left. */
export function scalarBinop(e: BinaryExpr, vec: StepSeries[], scalar: number[], swap: boolean, steps: number): StepSeries[] {
  const out: StepSeries[] = [];
  const comparison = isComparison(e.op);
  for (const s of vec) {
    const labels = e.bool || dropsName(e.op) ? dropName(s.labels) : s.labels;
    const res: StepSeries = { labels, v: new Array<number | undefined>(steps).fill(undefined) };
    let any = false;
    for (let i = 0; i < steps; i++) {
      const v = s.v[i];
      if (v === undefined) continue;
      const [l, r] = swap ? [scalar[i]!, v] : [v, scalar[i]!];
      let [value, keep] = elemBinop(e.op, l, r);
      if (comparison && swap) value = r;
      if (e.bool) {
        value = keep ? 1 : 0;
        keep = true;
      }
      if (!keep) continue;
      res.v[i] = value;
      any = true;
    }
    if (any) out.push(res);
  }
  return out;
}
