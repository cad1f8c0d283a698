// Durations arrive as nanoseconds (numbers within one trace, see src/api/types.ts).

const units: [limitNs: number, divisorNs: number, unit: string][] = [
  [1e3, 1, 'ns'],
  [1e6, 1e3, 'µs'],
  [1e9, 1e6, 'ms'],
  [60e9, 1e9, 's'],
];

/** 3 significant digits in the largest unit below the value: `412 ms`, `1.23 s`, `2m 05s`. */
export function formatDurationNs(ns: number): string {
  if (!Number.isFinite(ns)) return '–';
  const abs = Math.abs(ns);
  for (const [limitNs, divisorNs, unit] of units) {
    if (abs < limitNs) return `${trim(ns / divisorNs)} ${unit}`;
  }
  const totalSeconds = Math.round(ns / 1e9);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return hours > 0 ? `${hours}h ${pad(minutes)}m` : `${minutes}m ${pad(seconds)}s`;
}

function trim(value: number): string {
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return Number(value.toFixed(digits)).toString();
}

/**
 * A duration as the API's parameters spell it (`250ms`, `1.5s`, `2m`), or
 * undefined when the text is not one: the form checks before sending.
 */
export function isDurationText(text: string): boolean {
  return /^\d+(\.\d+)?(ns|us|µs|ms|s|m|h)$/.test(text.trim());
}
