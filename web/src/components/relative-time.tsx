import { useEffect, useState } from 'react';
import { formatAbsolute, formatRelative } from '../lib/times.ts';

/** "5 minutes ago", with the absolute time on hover (title) and for machines (dateTime). */
export function RelativeTime({ ms }: { ms: number }) {
  const now = useNow(30_000);
  return (
    <time dateTime={new Date(ms).toISOString()} title={formatAbsolute(ms)}>
      {formatRelative(ms, now)}
    </time>
  );
}

function useNow(everyMs: number): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
