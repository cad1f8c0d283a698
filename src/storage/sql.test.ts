import assert from 'node:assert/strict';
import { test } from 'node:test';
import { attributeFilterSql } from './attribute-filter.ts';
import { nsFromCh, nsJson } from './ch-values.ts';
import { loadMigrations, splitStatements } from './migrate.ts';
import { anyValueFromJson, anyValueJson, q } from './otlp-json.ts';
import type { Json } from './otlp-json.ts';
import { ttlExpression } from './retention.ts';
import { containsPattern, ident, intLiteral, QueryParams } from './sql.ts';
import { everyKind } from './testdata/telemetry.ts';

// The SQL and value helpers, without a database.

test('ident accepts plain names only', () => {
  assert.equal(ident('spans'), '`spans`');
  for (const bad of ['', '1x', 'a-b', 'a`b', 'a b', 'x; DROP TABLE spans', 'db.table']) assert.throws(() => ident(bad), bad);
});

test('intLiteral refuses what is not a non-negative integer', () => {
  assert.equal(intLiteral(168), '168');
  for (const bad of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) assert.throws(() => intLiteral(bad));
});

test('containsPattern escapes LIKE wildcards', () => {
  assert.equal(containsPattern('50%_off\\'), '%50\\%\\_off\\\\%');
});

test('QueryParams binds values, never splices them', () => {
  const p = new QueryParams();
  assert.equal(p.bind('String', "x' OR 1=1"), '{p0:String}');
  assert.equal(p.bindNs(2n ** 70n), 'fromUnixTimestamp64Nano({p1:Int64})');
  assert.deepStrictEqual(p.values, { p0: "x' OR 1=1", p1: 2n ** 63n - 1n });
});

test('attribute filter SQL (snapshot)', () => {
  const p = new QueryParams();
  // A missing key reads as 0, which is not > 300: the lookup alone decides.
  const sql = attributeFilterSql({ key: 'http.response.status_code', op: '>', value: '300' }, p);
  assert.equal(
    sql,
    '(((`AttributesInt`[{p0:String}] > {p3:Int64}) OR (`AttributesDouble`[{p0:String}] > {p2:Float64})) OR ' +
      'ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ' +
      '((`ResourceAttributesInt`[{p0:String}] > {p3:Int64}) OR (`ResourceAttributesDouble`[{p0:String}] > {p2:Float64}))))',
  );
  assert.deepStrictEqual(p.values, { p0: 'http.response.status_code', p1: '300', p2: 300, p3: 300n });
  // 0 < 5: a missing key would match, so the lookup is guarded.
  const below = attributeFilterSql({ key: 'k', op: '<', value: '5' }, new QueryParams());
  assert.match(below, /^\(\(\(mapContains\(`AttributesInt`, \{p0:String\}\) AND `AttributesInt`\[\{p0:String\}\] < /);
  // '' is the default of a string: `= ''` is guarded, `= 'EUR'` is not.
  assert.match(attributeFilterSql({ key: 'k', op: '=', value: '' }, new QueryParams()), /^\(\(\(mapContains\(`AttributesString`/);
  assert.match(attributeFilterSql({ key: 'k', op: '=', value: 'EUR' }, new QueryParams()), /^\(\(\(`AttributesString`\[\{p0:String\}\] = \{p1:String\}\)\) OR/);
  // Not a number: `>` matches nothing, and nothing of the value reaches the SQL.
  const notNumber = attributeFilterSql({ key: 'k', op: '<', value: "1'; DROP TABLE spans" }, new QueryParams());
  assert.equal(notNumber, '(0 OR ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE 0))');
});

test('q is JSON.stringify', () => {
  const samples = ['', 'plain', 'a"b', 'back\\slash', 'tab\there', '\u0000\u001f', 'ünï', '😀', '\ud800', 'x\udfff', '\u2028'];
  for (const s of samples) assert.equal(q(s), JSON.stringify(s), JSON.stringify(s));
});

test('every AnyValue kind survives its OTLP/JSON text', () => {
  for (const { value } of everyKind) assert.deepStrictEqual(anyValueFromJson(JSON.parse(anyValueJson(value)) as Json), value);
});

test('uint64 timestamps past 2^63 survive DateTime64 (stored wrapped)', () => {
  for (const ns of [0n, 1_700_000_000_123_456_789n, 2n ** 63n - 1n, 2n ** 63n, 2n ** 64n - 1n]) {
    assert.equal(nsFromCh(nsJson(ns)), ns);
  }
});

test('migrations: numbered files, split into statements', async () => {
  const versions = (await loadMigrations()).map((m) => m.version);
  assert.deepStrictEqual(versions.slice(0, 5), [1, 2, 3, 4, 5]);
  assert.deepStrictEqual(versions, [...new Set(versions)].sort((a, b) => a - b), 'versions unique and ascending');
  assert.deepStrictEqual(splitStatements('-- a; comment\nSELECT 1;\n\n-- x\nSELECT 2;'), ['SELECT 1', 'SELECT 2']);
});

test('TTL expression: whole hours, else seconds', () => {
  assert.equal(ttlExpression('Timestamp', 168), 'toDateTime(Timestamp) + toIntervalHour(168)');
  assert.equal(ttlExpression('Timestamp', 0.25), 'toDateTime(Timestamp) + toIntervalSecond(900)');
});
