import http from 'node:http';
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { cpuBetween, cpuSnapshot } from './proc-stats.ts';
import type { CpuSnapshot } from './proc-stats.ts';
import { RequestTemplate } from './otlp-template.ts';
import type { ExpectedSpan } from './otlp-template.ts';
import { seedLogs } from './seed-logs.ts';
import { seedBatch } from './seed-spans.ts';
import { sendOtlp } from './otlp-send.ts';

// The sending side of `npm run bench` and `npm run bench:peers`, run as its own
// process so its CPU is not counted as the server's. OTLP/HTTP protobuf, as the
// Python SDK's BatchSpanProcessor sends it, with a fixed number in flight, retrying
// 429/503 after Retry-After as an OTLP exporter does. Every request has fresh trace
// ids (bench/otlp-template.ts). Two modes:
//   ingest: `--warmup-s` then `--measure-s`; spans/s, ack latencies and the server's
//           CPU (`--server-pid`) count only the requests acknowledged in the window.
//   load:   `--total-spans` as fast as the server takes them, stamped oldest first
//           across the `--spread-h` hours before now (the newest within a minute of
//           now), with a logs request for every `--logs-every`-th request's traces.
// Prints one JSON line; `--sample-out` gets a sample of acknowledged traces (their
// expected spans) and of trace ids to query.

const { values } = parseArgs({
  options: {
    url: { type: 'string' },
    mode: { type: 'string', default: 'ingest' },
    'spans-per-request': { type: 'string', default: '500' },
    concurrency: { type: 'string', default: '16' },
    'warmup-s': { type: 'string', default: '5' },
    'measure-s': { type: 'string', default: '30' },
    'total-spans': { type: 'string', default: '0' },
    'spread-h': { type: 'string', default: '24' },
    'logs-every': { type: 'string', default: '0' },
    'server-pid': { type: 'string' },
    'sample-out': { type: 'string' },
    'sample-size': { type: 'string', default: '200' },
  },
});
const mode = values.mode === 'load' ? 'load' : 'ingest';
const spansPerRequest = Number(values['spans-per-request']);
const concurrency = Number(values.concurrency);
const logsEvery = Number(values['logs-every']);
const sampleSize = Number(values['sample-size']);
const serverPid = values['server-pid'] === undefined ? undefined : Number(values['server-pid']);
const tracesUrl = new URL(`${values.url}/v1/traces`);
const logsUrl = new URL(`${values.url}/v1/logs`);
const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });

const send = (url: URL, body: Uint8Array) => sendOtlp(agent, url, body, () => retries++);

/** Keeps a uniform sample of `size` items of a stream (reservoir sampling, Vitter's algorithm R). */
class Reservoir<T> {
  readonly items: T[] = [];
  private seen = 0;
  constructor(private readonly size: number) {}
  offer(make: () => T): void {
    this.seen++;
    if (this.items.length < this.size) this.items.push(make());
    else {
      const at = Math.floor(Math.random() * this.seen);
      if (at < this.size) this.items[at] = make();
    }
  }
}

// A few templates, so requests differ in more than their ids (currencies, amounts
// and declines rotate with the trace number).
const templateNs = BigInt(Date.now()) * 1_000_000n;
const children = 4;
const batches = Array.from({ length: 4 }, (_, i) => seedBatch(spansPerRequest, templateNs, i * spansPerRequest, { children }));
const templates = batches.map((b) => RequestTemplate.traces(b));
const logTemplates = batches.map((b, i) => RequestTemplate.logs(seedLogs(b), templates[i]!));
const idHex = (ids: Buffer, slot: number) => ids.toString('hex', 16 * slot, 16 * slot + 16);

const sampled = new Reservoir<{ traceId: string; endNs: string; spans: ExpectedSpan[] }>(sampleSize);
const queryIds = new Reservoir<string>(2000);
const logTraceIds = new Reservoir<string>(500);
let retries = 0;
let failures = 0;
let logFailures = 0;
let acknowledgedSpans = 0;
let acknowledgedLogs = 0;
let bodyBytes = 0;
let sentRequests = 0;
const measuredLatenciesMs: number[] = [];
let measuredSpans = 0;

const started = performance.now();
const warmupMs = Number(values['warmup-s']) * 1000;
const measureMs = Number(values['measure-s']) * 1000;
const totalRequests = Math.ceil(Number(values['total-spans']) / spansPerRequest);
const spreadNs = BigInt(Math.round(Number(values['spread-h']) * 3600)) * 1_000_000_000n;
const loadEndNs = BigInt(Date.now() - 60_000) * 1_000_000n;
let next = 0;

function more(): boolean {
  return mode === 'ingest' ? performance.now() - started < warmupMs + measureMs : next < totalRequests;
}

async function worker(): Promise<void> {
  while (more()) {
    const n = next++;
    const template = templates[n % templates.length]!;
    const endNs = mode === 'ingest'
      ? BigInt(Date.now() - 1) * 1_000_000n
      : loadEndNs - spreadNs + (spreadNs * BigInt(n + 1)) / BigInt(totalRequests);
    const ids = template.freshIds();
    const body = template.render(ids, endNs);
    bodyBytes += body.byteLength;
    sentRequests++;
    const t0 = performance.now();
    if (!(await send(tracesUrl, body))) {
      failures++;
      continue;
    }
    const t1 = performance.now();
    acknowledgedSpans += template.spanCount;
    if (mode === 'ingest' && t1 - started >= warmupMs && t1 - started <= warmupMs + measureMs) {
      measuredLatenciesMs.push(t1 - t0);
      measuredSpans += template.spanCount;
    }
    const slot = Math.floor(Math.random() * template.traceIds.length);
    sampled.offer(() => ({ traceId: idHex(ids, slot), endNs: endNs.toString(), spans: template.spansBySlot[slot]! }));
    queryIds.offer(() => idHex(ids, slot));
    if (logsEvery > 0 && n % logsEvery === 0) {
      const logs = logTemplates[n % templates.length]!;
      if (await send(logsUrl, logs.render(ids, endNs))) {
        acknowledgedLogs += template.traceIds.length;
        logTraceIds.offer(() => idHex(ids, slot));
      } else logFailures++;
    }
  }
}

// The server's CPU at the start and the end of the measured window.
let cpuAtStart: Promise<CpuSnapshot> | undefined;
let cpuAtEnd: Promise<CpuSnapshot> | undefined;
const timers: NodeJS.Timeout[] = [];
if (mode === 'ingest' && serverPid !== undefined) {
  timers.push(setTimeout(() => (cpuAtStart = cpuSnapshot(serverPid)), warmupMs));
  timers.push(setTimeout(() => (cpuAtEnd = cpuSnapshot(serverPid)), warmupMs + measureMs));
}
const progress = mode === 'load'
  ? setInterval(() => process.stderr.write(`load: ${acknowledgedSpans} of ${totalRequests * spansPerRequest} spans acknowledged, ${Math.round((performance.now() - started) / 1000)} s\n`), 15_000)
  : undefined;

await Promise.all(Array.from({ length: concurrency }, worker));
const elapsedS = (performance.now() - started) / 1000;
clearInterval(progress);
agent.destroy();
const cpu = cpuAtStart !== undefined && cpuAtEnd !== undefined ? cpuBetween(await cpuAtStart, await cpuAtEnd) : undefined;
for (const t of timers) clearTimeout(t);

measuredLatenciesMs.sort((a, b) => a - b);
const pct = (p: number) => measuredLatenciesMs[Math.min(measuredLatenciesMs.length - 1, Math.floor((p / 100) * measuredLatenciesMs.length))] ?? 0;
if (values['sample-out'] !== undefined) {
  await writeFile(values['sample-out'], JSON.stringify({ traces: sampled.items, queryIds: queryIds.items, logTraceIds: logTraceIds.items }));
}
process.stdout.write(
  JSON.stringify({
    mode,
    spansPerRequest,
    spansPerTrace: children + 1,
    concurrency,
    sentRequests,
    acknowledgedSpans,
    acknowledgedLogs,
    failures,
    logFailures,
    retries,
    elapsedS,
    bytesPerSpanOnWire: bodyBytes / (sentRequests * spansPerRequest),
    ...(mode === 'ingest' && {
      measuredS: measureMs / 1000,
      measuredSpans,
      measuredRequests: measuredLatenciesMs.length,
      latencyMs: { p50: pct(50), p99: pct(99), max: measuredLatenciesMs.at(-1) ?? 0 },
      serverCpu: cpu,
    }),
  }) + '\n',
);
