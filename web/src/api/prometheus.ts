import { ApiError, send } from './client.ts';
import type { Params } from './client.ts';

// The Prometheus HTTP API on our own port (src/api/prometheus-routes.ts), in
// Prometheus's shapes (https://prometheus.io/docs/prometheus/latest/querying/api/):
// {status:"success",data,warnings?} or {status:"error",errorType,error}. Its
// error text is what the user must read (a PromQL parse error names the column).

export interface PromSeries {
  metric: Record<string, string>;
  /** [unix seconds, value as text] (Prometheus sends floats as strings: NaN, +Inf). */
  values?: [number, string][];
  value?: [number, string];
}

export interface PromMatrix {
  resultType: 'matrix' | 'vector' | 'scalar' | 'string';
  result: PromSeries[];
}

export interface PromMetadata {
  type: string;
  help: string;
  unit: string;
}

export interface PromExemplarSet {
  seriesLabels: Record<string, string>;
  exemplars: { labels: Record<string, string>; value: string; timestamp: number }[];
}

export interface PromAnswer<T> {
  data: T;
  warnings: string[];
}

interface Envelope<T> {
  status: 'success' | 'error';
  data?: T;
  warnings?: string[];
  errorType?: string;
  error?: string;
}

async function promGet<T>(path: string, params: Params, signal?: AbortSignal): Promise<PromAnswer<T>> {
  const response = await send(path, params, signal);
  let body: Envelope<T> | undefined;
  try {
    body = (await response.json()) as Envelope<T>;
  } catch {
    body = undefined;
  }
  if (response.ok && body?.status === 'success' && body.data !== undefined) return { data: body.data, warnings: body.warnings ?? [] };
  const message = body?.error ?? `the server answered ${response.status} ${response.statusText}`;
  throw new ApiError(response.status, body?.errorType === undefined ? message : `${body.errorType}: ${message}`);
}

export const promApi = {
  queryRange: (p: { query: string; start: number; end: number; step: number }, signal?: AbortSignal) =>
    promGet<PromMatrix>('/api/v1/query_range', { ...p }, signal),
  metadata: (signal?: AbortSignal) => promGet<Record<string, PromMetadata[]>>('/api/v1/metadata', {}, signal),
  labels: (match: string, p: { start: number; end: number }, signal?: AbortSignal) =>
    promGet<string[]>('/api/v1/labels', { 'match[]': [match], ...p }, signal),
  labelValues: (name: string, match: string, p: { start: number; end: number }, signal?: AbortSignal) =>
    promGet<string[]>(`/api/v1/label/${encodeURIComponent(name)}/values`, { 'match[]': [match], ...p }, signal),
  exemplars: (p: { query: string; start: number; end: number }, signal?: AbortSignal) =>
    promGet<PromExemplarSet[]>('/api/v1/query_exemplars', { ...p }, signal),
};
