import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import * as grpc from '@grpc/grpc-js';
import { decodeTracesJson, decodeTracesProto } from '../../src/pdata/index.ts';
import { flattenSpans } from '../helpers/normalize.ts';
import { startInProcess, tempDir } from '../helpers/tracehouse.ts';
import type { RunningTracehouse } from '../helpers/tracehouse.ts';
import { Random } from './random.ts';
import { sdkTraceRequest } from './sdk-seeds.ts';
import { BASE_MS, OtlpClient, SEED } from './sender.ts';
import type { SenderOptions, SenderReport } from './sender.ts';

// 20,000 seeded fuzz bodies (corpus.ts) over OTLP/HTTP protobuf, OTLP/HTTP JSON and
// OTLP/gRPC against one in-process Tracehouse (real pipeline, real embedded
// ClickHouse). Every answer must be one a sender can act on: 200 (maybe with
// partial success), 400 / INVALID_ARGUMENT, 413 / RESOURCE_EXHAUSTED for bodies
// past the limit, 415 for an unknown Content-Type; never a 5xx, never engine text;
// crafted attacks get their own answer (crafted.ts). Afterwards the server still
// serves, a valid request still round-trips exactly on every transport, and
// Object.prototype is as it was. The senders run in two worker threads, so the
// server has this thread to itself (one thread for both sides ran ~3x longer).

const COUNT = 20_000;
const SENDERS = 2;
/** Requests in flight per sender. */
const IN_FLIGHT = 24;
const MAX_HTTP_BYTES = 4 * 1024 * 1024;
const MAX_GRPC_BYTES = 4 * 1024 * 1024;

/**
 * The default pipeline with the Collector's batch timeout (200 ms) instead of
 * Tracehouse's 10 ms: the same components, but a few large inserts instead of one
 * per handful of requests, which is what 20,000 requests on 2 cores can afford.
 */
const CONFIG = `
receivers:
  otlp:
    protocols:
      grpc:
        endpoint: 127.0.0.1:0
        max_recv_msg_size_mib: ${MAX_GRPC_BYTES / 1024 / 1024}
      http:
        endpoint: 127.0.0.1:0
        max_request_body_size: ${MAX_HTTP_BYTES}
processors:
  memory_limiter:
    check_interval: 1s
    limit_percentage: 80
    spike_limit_percentage: 20
  batch:
    timeout: 200ms
    send_batch_size: 8192
exporters:
  tracehouse:
service:
  pipelines:
    traces: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [tracehouse] }
    metrics: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [tracehouse] }
    logs: { receivers: [otlp], processors: [memory_limiter, batch], exporters: [tracehouse] }
`;

let th: RunningTracehouse;
let dir: { dir: string; remove(): Promise<void> };
const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();

before(async () => {
  dir = await tempDir();
  await writeFile(path.join(dir.dir, 'fuzz.yaml'), CONFIG);
  // A retention of ten years keeps the corpus's fixed times (2025) inside it, so
  // what decodes is really stored: inserts are where poison used to bite.
  th = await startInProcess(['--config', path.join(dir.dir, 'fuzz.yaml'), '--retention', '3650d'], path.join(dir.dir, 'data'));
});

after(async () => {
  await th?.stop();
  await dir?.remove();
});

function runWorker(options: SenderOptions): Promise<SenderReport> {
  // A worker does not inherit the loader hooks that run TypeScript: it registers tsx, then loads the sender.
  const bootstrap = `import(${JSON.stringify(import.meta.resolve('tsx/esm/api'))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(new URL('./sender-worker.ts', import.meta.url).href)}); });`;
  const worker = new Worker(bootstrap, { eval: true, workerData: options });
  return new Promise((resolve, reject) => {
    worker.once('message', (message: { report?: SenderReport; error?: string }) => {
      if (message.report !== undefined) resolve(message.report);
      else reject(new Error(`sender ${options.senderIndex} stopped: ${message.error}`));
    });
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`sender ${options.senderIndex} exited with ${code} before reporting`)));
  });
}

test(`${COUNT} fuzz bodies over HTTP protobuf, HTTP JSON and gRPC get only 200/400/413/415, and nothing breaks`, async () => {
  const corpus = { seed: SEED, count: COUNT, baseNs: String(BigInt(BASE_MS) * 1_000_000n), maxHttpBytes: MAX_HTTP_BYTES, maxGrpcBytes: MAX_GRPC_BYTES };
  const reports = await Promise.all(
    Array.from({ length: SENDERS }, (_, senderIndex) =>
      runWorker({ otlpUrl: th.otlpUrl, grpcAddress: th.grpcAddress, corpus, senderIndex, senders: SENDERS, inFlight: IN_FLIGHT }),
    ),
  );
  const answered: Record<string, number> = {};
  for (const r of reports) for (const [k, n] of Object.entries(r.answered)) answered[k] = (answered[k] ?? 0) + n;
  const summary = `answers ${JSON.stringify(answered)}, retried after 429/RESOURCE_EXHAUSTED: ${reports.reduce((n, r) => n + r.retries, 0)}`;
  assert.equal(reports.reduce((n, r) => n + r.sent, 0), COUNT);
  assert.deepEqual(reports.flatMap((r) => r.failures), [], summary);
  // Enough mutations must get past the decoder and reach storage, or the corpus tests little.
  const stored = Object.entries(answered).filter(([k]) => / (200|0)$/.test(k)).reduce((n, [, v]) => n + v, 0);
  assert.ok(stored > COUNT / 10, `only ${stored} bodies were accepted: ${summary}`);

  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore);
  assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
  assert.equal((await fetch(`${th.apiUrl}/healthz`)).status, 200);
});

test('after the corpus, a valid request still round-trips exactly on every transport', async () => {
  const random = new Random(SEED + 1);
  const client = new OtlpClient(th.otlpUrl, th.grpcAddress);
  try {
    for (const transport of ['protobuf', 'json', 'grpc'] as const) {
      const request = await sdkTraceRequest(random, BASE_MS + 3_600_000, 2, `after-fuzz-${transport}`);
      const body = transport === 'json' ? request.json : request.protobuf;
      const answer = await client.send(transport, 'traces', body, transport === 'json' ? 'application/json' : 'application/x-protobuf');
      assert.equal(answer.status, transport === 'grpc' ? grpc.status.OK : 200, answer.text);
      assert.equal(answer.partial?.rejected ?? 0n, 0n, answer.partial?.errorMessage);
      const sent = decodeTracesProto(request.protobuf);
      for (const traceId of request.traceIds) {
        const response = await fetch(`${th.apiUrl}/api/v1/traces/${traceId}`);
        assert.equal(response.status, 200, `${transport} trace ${traceId}`);
        const stored = decodeTracesJson(await response.text());
        assert.deepEqual(flattenSpans(stored), flattenSpans(sent).filter((s) => s.span.traceId === traceId), `${transport} trace ${traceId}`);
      }
    }
  } finally {
    client.close();
  }
});
