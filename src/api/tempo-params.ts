import type { Context } from 'hono';
import { parseDurationNs } from '../query/traceql/static.ts';
import type { Condition, TraceqlQuery } from '../query/traceql/ast.ts';
import { parseTraceql } from '../query/traceql/parse.ts';
import type { TimeRange } from '../storage/api.ts';
import { ParameterError } from './errors.ts';

// Tempo's query parameters (api_docs: /api/search, /api/metrics/query_range):
// start/end in Unix seconds, durations in Go syntax, `tags` in logfmt.

const SECOND_NS = 1_000_000_000n;
const HOUR_NS = 3600n * SECOND_NS;

export function protobufRequested(c: Context): boolean {
  return (c.req.header('Accept') ?? '').toLowerCase().includes('application/protobuf');
}

/** `start`/`end` as Unix seconds (Tempo; RFC 3339 and nanoseconds also taken for query_range); the last hour by default. */
export function rangeSeconds(q: (n: string) => string | undefined, nowNs: bigint): TimeRange {
  const endText = q('end');
  const startText = q('start');
  const endNs = endText === undefined || endText === '' ? nowNs : seconds('end', endText);
  const startNs = startText === undefined || startText === '' ? endNs - HOUR_NS : seconds('start', startText);
  if (startNs > endNs) throw new ParameterError('start', 'must not be after end');
  // end is inclusive in Tempo: a span starting at `end` is in range.
  return { startNs, endNs: endNs + 1n };
}

function seconds(name: string, text: string): bigint {
  if (/^\d{1,12}$/.test(text)) return BigInt(text) * SECOND_NS;
  if (/^\d{13,19}$/.test(text)) return BigInt(text);
  if (/^\d+\.\d+$/.test(text)) return BigInt(Math.round(Number(text) * 1e3)) * 1_000_000n;
  const ms = Date.parse(text);
  if (!Number.isNaN(ms) && /^\d{4}-\d{2}-\d{2}T/.test(text)) return BigInt(ms) * 1_000_000n;
  throw new ParameterError(name, 'expected Unix seconds');
}

/** `spss`: spans returned per spanset, default 3 (Tempo's default). */
export function spansPerSpanset(text: string | undefined): number {
  if (text === undefined || text === '') return 3;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > 1000) throw new ParameterError('spss', 'expected an integer from 1 to 1000');
  return n;
}

export function optionalDuration(name: string, text: string | undefined): bigint | undefined {
  if (text === undefined || text === '') return undefined;
  const ns = parseDurationNs(text);
  if (ns === undefined || ns < 0n) throw new ParameterError(name, 'expected a duration such as 250ms');
  return ns;
}

/** The step in ns: a duration (`30s`) or seconds (`30`); by default the range / 100, at least 1 s. */
export function stepNs(text: string | undefined, range: TimeRange): bigint {
  if (text === undefined || text === '') {
    const auto = (range.endNs - range.startNs) / 100n;
    return auto < SECOND_NS ? SECOND_NS : (auto / SECOND_NS) * SECOND_NS;
  }
  const ns = /^\d+(\.\d+)?$/.test(text) ? BigInt(Math.round(Number(text) * 1e9)) : parseDurationNs(text);
  if (ns === undefined || ns < 1_000_000n) throw new ParameterError('step', 'expected a duration of at least 1ms, such as 30s');
  return ns;
}

/**
 * The TraceQL of `q`, else the `tags` search (logfmt `key=value` pairs, all on one
 * span, as Tempo's tag search): `name` and `status` are the intrinsics, other keys
 * attributes of the span or its resource, matched as strings and, when the value
 * is a number or bool, as that too. Neither: every trace.
 */
export function traceqlOrTags(q: string | undefined, tags: string | undefined): TraceqlQuery {
  if (q !== undefined && q.trim() !== '') return parseTraceql(q);
  if (tags === undefined || tags.trim() === '') return parseTraceql('{}');
  let condition: Condition = { kind: 'true' };
  for (const [key, value] of logfmt(tags)) {
    let c: Condition;
    if (key === 'name') c = { kind: 'compare', field: { kind: 'intrinsic', name: 'name' }, op: '=', value: { type: 'string', value } };
    else if (key === 'status' && (value === 'error' || value === 'ok' || value === 'unset')) c = { kind: 'compare', field: { kind: 'intrinsic', name: 'status' }, op: '=', value: { type: 'status', value } };
    else {
      const field = { kind: 'attribute' as const, scope: 'any' as const, key };
      c = { kind: 'compare', field, op: '=', value: { type: 'string', value } };
      const alt: Condition | undefined = /^-?\d+$/.test(value)
        ? { kind: 'compare', field, op: '=', value: { type: 'int', value: BigInt(value) } }
        : /^-?\d*\.\d+$/.test(value)
          ? { kind: 'compare', field, op: '=', value: { type: 'float', value: Number(value) } }
          : value === 'true' || value === 'false'
            ? { kind: 'compare', field, op: '=', value: { type: 'bool', value: value === 'true' } }
            : undefined;
      if (alt !== undefined) c = { kind: 'or', left: c, right: alt };
    }
    condition = condition.kind === 'true' ? c : { kind: 'and', left: condition, right: c };
  }
  return { spanset: { kind: 'filter', condition }, select: [] };
}

function logfmt(text: string): [string, string][] {
  const out: [string, string][] = [];
  const re = /\s*([^\s=]+)=("(?:[^"\\]|\\.)*"|\S*)/gy;
  let m: RegExpExecArray | null;
  let at = 0;
  while ((m = re.exec(text)) !== null) {
    const raw = m[2]!;
    if (raw.startsWith('"') && !/^"(?:[^"\\]|\\.)*"$/.test(raw)) throw new ParameterError('tags', `unterminated quoted value of ${m[1]!}`);
    out.push([m[1]!, raw.startsWith('"') ? unquoted(raw) : raw]);
    at = re.lastIndex;
  }
  if (text.slice(at).trim() !== '') throw new ParameterError('tags', 'expected logfmt key=value pairs, such as service.name=payment-api http.status_code=500');
  return out;
}

function unquoted(raw: string): string {
  try {
    return JSON.parse(raw) as string;
  } catch {
    // A JSON-invalid escape (\x41): the value is refused as written, the parser's text is not needed.
    throw new ParameterError('tags', `not a valid quoted value: ${raw}`);
  }
}
