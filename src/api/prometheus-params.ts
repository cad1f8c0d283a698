import { badData } from '../query/promql/errors.ts';
import { parseDurationMs } from '../query/promql/literals.ts';

// Parameters of the Prometheus HTTP API, parsed and worded as Prometheus does
// (web/api/v1/api.go: parseTime, parseDuration, `invalid parameter "x": ...`).

/** Prometheus's minTime / maxTime, the defaults of series and label queries. */
export const MIN_TIME_MS = -62135596800000;
export const MAX_TIME_MS = 253402300799000;

/**
 * Stored times are Unix nanoseconds in [0, 2^63) (the decoder refuses later ones),
 * so a range wider than that selects nothing more; clamped, it also stays inside
 * the Int64 nanosecond parameters of the SQL (minTime and maxTime do not).
 */
const LAST_STORABLE_MS = Number((2n ** 63n - 1n) / 1_000_000n);

export function clampToStoredMs(ms: number): number {
  return Math.min(Math.max(ms, 0), LAST_STORABLE_MS);
}

export function invalidParameter(name: string, message: string): Error {
  return badData(`invalid parameter "${name}": ${message}`);
}

export function parseTimeMs(name: string, text: string | undefined, defaultMs: number): number {
  if (text === undefined || text === '') return defaultMs;
  const f = Number(text);
  if (text.trim() !== '' && Number.isFinite(f)) {
    const whole = Math.trunc(f);
    return whole * 1000 + Math.round((f - whole) * 1000);
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i.test(text)) {
    const ms = Date.parse(text);
    if (!Number.isNaN(ms)) return ms;
  }
  throw invalidParameter(name, `cannot parse ${JSON.stringify(text)} to a valid timestamp`);
}

export function parseDurationParamMs(name: string, text: string): number {
  const f = Number(text);
  if (text.trim() !== '' && Number.isFinite(f)) {
    if (f * 1000 > Number.MAX_SAFE_INTEGER) throw invalidParameter(name, `cannot parse ${JSON.stringify(text)} to a valid duration. It overflows int64`);
    return Math.round(f * 1000);
  }
  try {
    return parseDurationMs(text);
  } catch {
    throw invalidParameter(name, `cannot parse ${JSON.stringify(text)} to a valid duration`);
  }
}

/** Query string and, for POST, the form-encoded body: Prometheus reads both (r.FormValue). */
export async function requestParams(req: Request): Promise<URLSearchParams> {
  const params = new URL(req.url).searchParams;
  if (req.method === 'POST') {
    const type = req.headers.get('content-type') ?? '';
    if (type.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(await req.text())) params.append(k, v);
    } else if (type.startsWith('multipart/form-data')) {
      const form = await req.formData();
      for (const [k, v] of form) if (typeof v === 'string') params.append(k, v);
    }
  }
  return params;
}

export function parseLimitParam(text: string | null): number | undefined {
  if (text === null || text === '') return undefined;
  const n = Number(text);
  if (!/^\d+$/.test(text)) throw invalidParameter('limit', 'cannot parse "' + text + '" to a valid limit');
  return n === 0 ? undefined : n;
}
