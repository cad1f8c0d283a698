import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { eventually, freePortArgs, getJson, startChild, stopChild } from '../helpers/tracehouse.ts';
import type { ChildTracehouse } from '../helpers/tracehouse.ts';
import { cleanupAfterTests } from './cleanups.ts';
import { buildTimeoutMs, ensureGoTools, run } from './go-tools.ts';
import type { GoTools } from './go-tools.ts';

// telemetrygen, the Collector project's load generator (OpenTelemetry Go SDK
// exporters), drives Tracehouse directly over OTLP/gRPC and OTLP/HTTP: every span,
// data point and log record it sends must be stored. It exits 0 even when exports
// fail, so only the counts prove anything.

const cleanups = cleanupAfterTests();
let tools: GoTools;
let th: ChildTracehouse;

before(
  async () => {
    tools = await ensureGoTools();
    th = await startChild([...freePortArgs, '--data-dir', await cleanups.tempDir('tracehouse')]);
    cleanups.child(th.child, () => stopChild(th));
  },
  { timeout: buildTimeoutMs },
);

// gRPC keeps telemetrygen's own service name and metric kind; HTTP sets others, so
// the two protocols' counts are told apart.
const protocols = [
  {
    name: 'gRPC',
    service: 'telemetrygen',
    metricKind: 'gauge',
    args: () => ['--otlp-endpoint', th.grpcAddress],
  },
  {
    name: 'HTTP',
    service: 'telemetrygen-http',
    metricKind: 'histogram',
    args: () => ['--otlp-http', '--otlp-endpoint', th.otlpUrl.replace('http://', ''), '--service', 'telemetrygen-http'],
  },
] as const;

/** Runs telemetrygen to its end; `--rate 0` lifts its default of one item a second. */
async function telemetrygen(signal: string, args: string[]): Promise<void> {
  const result = await run(tools.telemetrygen, [signal, '--otlp-insecure', '--rate', '0', ...args]);
  assert.equal(result.code, 0, result.stderr);
}

/** Polls until `count()` reaches `expected`, then checks it did not overshoot. */
async function assertCount(what: string, count: () => Promise<number>, expected: number): Promise<void> {
  await eventually(async () => ((await count()) >= expected ? true : undefined)).catch(async () => {
    throw new Error(`${what}: ${await count()} of ${expected} arrived\n--- tracehouse:\n${th.stderr()}`);
  });
  assert.equal(await count(), expected, what);
}

for (const { name, service, metricKind, args } of protocols) {
  test(`telemetrygen traces over OTLP/${name}: every span arrives`, async () => {
    // Each trace is a parent and one child span (--child-spans defaults to 1).
    await telemetrygen('traces', [...args(), '--traces', '25', '--workers', '2']);
    await assertCount(
      `${service} spans`,
      async () => {
        const { body } = await getJson(`${th.apiUrl}/api/v1/services?start=0`);
        return body.services.find((s: { name: string }) => s.name === service)?.spanCount ?? 0;
      },
      100,
    );
    const { body } = await getJson(`${th.apiUrl}/api/v1/traces?service=${service}&start=0&limit=1000`);
    assert.equal(body.traces.length, 50);
    for (const trace of body.traces) {
      assert.deepEqual([trace.spanCount, trace.rootServiceName, trace.rootSpanName], [2, service, 'lets-go']);
    }
  });

  test(`telemetrygen metrics over OTLP/${name}: every data point arrives`, async () => {
    const metric = `gen.${name.toLowerCase()}`;
    const metricType = metricKind === 'gauge' ? 'Gauge' : 'Histogram';
    await telemetrygen('metrics', [...args(), '--metrics', '30', '--otlp-metric-name', metric, '--metric-type', metricType]);
    await assertCount(
      `${metric} points`,
      async () => {
        const { body } = await getJson(`${th.apiUrl}/api/v1/metrics/${metric}/points?start=0&limit=1000`);
        return body.resourceMetrics
          .flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics))
          .reduce((n: number, m: any) => n + m[metricKind].dataPoints.length, 0);
      },
      30,
    );
    const { body } = await getJson(`${th.apiUrl}/api/v1/metrics`);
    const listed = body.metrics.find((m: { name: string }) => m.name === metric);
    assert.deepEqual({ kind: listed.kind, services: listed.services }, { kind: metricKind, services: [service] });
  });

  test(`telemetrygen logs over OTLP/${name}: every record arrives`, async () => {
    await telemetrygen('logs', [...args(), '--logs', '40', '--body', `hello over ${name}`]);
    await assertCount(
      `${service} logs`,
      async () => (await getJson(`${th.apiUrl}/api/v1/logs?service=${service}&start=0&limit=1000`)).body.logs.length,
      40,
    );
    const { body } = await getJson(`${th.apiUrl}/api/v1/logs?service=${service}&start=0&limit=1`);
    assert.deepEqual([body.logs[0].body, body.logs[0].severityNumber], [`hello over ${name}`, 9]);
  });
}
