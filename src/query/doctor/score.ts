import type { InstrumentationScore, ScoreImpact, ScoreRuleResult } from '../../api/types.ts';
import type { ServiceStats } from './service-stats.ts';

// The OpenTelemetry Instrumentation Score (github.com/instrumentation-score/spec,
// specification.md and rules/ at main, commit e6ee222, 2026-04-09): per
// service.name, rules with an impact level weighted Critical 40, Important 30,
// Normal 20, Low 10;
//   Score = sum(P_i x W_i) / sum(T_i x W_i) x 100
// with P_i the rules passed and T_i the rules evaluated at impact level i; bands
// Excellent 90-100, Good 75-89, Needs Improvement 50-74, Poor 0-49.
// The spec forbids rules of one's own ("MUST NOT include other rules") and asks
// an implementation that does not evaluate every rule to say so: each rule is
// listed with its status, and `complete` is false.
// Choices where the spec leaves room, each named in `detail`:
// * a rule whose target signal the service does not send (MET-* without metrics,
//   LOG-* without logs, RES-003 outside Kubernetes) is not_applicable and left
//   out of both sums, as it has nothing to fail on;
// * the rules' windows (14 days, 1 hour) are the doctor's range;
// * RES-005 fails on `unknown_service...` too: the SDK's fallback when no
//   service.name was set (resource semantic conventions);
// * SPA-003 has no criteria yet ("TODO"): it fails on the doctor's own test for
//   span names with ids (findings.ts `span-name-high-cardinality`).

export const SPEC_URL = 'https://github.com/instrumentation-score/spec';
export const SPEC_VERSION = 'main@e6ee222 (specification 0.1)';

export const WEIGHTS: Record<ScoreImpact, number> = { Critical: 40, Important: 30, Normal: 20, Low: 10 };

type Outcome = { status: 'passed' | 'failed' | 'not_applicable'; detail?: string };
interface Rule {
  id: string;
  description: string;
  impact: ScoreImpact;
  /** undefined: not implemented. */
  evaluate?: (s: ServiceStats, spanNamesUnbounded: boolean) => Outcome;
}

const pass = (ok: boolean, failure: string): Outcome => (ok ? { status: 'passed' } : { status: 'failed', detail: failure });
const list = (names: string[]) => names.slice(0, 5).join(', ') + (names.length > 5 ? ` and ${names.length - 5} more` : '');
const na = (detail: string): Outcome => ({ status: 'not_applicable', detail });

export const RULES: readonly Rule[] = [
  { id: 'RES-001', description: 'service.instance.id is present', impact: 'Normal',
    evaluate: (s) => (s.resources === undefined ? na('no resource stored') : pass(s.resources.withoutInstanceId === 0, `${s.resources.withoutInstanceId} of ${s.resources.resources} resources without service.instance.id`)) },
  { id: 'RES-002', description: 'service.instance.id is unique across logical resources within a service.name', impact: 'Important' },
  { id: 'RES-003', description: 'k8s.pod.uid is present in telemetry from Kubernetes', impact: 'Important',
    evaluate: (s) => (s.resources === undefined || s.resources.k8sResources === 0 ? na('no resource with k8s.pod.name') : pass(s.resources.k8sWithoutPodUid === 0, `${s.resources.k8sWithoutPodUid} Kubernetes resources without k8s.pod.uid`)) },
  { id: 'RES-004', description: 'Semantic conventions attributes are used at the right level', impact: 'Important' },
  { id: 'RES-005', description: 'service.name is present', impact: 'Critical',
    evaluate: (s) => pass(s.service !== '' && !s.service.startsWith('unknown_service'), s.service === '' ? 'no service.name' : `service.name is the SDK fallback "${s.service}"`) },
  { id: 'SPA-001', description: 'Traces contain a limited number of INTERNAL spans per service', impact: 'Normal',
    evaluate: (s) => (s.spans === undefined ? na('no spans') : pass((s.shape?.manyInternalTraces ?? 0) === 0, `${s.shape?.manyInternalTraces} traces with more than 10 INTERNAL spans, e.g. ${s.shape?.manyInternalExample}`)) },
  { id: 'SPA-002', description: 'Traces do not contain orphan spans', impact: 'Normal',
    evaluate: (s) => (s.spans === undefined ? na('no spans') : pass((s.orphans?.orphanSpans ?? 0) === 0, `${s.orphans?.orphanSpans} spans whose parent is in no span of the trace (looked for from 1 h before the range), e.g. ${s.orphans?.example.spanId}`)) },
  { id: 'SPA-003', description: 'Span names have bound cardinality', impact: 'Important',
    evaluate: (s, unbounded) => (s.spans === undefined ? na('no spans') : pass(!unbounded, 'span names carry ids or filled-in paths (the spec has no criteria yet: the doctor\'s span-name-high-cardinality test)')) },
  { id: 'SPA-004', description: 'Root spans are not CLIENT spans', impact: 'Important',
    evaluate: (s) => (s.spans === undefined ? na('no spans') : pass(s.spans.rootClientSpans === 0, `${s.spans.rootClientSpans} CLIENT root spans, e.g. ${s.spans.rootClientExample.spanName}`)) },
  { id: 'SPA-005', description: 'Traces do not contain a high number of short duration spans', impact: 'Important',
    evaluate: (s) => (s.spans === undefined ? na('no spans') : pass((s.shape?.manyShortTraces ?? 0) === 0, `${s.shape?.manyShortTraces} traces with more than 20 spans under 5 ms, e.g. ${s.shape?.manyShortExample}`)) },
  { id: 'LOG-001', description: 'Debug-level logs are not enabled in production environments for longer than 14 days', impact: 'Important' },
  { id: 'LOG-002', description: 'Log records have their severityNumber set', impact: 'Important',
    evaluate: (s) => (s.logs === undefined ? na('no logs') : pass(s.logs.withoutSeverity === 0, `${s.logs.withoutSeverity} of ${s.logs.logs} log records without severityNumber`)) },
  { id: 'MET-001', description: 'Metric attributes have bound cardinality', impact: 'Important' },
  { id: 'MET-002', description: 'Metrics have useful metric units', impact: 'Important',
    evaluate: (s) => (s.metrics === undefined ? na('no metrics') : pass(s.metrics.noUnitMetrics.length === 0, `without a unit: ${list(s.metrics.noUnitMetrics)} (UCUM validity is not checked)`)) },
  { id: 'MET-003', description: 'Metric names are consistently associated with the same metric unit', impact: 'Important',
    evaluate: (s) => (s.metrics === undefined ? na('no metrics') : pass(s.metrics.mixedUnitMetrics.length === 0, `more than one unit: ${list(s.metrics.mixedUnitMetrics)}`)) },
  { id: 'MET-004', description: 'Histogram metrics consistently use the same histogram buckets per metric name', impact: 'Normal',
    evaluate: (s) => (s.metrics === undefined ? na('no metrics') : pass(s.metrics.mixedBucketMetrics.length === 0, `more than one set of bucket bounds: ${list(s.metrics.mixedBucketMetrics)}`)) },
  { id: 'MET-005', description: 'Metric names do not contain the name of the metric unit', impact: 'Normal',
    evaluate: (s) => (s.metrics === undefined ? na('no metrics') : pass(s.metrics.unitInNameMetrics.length === 0, `unit in the name: ${list(s.metrics.unitInNameMetrics)}`)) },
  { id: 'MET-006', description: 'Metric names do not equal semantic convention attribute keys', impact: 'Important' },
  { id: 'SDK-001', description: 'Dependencies (language and runtime) are supported by the SDK', impact: 'Low' },
];

export const IMPLEMENTED = RULES.filter((r) => r.evaluate !== undefined).map((r) => r.id);
export const NOT_IMPLEMENTED = RULES.filter((r) => r.evaluate === undefined).map((r) => r.id);

export function instrumentationScore(s: ServiceStats, spanNamesUnbounded: boolean): InstrumentationScore {
  const rules: ScoreRuleResult[] = RULES.map((r) => {
    const base = { id: r.id, description: r.description, impact: r.impact, weight: WEIGHTS[r.impact] };
    if (r.evaluate === undefined) return { ...base, status: 'not_implemented' };
    const o = r.evaluate(s, spanNamesUnbounded);
    return { ...base, status: o.status, ...(o.detail === undefined ? {} : { detail: o.detail }) };
  });
  const score = scoreOf(rules);
  return { score, band: score === null ? null : bandOf(score), complete: NOT_IMPLEMENTED.length === 0, rules };
}

/** The spec's formula over the rules evaluated (passed or failed), rounded to 2 decimals. */
export function scoreOf(rules: readonly Pick<ScoreRuleResult, 'status' | 'weight'>[]): number | null {
  let passed = 0;
  let total = 0;
  for (const r of rules) {
    if (r.status !== 'passed' && r.status !== 'failed') continue;
    total += r.weight;
    if (r.status === 'passed') passed += r.weight;
  }
  return total === 0 ? null : Math.round((10_000 * passed) / total) / 100;
}

export function bandOf(score: number): NonNullable<InstrumentationScore['band']> {
  if (score >= 90) return 'Excellent';
  if (score >= 75) return 'Good';
  if (score >= 50) return 'Needs Improvement';
  return 'Poor';
}
