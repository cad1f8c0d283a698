// Absolute instants arrive as Unix-nanosecond decimal strings (src/api/types.ts);
// the UI needs millisecond precision only for display and chart axes, so the
// conversion drops the sub-millisecond digits on the bigint before it becomes a
// number (a float of the whole nanosecond value would already be rounded).

export function unixNanoToMs(text: string): number {
  if (text === '' || text === '0') return 0;
  return Number(BigInt(text) / 1_000_000n);
}

const absoluteFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  fractionalSecondDigits: 3,
  hour12: false,
  timeZoneName: 'short',
});

/** `2026-05-19 10:00:00.123 UTC` in the browser's locale and zone. */
export function formatAbsolute(ms: number): string {
  return absoluteFormat.format(new Date(ms));
}

const relativeFormat = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto', style: 'long' });

/** `5 minutes ago`, `in 2 hours`. */
export function formatRelative(ms: number, nowMs: number): string {
  const deltaSeconds = Math.round((ms - nowMs) / 1000);
  const abs = Math.abs(deltaSeconds);
  if (abs < 60) return relativeFormat.format(deltaSeconds, 'second');
  if (abs < 3600) return relativeFormat.format(Math.round(deltaSeconds / 60), 'minute');
  if (abs < 86_400) return relativeFormat.format(Math.round(deltaSeconds / 3600), 'hour');
  return relativeFormat.format(Math.round(deltaSeconds / 86_400), 'day');
}

/** Value for an <input type="datetime-local"> in the browser's zone. */
export function toDateTimeLocal(ms: number): string {
  const d = new Date(ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
