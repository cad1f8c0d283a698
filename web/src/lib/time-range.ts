// The time range lives in the URL so a link shows the same view: either
// `range=1h` (relative to now, re-evaluated on every refresh, as Grafana's
// now-1h) or `from`/`to` in Unix milliseconds (absolute).

export const relativeRanges = [
  { value: '15m', label: 'Last 15 minutes', ms: 15 * 60_000 },
  { value: '1h', label: 'Last 1 hour', ms: 3_600_000 },
  { value: '6h', label: 'Last 6 hours', ms: 6 * 3_600_000 },
  { value: '24h', label: 'Last 24 hours', ms: 24 * 3_600_000 },
  { value: '7d', label: 'Last 7 days', ms: 7 * 24 * 3_600_000 },
] as const;

export type TimeRange =
  | { kind: 'relative'; value: string; ms: number }
  | { kind: 'absolute'; fromMs: number; toMs: number };

export const defaultRange = '1h';

export function readTimeRange(params: URLSearchParams): TimeRange {
  const from = Number(params.get('from'));
  const to = Number(params.get('to'));
  if (params.has('from') && params.has('to') && Number.isFinite(from) && Number.isFinite(to) && from < to) {
    return { kind: 'absolute', fromMs: from, toMs: to };
  }
  const value = params.get('range') ?? defaultRange;
  const known = relativeRanges.find((r) => r.value === value) ?? relativeRanges[1];
  return { kind: 'relative', value: known.value, ms: known.ms };
}

/** The URL parameters of a range (the others kept). */
export function writeTimeRange(params: URLSearchParams, range: TimeRange): URLSearchParams {
  const next = new URLSearchParams(params);
  next.delete('range');
  next.delete('from');
  next.delete('to');
  if (range.kind === 'absolute') {
    next.set('from', String(Math.floor(range.fromMs)));
    next.set('to', String(Math.ceil(range.toMs)));
  } else if (range.value !== defaultRange) {
    next.set('range', range.value);
  }
  return next;
}

/** Start and end in Unix ms; a relative range ends now. */
export function resolveTimeRange(range: TimeRange, nowMs = Date.now()): { startMs: number; endMs: number } {
  return range.kind === 'absolute'
    ? { startMs: range.fromMs, endMs: range.toMs }
    : { startMs: nowMs - range.ms, endMs: nowMs };
}

/** A stable key for react-query: the relative value, or both bounds. */
export function timeRangeKey(range: TimeRange): string {
  return range.kind === 'relative' ? range.value : `${range.fromMs}-${range.toMs}`;
}

export function describeTimeRange(range: TimeRange): string {
  if (range.kind === 'relative') return relativeRanges.find((r) => r.value === range.value)?.label ?? range.value;
  return `${new Date(range.fromMs).toLocaleString()} – ${new Date(range.toMs).toLocaleString()}`;
}

/** `path?…` carrying the current range and the given parameters, for links between pages. */
export function linkWithRange(path: string, current: URLSearchParams, extra: Record<string, string> = {}): string {
  const next = new URLSearchParams();
  for (const name of ['range', 'from', 'to']) {
    const value = current.get(name);
    if (value !== null) next.set(name, value);
  }
  for (const [name, value] of Object.entries(extra)) next.set(name, value);
  const text = next.toString();
  return text === '' ? path : `${path}?${text}`;
}
