// Parsing of human-written durations and sizes, shared by flags, config and the
// query API so "250ms" means the same everywhere.

export const DURATION_UNITS_NS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n,
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
};

const durationPattern = /^(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)$/;

/**
 * "250ms", "1.5s", "2m", "7d" -> nanoseconds; undefined if it is not a duration.
 * A unit is required: a bare number is ambiguous between ms (Jaeger) and s.
 * Fractions are computed in integers so "1.000000001s" stays exact.
 */
export function parseDurationNs(text: string): bigint | undefined {
  const match = durationPattern.exec(text.trim());
  if (!match) return undefined;
  const [, amount = '', unit = ''] = match;
  const scale = DURATION_UNITS_NS[unit];
  if (scale === undefined) return undefined;
  const [whole = '0', fraction = ''] = amount.split('.');
  const fractionScale = 10n ** BigInt(fraction.length);
  return BigInt(whole) * scale + (BigInt(fraction || '0') * scale) / fractionScale;
}

const sizeUnits: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1_000,
  mb: 1_000_000,
  gb: 1_000_000_000,
  kib: 1_024,
  mib: 1_048_576,
  gib: 1_073_741_824,
};

/** "20MiB", "512kb", "1048576" -> bytes; undefined if it is not a size. */
export function parseBytes(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)\s*([a-z]*)$/i.exec(text.trim());
  if (!match) return undefined;
  const factor = sizeUnits[(match[2] ?? '').toLowerCase()];
  if (factor === undefined) return undefined;
  return Math.floor(Number(match[1]) * factor);
}
