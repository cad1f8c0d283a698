import type { IncomingHttpHeaders } from 'node:http';
import type { Signal } from '../../pdata/model.ts';
import type { ExportOutcome } from '../exporterhelper/export-outcome.ts';
import {
  decodeExportResponse,
  decodeExportResponseJson,
  decodeRpcStatus,
  decodeRpcStatusJson,
} from '../exporterhelper/otlp-responses.ts';
import type { PostResult } from './http-client.ts';

// The one place where an OTLP/HTTP answer becomes an export outcome (OTLP spec,
// "OTLP/HTTP Response", "Failures"): 2xx is success, possibly partial; 429, 502,
// 503 and 504 are retryable, after Retry-After when the server sent one; every
// other status is permanent. A failed connection or a timeout is retryable. An
// error body is a google.rpc.Status whose message goes into the error.

const retryableStatuses: ReadonlySet<number> = new Set([429, 502, 503, 504]);

export function outcomeForPost(result: PostResult, signal: Signal, url: string, now = Date.now()): ExportOutcome {
  if (result.kind === 'error') {
    return { status: 'retryable', error: new Error(`request to ${url} failed: ${result.error.message}`, { cause: result.error }) };
  }
  const { statusCode, headers, body } = result;
  if (statusCode >= 200 && statusCode <= 299) {
    const partialSuccess = body && body.length > 0 ? decodePartialSuccess(signal, headers, body) : undefined;
    return partialSuccess ? { status: 'ok', partialSuccess } : { status: 'ok' };
  }
  const detail = body && body.length > 0 ? decodeStatusMessage(headers, body) : undefined;
  const error = new Error(`request to ${url} answered HTTP ${statusCode}${detail ? `: ${detail}` : ''}`);
  if (!retryableStatuses.has(statusCode)) return { status: 'failed', error };
  const retryAfterMs = parseRetryAfterMs(headers['retry-after'], now);
  return retryAfterMs === undefined ? { status: 'retryable', error } : { status: 'retryable', error, retryAfterMs };
}

/** Retry-After (RFC 9110 10.2.3): delay-seconds or an HTTP-date; undefined when absent or unreadable. */
export function parseRetryAfterMs(value: string | undefined, now = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const date = Date.parse(text);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

function mediaType(headers: IncomingHttpHeaders): string {
  return (headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/** Only identity-encoded protobuf or JSON bodies are read, as the Collector does. */
function readable(headers: IncomingHttpHeaders): 'proto' | 'json' | undefined {
  const encoding = headers['content-encoding'];
  if (encoding !== undefined && encoding !== 'identity') return undefined;
  const type = mediaType(headers);
  if (type === 'application/x-protobuf' || type === 'application/protobuf') return 'proto';
  if (type === 'application/json') return 'json';
  return undefined;
}

function decodePartialSuccess(signal: Signal, headers: IncomingHttpHeaders, body: Buffer) {
  const kind = readable(headers);
  if (kind === 'proto') return decodeExportResponse(body);
  if (kind === 'json') return decodeExportResponseJson(signal, body.toString('utf8'));
  return undefined;
}

function decodeStatusMessage(headers: IncomingHttpHeaders, body: Buffer): string | undefined {
  const kind = readable(headers);
  const status = kind === 'proto' ? decodeRpcStatus(body) : kind === 'json' ? decodeRpcStatusJson(body.toString('utf8')) : undefined;
  if (status && status.message !== '') return status.message;
  // A plain-text error page is still worth a line in the log.
  if (kind === undefined && mediaType(headers).startsWith('text/')) return body.toString('utf8', 0, Math.min(body.length, 512)).trim();
  return undefined;
}
