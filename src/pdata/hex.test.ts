import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../consumer/errors.ts';
import { bytesFromHex, hexFromBytes } from './index.ts';

describe('hex', () => {
  it('converts bytes to lowercase hex and back', () => {
    const bytes = new Uint8Array(256).map((_, i) => i);
    const hex = hexFromBytes(bytes);
    assert.equal(hex.length, 512);
    assert.equal(hex.slice(0, 8), '00010203');
    assert.equal(hex.slice(-4), 'feff');
    assert.deepEqual(bytesFromHex(hex), bytes);
    assert.equal(hexFromBytes(new Uint8Array(0)), '');
  });

  it('accepts uppercase', () => {
    assert.deepEqual(bytesFromHex('ABcdEF'), new Uint8Array([0xab, 0xcd, 0xef]));
  });

  it('refuses odd lengths and non-hex characters', () => {
    for (const bad of ['abc', 'zz', '0x12', '12 3', 'é1']) {
      assert.throws(() => bytesFromHex(bad), BadRequestError, bad);
    }
  });
});
