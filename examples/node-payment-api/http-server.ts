import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { context, defaultTextMapGetter, metrics, propagation, SpanKind, SpanStatusCode, trace, ValueType } from '@opentelemetry/api';
import type { Attributes } from '@opentelemetry/api';

// A tiny router that instruments each request the way the FastAPI/ASGI
// instrumentation does, following the stable HTTP semantic conventions
// (https://opentelemetry.io/docs/specs/semconv/http/http-spans/): a SERVER span
// named "{method} {route template}" that continues an incoming W3C trace, and the
// http.server.request.duration and http.server.active_requests metrics. With
// Express or Fastify, @opentelemetry/auto-instrumentations-node does this for you;
// here it is spelled out, so nothing but the SDK is needed.

export class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface Route {
  method: string;
  /** '/items/{item_id}': the span name and http.route use this, never the filled path. */
  template: string;
  handler: (params: Record<string, string>, body: unknown) => Promise<Reply>;
}

export interface RouterOptions {
  /** Paths matching one of these are served without telemetry (like OTEL_PYTHON_FASTAPI_EXCLUDED_URLS). */
  excludedUrls?: RegExp[];
}

function compile(template: string): RegExp {
  const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{(\w+)\}/g, '(?<$1>[^/]+)');
  return new RegExp(`^${source}$`);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  if (chunks.length === 0) return undefined;
  try {
    return JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new HttpError(400, 'the body is not JSON');
  }
}

function send(response: ServerResponse, reply: Reply): void {
  response.writeHead(reply.status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(reply.body));
}

export function createRouter(routes: Route[], options: RouterOptions = {}): RequestListener {
  // Made here, not at module level: the metrics API hands out no-op meters until
  // the SDK is registered, and module-level code runs before main.ts's first line.
  const tracer = trace.getTracer('payment-api-http', '1.0.0');
  const meter = metrics.getMeter('payment-api-http', '1.0.0');
  const duration = meter.createHistogram('http.server.request.duration', {
    unit: 's',
    description: 'Duration of HTTP server requests.',
    // The buckets the semantic conventions advise for this metric.
    advice: { explicitBucketBoundaries: [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] },
  });
  const active = meter.createUpDownCounter('http.server.active_requests', {
    unit: '{request}',
    description: 'Number of active HTTP server requests.',
    valueType: ValueType.INT,
  });
  const compiled = routes.map((route) => ({ ...route, pattern: compile(route.template) }));

  const dispatch = async (request: IncomingMessage, path: string): Promise<Reply & { route?: string }> => {
    for (const route of compiled) {
      const match = route.pattern.exec(path);
      if (match === null || route.method !== request.method) continue;
      try {
        const body = request.method === 'POST' ? await readJson(request) : undefined;
        return { ...(await route.handler(match.groups ?? {}, body)), route: route.template };
      } catch (error) {
        if (error instanceof HttpError) return { status: error.status, body: { detail: error.message }, route: route.template };
        throw error;
      }
    }
    return { status: 404, body: { detail: 'Not Found' } };
  };

  return (request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    const method = request.method ?? 'GET';
    if (options.excludedUrls?.some((pattern) => pattern.test(url.pathname))) {
      void dispatch(request, url.pathname)
        .catch(() => ({ status: 500, body: { detail: 'Internal Server Error' } }))
        .then((reply) => send(response, reply));
      return;
    }

    const started = performance.now();
    const parent = propagation.extract(context.active(), request.headers, defaultTextMapGetter);
    const socket = request.socket;
    const span = tracer.startSpan(
      method,
      {
        kind: SpanKind.SERVER,
        attributes: {
          'http.request.method': method,
          'url.path': url.pathname,
          'url.scheme': 'http',
          'server.address': request.headers.host?.split(':')[0] ?? '',
          'server.port': socket.localPort ?? 0,
          'client.address': socket.remoteAddress ?? '',
          'network.protocol.version': request.httpVersion,
          'user_agent.original': request.headers['user-agent'] ?? '',
        },
      },
      parent,
    );
    const activeAttributes: Attributes = { 'http.request.method': method, 'url.scheme': 'http' };
    active.add(1, activeAttributes);

    void context
      .with(trace.setSpan(parent, span), () => dispatch(request, url.pathname))
      .catch((error: unknown) => {
        span.recordException(error as Error);
        return { status: 500, body: { detail: 'Internal Server Error' }, route: undefined };
      })
      .then((reply) => {
        send(response, reply);
        const attributes: Attributes = {
          'http.request.method': method,
          'http.response.status_code': reply.status,
          'url.scheme': 'http',
          'network.protocol.version': request.httpVersion,
        };
        if (reply.route !== undefined) {
          attributes['http.route'] = reply.route;
          span.setAttribute('http.route', reply.route);
          span.updateName(`${method} ${reply.route}`);
        }
        span.setAttribute('http.response.status_code', reply.status);
        // Server spans: only 5xx are errors; a 4xx is the client's.
        if (reply.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        span.end();
        duration.record((performance.now() - started) / 1000, attributes);
        active.add(-1, activeAttributes);
      });
  };
}
