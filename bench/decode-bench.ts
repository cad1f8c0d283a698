import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { createRequire } from 'node:module';
import { decodeTracesJson, decodeTracesProto, encodeTracesProto, tracesToOtlpJson } from '../src/pdata/index.ts';
import type { TracesData } from '../src/pdata/model.ts';
import { ExportTraceServiceRequest } from './otlp-protobufjs.ts';
import { seedBatch } from './seed-spans.ts';

const protobufjsVersion = (createRequire(import.meta.url)('protobufjs/package.json') as { version: string }).version;

// Micro-benchmark of the OTLP trace codecs (src/pdata): decodeTracesProto is on
// the ingest hot path (the server must take >= 50,000 spans/s on 2 cores, so decode
// has to stay well under 2 µs a span). A realistic ExportTraceServiceRequest of
// 512 payment-api spans (traces of five, ~10 attributes each, bench/seed-spans.ts)
// is encoded once, then decoded in a loop. For comparison, protobufjs decodes the
// same bytes (a decoder against a decoder; earlier versions set ours beside the
// SDK's encoder, which said nothing about decoding). Prints the figures and writes
// bench/results/decode.json.
//
//   node --import tsx bench/decode-bench.ts [--seconds=3]

const SPANS = 512;
const seconds = Number(process.argv.find((a) => a.startsWith('--seconds='))?.split('=')[1] ?? '3');

/**
 * Runs `fn` repeatedly for about `seconds` (after a warm-up) and returns the CPU
 * time per call in ns: on a shared machine CPU time is far steadier than wall time
 * (the wall figure is kept beside it in `wallNs`).
 */
function time(fn: () => unknown, budgetS = seconds): number {
  const warmEnd = performance.now() + 300;
  while (performance.now() < warmEnd) fn();
  let calls = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  const end = start + budgetS * 1000;
  let now = start;
  while (now < end) {
    for (let i = 0; i < 10; i++) fn();
    calls += 10;
    now = performance.now();
  }
  const used = process.cpuUsage(cpu);
  wallNs.push(((now - start) * 1e6) / calls);
  return ((used.user + used.system) * 1e3) / calls;
}
const wallNs: number[] = [];

const countSpans = (data: TracesData) => data.resourceSpans.reduce((n, r) => n + r.scopeSpans.reduce((m, s) => m + s.spans.length, 0), 0);

// ---------------------------------------------------------------- our codecs
const batch = seedBatch(SPANS, 1_700_000_000_000_000_000n, 0, { children: 4 });
const proto = encodeTracesProto(batch);
const json = JSON.stringify(tracesToOtlpJson(batch));
const decoded = decodeTracesProto(proto);
if (countSpans(decoded) !== SPANS) throw new Error('decode lost spans');
const attributesPerSpan = decoded.resourceSpans[0]!.scopeSpans[0]!.spans.reduce((n, s) => n + s.attributes.length, 0) / SPANS;

const decodeNs = time(() => decodeTracesProto(proto));
const encodeNs = time(() => encodeTracesProto(batch));
const jsonDecodeNs = time(() => decodeTracesJson(json), Math.min(seconds, 2));

// ---------------------------------------------------------------- another decoder
// protobufjs (the decoder @grpc/proto-loader uses) on the same bytes: `decode`
// builds its message objects (ids as Buffers, fixed64 as Long); `toObject` turns
// them into plain objects with string longs, nearer to what ours returns (hex ids,
// bigint times), so both are timed.
const theirs = ExportTraceServiceRequest.decode(proto) as unknown as { resourceSpans: { scopeSpans: { spans: { name: string; spanId: Uint8Array }[] }[] }[] };
const theirSpans = theirs.resourceSpans[0]!.scopeSpans[0]!.spans;
const ourSpans = decoded.resourceSpans[0]!.scopeSpans[0]!.spans;
if (theirSpans.length !== SPANS || theirSpans.some((t, i) => t.name !== ourSpans[i]!.name || Buffer.from(t.spanId).toString('hex') !== ourSpans[i]!.spanId)) {
  throw new Error('protobufjs and decodeTracesProto disagree on the spans');
}
const protobufjsDecodeNs = time(() => ExportTraceServiceRequest.decode(proto));
const protobufjsToObjectNs = time(() =>
  ExportTraceServiceRequest.toObject(ExportTraceServiceRequest.decode(proto), { longs: String, bytes: String }),
);

const perSpan = (ns: number) => Math.round((ns / SPANS) * 10) / 10;
const mbPerS = (bytes: number, ns: number) => Math.round((bytes / (ns / 1e9) / 1e6) * 10) / 10;
const results = {
  spansPerRequest: SPANS,
  attributesPerSpan: Math.round(attributesPerSpan * 10) / 10,
  requestBytes: proto.byteLength,
  note: 'CPU time per span (process.cpuUsage) on one core; wallNsPerSpan is the elapsed time',
  decodeTracesProto: {
    nsPerSpan: perSpan(decodeNs),
    wallNsPerSpan: perSpan(wallNs[0]!),
    mbPerS: mbPerS(proto.byteLength, decodeNs),
    spansPerS: Math.round((SPANS / decodeNs) * 1e9),
  },
  encodeTracesProto: { nsPerSpan: perSpan(encodeNs), mbPerS: mbPerS(proto.byteLength, encodeNs) },
  decodeTracesJson: { nsPerSpan: perSpan(jsonDecodeNs), mbPerS: mbPerS(Buffer.byteLength(json), jsonDecodeNs), requestBytes: Buffer.byteLength(json) },
  protobufjsComparison: {
    note: 'protobufjs ' + protobufjsVersion + ' decoding the same request with the OTLP messages (bench/otlp-protobufjs.ts)',
    decode: { nsPerSpan: perSpan(protobufjsDecodeNs), mbPerS: mbPerS(proto.byteLength, protobufjsDecodeNs) },
    decodeAndToObject: { nsPerSpan: perSpan(protobufjsToObjectNs), mbPerS: mbPerS(proto.byteLength, protobufjsToObjectNs) },
    oursOverProtobufjsDecode: Math.round((decodeNs / protobufjsDecodeNs) * 100) / 100,
  },
  node: process.version,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  loadAverage1m: Math.round(os.loadavg()[0]! * 100) / 100,
  measuredAt: new Date().toISOString(),
};

console.log(`request: ${SPANS} spans, ${results.attributesPerSpan} attributes/span, ${proto.byteLength} bytes protobuf, ${results.decodeTracesJson.requestBytes} bytes JSON`);
console.log(
  `decodeTracesProto  ${results.decodeTracesProto.nsPerSpan} ns/span CPU (${results.decodeTracesProto.wallNsPerSpan} wall)  ` +
    `${results.decodeTracesProto.mbPerS} MB/s  ${results.decodeTracesProto.spansPerS} spans/s on one core  (load average ${results.loadAverage1m})`,
);
console.log(`encodeTracesProto  ${results.encodeTracesProto.nsPerSpan} ns/span  ${results.encodeTracesProto.mbPerS} MB/s`);
console.log(`decodeTracesJson   ${results.decodeTracesJson.nsPerSpan} ns/span  ${results.decodeTracesJson.mbPerS} MB/s`);
console.log(
  `protobufjs on the same bytes: decode ${results.protobufjsComparison.decode.nsPerSpan} ns/span, ` +
    `decode + toObject ${results.protobufjsComparison.decodeAndToObject.nsPerSpan} ns/span ` +
    `(ours / protobufjs decode: ${results.protobufjsComparison.oursOverProtobufjsDecode})`,
);
const dir = new URL('./results/', import.meta.url);
mkdirSync(dir, { recursive: true });
writeFileSync(new URL('decode.json', dir), `${JSON.stringify(results, null, 2)}\n`);
