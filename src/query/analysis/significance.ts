import type { CompareSignificance } from './analysis-types.ts';

// Two-proportion z-test (pooled standard error), the test Tempo-style "compare"
// views lack: how unlikely the difference of two fractions is by chance.
// Minimum-count rule: the normal approximation holds when each set has at least
// MIN_COUNT traces and the selection at least MIN_COUNT with the value (the usual np >= 5 rule), so below
// that a difference is never called significant. Many values are compared at
// once, so the level is Bonferroni-corrected: alpha / tests.

export const MIN_COUNT = 5;
export const ALPHA = 0.01;

export function twoProportionZ(selHits: number, selTotal: number, baseHits: number, baseTotal: number): number {
  if (selTotal === 0 || baseTotal === 0) return 0;
  const pooled = (selHits + baseHits) / (selTotal + baseTotal);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / selTotal + 1 / baseTotal));
  if (se === 0) return 0;
  return (selHits / selTotal - baseHits / baseTotal) / se;
}

/** Two-sided p-value of a standard normal z (Abramowitz-Stegun 7.1.26 erfc, error < 1.5e-7). */
export function twoSidedP(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  return Math.min(1, poly * Math.exp(-x * x));
}

export function significance(
  selHits: number,
  selTotal: number,
  baseHits: number,
  baseTotal: number,
  tests: number,
): CompareSignificance {
  const z = twoProportionZ(selHits, selTotal, baseHits, baseTotal);
  const pValue = twoSidedP(z);
  const enough = selHits >= MIN_COUNT && selTotal >= MIN_COUNT && baseTotal >= MIN_COUNT;
  return { z, pValue, significant: enough && z > 0 && pValue < ALPHA / Math.max(1, tests) };
}
