import assert from 'node:assert/strict';
import { test } from 'node:test';
import { findingsOf } from './findings.ts';
import type { ServiceStats } from './service-stats.ts';

// The thresholds of findings.ts on hand-made aggregates; test/doctor.test.ts
// checks the same findings end to end on SDK telemetry.

const noSpan = { traceId: '', spanId: '', spanName: '' };
function clean(): ServiceStats {
  return {
    service: 'checkout-api',
    spans: {
      service: 'checkout-api', spans: 100, traces: 50, httpServerSpans: 50, noRouteSpans: 0, noRouteNames: 0, noRouteExample: noSpan,
      idNameSpans: 0, idNames: 0, idNameExamples: [], idNameExample: noSpan, healthSpans: 0, healthNames: [], healthExample: noSpan,
      oldHttpSpans: 0, oldHttpKeys: [], oldHttpExample: noSpan, rootClientSpans: 0, rootClientExample: noSpan,
    },
    shape: undefined,
    orphans: undefined,
    detached: undefined,
    logs: { service: 'checkout-api', logs: 50, withoutTraceContext: 0, withoutTraceExample: '', withoutSeverity: 0 },
    metrics: {
      service: 'checkout-api', points: 10, metrics: 2, oldHttpMetrics: [], noUnitMetrics: [], mixedUnitMetrics: [], mixedBucketMetrics: [],
      unitInNameMetrics: [], seriesWithGaps: 4, medianIntervalNs: 60_000_000_000,
    },
    resources: { service: 'checkout-api', resources: 1, withoutVersion: 0, withoutEnvironment: 0, withoutInstanceId: 0, k8sResources: 0, k8sWithoutPodUid: 0, sdkLanguages: ['python'] },
    exportRequests: { requests: 10, spans: 100, singleSpanRequests: 0, peakRequestsPerMinute: 2, countingSinceMs: 0 },
  };
}
const ids = (s: ServiceStats) => findingsOf(s).map((f) => f.id);

test('a clean service has no finding; the default 60 s metric interval is not slow', () => {
  assert.deepEqual(ids(clean()), []);
});

test('a missing signal, and metrics every 2 minutes', () => {
  assert.deepEqual(ids({ ...clean(), logs: undefined }), ['no-logs']);
  assert.deepEqual(ids({ ...clean(), metrics: undefined }), ['no-metrics']);
  const slow = clean();
  slow.metrics!.medianIntervalNs = 120_000_000_000;
  const [finding] = findingsOf(slow);
  assert.equal(finding?.id, 'metric-interval-long');
  assert.equal(finding?.fix, 'OTEL_METRIC_EXPORT_INTERVAL=15000');
  // A service without logs or metrics of its own but no spans either is not told to add them.
  assert.deepEqual(ids({ ...clean(), spans: undefined, logs: undefined }), []);
});

test('a few stray route-less spans are not a finding; 5 and 20% are', () => {
  const s = clean();
  s.spans!.noRouteSpans = 4;
  assert.deepEqual(ids(s), []);
  s.spans!.noRouteSpans = 5;
  s.spans!.httpServerSpans = 30;
  assert.deepEqual(ids(s), []);
  s.spans!.httpServerSpans = 25;
  assert.deepEqual(ids(s), ['http-route-missing']);
});

test('single-span requests at a BatchSpanProcessor pace are not a finding', () => {
  const s = clean();
  s.exportRequests = { requests: 40, spans: 40, singleSpanRequests: 40, peakRequestsPerMinute: 12, countingSinceMs: 0 };
  assert.deepEqual(ids(s), []);
  s.exportRequests.peakRequestsPerMinute = 13;
  assert.deepEqual(ids(s), ['span-per-export-request']);
  assert.match(findingsOf(s)[0]!.fix, /BatchSpanProcessor/);
});

test('fixes follow the SDK language; unknown_service is critical', () => {
  const s = clean();
  s.spans!.healthSpans = 10;
  s.spans!.healthNames = ['GET /health'];
  assert.equal(findingsOf(s)[0]!.fix, 'OTEL_PYTHON_FASTAPI_EXCLUDED_URLS=health,readyz,livez');
  s.resources!.sdkLanguages = ['go'];
  assert.match(findingsOf(s)[0]!.fix, /filter\/health/);
  const unknown = { ...clean(), service: 'unknown_service:python3' };
  const [f] = findingsOf(unknown);
  assert.equal(f?.id, 'unknown-service');
  assert.equal(f?.severity, 'critical');
  assert.deepEqual(f?.scoreRules, ['RES-005']);
});
