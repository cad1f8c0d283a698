import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsonText } from './json-text.ts';

test('-0 is written -0 wherever it is, and JSON.parse reads it back', () => {
  assert.equal(jsonText(-0), '-0');
  assert.equal(jsonText({ a: [1, { b: -0 }], c: 0 }), '{"a":[1,{"b":-0}],"c":0}');
  assert.ok(Object.is((JSON.parse(jsonText({ v: -0 })) as { v: number }).v, -0));
  const dated = { toJSON: () => ({ v: -0 }) };
  assert.equal(jsonText([dated]), '[{"v":-0}]');
});

test('everything else reads exactly as JSON.stringify writes it', () => {
  const withProto: Record<string, unknown> = {};
  Object.defineProperty(withProto, '__proto__', { value: -0, enumerable: true });
  const values: unknown[] = [
    null,
    'a"\\\n\u2028\ud800',
    1.5e300,
    Number.NaN,
    Number.NEGATIVE_INFINITY,
    true,
    [undefined, () => 1, Symbol('s'), 0],
    { skipped: undefined, fn: () => 1, date: new Date(0), nested: { list: [[], {}], k: -0 } },
    withProto,
    Object.assign(Object.create(null) as object, { constructor: 'c', toString: -0 }),
  ];
  for (const value of values) {
    // Replace -0 by 0 in the expectation: the only difference allowed.
    const expected = JSON.stringify(value);
    assert.equal(jsonText(value).replaceAll('-0', '0'), expected.replaceAll('-0', '0'), String(expected));
  }
  assert.equal(jsonText(withProto), '{"__proto__":-0}');
  assert.equal(jsonText(undefined), 'null');
  assert.throws(() => jsonText({ n: 1n, z: -0 }), TypeError);
});
