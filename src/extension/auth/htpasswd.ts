import { createHash, timingSafeEqual } from 'node:crypto';

// Apache htpasswd content as the Collector's basicauth extension reads it
// (github.com/tg123/go-htpasswd DefaultSystems): `user:hash` lines with
// $apr1$ (Apache MD5, `htpasswd -m`), {SHA} (`htpasswd -s`), {SSHA}, or the
// password in plain text (go-htpasswd's last resort, which the Collector's own
// README uses for `inline: ${env:USER}:${env:PASSWORD}`). bcrypt ($2y$, `htpasswd -B`)
// and crypt(3) SHA entries need algorithms node:crypto lacks: they are refused
// when the file is read, naming the line, rather than never matching.

export type PasswordCheck = (password: string) => boolean;

export class HtpasswdError extends Error {
  readonly code = 'invalid_htpasswd';
}

/** Later lines win (the Collector reads the file, then `inline`, so inline overrides). */
export function parseHtpasswd(text: string, source: string): Map<string, PasswordCheck> {
  const users = new Map<string, PasswordCheck>();
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new HtpasswdError(`${source} line ${index + 1}: expected user:password`);
    users.set(line.slice(0, colon), checkerFor(line.slice(colon + 1), `${source} line ${index + 1}`));
  }
  return users;
}

function checkerFor(hash: string, where: string): PasswordCheck {
  if (/^\$2[abxy]?\$/.test(hash)) {
    throw new HtpasswdError(`${where}: bcrypt entries are not supported by Tracehouse; use htpasswd -m (apr1) or -s (SHA), or a plain password`);
  }
  if (/^\$[56]\$/.test(hash)) throw new HtpasswdError(`${where}: crypt(3) SHA entries are not supported by Tracehouse; use htpasswd -m or -s`);
  if (hash.startsWith('$apr1$')) {
    const salt = hash.slice('$apr1$'.length).split('$')[0] ?? '';
    return (password) => same(md5Crypt(password, salt, '$apr1$'), hash);
  }
  if (hash.startsWith('{SHA}')) {
    return (password) => same(`{SHA}${createHash('sha1').update(password).digest('base64')}`, hash);
  }
  if (hash.startsWith('{SSHA}')) {
    const bytes = Buffer.from(hash.slice('{SSHA}'.length), 'base64');
    const digest = bytes.subarray(0, 20);
    const salt = bytes.subarray(20);
    return (password) => {
      const actual = createHash('sha1').update(password).update(salt).digest();
      return digest.length === 20 && timingSafeEqual(actual, digest);
    };
  }
  return (password) => same(password, hash);
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

const itoa64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Poul-Henning Kamp's MD5 crypt, as Apache's apr_md5_encode (magic "$apr1$"). */
export function md5Crypt(passwordText: string, saltText: string, magic: string): string {
  const password = Buffer.from(passwordText);
  const salt = Buffer.from(saltText.slice(0, 8));
  const md5 = () => createHash('md5');
  let final = md5().update(password).update(salt).update(password).digest();
  const ctx = md5().update(password).update(magic).update(salt);
  for (let left = password.length; left > 0; left -= 16) ctx.update(final.subarray(0, Math.min(left, 16)));
  for (let i = password.length; i > 0; i >>= 1) ctx.update(i & 1 ? Buffer.of(0) : password.subarray(0, 1));
  final = ctx.digest();
  for (let i = 0; i < 1000; i++) {
    const round = md5();
    round.update(i & 1 ? password : final);
    if (i % 3) round.update(salt);
    if (i % 7) round.update(password);
    round.update(i & 1 ? final : password);
    final = round.digest();
  }
  let out = '';
  const to64 = (value: number, count: number) => {
    for (let n = 0; n < count; n++, value >>= 6) out += itoa64[value & 0x3f];
  };
  const f = (i: number) => final[i]!;
  for (const [a, b, c] of [[0, 6, 12], [1, 7, 13], [2, 8, 14], [3, 9, 15], [4, 10, 5]] as const) to64((f(a) << 16) | (f(b) << 8) | f(c), 4);
  to64(f(11), 2);
  return `${magic}${salt.toString()}$${out}`;
}
