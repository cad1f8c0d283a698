import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compileGoRegexp, GoRegexpError } from './go-regexp.ts';

test('RE2 named groups come back in pattern order, unmatched ones undefined', () => {
  const re = compileGoRegexp('^/api/(?P<version>v\\d+)/(?P<resource>\\w+)(?P<z1>/x)?(?<id>/\\d+)?');
  assert.deepEqual(re.groupNames, ['version', 'resource', 'z1', 'id']);
  assert.equal(re.groupCount, 4);
  assert.deepEqual(re.matchNamed('/api/v2/users/7'), [
    ['version', 'v2'],
    ['resource', 'users'],
    ['z1', undefined],
    ['id', '/7'],
  ]);
  assert.equal(re.matchNamed('/other'), undefined);
  // A name that looks like an index keeps its place (an object would sort it first).
  assert.deepEqual(compileGoRegexp('(?P<b>x)(?P<1>y)').groupNames, ['b', '1']);
  assert.equal(compileGoRegexp('(a)(?P<n>b)').groupCount, 2);
});

test('Go syntax means what it means in Go: flags anywhere, \\A \\z, \\Q..\\E, POSIX and Unicode classes', () => {
  assert.ok(compileGoRegexp('(?i)^get$').test('GET'));
  assert.ok(compileGoRegexp('a(?i)b').test('aB'));
  assert.ok(!compileGoRegexp('a(?i)b').test('AB'));
  assert.ok(compileGoRegexp('(?s)a.b').test('a\nb'));
  assert.ok(!compileGoRegexp('a.b').test('a\nb'));
  const anchored = compileGoRegexp('\\Afoo\\z');
  assert.ok(anchored.test('foo'));
  assert.ok(!anchored.test('foo\n'));
  assert.ok(compileGoRegexp('^\\Q.*\\E$').test('.*'));
  assert.ok(!compileGoRegexp('^\\Q.*\\E$').test('ab'));
  assert.ok(compileGoRegexp('^[[:alpha:]]+$').test('abc'));
  assert.ok(compileGoRegexp('^\\pL+$').test('héllo'));
  assert.ok(compileGoRegexp('^\\p{Greek}+$').test('αβγ'));
  assert.ok(compileGoRegexp('[]a]').test(']'));
  // Go matches code points, not UTF-16 units.
  assert.ok(compileGoRegexp('^.$').test('😀'));
  // Unanchored, as Go's MatchString.
  assert.ok(compileGoRegexp('b+').test('abbc'));
});

test('what RE2 refuses is refused with a GoRegexpError', () => {
  for (const [pattern, message] of [
    ['^(?=a)a(?!b)', /invalid or unsupported Perl syntax: `\(\?=`/],
    ['(?<=a)b', /invalid named capture/],
    ['(a)\\1', /invalid escape sequence: `\\1`/],
    ['a{1001}', /invalid repeat count/],
    ['(unclosed', /missing closing \)/],
    ['(?P<n>a)(?P<n>b)', /duplicate capture group name/],
  ] as const) {
    assert.throws(
      () => compileGoRegexp(pattern),
      (error: unknown) => error instanceof GoRegexpError && error.code === 'invalid_regexp' && message.test(error.message),
      pattern,
    );
  }
});

test('a pattern that backtracks exponentially in RegExp runs in linear time', () => {
  // `(a+)+$` on "a"×n + "b" takes ~2^n steps in a backtracking engine; n = 100,000
  // would never finish there. Here it must simply return.
  const re = compileGoRegexp('(a+)+$');
  assert.equal(re.test(`${'a'.repeat(100_000)}b`), false);
  assert.equal(re.test('a'.repeat(100_000)), true);
  assert.deepEqual(compileGoRegexp('^(?P<x>(a+)+)b$').groupCount, 2);
});
