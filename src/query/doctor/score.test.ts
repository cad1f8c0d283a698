import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bandOf, IMPLEMENTED, NOT_IMPLEMENTED, RULES, scoreOf, WEIGHTS } from './score.ts';

test("the spec's worked example: 4/8 Critical, 8/10 Important, 6/8 Normal, 1/5 Low is 63.86", () => {
  const rules = (impact: keyof typeof WEIGHTS, passed: number, total: number) =>
    Array.from({ length: total }, (_, i) => ({ weight: WEIGHTS[impact], status: i < passed ? ('passed' as const) : ('failed' as const) }));
  const all = [...rules('Critical', 4, 8), ...rules('Important', 8, 10), ...rules('Normal', 6, 8), ...rules('Low', 1, 5)];
  assert.equal(scoreOf(all), 63.86);
  // "Solving 4 Critical impact issues would increase the score to 83.13"
  assert.equal(scoreOf([...rules('Critical', 8, 8), ...rules('Important', 8, 10), ...rules('Normal', 6, 8), ...rules('Low', 1, 5)]), 83.13);
});

test('rules not evaluated are out of both sums; none evaluated is no score', () => {
  assert.equal(scoreOf([{ weight: 40, status: 'passed' }, { weight: 30, status: 'not_applicable' }, { weight: 30, status: 'not_implemented' }]), 100);
  assert.equal(scoreOf([{ weight: 40, status: 'not_implemented' }]), null);
});

test('bands', () => {
  assert.deepEqual([100, 90, 89.99, 75, 74.5, 50, 49.99, 0].map(bandOf), ['Excellent', 'Excellent', 'Good', 'Good', 'Needs Improvement', 'Needs Improvement', 'Poor', 'Poor']);
});

test('every rule of the spec at e6ee222 is listed once, implemented or not', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  assert.deepEqual([...ids].sort(), [
    'LOG-001', 'LOG-002', 'MET-001', 'MET-002', 'MET-003', 'MET-004', 'MET-005', 'MET-006',
    'RES-001', 'RES-002', 'RES-003', 'RES-004', 'RES-005', 'SDK-001',
    'SPA-001', 'SPA-002', 'SPA-003', 'SPA-004', 'SPA-005',
  ]);
  assert.deepEqual(NOT_IMPLEMENTED, ['RES-002', 'RES-004', 'LOG-001', 'MET-001', 'MET-006', 'SDK-001']);
  assert.equal(IMPLEMENTED.length + NOT_IMPLEMENTED.length, RULES.length);
});
