import type { SyntaxNode } from '@lezer/common';
import type { Static } from './ast.ts';
import { TraceqlError } from './traceql-error.ts';

// TraceQL literals. Durations are Go's time.ParseDuration syntax (Tempo parses
// them with it): "300ms", "1.5s", "1h30m", units ns us µs ms s m h.

const UNIT_NS: Record<string, number> = { ns: 1, us: 1e3, µs: 1e3, μs: 1e3, ms: 1e6, s: 1e9, m: 60e9, h: 3600e9 };
const DURATION = /^(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|μs|ms|s|m|h)/;

/** Nanoseconds of a Go duration, or undefined when the text is not one. */
export function parseDurationNs(text: string): bigint | undefined {
  let rest = text;
  let negative = false;
  if (rest.startsWith('-')) {
    negative = true;
    rest = rest.slice(1);
  }
  if (rest === '') return undefined;
  let total = 0n;
  while (rest !== '') {
    const m = DURATION.exec(rest);
    if (m === null) return undefined;
    const [whole, number, unit] = m as unknown as [string, string, string];
    const [int, frac = ''] = number.split('.');
    const unitNs = BigInt(UNIT_NS[unit]!);
    // Exact for integers; the fraction rounds to the nanosecond.
    total += BigInt(int === undefined || int === '' ? '0' : int) * unitNs + BigInt(Math.round(Number(`0.${frac === '' ? '0' : frac}`) * Number(unitNs)));
    rest = rest.slice(whole.length);
  }
  return negative ? -total : total;
}

const STATUS = new Set(['error', 'ok', 'unset']);
const KIND = new Set(['unspecified', 'internal', 'server', 'client', 'producer', 'consumer']);

export function parseStatic(n: SyntaxNode, src: string): Static {
  const inner = n.firstChild;
  const text = src.slice((inner ?? n).from, (inner ?? n).to);
  switch (inner?.name) {
    case 'String':
      return { type: 'string', value: unquote(text) };
    case 'Integer':
      return { type: 'int', value: BigInt(text) };
    case 'Float':
      return { type: 'float', value: Number(text) };
    case 'Duration': {
      const ns = parseDurationNs(text);
      if (ns === undefined) throw new TraceqlError(`not a duration: ${text}`);
      return { type: 'duration', ns };
    }
    case undefined:
      break;
    default:
      throw new TraceqlError(`unsupported TraceQL: ${inner?.name ?? ''} value ${JSON.stringify(text)}`);
  }
  if (text === 'true' || text === 'false') return { type: 'bool', value: text === 'true' };
  if (text === 'nil') return { type: 'nil' };
  if (STATUS.has(text)) return { type: 'status', value: text as 'error' | 'ok' | 'unset' };
  if (KIND.has(text)) return { type: 'kind', value: text as 'server' };
  throw new TraceqlError(`unsupported TraceQL: value ${JSON.stringify(text)}`);
}

/** A TraceQL string: double quotes with Go escapes, or backquotes taken as written. */
function unquote(text: string): string {
  if (text.startsWith('`')) return text.slice(1, -1);
  try {
    return JSON.parse(text) as string;
  } catch {
    // Go escapes JSON lacks (\a, \v, \x41, \'): keep the text between the quotes.
    return text.slice(1, -1).replace(/\\(["\\])/g, '$1');
  }
}
