import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { DoctorResponse, DoctorService } from '../src/api/types.ts';
import { expectedFindings, plantedServices, sendPlanted } from './helpers/doctor-services.ts';
import type { Planted } from './helpers/doctor-services.ts';
import { getJson, startInProcess } from './helpers/tracehouse.ts';
import type { RunningTracehouse } from './helpers/tracehouse.ts';

// The instrumentation doctor against services made by the real OpenTelemetry JS
// SDK, each with one planted setup mistake (helpers/doctor-services.ts): each
// finding is named for exactly its service, and the clean service has none.

let th: RunningTracehouse;
let doctor: DoctorResponse;
const kinds = Object.keys(plantedServices) as Planted[];

before(async () => {
  th = await startInProcess();
  let instance = 0;
  for (const kind of kinds) await sendPlanted(th.otlpUrl, kind, instance++);
  const { status, body } = await getJson(`${th.apiUrl}/api/v1/doctor?start=${Date.now() - 3_600_000}&end=${Date.now() + 60_000}`);
  assert.equal(status, 200, JSON.stringify(body));
  doctor = body;
});

after(async () => {
  await th?.stop();
});

function serviceOf(kind: Planted): DoctorService {
  const name = plantedServices[kind];
  const found = doctor.services.find((s) => (name === undefined ? s.service.startsWith('unknown_service') : s.service === name));
  assert.ok(found, `${kind}: no service ${name ?? 'unknown_service*'} in ${doctor.services.map((s) => s.service).join(', ')}`);
  return found;
}

test('every planted service is diagnosed, and nothing else is listed', () => {
  assert.equal(doctor.services.length, kinds.length);
});

for (const kind of Object.keys(expectedFindings) as Planted[]) {
  test(`${kind}: exactly ${expectedFindings[kind].join(', ') || 'no findings'}`, () => {
    const s = serviceOf(kind);
    assert.deepEqual(s.findings.map((f) => f.id).sort(), expectedFindings[kind], JSON.stringify(s.findings, null, 1));
    for (const f of s.findings) {
      assert.ok(f.fix.length > 0, `${f.id} has a fix`);
      assert.ok(f.evidence.summary.length > 0, `${f.id} has evidence`);
    }
  });
}

test('evidence names counts and example spans that exist', async () => {
  const health = serviceOf('health').findings[0]!;
  assert.equal(health.evidence.counts.spans, 25);
  const example = health.evidence.examples[0]!;
  assert.equal(example.spanName, 'GET /health');
  const { status, body } = await getJson(`${th.apiUrl}/api/v1/traces/${example.traceId}`);
  assert.equal(status, 200);
  assert.ok(JSON.stringify(body).includes(example.spanId!));

  const simple = serviceOf('simple-processor').findings[0]!;
  assert.equal(simple.evidence.counts.requests, 50);
  assert.equal(simple.evidence.counts.singleSpanRequests, 50);
  assert.equal(serviceOf('detached').findings[0]!.evidence.counts.spans, 25);
  assert.equal(serviceOf('logs-no-context').findings[0]!.evidence.counts.logs, 25);
  assert.equal(serviceOf('old-semconv').findings[0]!.fix, 'OTEL_SEMCONV_STABILITY_OPT_IN=http');
  assert.deepEqual(serviceOf('filled-paths').findings.find((f) => f.id === 'span-name-high-cardinality')!.scoreRules, ['SPA-003']);
});

test('the Instrumentation Score follows the spec and says what it leaves out', () => {
  const clean = serviceOf('clean').score;
  assert.equal(clean.score, 100);
  assert.equal(clean.band, 'Excellent');
  assert.equal(clean.complete, false);
  const status = (s: DoctorService, id: string) => s.score.rules.find((r) => r.id === id)?.status;
  assert.equal(status(serviceOf('clean'), 'RES-002'), 'not_implemented');
  assert.equal(status(serviceOf('clean'), 'RES-003'), 'not_applicable');
  assert.equal(status(serviceOf('unknown-service'), 'RES-005'), 'failed');
  assert.equal(status(serviceOf('filled-paths'), 'SPA-003'), 'failed');
  assert.equal(status(serviceOf('orphans'), 'SPA-002'), 'failed');
  assert.equal(status(serviceOf('clean'), 'SPA-002'), 'passed');
  // One Normal rule (20) failed of 320 evaluated weight: (320 - 20) / 320.
  assert.equal(serviceOf('orphans').score.score, 93.75);
  // RES-005 is Critical (40) among the rules evaluated for a service sending all three signals.
  const evaluated = serviceOf('unknown-service').score.rules.filter((r) => r.status === 'passed' || r.status === 'failed');
  const total = evaluated.reduce((sum, r) => sum + r.weight, 0);
  assert.equal(serviceOf('unknown-service').score.score, Math.round((10_000 * (total - 40)) / total) / 100);
  assert.deepEqual(doctor.spec.notImplemented, ['RES-002', 'RES-004', 'LOG-001', 'MET-001', 'MET-006', 'SDK-001']);
});

test('one service, and a bad parameter named', async () => {
  const { status, body } = await getJson(`${th.apiUrl}/api/v1/doctor?service=health-api&start=${Date.now() - 3_600_000}`);
  assert.equal(status, 200);
  assert.deepEqual(body.services.map((s: DoctorService) => s.service), ['health-api']);
  assert.deepEqual(body.services[0].findings.map((f: { id: string }) => f.id), ['health-check-spans']);
  const bad = await getJson(`${th.apiUrl}/api/v1/doctor?service=`);
  assert.equal(bad.status, 400);
  assert.equal(bad.body.error.parameter, 'service');
});
