import { labelsKey } from '../metrics/labels.ts';
import { execution } from './errors.ts';
import type { StepSeries } from './values.ts';

// Prometheus refuses a result holding two series with the same labels (2.42
// promql/engine.go): "vector cannot contain metrics with the same labelset", an
// execution error (HTTP 422). It happens where labels are dropped or rewritten:
// a function dropping __name__ (rate, abs, clamp...), label_replace/label_join,
// arithmetic and unary minus. Where Prometheus checks decides when it is an
// error: rangeEval (instant-vector functions, binary operators) checks each
// step's output vector, so two series colliding only at different steps are
// fine; range-vector functions (rate, *_over_time) and unary minus check the
// whole result matrix, so series with the same labels are refused even when
// they never share a step.

export type LabelsetCheck = 'per-step' | 'whole-result';

/** Throws Prometheus's error when `series` holds two with the same labels (as `check` compares them). */
export function refuseSameLabelset(series: readonly StepSeries[], check: LabelsetCheck): void {
  if (series.length < 2) return;
  const byLabels = new Map<string, StepSeries[]>();
  let collision = false;
  for (const s of series) {
    if (!hasSample(s)) continue;
    const key = labelsKey(s.labels);
    const same = byLabels.get(key);
    if (same === undefined) byLabels.set(key, [s]);
    else {
      same.push(s);
      collision = true;
    }
  }
  if (!collision) return;
  for (const same of byLabels.values()) {
    if (same.length < 2) continue;
    if (check === 'whole-result' || sharesAStep(same)) throw execution('vector cannot contain metrics with the same labelset');
  }
}

function present(s: StepSeries, i: number): boolean {
  return s.v[i] !== undefined || s.h?.[i] !== undefined;
}

function hasSample(s: StepSeries): boolean {
  for (let i = 0; i < s.v.length; i++) if (present(s, i)) return true;
  return false;
}

function sharesAStep(same: readonly StepSeries[]): boolean {
  const steps = same[0]!.v.length;
  for (let i = 0; i < steps; i++) {
    let n = 0;
    for (const s of same) if (present(s, i) && ++n > 1) return true;
  }
  return false;
}
