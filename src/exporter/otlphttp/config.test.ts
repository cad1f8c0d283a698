import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { otlpHttpExporterFactory } from './factory.ts';

describe('otlphttp config', () => {
  test('Collector defaults: proto, gzip, 30s timeout; URLs per signal', () => {
    const config = otlpHttpExporterFactory.configSchema.parse({ endpoint: 'https://example.com:4318', logs_endpoint: 'https://logs.example.com/in' });
    assert.equal(config.encoding, 'proto');
    assert.equal(config.compression, 'gzip');
    assert.equal(config.timeoutMs, 30_000);
    assert.deepEqual(config.urls, {
      traces: 'https://example.com:4318/v1/traces',
      metrics: 'https://example.com:4318/v1/metrics',
      logs: 'https://logs.example.com/in',
    });
  });

  test('needs an endpoint; refuses what is not an http(s) URL', () => {
    const issues = (values: unknown) => otlpHttpExporterFactory.configSchema.safeParse(values).error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    assert.deepEqual(issues({}), ['endpoint: at least one endpoint must be specified']);
    assert.match(String(issues({ endpoint: 'example.com:4318' })), /endpoint: must be an http:\/\/ or https:\/\/ URL/);
    assert.match(String(issues({ endpoint: 'http://x', encoding: 'xml' })), /encoding: must be "proto" or "json"/);
  });
});
