// Password guessing against one user name: after 10 failures within 15 minutes
// the name is locked for the rest of that window (429), whatever the password.
// Per name rather than per address: behind a proxy every client has one address,
// and a guesser rotating addresses would not be slowed at all.

const maxFailures = 10;
const windowMs = 15 * 60_000;

export interface LoginThrottle {
  /** Milliseconds until `name` may try again; 0 when it may now. */
  retryAfterMs(name: string): number;
  failed(name: string): void;
  succeeded(name: string): void;
}

export function createLoginThrottle(nowMs: () => number = Date.now): LoginThrottle {
  const failures = new Map<string, { count: number; firstMs: number }>();
  const current = (name: string) => {
    const entry = failures.get(name);
    if (entry && nowMs() - entry.firstMs > windowMs) {
      failures.delete(name);
      return undefined;
    }
    return entry;
  };
  return {
    retryAfterMs(name) {
      const entry = current(name);
      return entry && entry.count >= maxFailures ? entry.firstMs + windowMs - nowMs() : 0;
    },
    failed(name) {
      const entry = current(name);
      if (entry) entry.count++;
      else {
        if (failures.size > 100_000) failures.clear();
        failures.set(name, { count: 1, firstMs: nowMs() });
      }
    },
    succeeded: (name) => void failures.delete(name),
  };
}
