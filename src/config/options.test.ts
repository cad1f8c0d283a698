import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { test } from 'node:test';
import { OptionsError, resolveOptions, settings } from './options.ts';

test('defaults: the ports and data directory of the README, loopback only as the Collector since v0.104.0', () => {
  const o = resolveOptions([], {});
  assert.deepEqual([o.otlpGrpc, o.otlpHttp, o.api], [
    { host: 'localhost', port: 4317 },
    { host: 'localhost', port: 4318 },
    { host: 'localhost', port: 8080 },
  ]);
  assert.equal(o.dataDir, './data');
  assert.equal(o.retentionHours, 168);
  assert.equal(o.maxRequestBodyBytes, 20 * 1024 * 1024);
  assert.deepEqual(o.corsOrigins, []);
  assert.equal(o.clickhouse, undefined);
  assert.ok(Object.isFrozen(o));
});

test('flags win over TRACEHOUSE_* variables', () => {
  const o = resolveOptions(['--api-port', '9090'], { TRACEHOUSE_API_PORT: '7070', TRACEHOUSE_DATA_DIR: '/var/th', TRACEHOUSE_RETENTION: '72h' });
  assert.equal(o.api.port, 9090);
  assert.equal(o.dataDir, '/var/th');
  assert.equal(o.retentionHours, 72);
  const ch = resolveOptions(['--clickhouse-url', 'http://ch:8123'], { TRACEHOUSE_CLICKHOUSE_PASSWORD: 'pw' });
  assert.deepEqual(ch.clickhouse, { url: 'http://ch:8123', username: 'default', password: 'pw', database: 'tracehouse' });
});

test('bad values name the flag or variable', () => {
  assert.throws(() => resolveOptions(['--otlp-http-port', '99999'], {}), /--otlp-http-port: expected a port number/);
  assert.throws(() => resolveOptions([], { TRACEHOUSE_MAX_REQUEST_BODY_SIZE: 'big' }), /TRACEHOUSE_MAX_REQUEST_BODY_SIZE: expected a size/);
  assert.throws(() => resolveOptions(['--nope'], {}), OptionsError);
});

test('the README settings table lists every flag with its variable and default', async () => {
  const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
  for (const s of settings) {
    const row = readme.split('\n').find((line) => line.startsWith(`| \`--${s.flag}\` |`));
    assert.ok(row, `README has a row for --${s.flag}`);
    assert.ok(row.includes(`\`${s.env}\``), `${s.flag}: ${s.env}`);
    if (s.defaultValue !== '') assert.ok(row.includes(`\`${s.defaultValue}\``), `${s.flag}: default ${s.defaultValue}`);
  }
});
