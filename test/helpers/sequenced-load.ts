import http from 'node:http';
import * as grpc from '@grpc/grpc-js';
import { emptySpan } from '../../src/pdata/defaults.ts';
import { encodeTracesProto } from '../../src/pdata/index.ts';
import type { Span, TracesData } from '../../src/pdata/model.ts';

// Sequence-numbered span load for the crash and shutdown tests and `npm run soak`:
// request i of a round is one trace of `spansPerRequest` spans whose ids and `seq`
// attribute follow from (round, i), starting at baseMs + i ms. So after a crash
// "missing" (an acknowledged span not readable) and "duplicate" (a span counted
// or returned twice) are exact counts, and the round's traces can be listed by
// time windows of 1,000 requests (the search API's largest limit).

export type Transport = 'http' | 'grpc';

export interface LoadPlan {
  /** 0-255: the first byte of every trace id, so rounds sharing a data directory never collide. */
  round: number;
  spansPerRequest: number;
  /** Start of request 0, Unix ms; request i starts at baseMs + i. */
  baseMs: number;
}

const SERVICES = ['seq-even', 'seq-odd'] as const;
const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

export function traceIdOf(plan: LoadPlan, index: number): string {
  return `${hex(plan.round, 2)}${hex(index + 1, 30)}`;
}

export function spanIdOf(plan: LoadPlan, index: number, position: number): string {
  return `${hex(plan.round, 2)}${hex(index * plan.spansPerRequest + position + 1, 14)}`;
}

/** The OTLP protobuf body of request `index`: a root span and its children. */
export function requestBody(plan: LoadPlan, index: number): Uint8Array {
  const startNs = BigInt(plan.baseMs + index) * 1_000_000n;
  const traceId = traceIdOf(plan, index);
  const spans: Span[] = [];
  for (let position = 0; position < plan.spansPerRequest; position++) {
    const seq = index * plan.spansPerRequest + position;
    const spanStart = startNs + BigInt(position) * 1000n;
    spans.push({
      ...emptySpan(),
      traceId,
      spanId: spanIdOf(plan, index, position),
      parentSpanId: position === 0 ? '' : spanIdOf(plan, index, 0),
      name: position === 0 ? 'request' : 'step',
      kind: position === 0 ? 2 : 1,
      startTimeUnixNano: spanStart,
      endTimeUnixNano: position === 0 ? startNs + 900_000n : spanStart + 500n,
      attributes: [{ key: 'seq', value: { type: 'int', value: BigInt(seq) } }],
      // Every tenth request's root fails, so error counts are checked too.
      status: { code: position === 0 && index % 10 === 0 ? 2 : 0, message: '' },
    });
  }
  const data: TracesData = {
    resourceSpans: [
      {
        resource: {
          attributes: [{ key: 'service.name', value: { type: 'string', value: SERVICES[index % 2]! } }],
          droppedAttributesCount: 0,
        },
        scopeSpans: [{ scope: { name: 'sequenced-load', version: '1', attributes: [], droppedAttributesCount: 0 }, spans, schemaUrl: '' }],
        schemaUrl: '',
      },
    ],
  };
  return encodeTracesProto(data);
}

/** As an OTLP exporter sees it: done, try again later (429/503, UNAVAILABLE, or no connection), or refused for good. */
type Answer = { outcome: 'ok' } | { outcome: 'retry'; afterMs: number } | { outcome: 'refused'; detail: string };

/** Refused, reset or cut connections: the process is gone or going; retried, as an exporter does. */
const GONE: Answer = { outcome: 'retry', afterMs: 100 };

interface Sender {
  send(body: Uint8Array): Promise<Answer>;
  close(): void;
}

function httpSender(otlpUrl: string, concurrency: number): Sender {
  // node:http with keep-alive, as the bench's load generator: cheap on CPU, and
  // keep-alive connections are what a shutdown has to deal with.
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const url = new URL(`${otlpUrl}/v1/traces`);
  return {
    send: (body) =>
      new Promise((resolve) => {
        const request = http.request(
          url,
          { method: 'POST', agent, headers: { 'Content-Type': 'application/x-protobuf', 'Content-Length': body.byteLength } },
          (response) => {
            response.resume();
            response.once('error', () => resolve(GONE));
            response.once('end', () => {
              const status = response.statusCode ?? 0;
              if (status === 200) resolve({ outcome: 'ok' });
              else if (status === 429 || status === 503) {
                resolve({ outcome: 'retry', afterMs: Math.min(1000, Number(response.headers['retry-after'] ?? '1') * 1000) });
              } else resolve({ outcome: 'refused', detail: `HTTP ${status}` });
            });
          },
        );
        request.once('error', () => resolve(GONE));
        request.end(body);
      }),
    close: () => agent.destroy(),
  };
}

const TRACE_EXPORT = '/opentelemetry.proto.collector.trace.v1.TraceService/Export';

function grpcSender(address: string): Sender {
  const client = new grpc.Client(address, grpc.credentials.createInsecure());
  const pass = (b: Buffer) => b;
  return {
    send: (body) =>
      new Promise((resolve) => {
        client.makeUnaryRequest(TRACE_EXPORT, (b: Uint8Array) => Buffer.from(b), pass, body, { deadline: Date.now() + 30_000 }, (error) => {
          if (error === null) resolve({ outcome: 'ok' });
          // UNAVAILABLE is both "retry later" and "no connection"; CANCELLED and
          // INTERNAL are what a call cut by a dying server becomes.
          else if (
            [grpc.status.UNAVAILABLE, grpc.status.RESOURCE_EXHAUSTED, grpc.status.CANCELLED, grpc.status.INTERNAL, grpc.status.DEADLINE_EXCEEDED].includes(
              error.code,
            )
          ) {
            resolve(GONE);
          } else resolve({ outcome: 'refused', detail: `gRPC ${error.code} ${error.details}` });
        });
      }),
    close: () => client.close(),
  };
}

export interface LoadResult {
  plan: LoadPlan;
  /** Requests handed out (indices 0 .. sent-1). */
  sent: number;
  /** Indices answered 200 / OK. */
  acknowledged: number[];
  /** Indices sent but never acknowledged (in flight when the process went). */
  unacknowledged: number[];
  /** 429/503 answers that were retried, as an OTLP exporter does. */
  retries: number;
  /** Anything else: a test failure. */
  refusals: string[];
}

export interface RunningLoad {
  /** Acknowledged so far. */
  acknowledgedCount(): number;
  /** Stops handing out requests and resolves when every worker has finished. */
  stop(): Promise<LoadResult>;
}

/** `concurrency` senders posting requests 0, 1, 2... until stopped, retrying what is not acknowledged. */
export function startLoad(target: { transport: Transport; otlpUrl: string; grpcAddress: string }, plan: LoadPlan, concurrency: number): RunningLoad {
  const sender = target.transport === 'http' ? httpSender(target.otlpUrl, concurrency) : grpcSender(target.grpcAddress);
  const result: LoadResult = { plan, sent: 0, acknowledged: [], unacknowledged: [], retries: 0, refusals: [] };
  let stopped = false;
  const worker = async (): Promise<void> => {
    while (!stopped) {
      const index = result.sent++;
      const body = requestBody(plan, index);
      for (;;) {
        const answer = await sender.send(body);
        if (answer.outcome === 'ok') {
          result.acknowledged.push(index);
          break;
        }
        if (answer.outcome === 'retry' && !stopped) {
          result.retries++;
          await new Promise((r) => setTimeout(r, answer.afterMs));
          continue;
        }
        result.unacknowledged.push(index);
        if (answer.outcome === 'refused') {
          result.refusals.push(`request ${index}: ${answer.detail}`);
          stopped = true;
        }
        return;
      }
    }
  };
  const ended = Promise.all(Array.from({ length: concurrency }, worker)).then(() => sender.close());
  return {
    acknowledgedCount: () => result.acknowledged.length,
    async stop() {
      stopped = true;
      await ended;
      return result;
    },
  };
}
