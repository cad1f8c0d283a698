import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyValue } from '../pdata/model.ts';
import { anyValueToPlain, attributesToPlain } from './plain-json.ts';

test('every key is an own property, __proto__ and constructor included, and the prototype is untouched', () => {
  const attributes: KeyValue[] = [
    { key: '__proto__', value: { type: 'string', value: 'p' } },
    { key: 'constructor', value: { type: 'int', value: 1n } },
    { key: 'hasOwnProperty', value: { type: 'bool', value: true } },
    { key: 'kv', value: { type: 'kvlist', value: [{ key: '__proto__', value: { type: 'double', value: -0 } }] } },
    { key: 'constructor', value: { type: 'int', value: 2n } },
  ];
  const plain = attributesToPlain(attributes);
  assert.equal(Object.getPrototypeOf(plain), Object.prototype);
  // A repeated key keeps its first place and takes the last value.
  assert.deepEqual(Object.keys(plain), ['__proto__', 'constructor', 'hasOwnProperty', 'kv']);
  assert.equal(Object.getOwnPropertyDescriptor(plain, '__proto__')?.value, 'p');
  assert.equal(Object.getOwnPropertyDescriptor(plain, 'constructor')?.value, 2);
  assert.equal(JSON.stringify(plain), '{"__proto__":"p","constructor":2,"hasOwnProperty":true,"kv":{"__proto__":0}}');
  const kv = Object.getOwnPropertyDescriptor(plain, 'kv')?.value as object;
  assert.ok(Object.is(Object.getOwnPropertyDescriptor(kv, '__proto__')?.value, -0));
  assert.equal(Object.getPrototypeOf(kv), Object.prototype);
});

test('doubles keep -0; values JSON has no number for are strings', () => {
  assert.ok(Object.is(anyValueToPlain({ type: 'double', value: -0 }), -0));
  assert.equal(anyValueToPlain({ type: 'double', value: Number.NaN }), 'NaN');
  assert.equal(anyValueToPlain({ type: 'double', value: Number.NEGATIVE_INFINITY }), '-Infinity');
  assert.equal(anyValueToPlain({ type: 'int', value: 2n ** 60n }), '1152921504606846976');
});
