import { LogqlError } from './logql-error.ts';
import { DURATION_UNITS_NS } from '../../lib/units.ts';

// Literal syntax LogQL shares with Go and Prometheus: quoted strings and durations.

const SIMPLE_ESCAPES: Record<string, string> = { a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '\\': '\\', '"': '"', "'": "'" };

/** A LogQL string literal: Go's interpreted "..." (strconv.Unquote) or a raw `...`. */
export function unquoteString(text: string): string {
  if (text.startsWith('`') && text.endsWith('`') && text.length >= 2) return text.slice(1, -1);
  if (!(text.startsWith('"') && text.endsWith('"') && text.length >= 2)) throw new LogqlError(`invalid string literal ${text}`);
  const body = text.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i]!;
    if (ch !== '\\') {
      out += ch;
      continue;
    }
    const next = body[++i];
    if (next === undefined) throw new LogqlError(`invalid string literal ${text}`);
    const simple = SIMPLE_ESCAPES[next];
    if (simple !== undefined) {
      out += simple;
    } else if (next === 'x' || next === 'u' || next === 'U') {
      const width = next === 'x' ? 2 : next === 'u' ? 4 : 8;
      const hex = body.slice(i + 1, i + 1 + width);
      if (!new RegExp(`^[0-9a-fA-F]{${width}}$`).test(hex)) throw new LogqlError(`invalid escape in string literal ${text}`);
      out += String.fromCodePoint(parseInt(hex, 16));
      i += width;
    } else if (/[0-7]/.test(next)) {
      const oct = body.slice(i, i + 3);
      if (!/^[0-7]{3}$/.test(oct)) throw new LogqlError(`invalid escape in string literal ${text}`);
      out += String.fromCharCode(parseInt(oct, 8));
      i += 2;
    } else {
      throw new LogqlError(`invalid escape \\${next} in string literal ${text}`);
    }
  }
  return out;
}

// Loki's durations are Prometheus's: the shared units plus weeks and years.
const UNIT_NS: Readonly<Record<string, bigint>> = {
  ...DURATION_UNITS_NS,
  w: 7n * DURATION_UNITS_NS.d!,
  y: 365n * DURATION_UNITS_NS.d!,
};

/** A Prometheus/Loki duration ("5m", "1h30m", "250ms") in nanoseconds, or undefined. */
export function parseLogqlDurationNs(text: string): bigint | undefined {
  if (!/^(?:\d+(?:ns|us|µs|ms|s|m|h|d|w|y))+$/.test(text)) return undefined;
  let total = 0n;
  for (const [, amount, unit] of text.matchAll(/(\d+)(ns|us|µs|ms|s|m|h|d|w|y)/g)) total += BigInt(amount!) * UNIT_NS[unit!]!;
  return total;
}
