import http from 'node:http';
import { parseArgs } from 'node:util';
import { encodeTracesProto } from '../src/pdata/index.ts';
import { seedBatch } from './seed-spans.ts';

// The sending side of `npm run bench`, run as its own process so its CPU is not
// counted as the server's: pre-encodes every request (OTLP/HTTP protobuf, as the
// Python SDK's BatchSpanProcessor sends them), then posts them with a fixed number
// in flight, retrying 429/503 after Retry-After as an OTLP exporter does.

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    requests: { type: 'string', default: '2000' },
    'spans-per-request': { type: 'string', default: '512' },
    concurrency: { type: 'string', default: '8' },
  },
});
const requests = Number(values.requests);
const spansPerRequest = Number(values['spans-per-request']);
const concurrency = Number(values.concurrency);
const url = new URL(`${values.url}/v1/traces`);
// node:http with keep-alive rather than fetch: the generator shares the machine's two
// cores with the server, and undici's fetch costs it several times more CPU a request.
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

function post(body: Uint8Array): Promise<{ status: number; retryAfter: string | undefined }> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      { method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.byteLength } },
      (response) => {
        response.resume();
        response.once('end', () =>
          resolve({ status: response.statusCode ?? 0, retryAfter: response.headers['retry-after'] }),
        );
      },
    );
    request.once('error', reject);
    request.end(body);
  });
}

const nowNs = BigInt(Date.now()) * 1_000_000n;
const bodies = Array.from({ length: requests }, (_, i) =>
  encodeTracesProto(seedBatch(spansPerRequest, nowNs - BigInt(i) * 1_000_000_000n, i * spansPerRequest)),
);
const bodyBytes = bodies.reduce((sum, b) => sum + b.byteLength, 0);

const latenciesMs: number[] = [];
let next = 0;
let retries = 0;
let failures = 0;
const started = performance.now();

async function worker(): Promise<void> {
  while (next < bodies.length) {
    const body = bodies[next++]!;
    for (;;) {
      const t0 = performance.now();
      const response = await post(body);
      if (response.status >= 200 && response.status < 300) {
        latenciesMs.push(performance.now() - t0);
        break;
      }
      if (response.status === 429 || response.status === 503) {
        retries++;
        await new Promise((r) => setTimeout(r, Number(response.retryAfter ?? '1') * 1000));
        continue;
      }
      failures++;
      break;
    }
  }
}

await Promise.all(Array.from({ length: concurrency }, worker));
agent.destroy();
const elapsedS = (performance.now() - started) / 1000;
latenciesMs.sort((a, b) => a - b);
const pct = (p: number) => latenciesMs[Math.min(latenciesMs.length - 1, Math.floor((p / 100) * latenciesMs.length))] ?? 0;
process.stdout.write(
  JSON.stringify({
    requests,
    spansPerRequest,
    concurrency,
    acknowledgedSpans: latenciesMs.length * spansPerRequest,
    failures,
    retries,
    elapsedS,
    bytesPerSpanOnWire: bodyBytes / (requests * spansPerRequest),
    latencyMs: { p50: pct(50), p99: pct(99), max: latenciesMs.at(-1) ?? 0 },
  }) + '\n',
);
