import { Readable } from 'node:stream';
import { Hono } from 'hono';
import type { Context } from 'hono';
import { cors } from 'hono/cors';
import type { ReceiverConsumers } from '../../component/component.ts';
import { BadRequestError } from '../../consumer/errors.ts';
import { compileGoRegexp } from '../../lib/go-regexp.ts';
import type { Logger } from '../../lib/log.ts';
import {
  encodeExportResponseProto,
  encodeStatusProto,
  exportResponseToOtlpJson,
  statusToJson,
} from '../../pdata/index.ts';
import { DecodeRefusals } from '../../pdata/decode-refusals.ts';
import type { Signal } from '../../pdata/model.ts';
import { readBody } from './body.ts';
import { consumeDecoded, signalHandling } from './signals.ts';
import { GrpcCode, httpFailureFor, UnsupportedMediaTypeError } from './status.ts';
import { fetchHeaders, UnauthenticatedError } from '../../extension/auth/authenticator.ts';
import type { AuthInfo, ServerAuthenticator } from '../../extension/auth/authenticator.ts';
import { runAsTenant } from '../../tenancy/tenant-context.ts';

// OTLP/HTTP receiver (opentelemetry-proto docs/specification.md, "OTLP/HTTP"):
// POST /v1/{traces,metrics,logs} with binary protobuf or JSON bodies, answered in
// the request's own encoding.

export interface OtlpHttpReceiverOptions {
  /** Signals without a consumer (no pipeline) answer 404. */
  consumers: ReceiverConsumers;
  maxRequestBodyBytes: number;
  cors: CorsConfig;
  logger: Logger;
  /** Counts accepted and refused items (own telemetry). */
  onResult?: (signal: Signal, outcome: 'accepted' | 'refused', items: number) => void;
  /** `auth.authenticator`: checked before the body is read. */
  authenticate?: ServerAuthenticator['authenticate'];
}

/** The Collector's confighttp CORS settings. No allowed origins: CORS is off. */
export interface CorsConfig {
  /** Exact origins, `*`, or patterns with one `*` wildcard (`https://*.example.com`). */
  allowedOrigins: readonly string[];
  /** Added to the headers OTLP senders always need. */
  allowedHeaders: readonly string[];
  maxAgeSeconds?: number;
}

type Encoding = 'protobuf' | 'json';

/**
 * Collector semantics: `*` in an origin pattern matches any run of characters.
 * RE2, not RegExp: the Origin header is the client's, and a RegExp of three `.*`
 * took 14 s on a 4 KB origin (lib/go-regexp.ts).
 */
function originMatcher(patterns: readonly string[]): (origin: string) => string | null {
  const regexes = patterns.map((p) =>
    compileGoRegexp(`^${p.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`),
  );
  return (origin) => (regexes.some((r) => r.test(origin)) ? origin : null);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function jsonText(body: Buffer): string {
  try {
    return utf8.decode(body);
  } catch (error) {
    throw new BadRequestError('JSON body is not valid UTF-8', { cause: error });
  }
}

export function createOtlpHttpReceiver(options: OtlpHttpReceiverOptions): Hono {
  const app = new Hono();
  if (options.cors.allowedOrigins.length > 0) {
    const { allowedOrigins, allowedHeaders, maxAgeSeconds } = options.cors;
    app.use(
      '/v1/*',
      cors({
        origin: allowedOrigins.includes('*') ? '*' : originMatcher(allowedOrigins),
        allowMethods: ['POST', 'OPTIONS'],
        allowHeaders: [...new Set(['Content-Type', 'Content-Encoding', 'Authorization', ...allowedHeaders])],
        ...(maxAgeSeconds === undefined ? {} : { maxAge: maxAgeSeconds }),
      }),
    );
  }
  const { authenticate } = options;
  if (authenticate) {
    // As confighttp's authInterceptor inside the CORS handler: preflights are
    // answered above, everything else authenticates before its body is read,
    // refused with 401 and a Status (code UNAUTHENTICATED) in the request's encoding.
    app.use('*', async (c, next) => {
      let info: AuthInfo | void;
      try {
        info = await authenticate(fetchHeaders(c.req.raw.headers));
      } catch (error) {
        if (!(error instanceof UnauthenticatedError)) throw error;
        let encoding: Encoding = 'json';
        try {
          encoding = encodingOf(c.req.header('content-type'));
        } catch {}
        options.logger.debug('unauthenticated OTLP/HTTP request', { path: c.req.path, error: error.message });
        return failure(c, encoding, { status: 401, grpcCode: GrpcCode.UNAUTHENTICATED, message: error.message }, {});
      }
      // The pipeline stores this request under the credential's tenant (tenancy/).
      await runAsTenant(info?.tenant, next);
    });
  }
  for (const signal of ['traces', 'metrics', 'logs'] as const) {
    if (options.consumers[signal] === undefined) {
      // As the Collector: a signal no pipeline takes is not served at all.
      app.all(`/v1/${signal}`, (c) =>
        failure(c, 'json', { status: 404, grpcCode: GrpcCode.UNIMPLEMENTED, message: `no pipeline receives ${signal} here` }, {}),
      );
      continue;
    }
    app.post(`/v1/${signal}`, (c) => handleExport(c, signal, options));
    app.all(`/v1/${signal}`, (c) =>
      failure(c, 'json', {
        status: 405,
        grpcCode: GrpcCode.UNIMPLEMENTED,
        message: `method ${c.req.method} is not allowed: use POST`,
      }, { Allow: 'POST' }),
    );
  }
  return app;
}

async function handleExport(c: Context, signal: Signal, options: OtlpHttpReceiverOptions): Promise<Response> {
  let encoding: Encoding = 'json';
  let items = 0;
  try {
    encoding = encodingOf(c.req.header('content-type'));
    // Node's own request stream when served by @hono/node-server (body.ts: the Web
    // stream around it costs more than the decode); the Request body otherwise.
    const incoming = (c.env as { incoming?: unknown } | undefined)?.incoming;
    const source = incoming instanceof Readable ? incoming : c.req.raw.body;
    const body = await readBody(source, c.req.header('content-encoding'), options.maxRequestBodyBytes);
    const route = signalHandling[signal];
    const refusals = new DecodeRefusals();
    const data = encoding === 'protobuf' ? route.decodeProto(body, refusals) : route.decodeJson(jsonText(body), refusals);
    items = route.count(data as never);
    const partialSuccess = await consumeDecoded(route, options.consumers, data, items, refusals);
    options.onResult?.(signal, 'accepted', items);
    if (refusals.count > 0) options.onResult?.(signal, 'refused', refusals.count);
    return encoding === 'protobuf'
      ? c.body(new Uint8Array(encodeExportResponseProto(partialSuccess)), 200, {
          'Content-Type': 'application/x-protobuf',
        })
      : c.json(exportResponseToOtlpJson(signal, partialSuccess) as object, 200);
  } catch (error) {
    options.onResult?.(signal, 'refused', items);
    const f = httpFailureFor(error);
    // The detail the client does not see is logged once, under the id it does see.
    if (f.serverLog !== undefined) {
      options.logger.warn(`refused ${signal} export`, { status: f.status, request_id: f.serverLog.requestId, error: f.serverLog.detail });
    } else if (f.status >= 500) options.logger.warn(`refused ${signal} export`, { status: f.status, error: f.message });
    else options.logger.debug(`rejected ${signal} export`, { status: f.status, error: f.message });
    const headers: Record<string, string> =
      f.retryAfterSeconds === undefined ? {} : { 'Retry-After': String(f.retryAfterSeconds) };
    return failure(c, encoding, f, headers);
  }
}

function encodingOf(contentType: string | undefined): Encoding {
  const mediaType = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (mediaType === 'application/x-protobuf' || mediaType === 'application/protobuf') return 'protobuf';
  if (mediaType === 'application/json') return 'json';
  throw new UnsupportedMediaTypeError(
    `unsupported Content-Type "${mediaType}": use application/x-protobuf or application/json`,
  );
}

/** OTLP/HTTP: an error response carries a google.rpc.Status in the request's encoding. */
function failure(
  c: Context,
  encoding: Encoding,
  f: { status: number; grpcCode: number; message: string },
  headers: Record<string, string>,
): Response {
  const status = f.status as 400;
  if (encoding === 'protobuf') {
    return c.body(new Uint8Array(encodeStatusProto(f.grpcCode, f.message)), status, {
      ...headers,
      'Content-Type': 'application/x-protobuf',
    });
  }
  return c.json(statusToJson(f.grpcCode, f.message) as object, status, headers);
}
