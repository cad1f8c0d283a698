import type {
  AttributeKeysResponse,
  AttributeScope,
  AttributeValuesResponse,
  ErrorResponse,
  LogHistogramResponse,
  LogsResponse,
  OperationsResponse,
  ServiceStatsResponse,
  ServicesResponse,
  SpanDetailResponse,
  TraceLogsResponse,
  TraceSearchResponse,
  TraceTreeResponse,
} from '../../../src/api/types.ts';
import type { UiSetupResponse } from '../../../src/api/web-ui-types.ts';

// The typed client of the query API. Response types are the server's own
// (src/api/types.ts); components never call fetch, only the hooks in features/.

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    /** HTTP status; 0 when Tracehouse did not answer at all. */
    readonly status: number,
    message: string,
    /** The request parameter the server named as wrong (400). */
    readonly parameter?: string,
  ) {
    super(message);
  }
}

export type Params = Record<string, string | number | readonly string[] | undefined>;

/** `?a=1&b=2` (repeated for arrays), without empty values; '' for none. */
export function query(params: Params): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) for (const v of value) search.append(name, v);
    else search.set(name, String(value));
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/**
 * The session's CSRF token (features/auth): sent on every request, which the
 * server checks on the state-changing ones (src/api/access-middleware.ts).
 */
let csrfToken: string | undefined;
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

/** Fires `unauthenticated` when the server answers 401: the session ended (logout elsewhere, expiry); the auth gate shows the login page. */
export const authEvents = new EventTarget();

/** path?params for JSON (GET unless `init` says); a network failure (not an abort) becomes ApiError(0, ...). */
export async function send(path: string, params: Params, signal?: AbortSignal, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(`${path}${query(params)}`, {
      ...init,
      signal: signal ?? null,
      headers: { accept: 'application/json', ...(csrfToken === undefined ? {} : { 'x-csrf-token': csrfToken }), ...(init.headers as Record<string, string> | undefined) },
    });
  } catch (error) {
    if (signal?.aborted) throw error;
    throw new ApiError(0, 'Tracehouse did not answer: it may be stopped or restarting.');
  }
  if (response.status === 401 && path !== '/api/v1/auth/login' && path !== '/api/v1/auth/session') authEvents.dispatchEvent(new Event('unauthenticated'));
  return response;
}

export async function getJson<T>(path: string, params: Params, signal?: AbortSignal, init?: RequestInit): Promise<T> {
  const response = await send(path, params, signal, init);
  if (response.ok) return (await response.json()) as T;
  let body: ErrorResponse | undefined;
  try {
    body = (await response.json()) as ErrorResponse;
  } catch {
    body = undefined;
  }
  const message = body?.error?.message ?? `the server answered ${response.status} ${response.statusText}`;
  throw new ApiError(response.status, message, body?.error?.parameter);
}

export interface RangeParams {
  start: number;
  end: number;
}

export const api = {
  services: (p: RangeParams, signal?: AbortSignal) => getJson<ServicesResponse>('/api/v1/services', { ...p }, signal),
  serviceStats: (p: RangeParams & { buckets?: number }, signal?: AbortSignal) =>
    getJson<ServiceStatsResponse>('/api/v1/services/stats', { ...p }, signal),
  operations: (service: string, p: RangeParams & { buckets?: number }, signal?: AbortSignal) =>
    getJson<OperationsResponse>(`/api/v1/services/${encodeURIComponent(service)}/operations`, { ...p }, signal),
  attributeKeys: (p: Partial<RangeParams> & { service?: string; scope?: AttributeScope; q?: string; limit?: number }, signal?: AbortSignal) =>
    getJson<AttributeKeysResponse>('/api/v1/attributes/keys', { ...p }, signal),
  attributeValues: (key: string, p: Partial<RangeParams> & { service?: string; q?: string; limit?: number }, signal?: AbortSignal) =>
    getJson<AttributeValuesResponse>(`/api/v1/attributes/${encodeURIComponent(key)}/values`, { ...p }, signal),
  searchTraces: (p: Params, signal?: AbortSignal) => getJson<TraceSearchResponse>('/api/v1/traces', p, signal),
  traceTree: (traceId: string, signal?: AbortSignal) =>
    getJson<TraceTreeResponse>(`/api/v1/traces/${encodeURIComponent(traceId)}/tree`, {}, signal),
  span: (traceId: string, spanId: string, signal?: AbortSignal) =>
    getJson<SpanDetailResponse>(`/api/v1/traces/${encodeURIComponent(traceId)}/spans/${encodeURIComponent(spanId)}`, {}, signal),
  traceLogs: (traceId: string, p: { limit?: number }, signal?: AbortSignal) =>
    getJson<TraceLogsResponse>(`/api/v1/traces/${encodeURIComponent(traceId)}/logs`, { ...p }, signal),
  searchLogs: (p: Params, signal?: AbortSignal) => getJson<LogsResponse>('/api/v1/logs', p, signal),
  logHistogram: (p: Params, signal?: AbortSignal) => getJson<LogHistogramResponse>('/api/v1/logs/histogram', p, signal),
  setup: (signal?: AbortSignal) => getJson<UiSetupResponse>('/api/v1/ui/setup', {}, signal),
};
