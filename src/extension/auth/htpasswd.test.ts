import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { HtpasswdError, md5Crypt, parseHtpasswd } from './htpasswd.ts';

test('apr1 hashes match openssl passwd -apr1 (Apache htpasswd -m)', () => {
  for (const [password, salt] of [['pa:ss wörd', 'abcdefgh'], ['', 'x'], ['a-much-longer-password-than-16-bytes', '12345678']] as const) {
    const reference = execFileSync('openssl', ['passwd', '-apr1', '-salt', salt, password]).toString().trim();
    assert.equal(md5Crypt(password, salt, '$apr1$'), reference);
  }
});

test('apr1, {SHA}, {SSHA} and plain entries; inline lines override earlier ones', () => {
  const sha = `{SHA}${createHash('sha1').update('sha-pw').digest('base64')}`;
  const salt = Buffer.from('salt');
  const ssha = `{SSHA}${Buffer.concat([createHash('sha1').update('ssha-pw').update(salt).digest(), salt]).toString('base64')}`;
  const users = parseHtpasswd(`# comment\na:${md5Crypt('apr-pw', 'SALTsalt', '$apr1$')}\nb:${sha}\r\nc:${ssha}\nd:plain\nd:plain2\n`, 'test');
  assert.equal(users.get('a')!('apr-pw'), true);
  assert.equal(users.get('a')!('apr-pW'), false);
  assert.equal(users.get('b')!('sha-pw'), true);
  assert.equal(users.get('c')!('ssha-pw'), true);
  assert.equal(users.get('c')!('sha-pw'), false);
  assert.equal(users.get('d')!('plain'), false);
  assert.equal(users.get('d')!('plain2'), true);
});

test('bcrypt and malformed lines are refused naming the line', () => {
  assert.throws(() => parseHtpasswd('ok:pw\nx:$2y$05$abcdefghijklmnopqrstuv', 'file'), (e: unknown) => e instanceof HtpasswdError && /file line 2: bcrypt/.test(e.message));
  assert.throws(() => parseHtpasswd('no-colon', 'inline'), /inline line 1: expected user:password/);
});
