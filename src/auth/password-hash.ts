import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import type { ScryptOptions } from 'node:crypto';

// Passwords are kept as scrypt hashes (RFC 7914, memory-hard): N=2^15, r=8, p=1
// is 32 MiB and ~295 ms a check (measured at load average 13 on 2 cores), OWASP's minimum for
// scrypt; a stolen users file costs an attacker that per guess.
// Stored as `scrypt$N$r$p$<salt base64>$<hash base64>` so the cost can rise later
// and old hashes still verify.

const cost = { N: 2 ** 15, r: 8, p: 1 } as const;
const keyBytes = 32;

function derive(password: string, salt: Buffer, options: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    // maxmem: Node's default (32 MiB) is exactly 128*N*r and refuses it.
    scrypt(password.normalize('NFC'), salt, keyBytes, { ...options, maxmem: 128 * (options.N ?? 0) * (options.r ?? 0) * 2 }, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, cost);
  return `scrypt$${cost.N}$${cost.r}$${cost.p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  const key = await derive(password, salt, { N, r, p });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
