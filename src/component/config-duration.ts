import { z } from 'zod';

// Durations in processor configs are written as the Collector writes them: Go's
// time.ParseDuration syntax ("200ms", "5s", "1m30s", "1.5h", "0"), so a Collector
// YAML file means the same here. src/lib/units.ts parses the single-unit forms of
// our own flags (with "d" for days, which Go lacks); this is the Go grammar.

const unitNs: Record<string, bigint> = {
  ns: 1n,
  us: 1_000n,
  'µs': 1_000n, // U+00B5 micro sign
  'μs': 1_000n, // U+03BC Greek mu, also accepted by Go
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
};

const componentPattern = /(\d*)(?:\.(\d*))?(ns|us|µs|μs|ms|s|m|h)/y;

/**
 * Go's time.ParseDuration: an optional sign, then one or more decimal numbers each
 * with a unit ("1h15m30.5s"); "0" alone needs no unit. Exact in nanoseconds.
 */
export function parseGoDurationNs(text: string): bigint | undefined {
  let rest = text;
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0n;
  if (rest === '') return undefined;
  let total = 0n;
  componentPattern.lastIndex = 0;
  while (componentPattern.lastIndex < rest.length) {
    const match = componentPattern.exec(rest);
    if (!match) return undefined;
    const [, whole = '', fraction = '', unit = ''] = match;
    if (whole === '' && fraction === '') return undefined; // ".s" or "s" has no digits
    const scale = unitNs[unit]!;
    const fractionScale = 10n ** BigInt(fraction.length);
    total += BigInt(whole || '0') * scale + (BigInt(fraction || '0') * scale) / fractionScale;
  }
  return sign * total;
}

/**
 * A YAML duration as milliseconds (fractions kept). Besides Go strings, the number
 * 0 is accepted; any other bare number is refused as ambiguous (the Collector
 * would read it as nanoseconds, which is never what was meant).
 */
export const durationMsSchema = z.union([z.string(), z.number()]).transform((value, ctx): number => {
  if (value === 0) return 0;
  const ns = typeof value === 'string' ? parseGoDurationNs(value.trim()) : undefined;
  if (ns === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: `expected a duration such as "200ms", "5s" or "1m30s", got ${JSON.stringify(value)}`,
    });
    return z.NEVER;
  }
  return Number(ns) / 1_000_000;
});
