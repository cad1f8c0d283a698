import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../consumer/errors.ts';
import { JsonNumber, MAX_JSON_DEPTH, parseJson } from './json-parse.ts';

// The lossless parser must read what JSON.parse reads, except that numbers keep
// their source text.

/** parseJson's result with numbers turned back into JS numbers, to compare with JSON.parse. */
function plain(v: unknown): unknown {
  if (v instanceof JsonNumber) return Number(v.raw);
  if (Array.isArray(v)) return v.map(plain);
  if (v !== null && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
  return v;
}

describe('parseJson', () => {
  it('reads what JSON.parse reads', () => {
    const samples = [
      '{"a":[1,-2.5e-3,true,false,null,"x"],"b":{"c":{}},"d":[]}',
      ' \n\t{ "spaced" : [ 1 , 2 ] } \r\n',
      '"\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude80 tail"',
      '"plain ünïcödé 🚀"',
      '0',
      '-0.0',
      '[[[[]]]]',
    ];
    for (const text of samples) assert.deepEqual(plain(parseJson(text)), JSON.parse(text), text);
  });

  it('keeps every digit of a number', () => {
    const parsed = parseJson('{"t":1700000000123456789,"i":-9223372036854775808,"d":1.0000000000000000001}') as Record<string, JsonNumber>;
    assert.equal(parsed['t']!.raw, '1700000000123456789');
    assert.equal(parsed['i']!.raw, '-9223372036854775808');
    assert.equal(parsed['d']!.raw, '1.0000000000000000001');
  });

  it('treats __proto__ as an ordinary key, as JSON.parse does', () => {
    const parsed = parseJson('{"__proto__":{"polluted":true}}') as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(parsed), Object.prototype);
    assert.deepEqual(Object.keys(parsed), ['__proto__']);
    assert.equal(({} as Record<string, unknown>)['polluted'], undefined);
    assert.equal((parsed as { polluted?: unknown }).polluted, undefined);
  });

  it('refuses what JSON.parse refuses', () => {
    for (const bad of ['', '{', '[1,]', '{"a":1,}', "{'a':1}", '01', '1.', '.5', '+1', 'NaN', 'tru', '"\u0001"', '"abc', '"\\u12"', '{"a" 1}', '[1 2]', '{} {}']) {
      assert.throws(() => JSON.parse(bad), SyntaxError, bad);
      assert.throws(() => parseJson(bad), BadRequestError, bad);
    }
  });

  it('refuses nesting past the limit instead of overflowing the stack', () => {
    assert.doesNotThrow(() => parseJson('['.repeat(MAX_JSON_DEPTH) + ']'.repeat(MAX_JSON_DEPTH)));
    assert.throws(() => parseJson('['.repeat(100_000)), /nesting deeper than 512 levels/);
  });
});
