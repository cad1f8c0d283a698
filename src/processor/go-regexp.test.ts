import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGoRegexp } from './go-regexp.ts';

test('RE2 named groups and leading flags', () => {
  const re = compileGoRegexp('^/api/(?P<version>v\\d+)/(?P<resource>\\w+)');
  assert.deepEqual({ ...re.exec('/api/v2/users')?.groups }, { version: 'v2', resource: 'users' });
  assert.ok(compileGoRegexp('(?i)^get$').test('GET'));
  assert.ok(compileGoRegexp('(?s)a.b').test('a\nb'));
  assert.ok(compileGoRegexp('(?:a|b)c').test('bc'));
});

test('\\A, \\z, \\p classes and literal brackets', () => {
  const re = compileGoRegexp('\\Afoo\\z');
  assert.ok(re.test('foo'));
  assert.ok(!re.test('foo\n'));
  assert.ok(compileGoRegexp('^\\pL+$').test('héllo'));
  assert.ok(compileGoRegexp('^\\p{Greek}+$').test('αβγ'));
  assert.ok(compileGoRegexp('[]a]').test(']'));
  assert.ok(compileGoRegexp('[(?P<]').test('P'));
});

test('unsupported RE2 syntax is refused, not misread', () => {
  assert.throws(() => compileGoRegexp('a(?i)b'), /inline flags/);
  assert.throws(() => compileGoRegexp('(?U)a+'), /flag "U"/);
  assert.throws(() => compileGoRegexp('[[:alpha:]]'), /POSIX/);
  assert.throws(() => compileGoRegexp('\\Q.*\\E'), /\\Q/);
  assert.throws(() => compileGoRegexp('(unclosed'), /invalid regexp/);
});
