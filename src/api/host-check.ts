import os from 'node:os';

// DNS rebinding protection while no authentication is on (the Jupyter and
// Vite dev-server approach): answer only Host names that mean this machine.

const loopbackNames = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

function hostName(header: string): string {
  const text = header.trim().toLowerCase();
  if (text.startsWith('[')) return text.slice(0, text.indexOf(']') + 1);
  return text.replace(/:\d+$/, '');
}

function isWildcard(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** Whether a listener on `host` is reachable only from this machine. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\./.test(host);
}

export function hostAllowed(header: string | undefined, boundHost: string, allowed: ReadonlySet<string>): boolean {
  if (header === undefined || header === '') return false;
  const name = hostName(header);
  if (loopbackNames.has(name) || name.endsWith('.localhost') || /^127\.\d+\.\d+\.\d+$/.test(name)) return true;
  if (allowed.has(name)) return true;
  const bound = boundHost.toLowerCase();
  if (!isWildcard(bound)) return name === bound || name === `[${bound}]`;
  // Bound to every interface: the machine's own addresses and name are its names.
  if (name === os.hostname().toLowerCase()) return true;
  return Object.values(os.networkInterfaces())
    .flat()
    .some((a) => a !== undefined && (name === a.address.toLowerCase() || name === `[${a.address.toLowerCase()}]`));
}
