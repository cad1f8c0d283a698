import type { Json } from './otlp-json.ts';

// Scalar values in ClickHouse's JSON formats, both ways.

const TWO_63 = 9223372036854775808n;

/**
 * A uint64 nanosecond count as DateTime64(9) input. DateTime64 is a signed 64-bit
 * count: values from 2^63 on (past year 2262) are stored wrapped, and `nsFromCh`
 * unwraps them, so every uint64 comes back as sent.
 */
export function nsJson(ns: bigint): string {
  return ns < TWO_63 ? ns.toString() : BigInt.asIntN(64, ns).toString();
}

/** `toUnixTimestamp64Nano(col)` output (a quoted Int64) back to the uint64 sent. */
export function nsFromCh(v: unknown): bigint {
  return BigInt.asUintN(64, BigInt(v as string));
}

/** A Float64 for ClickHouse's JSON input, which wants non-finite values quoted. */
export function chDouble(n: number): string {
  if (Number.isFinite(n)) return Object.is(n, -0) ? '-0' : String(n);
  return Number.isNaN(n) ? '"nan"' : n > 0 ? '"inf"' : '"-inf"';
}

/** A Float64 as ClickHouse's JSON output gives it (`output_format_json_quote_denormals`). */
export function doubleFromCh(v: Json | undefined): number {
  if (typeof v === 'number') return v;
  if (v === 'nan' || v === '-nan') return Number.NaN;
  if (v === 'inf' || v === '+inf') return Number.POSITIVE_INFINITY;
  if (v === '-inf') return Number.NEGATIVE_INFINITY;
  return Number(v ?? 0);
}
