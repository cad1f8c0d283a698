import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { z } from 'zod';
import { attrs, plain } from '../test-pdata.ts';
import { attributeActionSchema, compileActions } from './actions.ts';
import { convertValue, formatGoFloat, hashValue } from './value-conversion.ts';

const actionsSchema = z.array(attributeActionSchema);

function run(actions: unknown[], input: Parameters<typeof attrs>[0]): Record<string, unknown> {
  return plain(compileActions(actionsSchema.parse(actions))(attrs(input)));
}

const sha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

test('insert, update and upsert with value or from_attribute', () => {
  const input = { existing: 'old', source: 'copied' };
  assert.deepEqual(run([{ key: 'existing', value: 'new', action: 'insert' }], input), input);
  assert.deepEqual(run([{ key: 'added', value: 2245, action: 'insert' }], input), { ...input, added: 2245n });
  assert.deepEqual(run([{ key: 'existing', value: true, action: 'update' }], input), { ...input, existing: true });
  assert.deepEqual(run([{ key: 'absent', value: 1.5, action: 'update' }], input), input);
  assert.deepEqual(run([{ key: 'existing', value: 'up', action: 'UPSERT' }], input), { ...input, existing: 'up' });
  assert.deepEqual(run([{ key: 'absent', value: 'up', action: 'upsert' }], input), { ...input, absent: 'up' });
  assert.deepEqual(run([{ key: 'copy', from_attribute: 'source', action: 'upsert' }], input), { ...input, copy: 'copied' });
  // A missing source attribute means no action.
  assert.deepEqual(run([{ key: 'copy', from_attribute: 'nowhere', action: 'upsert' }], input), input);
});

test('values keep their YAML type, lists and mappings included', () => {
  const result = compileActions(
    actionsSchema.parse([
      { key: 'list', value: ['a', 1], action: 'insert' },
      { key: 'map', value: { nested: 'yes' }, action: 'insert' },
    ]),
  )([]);
  assert.deepEqual(result[0]!.value, {
    type: 'array',
    value: [
      { type: 'string', value: 'a' },
      { type: 'int', value: 1n },
    ],
  });
  assert.deepEqual(result[1]!.value, { type: 'kvlist', value: [{ key: 'nested', value: { type: 'string', value: 'yes' } }] });
});

test('delete by key and by pattern', () => {
  const input = { 'db.statement': 'SELECT', 'http.request.header.authorization': 'x', 'http.request.header.cookie': 'y', keep: 1n };
  assert.deepEqual(run([{ key: 'db.statement', action: 'delete' }], input), {
    'http.request.header.authorization': 'x',
    'http.request.header.cookie': 'y',
    keep: 1n,
  });
  assert.deepEqual(run([{ key: 'db.statement', pattern: '^http\\.request\\.header\\.', action: 'delete' }], input), { keep: 1n });
});

test('hash is the Collector SHA-256 over the value bytes', () => {
  const result = run([{ key: 'user.email', action: 'hash' }, { pattern: '^n_', action: 'hash' }], {
    'user.email': 'a@example.com',
    n_int: 42n,
    n_double: 1.5,
    n_bool: true,
    other: 'kept',
  });
  const int = Buffer.alloc(8);
  int.writeBigInt64LE(42n);
  const double = Buffer.alloc(8);
  double.writeDoubleLE(1.5);
  assert.deepEqual(result, {
    'user.email': sha256(Buffer.from('a@example.com')),
    n_int: sha256(int),
    n_double: sha256(double),
    n_bool: sha256(Buffer.from([1])),
    other: 'kept',
  });
  assert.deepEqual(hashValue({ type: 'bytes', value: new Uint8Array([1]) }), { type: 'string', value: '' });
});

test('extract takes named groups (Go syntax) from a string value', () => {
  const action = { key: 'http.url', pattern: '^(?P<http_protocol>.*):\\/\\/(?P<http_domain>[^/]*)(?P<http_path>/[^?]*)?', action: 'extract' };
  assert.deepEqual(run([action], { 'http.url': 'https://shop.example.com/cart?x=1', http_domain: 'old' }), {
    'http.url': 'https://shop.example.com/cart?x=1',
    http_domain: 'shop.example.com',
    http_protocol: 'https',
    http_path: '/cart',
  });
  assert.deepEqual(run([action], { 'http.url': 'mailto:x' }), { 'http.url': 'mailto:x' });
  assert.deepEqual(run([action], { 'http.url': 5n }), { 'http.url': 5n });
});

test('convert to int, double and string, leaving unconvertible values as they are', () => {
  assert.deepEqual(
    run(
      [
        { key: 'status', action: 'convert', converted_type: 'int' },
        { key: 'ratio', action: 'convert', converted_type: 'double' },
        { key: 'port', action: 'convert', converted_type: 'string' },
        { key: 'bad', action: 'convert', converted_type: 'int' },
        { key: 'absent', action: 'convert', converted_type: 'int' },
      ],
      { status: '200', ratio: '0.25', port: 8080n, bad: '12abc' },
    ),
    { status: 200n, ratio: 0.25, port: '8080', bad: '12abc' },
  );
  assert.deepEqual(convertValue({ type: 'double', value: -3.9 }, 'int'), { type: 'int', value: -3n });
  assert.deepEqual(convertValue({ type: 'bool', value: true }, 'double'), { type: 'double', value: 1 });
  assert.deepEqual(convertValue({ type: 'double', value: 1.5e-7 }, 'string'), { type: 'string', value: '0.00000015' });
  assert.equal(formatGoFloat(1e21), '1000000000000000000000');
  assert.equal(formatGoFloat(2.5), '2.5');
  // strconv.FormatFloat and json.Marshal keep the sign of -0; keys are data.
  assert.equal(formatGoFloat(-0), '-0');
  assert.deepEqual(
    convertValue({ type: 'kvlist', value: [{ key: '__proto__', value: { type: 'double', value: -0 } }] }, 'string'),
    { type: 'string', value: '{"__proto__":-0}' },
  );
});

test('actions run in order; the input array is never written to', () => {
  const input = attrs({ a: 'x' });
  const before = structuredClone(input);
  const output = compileActions(
    actionsSchema.parse([
      { key: 'b', from_attribute: 'a', action: 'insert' },
      { key: 'a', action: 'hash' },
      { key: 'b', value: 'y', action: 'update' },
    ]),
  )(input);
  assert.deepEqual(input, before);
  assert.deepEqual(plain(output), { a: sha256(Buffer.from('x')), b: 'y' });
  const unchanged = compileActions(actionsSchema.parse([{ key: 'zzz', action: 'delete' }]));
  assert.equal(unchanged(input), input);
});

test('validation follows the Collector, with the offending option as the path', () => {
  const issues = (action: unknown): string[] => {
    const result = attributeActionSchema.safeParse(action);
    return result.success ? [] : result.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  };
  assert.deepEqual(issues({ key: 'a', action: 'insert' }), ['value: one of "value" or "from_attribute" is required']);
  assert.deepEqual(issues({ key: 'a', value: 1, from_attribute: 'b', action: 'upsert' }), [
    'from_attribute: set only one of "value" and "from_attribute"',
  ]);
  assert.deepEqual(issues({ value: 1, action: 'insert' }), ['key: missing required field "key" for action "insert"']);
  assert.deepEqual(issues({ action: 'delete' }), ['key: action "delete" needs "key", "pattern" or both']);
  assert.deepEqual(issues({ key: 'a', value: 1, action: 'delete' }), ['value: action "delete" does not use "value"']);
  assert.deepEqual(issues({ key: 'a', action: 'extract' }), ['pattern: missing required field "pattern" for action "extract"']);
  assert.deepEqual(issues({ key: 'a', pattern: '^(\\w+)$', action: 'extract' }), ['pattern: pattern contains no named groups']);
  assert.deepEqual(issues({ key: 'a', pattern: '^(?P<x>\\w+)-(\\w+)$', action: 'extract' }), [
    'pattern: pattern contains an unnamed group; name every group (?P<name>...)',
  ]);
  assert.deepEqual(issues({ pattern: '(', action: 'hash' }), ['pattern: invalid pattern: error parsing regexp: missing closing ): `(`']);
  // What RE2 refuses is refused, as by the Collector: lookarounds, backreferences.
  assert.deepEqual(issues({ pattern: '^(?=a)a(?!b)', action: 'delete' }), [
    'pattern: invalid pattern: error parsing regexp: invalid or unsupported Perl syntax: `(?=`',
  ]);
  assert.deepEqual(issues({ key: 'a', pattern: '(?P<x>a)\\1', action: 'extract' }), [
    'pattern: invalid pattern: error parsing regexp: invalid escape sequence: `\\1`',
  ]);
  assert.deepEqual(issues({ key: 'a', action: 'convert' }), ['converted_type: missing required field "converted_type"']);
  assert.deepEqual(issues({ key: 'a', action: 'convert', converted_type: 'bool' }), [
    'converted_type: invalid value "bool" (expected int, double or string)',
  ]);
  assert.deepEqual(issues({ key: 'a', from_context: 'metadata.tenant', action: 'insert' }), [
    'from_context: from_context is not supported: Tracehouse receivers do not pass client metadata',
  ]);
  assert.deepEqual(issues({ key: 'a', action: 'rename' }), [
    'action: unsupported action "rename" (expected one of insert, update, upsert, delete, hash, extract, convert)',
  ]);
});
