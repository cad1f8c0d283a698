import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { eventually, freePortArgs, getJson, startChild, stopChild } from '../helpers/tracehouse.ts';
import type { ChildTracehouse } from '../helpers/tracehouse.ts';
import { cleanupAfterTests } from './cleanups.ts';
import { buildTimeoutMs, ensureGoTools, run } from './go-tools.ts';
import type { GoTools } from './go-tools.ts';

// telemetrygen, the Collector project's load generator (Go SDK exporters), drives
// Tracehouse directly over OTLP/gRPC and OTLP/HTTP: every span, data point and log
// record it sends must be stored. Each protocol uses its own service name so the
// counts are told apart.

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

const protocols = [
  { name: 'gRPC', service: 'telemetrygen', flags: () => ['--otlp-endpoint', th.grpcAddress] },
  { name: 'HTTP', service: 'telemetrygen-http', flags: () => ['--otlp-http', '--otlp-endpoint', th.otlpUrl.replace('http://', '')] },
] as const;

/** Runs telemetrygen to its end; `--rate 0` lifts its default of one item a second. */
async function telemetrygen(signal: string, args: string[]): Promise<void> {
  const result = await run(tools.telemetrygen, [signal, '--otlp-insecure', '--rate', '0', ...args]);
  assert.equal(result.code, 0, result.stderr);
}

/** Polls until `count()` reaches `expected`, then checks nothing more arrives with it. */
async function assertCount(count: () => Promise<number>, expected: number, what: string): Promise<void> {
  const reached = await eventually(async () => ((await count()) >= expected ? true : undefined)).catch(async () => {
    throw new Error(`${what}: ${await count()} of ${expected} arrived\n${th.stderr()}`);
  });
  assert.ok(reached);
  assert.equal(await count(), expected, what);
}

for (const { name, service, flags } of protocols) {
  test(`telemetrygen traces over OTLP/${name}: every span arrives`, async () => {
    // Each trace is a parent and one child span (--child-spans defaults to 1).
    await telemetrygen('traces', [...flags(), '--service', service, '--traces', '25', '--workers', '2']);
    await assertCount(
      async () => {
        const { body } = await getJson(`${th.apiUrl}/api/v1/services?start=0`);
        return body.services.find((s: { name: string }) => s.name === service)?.spanCount ?? 0;
      },
      100,
      `${service} spans`,
    );
    const { body } = await getJson(`${th.apiUrl}/api/v1/traces?service=${service}&start=0&limit=1000`);
    assert.equal(body.traces.length, 50);
    assert.ok(body.traces.every((t: { spanCount: number; rootServiceName: string }) => t.spanCount === 2 && t.rootServiceName === service));
  });

  test(`telemetrygen metrics over OTLP/${name}: every data point arrives`, async () => {
    const metric = `gen.${name.toLowerCase()}`;
    await telemetrygen('metrics', [...flags(), '--service', service, '--metrics', '30', '--otlp-metric-name', metric, '--metric-type', 'Sum']);
    await assertCount(
      async () => {
        const { body } = await getJson(`${th.apiUrl}/api/v1/metrics/${metric}/points?start=0&limit=1000`);
        return body.resourceMetrics
          .flatMap((r: any) => r.scopeMetrics.flatMap((s: any) => s.metrics))
          .reduce((n: number, m: any) => n + m.sum.dataPoints.length, 0);
      },
      30,
      `${metric} points`,
    );
    const { body } = await getJson(`${th.apiUrl}/api/v1/metrics`);
    const listed = body.metrics.find((m: { name: string }) => m.name === metric);
    assert.deepEqual({ kind: listed.kind, services: listed.services }, { kind: 'sum', services: [service] });
  });

  test(`telemetrygen logs over OTLP/${name}: every record arrives`, async () => {
    await telemetrygen('logs', [...flags(), '--service', service, '--logs', '40', '--body', `hello over ${name}`]);
    await assertCount(
      async () => (await getJson(`${th.apiUrl}/api/v1/logs?service=${service}&start=0&limit=1000`)).body.logs.length,
      40,
      `${service} logs`,
    );
    const { body } = await getJson(`${th.apiUrl}/api/v1/logs?service=${service}&start=0&limit=1`);
    assert.equal(body.logs[0].body, `hello over ${name}`);
    assert.equal(body.logs[0].severityNumber, 9);
  });
}
