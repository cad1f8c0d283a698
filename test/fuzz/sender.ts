import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { decodeExportResponse, decodeExportResponseJson } from '../../src/exporter/exporterhelper/otlp-responses.ts';
import { encodeLogsProto, encodeMetricsProto, encodeTracesProto, logsToOtlpJson, metricsToOtlpJson, tracesToOtlpJson } from '../../src/pdata/index.ts';
import type { PartialSuccess, Signal } from '../../src/pdata/model.ts';
import { fullLogs, fullMetrics, fullTraces } from '../../src/pdata/testdata/full-model.ts';
import { fuzzCorpus } from './corpus.ts';
import type { CorpusOptions, FuzzBody, Transport } from './corpus.ts';
import { Random } from './random.ts';
import { sdkLogRequest, sdkMetricRequest, sdkTraceRequest } from './sdk-seeds.ts';
import type { SeedRequest } from './sdk-seeds.ts';

// The sending side of the fuzz test: an OTLP client for the three transports that
// sends a share of the corpus with bounded concurrency and judges every answer.
// It runs in worker threads (sender-worker.ts), so the server under test has the
// main thread to itself and the two cores work in parallel.

export const SEED = 20261201;
export const BASE_MS = Date.parse('2025-06-01T00:00:00Z');
const DECODER_PATH = /resource(Spans|Logs|Metrics)\[\d+\]/;
export const ENGINE_TEXT = /DB::Exception|Code: \d+\.|clickhouse|chdb|Decimal math/i;

const GRPC_PATHS: Readonly<Record<Signal, string>> = {
  traces: '/opentelemetry.proto.collector.trace.v1.TraceService/Export',
  metrics: '/opentelemetry.proto.collector.metrics.v1.MetricsService/Export',
  logs: '/opentelemetry.proto.collector.logs.v1.LogsService/Export',
};

export interface Answer {
  /** HTTP status, or the gRPC status code. */
  status: number;
  text: string;
  partial: PartialSuccess | undefined;
  /** 429 with Retry-After, or RESOURCE_EXHAUSTED with a RetryInfo: overloaded, try again later. */
  retryAfterMs?: number;
}

export interface SenderOptions {
  otlpUrl: string;
  grpcAddress: string;
  corpus: Omit<CorpusOptions, 'baseNs'> & { baseNs: string };
  /** This sender takes the items whose index % senders === senderIndex. */
  senderIndex: number;
  senders: number;
  inFlight: number;
}

export interface SenderReport {
  sent: number;
  retries: number;
  /** `transport status` -> count. */
  answered: Record<string, number>;
  failures: string[];
}

export class OtlpClient {
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  private readonly grpcClient: grpc.Client;
  private readonly url: URL;

  constructor(otlpUrl: string, grpcAddress: string) {
    this.url = new URL(otlpUrl);
    this.grpcClient = new grpc.Client(grpcAddress, grpc.credentials.createInsecure());
  }

  close(): void {
    this.grpcClient.close();
    this.agent.destroy();
  }

  async send(transport: Transport, signal: Signal, body: Uint8Array, contentType: string): Promise<Answer> {
    if (transport === 'grpc') {
      return new Promise((resolve) => {
        this.grpcClient.makeUnaryRequest(GRPC_PATHS[signal], (b: Buffer) => b, (b: Buffer) => b, Buffer.from(body), (error, response) => {
          if (error) {
            const details = error.metadata?.get('grpc-status-details-bin')[0];
            const retryAfterMs = error.code === grpc.status.RESOURCE_EXHAUSTED && details !== undefined ? 1000 : undefined;
            resolve({ status: error.code, text: error.details, partial: undefined, ...(retryAfterMs === undefined ? {} : { retryAfterMs }) });
          }
          else resolve({ status: grpc.status.OK, text: '', partial: decodeExportResponse(response ?? new Uint8Array()) });
        });
      });
    }
    const response = await this.post(`/v1/${signal}`, contentType, body);
    const text = new TextDecoder().decode(response.body);
    let partial: PartialSuccess | undefined;
    if (response.status === 200) {
      const json = (response.headers['content-type'] ?? '').includes('json');
      partial = json ? decodeExportResponseJson(signal, text) : decodeExportResponse(response.body);
      if (json) JSON.parse(text); // a 200 answer must be an ExportXServiceResponse in the request's encoding
    }
    const retryAfter = response.status === 429 ? Number(response.headers['retry-after'] ?? '1') * 1000 : undefined;
    return { status: response.status, text, partial, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  }

  /**
   * One POST over a keep-alive connection. node:http rather than fetch: undici's
   * fetch cost twice the CPU per request, which at 20,000 requests is most of the
   * test's time. A connection the server closed while idle (keep-alive timeout
   * racing a new request) is retried once on a new one; a body that breaks its
   * connection twice is a failure.
   */
  async post(path: string, contentType: string, body: Uint8Array, attempt = 0): Promise<HttpAnswer> {
    const url = this.url;
    try {
      return await new Promise<HttpAnswer>((resolve, reject) => {
        const request = http.request(
          { agent: this.agent, host: url.hostname, port: url.port, path, method: 'POST', headers: { 'Content-Type': contentType, 'Content-Length': body.length } },
          (response) => {
            const chunks: Buffer[] = [];
            response.on('data', (chunk: Buffer) => chunks.push(chunk));
            response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks) }));
            response.on('error', reject);
          },
        );
        request.on('error', reject);
        request.end(body);
      });
    } catch (error) {
      if (attempt > 0 || !['ECONNRESET', 'EPIPE'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
      return this.post(path, contentType, body, attempt + 1);
    }
  }

  /**
   * Sends as an OTLP exporter does: an overloaded answer (the server refusing work
   * early, with a delay) is retried after that delay, so the verdict checked is the
   * one the body itself earns. Counts the retries in `retries`.
   */
  async sendUntilAnswered(item: FuzzBody, retries: { count: number }): Promise<Answer> {
    for (let attempt = 0; ; attempt++) {
      const answer = await this.send(item.transport, item.signal, item.body, item.contentType);
      if (answer.retryAfterMs === undefined || attempt === 10) return answer;
      retries.count++;
      await new Promise((resolve) => setTimeout(resolve, Math.min(answer.retryAfterMs!, 2000)));
    }
  }
}

interface HttpAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** Why `answer` is wrong for `item`, or undefined. */
export function problem(item: FuzzBody, answer: Answer, limit: number): string | undefined {
  const grpcCall = item.transport === 'grpc';
  const ok = grpcCall ? grpc.status.OK : 200;
  const bad = grpcCall ? grpc.status.INVALID_ARGUMENT : 400;
  const tooLarge = grpcCall ? grpc.status.RESOURCE_EXHAUSTED : 413;
  if (ENGINE_TEXT.test(answer.text) || ENGINE_TEXT.test(answer.partial?.errorMessage ?? '')) return 'engine text in the answer';
  // The decoder's refusals name their item's path; the store's are shared out by the batch processor.
  const decoderRefused = answer.partial !== undefined && answer.partial.rejected > 0n && DECODER_PATH.test(answer.partial.errorMessage);
  switch (item.expect) {
    case 'accepted':
      return answer.status === ok && !DECODER_PATH.test(answer.partial?.errorMessage ?? '') ? undefined : 'expected accepted';
    case 'refused':
      return answer.status === ok && decoderRefused ? undefined : 'expected a partial success naming the refused item';
    case 'ok':
      return answer.status === ok ? undefined : 'expected 200 / OK';
    case 'malformed':
      return answer.status === bad ? undefined : 'expected 400 / INVALID_ARGUMENT';
    case 'too-large':
      return answer.status === tooLarge ? undefined : 'expected 413 / RESOURCE_EXHAUSTED';
    case 'unsupported':
      return answer.status === 415 ? undefined : 'expected 415';
    default:
      // A mutation may grow a body past the limit.
      if (answer.status === tooLarge && item.body.length > limit) return undefined;
      return answer.status === ok || answer.status === bad ? undefined : 'expected 200 or 400 / INVALID_ARGUMENT';
  }
}

export async function seeds(): Promise<SeedRequest[]> {
  const random = new Random(SEED);
  const ours = (signal: Signal, protobuf: Uint8Array, json: unknown): SeedRequest => ({
    signal,
    protobuf,
    json: new TextEncoder().encode(JSON.stringify(json)),
    traceIds: [],
  });
  return [
    await sdkTraceRequest(random, BASE_MS, 1),
    await sdkTraceRequest(random, BASE_MS, 4),
    await sdkTraceRequest(random, BASE_MS + 60_000, 2, 'checkout'),
    await sdkLogRequest(random, BASE_MS, 5),
    await sdkMetricRequest(random, BASE_MS),
    // The project's encoder, on a model holding every field and extreme values.
    ours('traces', encodeTracesProto(fullTraces), tracesToOtlpJson(fullTraces)),
    ours('logs', encodeLogsProto(fullLogs), logsToOtlpJson(fullLogs)),
    ours('metrics', encodeMetricsProto(fullMetrics), metricsToOtlpJson(fullMetrics)),
  ];
}

/** Sends this sender's share of the corpus, `inFlight` at a time, and judges every answer. */
export async function runSender(options: SenderOptions): Promise<SenderReport> {
  const client = new OtlpClient(options.otlpUrl, options.grpcAddress);
  const corpus = fuzzCorpus(await seeds(), { ...options.corpus, baseNs: BigInt(options.corpus.baseNs) });
  const report: SenderReport = { sent: 0, retries: 0, answered: {}, failures: [] };
  const retries = { count: 0 };
  const mine = (): FuzzBody | undefined => {
    for (let next = corpus.next(); !next.done; next = corpus.next()) {
      if (next.value.index % options.senders === options.senderIndex) return next.value;
    }
    return undefined;
  };
  const worker = async () => {
    for (let item = mine(); item !== undefined; item = mine()) {
      const limit = item.transport === 'grpc' ? options.corpus.maxGrpcBytes : options.corpus.maxHttpBytes;
      const answer = await client.sendUntilAnswered(item, retries).catch((e: unknown) => {
        throw new Error(`#${item.index} ${item.transport} ${item.kind} (${item.body.length} bytes): ${String(e)}`, { cause: e });
      });
      report.sent++;
      const key = `${item.transport} ${answer.status}`;
      report.answered[key] = (report.answered[key] ?? 0) + 1;
      const why = problem(item, answer, limit);
      if (why !== undefined && report.failures.length < 20) {
        report.failures.push(
          `#${item.index} ${item.transport} ${item.signal} ${item.kind}: ${why}, got ${answer.status} ${answer.text.slice(0, 200)} ${answer.partial?.errorMessage ?? ''}`,
        );
      }
    }
  };
  try {
    await Promise.all(Array.from({ length: options.inFlight }, worker));
  } finally {
    client.close();
  }
  report.retries = retries.count;
  return report;
}
