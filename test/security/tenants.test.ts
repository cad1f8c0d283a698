import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Metadata } from '@grpc/grpc-js';
import { ROOT_CONTEXT, SpanKind, trace } from '@opentelemetry/api';
import { OTLPLogExporter as LogsGrpcExporter } from '@opentelemetry/exporter-logs-otlp-grpc';
import { OTLPLogExporter as LogsProtoExporter } from '@opentelemetry/exporter-logs-otlp-proto';
import { OTLPMetricExporter as MetricsGrpcExporter } from '@opentelemetry/exporter-metrics-otlp-grpc';
import { OTLPMetricExporter as MetricsProtoExporter } from '@opentelemetry/exporter-metrics-otlp-proto';
import { OTLPTraceExporter as TracesGrpcExporter } from '@opentelemetry/exporter-trace-otlp-grpc';
import { OTLPTraceExporter as TracesProtoExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BatchLogRecordProcessor, LoggerProvider } from '@opentelemetry/sdk-logs';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BatchSpanProcessor, TracerProvider } from '@opentelemetry/sdk-trace';
import { addUser } from '../../src/auth/user-store.ts';
import type { TenantStores } from '../../src/tenancy/tenant-store.ts';
import { exportSpan } from './sdk-export.ts';
import { startWith } from './harness.ts';
import type { SecuredTracehouse } from './harness.ts';

// Issue 12 part 4: two tenants write with their own ingest tokens through the
// built-in pipeline (memory_limiter -> batch -> tracehouse), at the same time
// and over both receivers, with the real OpenTelemetry JS SDK exporters; each
// reads back with its own access token, through every API, and sees only its
// own data. Data sent with the untenanted ingest token stays in the default
// database, read by untenanted tokens, as before tenants existed.

interface Sender {
  /** Trace ids of the server spans sent. */
  traceIds: string[];
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** `service` sends `rounds` requests (a server span and a child, a log in it, a counter) over `transport`. */
function sender(transport: 'http' | 'grpc', baseUrl: string, token: string, service: string, metric: string): Sender & { request(i: number): void } {
  const headers = { authorization: `Bearer ${token}` };
  const metadata = new Metadata();
  metadata.set('authorization', headers.authorization);
  const url = (signal: string) => `${baseUrl}/v1/${signal}`;
  const exporters =
    transport === 'http'
      ? { spans: new TracesProtoExporter({ url: url('traces'), headers }), logs: new LogsProtoExporter({ url: url('logs'), headers }), metrics: new MetricsProtoExporter({ url: url('metrics'), headers }) }
      : { spans: new TracesGrpcExporter({ url: baseUrl, metadata }), logs: new LogsGrpcExporter({ url: baseUrl, metadata }), metrics: new MetricsGrpcExporter({ url: baseUrl, metadata }) };
  const resource = resourceFromAttributes({ 'service.name': service });
  const tracerProvider = new TracerProvider({ resource, spanProcessors: [new BatchSpanProcessor({ exporter: exporters.spans, scheduledDelayMillis: 60_000 })] });
  const loggerProvider = new LoggerProvider({ resource, processors: [new BatchLogRecordProcessor({ exporter: exporters.logs, scheduledDelayMillis: 60_000 })] });
  const meterProvider = new MeterProvider({ resource, readers: [new PeriodicExportingMetricReader({ exporter: exporters.metrics, exportIntervalMillis: 3_600_000 })] });
  const tracer = tracerProvider.getTracer(service);
  const logger = loggerProvider.getLogger(service);
  const counter = meterProvider.getMeter(service).createCounter(metric, { unit: '1' });
  const shared = meterProvider.getMeter(service).createCounter('shared.requests', { unit: '1' });
  const traceIds: string[] = [];
  const startMs = Date.now() - 60_000;
  return {
    traceIds,
    request(i) {
      const at = startMs + i * 100;
      tracer.startActiveSpan(`POST /${service}/orders`, { kind: SpanKind.SERVER, startTime: at, attributes: { 'http.route': `/${service}/orders`, 'secret.of': service } }, (server) => {
        traceIds.push(server.spanContext().traceId);
        tracer.startSpan('db.query', { startTime: at + 5 }, trace.setSpan(ROOT_CONTEXT, server)).end(at + 20 + i);
        logger.emit({ body: `${service} handled order ${i}`, severityNumber: 9, severityText: 'INFO' });
        counter.add(1, { 'order.kind': 'online' });
        shared.add(1);
        server.end(at + 40 + i * 3);
      });
    },
    async flush() {
      await Promise.all([tracerProvider.forceFlush(), loggerProvider.forceFlush(), meterProvider.forceFlush()]);
    },
    async shutdown() {
      await Promise.all([tracerProvider.shutdown(), loggerProvider.shutdown(), meterProvider.shutdown()]);
    },
  };
}

const hourAgo = () => encodeURIComponent(new Date(Date.now() - 3_600_000).toISOString());

describe('tenants', () => {
  let th: SecuredTracehouse;
  const tokens: Record<'acme' | 'globex' | 'default', string> = { acme: '', globex: '', default: '' };
  const senders: Record<'acme' | 'globex' | 'default', Sender> = {} as never;
  const services = { acme: 'acme-shop', globex: 'globex-bank', default: 'plain-svc' } as const;

  before(async () => {
    th = await startWith({ flags: ['--ingest-token', 'ingest-default', '--ingest-tenant-tokens', 'acme=ingest-acme,globex=ingest-globex', '--api-auth', 'required'] });
    const dataDir = path.join(th.dir, 'data');
    await addUser(dataDir, 'root', 'root-password', 'admin');
    await addUser(dataDir, 'globex-reader', 'globex-password', 'read', 'globex');
    const login = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'root', password: 'root-password' }) });
    assert.equal(login.status, 200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    for (const name of ['acme', 'globex', 'default'] as const) {
      const created = await fetch(`${th.apiUrl}/api/v1/auth/tokens`, {
        method: 'POST',
        headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' },
        body: JSON.stringify({ name: `${name} reader`, role: 'read', ...(name === 'default' ? {} : { tenant: name }) }),
      });
      assert.equal(created.status, 201, await created.clone().text());
      tokens[name] = ((await created.json()) as { token: string }).token;
    }

    // Concurrently, so the batch processor gets requests of all three at once.
    senders.acme = sender('http', `http://127.0.0.1:${th.port('http')}`, 'ingest-acme', services.acme, 'acme.orders');
    senders.globex = sender('grpc', `http://127.0.0.1:${th.port('grpc')}`, 'ingest-globex', services.globex, 'globex.loans');
    senders.default = sender('http', `http://127.0.0.1:${th.port('http')}`, 'ingest-default', services.default, 'plain.jobs');
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) for (const s of Object.values(senders) as ReturnType<typeof sender>[]) s.request(round * 4 + i);
      await Promise.all(Object.values(senders).map((s) => s.flush()));
    }
  });
  after(async () => {
    await Promise.allSettled(Object.values(senders).map((s) => s.shutdown()));
    await th?.stop();
  });

  const get = async (who: keyof typeof tokens, p: string, init: RequestInit = {}) => {
    const response = await fetch(`${th.apiUrl}${p}`, { ...init, headers: { authorization: `Bearer ${tokens[who]}`, ...(init.headers as Record<string, string>) } });
    return { status: response.status, text: await response.text() };
  };
  const everyone = ['acme', 'globex', 'default'] as const;
  /** The answer mentions `who`'s service and no other's. */
  const onlyOwn = (who: (typeof everyone)[number], text: string, what: string) => {
    assert.ok(text.includes(services[who]), `${what} as ${who}: its own ${services[who]} missing in ${text.slice(0, 300)}`);
    for (const other of everyone) if (other !== who) assert.ok(!text.includes(services[other]), `${what} as ${who}: ${services[other]} leaked`);
  };

  test('each tenant has its own database; the untenanted data is in the default one', () => {
    assert.deepEqual((th.server.store as TenantStores).openTenants().sort(), ['acme', 'globex']);
  });

  test('services, search, trace by id, logs: each sees only its own', async () => {
    for (const who of everyone) {
      onlyOwn(who, (await get(who, `/api/v1/services?start=${hourAgo()}`)).text, 'services');
      const search = await get(who, `/api/v1/traces?start=${hourAgo()}&limit=100`);
      assert.equal(search.status, 200);
      onlyOwn(who, search.text, 'search');
      assert.equal((JSON.parse(search.text) as { traces: unknown[] }).traces.length, 12, `${who}: its 12 traces`);
      const logs = await get(who, `/api/v1/logs?start=${hourAgo()}&limit=100`);
      onlyOwn(who, logs.text, 'logs');
      assert.equal((JSON.parse(logs.text) as { logs: unknown[] }).logs.length, 12);
      for (const owner of everyone) {
        const traceId = senders[owner].traceIds[0]!;
        for (const p of [`/api/v1/traces/${traceId}`, `/api/v1/traces/${traceId}/tree`]) {
          const found = await get(who, p);
          assert.equal(found.status, owner === who ? 200 : 404, `${who} reads ${owner}'s trace at ${p}: ${found.text.slice(0, 200)}`);
        }
      }
    }
  });

  test('metrics through PromQL: own series only', async () => {
    const names = { acme: 'acme_orders_total', globex: 'globex_loans_total', default: 'plain_jobs_total' } as const;
    for (const who of everyone) {
      const labels = await get(who, `/api/v1/label/__name__/values?start=${hourAgo()}`);
      for (const other of everyone) assert.equal(labels.text.includes(names[other]), other === who, `${who} metric names: ${labels.text}`);
      const own = await get(who, `/api/v1/query?query=${names[who]}`);
      assert.equal(own.status, 200, own.text);
      assert.ok((JSON.parse(own.text) as { data: { result: unknown[] } }).data.result.length > 0, `${who}: ${own.text}`);
      for (const other of everyone) {
        if (other === who) continue;
        const theirs = await get(who, `/api/v1/query?query=${names[other]}`);
        assert.deepEqual((JSON.parse(theirs.text) as { data: { result: unknown[] } }).data.result, [], `${who} queries ${names[other]}`);
      }
      // The same metric name in every tenant: each sees its own service's series.
      onlyOwn(who, (await get(who, '/api/v1/query?query=shared_requests_total')).text, 'shared metric');
    }
  });

  test('the analyses and the doctor: own traces only', async () => {
    for (const who of everyone) {
      for (const owner of everyone) {
        const compare = await get(who, `/api/v1/analysis/compare?service=${services[owner]}&start=${hourAgo()}`);
        assert.equal(compare.status, 200, compare.text);
        const body = JSON.parse(compare.text) as { matchedTraces: number; selection: { traces: number }; baseline: { traces: number } };
        assert.equal(body.matchedTraces, owner === who ? 12 : 0, `${who} compares ${owner}'s service: ${compare.text.slice(0, 300)}`);
        assert.equal(body.selection.traces + body.baseline.traces, owner === who ? 12 : 0);
        const breakdown = await get(who, `/api/v1/analysis/breakdown?service=${services[owner]}&start=${hourAgo()}`);
        assert.equal((JSON.parse(breakdown.text) as { matchedTraces: number }).matchedTraces, owner === who ? 12 : 0, breakdown.text.slice(0, 300));
      }
      onlyOwn(who, (await get(who, `/api/v1/doctor?start=${hourAgo()}`)).text, 'doctor');
    }
  });

  test('the Tempo, Jaeger, Loki and MCP APIs: own data only', async () => {
    for (const who of everyone) {
      onlyOwn(who, (await get(who, `/api/search?start=${Math.floor(Date.now() / 1000) - 3600}&end=${Math.floor(Date.now() / 1000) + 60}&limit=100`)).text, 'Tempo search');
      for (const owner of everyone) {
        const tempo = await get(who, `/api/v2/traces/${senders[owner].traceIds[1]!}`);
        assert.equal(tempo.status, owner === who ? 200 : 404, `${who} reads ${owner}'s trace over Tempo: ${tempo.text.slice(0, 200)}`);
        const jaeger = await get(who, `/api/v3/traces/${senders[owner].traceIds[2]!}`);
        assert.equal(jaeger.status, owner === who ? 200 : 404, `${who} reads ${owner}'s trace over Jaeger api_v3: ${jaeger.text.slice(0, 200)}`);
      }
      onlyOwn(who, (await get(who, '/api/services')).text, 'Jaeger services');
      onlyOwn(who, (await get(who, '/jaeger/api/v3/services')).text, 'Jaeger api_v3 services');
      const loki = await get(who, `/loki/api/v1/query_range?query=${encodeURIComponent('{service_name=~".+"}')}&start=${Date.now() - 3_600_000}000000&limit=100`);
      assert.equal(loki.status, 200, loki.text);
      onlyOwn(who, loki.text, 'Loki query_range');
      onlyOwn(who, (await get(who, `/loki/api/v1/label/service_name/values?start=${Date.now() - 3_600_000}000000`)).text, 'Loki label values');
      const mcp = await get(who, '/mcp', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
        body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/call', params: { name: 'list_services', arguments: {} } }),
      });
      assert.equal(mcp.status, 200, mcp.text);
      onlyOwn(who, mcp.text, 'MCP list_services');
    }
  });

  test("a user of a tenant logs in and sees that tenant's data", async () => {
    const login = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'globex-reader', password: 'globex-password' }) });
    assert.equal(login.status, 200);
    assert.equal(((await login.json()) as { user: { tenant?: string } }).user.tenant, 'globex');
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const services = await fetch(`${th.apiUrl}/api/v1/services?start=${hourAgo()}`, { headers: { cookie } });
    onlyOwn('globex', await services.text(), 'services by session');
  });

  test("an ingest token and X-Scope-OrgID must agree; an admin token of a tenant makes and sees that tenant's tokens only", async () => {
    const base = `http://127.0.0.1:${th.port('http')}`;
    const refused = await exportSpan('http/protobuf', base, 'intruder', { headers: { authorization: 'Bearer ingest-acme', 'x-scope-orgid': 'globex' }, timeoutMs: 5000 });
    assert.equal(refused.ok, false);
    assert.equal(refused.code, 401);
    const agreed = await exportSpan('http/protobuf', base, services.acme, { headers: { authorization: 'Bearer ingest-acme', 'x-scope-orgid': 'acme' } });
    assert.ok(agreed.ok, agreed.message);

    const dataDir = path.join(th.dir, 'data');
    await addUser(dataDir, 'acme-admin', 'acme-password', 'admin', 'acme');
    const login = await fetch(`${th.apiUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'acme-admin', password: 'acme-password' }) });
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const { csrfToken } = (await login.json()) as { csrfToken: string };
    const asAdmin = (method: string, body?: unknown) =>
      fetch(`${th.apiUrl}/api/v1/auth/tokens`, { method, headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
    assert.equal((await asAdmin('POST', { name: 'escape', role: 'read', tenant: 'globex' })).status, 403);
    const made = (await (await asAdmin('POST', { name: 'acme ci', role: 'read' })).json()) as { info: { tenant?: string } };
    assert.equal(made.info.tenant, 'acme');
    const listed = (await (await asAdmin('GET')).json()) as { tokens: { name: string; tenant?: string }[] };
    assert.deepEqual(listed.tokens.map((t) => t.name).sort(), ['acme ci', 'acme reader']);
  });
});
