import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KeyValue } from '../pdata/model.ts';
import { attributeMapsJson, writeAttributeMaps } from './attribute-columns.ts';
import { q } from './otlp-json.ts';
import { RowBuffer } from './row-buffer.ts';

// The byte-writing encoders must produce exactly the text the string-building
// ones did (the engine parses it; reads decode it): every string kind that takes
// a different path in RowBuffer is compared with JSON.stringify's output.

const strings = [
  '',
  'plain',
  'a"quote',
  'back\\slash',
  'ctl\u0001\u001f',
  'tab\tnew\nline',
  'é ü 日本',
  '😀 pair',
  'lone \ud800 high',
  'lone \udc00 low',
  'line\u2028sep',
  'x'.repeat(64),
  'y'.repeat(65),
  'z'.repeat(200) + '"',
  'w'.repeat(100) + 'é',
];

test('jsonString writes what JSON.stringify would, for every path', () => {
  for (const s of strings) {
    const out = new RowBuffer(1); // tiny on purpose: every write must grow it
    out.jsonString(s);
    assert.deepEqual(out.finish(), Buffer.from(JSON.stringify(s)), JSON.stringify(s));
    assert.deepEqual(out.finish(), Buffer.from(q(s)));
  }
});

test('int, ascii and bytes write the decimal and raw forms', () => {
  const out = new RowBuffer(4);
  for (const n of [0, 7, 10, -1, -3, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER]) {
    out.int(n);
    out.byte(0x2c);
  }
  out.ascii((-(2n ** 63n)).toString());
  out.bytes(Buffer.from('|tail'));
  assert.equal(out.finish().toString(), `0,7,10,-1,-3,${2 ** 32 + 1},${Number.MAX_SAFE_INTEGER},-9223372036854775808|tail`);
});

test('writeAttributeMaps matches attributeMapsJson for every value type', () => {
  const kinds = (s: string): KeyValue[] => [
    { key: s, value: { type: 'string', value: s } },
    { key: `i${s}`, value: { type: 'int', value: -(2n ** 63n) } },
    { key: 'd', value: { type: 'double', value: Number.NaN } },
    { key: 'd2', value: { type: 'double', value: -0 } },
    { key: 'd3', value: { type: 'double', value: Number.NEGATIVE_INFINITY } },
    { key: 'b', value: { type: 'bool', value: false } },
    { key: 'bytes', value: { type: 'bytes', value: new Uint8Array([0, 255]) } },
    { key: 'arr', value: { type: 'array', value: [{ type: 'string', value: s }, { type: 'empty' }] } },
    { key: 'kv', value: { type: 'kvlist', value: [{ key: s, value: { type: 'double', value: 1.5 } }] } },
    { key: 'e', value: { type: 'empty' } },
  ];
  const cases: KeyValue[][] = [[], [{ key: 'only', value: { type: 'bool', value: true } }], ...strings.map(kinds)];
  for (const attrs of cases) {
    const out = new RowBuffer(8);
    writeAttributeMaps(out, attrs);
    assert.equal(out.finish().toString(), attributeMapsJson(attrs));
  }
});

test('writeAttributeMaps stays exact past its key cache: more distinct keys than it holds, then the first ones again', () => {
  const attrs = (from: number): KeyValue[] =>
    Array.from({ length: 1000 }, (_, i) => ({ key: `k${from + i}"é`, value: { type: 'int', value: BigInt(i) } }));
  for (const from of [0, 1000, 2000, 3000, 4000, 5000, 0, 1000]) {
    const out = new RowBuffer(8);
    writeAttributeMaps(out, attrs(from));
    assert.equal(out.finish().toString(), attributeMapsJson(attrs(from)));
  }
});
