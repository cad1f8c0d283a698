import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
// Type-only: makes `npm test`'s typecheck cover the example, which runs as a child process.
import type * as _example from '../../examples/node-payment-api/main.ts';
import { getJson, repoRoot, startInProcess } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';
import { latestPoints, newTraceparent, pointsOf, spansOf } from './helpers/otlp-json.ts';

// examples/node-payment-api (the same API on the OpenTelemetry JS SDK) as users
// run it, exporting to Tracehouse over OTLP/HTTP and OTLP/gRPC. Export intervals
// are left long: what arrives is what the app flushes when stopped with SIGTERM.

let th: RunningTracehouse;
before(async () => {
  th = await startInProcess();
});
after(async () => {
  await th?.stop();
});

async function startNodeApp(env: Record<string, string>) {
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OTEL_')));
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(repoRoot, 'examples/node-payment-api/main.ts')], {
    cwd: repoRoot,
    env: { ...inherited, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  const url = await new Promise<string>((resolve, reject) => {
    const take = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    void exited.then((code) => reject(new Error(`node payment-api exited (${code}):\n${output}`)));
  });
  return {
    url,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    },
  };
}

for (const protocol of ['http/protobuf', 'grpc'] as const) {
  describe(`Node payment-api over ${protocol}`, () => {
    test('spans, metrics and logs arrive, tied together, on SIGTERM', async () => {
      const instance = `node-${protocol.replace('/', '-')}`;
      const app = await startNodeApp({
        OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
        OTEL_EXPORTER_OTLP_ENDPOINT: protocol === 'grpc' ? `http://${th.grpcAddress}` : th.otlpUrl,
        OTEL_RESOURCE_ATTRIBUTES: `service.instance.id=${instance}`,
      });
      const item = newTraceparent();
      const declined = newTraceparent();
      try {
        const get = (p: string, headers: Record<string, string> = {}) => fetch(`${app.url}${p}`, { headers });
        const pay = (amount: number, headers: Record<string, string> = {}) =>
          fetch(`${app.url}/payments`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...headers },
            body: JSON.stringify({ amount, currency: 'EUR' }),
          });
        assert.equal((await get('/items/42', { traceparent: item.header })).status, 200);
        assert.equal((await pay(30)).status, 200);
        assert.equal((await pay(6000, { traceparent: declined.header })).status, 402);
        assert.equal((await get('/health')).status, 200);
      } finally {
        assert.equal(await app.stop(), 0, app.output());
      }

      const api = async (p: string, params: Record<string, string | string[]> = {}) => {
        const query = new URLSearchParams();
        for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) query.append(k, one);
        const { status, body } = await getJson(`${th.apiUrl}${p}?${query}`);
        assert.equal(status, 200, JSON.stringify(body));
        return body;
      };
      const byInstance = `service.instance.id=${instance}`;

      const itemSpans = spansOf(await api(`/api/v1/traces/${item.traceId}`));
      assert.equal(itemSpans.length, 1);
      const server = itemSpans[0]!;
      assert.equal(server.name, 'GET /items/{item_id}');
      assert.equal(server.parentSpanId, item.parentSpanId);
      assert.equal(server.attributes['http.route'], '/items/{item_id}');
      assert.equal(server.attributes['http.response.status_code'], 200);
      assert.deepEqual(
        { name: server.resource['service.name'], version: server.resource['service.version'], env: server.resource['deployment.environment'] },
        { name: 'payment-api', version: '1.0.0', env: 'production' },
      );

      const spans = spansOf(await api(`/api/v1/traces/${declined.traceId}`));
      const request = spans.find((s) => s.kind === 2)!;
      const validate = spans.find((s) => s.name === 'payment.validate')!;
      const charge = spans.find((s) => s.name === 'payment.charge')!;
      assert.equal(request.name, 'POST /payments');
      assert.equal(request.attributes['http.response.status_code'], 402);
      assert.equal(validate.parentSpanId, request.spanId);
      assert.equal(charge.parentSpanId, request.spanId);
      assert.equal(charge.attributes['payment.provider'], 'stripe');
      assert.equal(charge.attributes['payment.amount'], 6000);
      assert.equal(charge.status.code, 2);
      const [exception] = charge.events.filter((e) => e.name === 'exception');
      assert.equal(exception?.attributes['exception.type'], 'PaymentDeclinedError');
      assert.match(String(exception?.attributes['exception.stacktrace']), /PaymentDeclinedError: amount 6000\.00 EUR/);

      const logs = (await api('/api/v1/logs', { traceId: declined.traceId })).logs as any[];
      const warning = logs.find((l) => String(l.body).startsWith('payment declined'));
      assert.equal(warning?.spanId, charge.spanId);
      assert.equal(logs.find((l) => String(l.body).startsWith('validating payment'))?.spanId, validate.spanId);

      assert.deepEqual((await api('/api/v1/traces', { spanName: 'GET /health', attr: byInstance })).traces, []);

      const points = async (name: string, attrs: string[] = []) =>
        pointsOf(await api(`/api/v1/metrics/${name}/points`, { attr: [byInstance, ...attrs] }));
      const duration = await points('http.server.request.duration', ['http.route=/payments']);
      assert.deepEqual(
        [...latestPoints(duration, ['http.response.status_code'])].map(([code, p]) => [code, p.count]).sort(),
        [['200', 1], ['402', 1]],
      );
      assert.ok((await points('http.server.active_requests')).length > 0);
      const processed = latestPoints(await points('payments.processed'), ['payment.status']);
      assert.equal(processed.get('approved')?.value, 1);
      assert.equal(processed.get('declined')?.value, 1);
      assert.equal(latestPoints(await points('payments.value'), [])?.get('')?.sum, 6030);
    });
  });
}
