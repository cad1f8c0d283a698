import { parseLogqlDurationNs } from '../query/logql/literals.ts';
import { LogqlError } from '../query/logql/logql-error.ts';

// Loki's query parameters, parsed as Loki parses them (pkg/loghttp/params.go),
// each error naming its parameter.

const HOUR_NS = 3_600_000_000_000n;
/** Loki's max_entries_limit_per_query default. */
export const MAX_LIMIT = 5000;

/**
 * Loki's timestamps: Unix nanoseconds, or seconds when 10 digits or fewer, or
 * float seconds ("1700000000.5"), or RFC3339 (nanoseconds kept).
 */
export function parseLokiTime(name: string, text: string | null, defaultNs: bigint): bigint {
  if (text === null || text === '') return defaultNs;
  if (/^\d+\.\d*$/.test(text)) {
    const [whole = '0', fraction = ''] = text.split('.');
    return BigInt(whole) * 1_000_000_000n + BigInt((fraction + '000000000').slice(0, 9));
  }
  if (/^[-+]?\d+$/.test(text)) {
    const n = BigInt(text);
    return text.replace(/^[-+]/, '').length <= 10 ? n * 1_000_000_000n : n;
  }
  const rfc = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?(Z|[+-]\d\d:\d\d)$/.exec(text);
  if (rfc !== null) {
    const ms = Date.parse(`${rfc[1]}${rfc[3]}`);
    if (Number.isFinite(ms)) return BigInt(ms) * 1_000_000n + BigInt((rfc[2] ?? '').padEnd(9, '0'));
  }
  throw new LogqlError(`invalid ${name}: cannot parse ${JSON.stringify(text)} as a timestamp (Unix seconds or nanoseconds, or RFC3339)`);
}

/** Loki's step and similar: float seconds or a duration ("15s", "1m"). */
export function parseSecondsOrDuration(name: string, text: string): bigint {
  if (/^\d+(?:\.\d+)?$/.test(text)) {
    const [whole = '0', fraction = ''] = text.split('.');
    return BigInt(whole) * 1_000_000_000n + BigInt((fraction + '000000000').slice(0, 9));
  }
  const ns = parseLogqlDurationNs(text);
  if (ns === undefined) throw new LogqlError(`invalid ${name}: cannot parse ${JSON.stringify(text)} as seconds or a duration`);
  return ns;
}

export interface LokiRange {
  startNs: bigint;
  endNs: bigint;
}

/** start/end/since; `defaultSpanNs` before end when neither start nor since is given. */
export function parseLokiRange(params: URLSearchParams, nowNs: bigint, defaultSpanNs = HOUR_NS): LokiRange {
  const endNs = parseLokiTime('end', params.get('end'), nowNs);
  const since = params.get('since');
  const sinceNs = since === null || since === '' ? defaultSpanNs : parseSecondsOrDuration('since', since);
  const startNs = parseLokiTime('start', params.get('start'), endNs - sinceNs);
  if (endNs < startNs) throw new LogqlError('invalid end: the end timestamp must not be before the start time');
  return { startNs, endNs };
}

export function parseLokiLimit(text: string | null): number {
  if (text === null || text === '') return 100;
  if (!/^\d+$/.test(text)) throw new LogqlError(`invalid limit: ${JSON.stringify(text)} is not a non-negative integer`);
  const n = Number(text);
  if (n === 0) throw new LogqlError('invalid limit: limit must be a positive value');
  if (n > MAX_LIMIT) throw new LogqlError(`max entries limit per query exceeded, limit > max_entries_limit (${n} > ${MAX_LIMIT})`);
  return n;
}

export function parseDirection(text: string | null): 'backward' | 'forward' {
  if (text === null || text === '') return 'backward';
  const d = text.toLowerCase();
  if (d === 'backward' || d === 'forward') return d;
  throw new LogqlError(`invalid direction ${JSON.stringify(text)}: must be backward or forward`);
}

/** Loki's default step: the range over 250 points, whole seconds, at least 1 s. */
export function parseStep(text: string | null, range: LokiRange): bigint {
  if (text === null || text === '') {
    const seconds = (range.endNs - range.startNs) / 250n / 1_000_000_000n;
    return (seconds < 1n ? 1n : seconds) * 1_000_000_000n;
  }
  const step = parseSecondsOrDuration('step', text);
  if (step <= 0n) throw new LogqlError('invalid step: zero or negative query resolution step widths are not accepted. Try a positive integer');
  return step;
}
