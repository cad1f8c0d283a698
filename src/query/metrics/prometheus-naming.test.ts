import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { StoredMetricInfo } from '../../storage/metric-series-api.ts';
import { formatFloat, prometheusFamily, sanitizeLabelName } from './prometheus-naming.ts';

// The OpenTelemetry spec's Prometheus compatibility names (and the Collector
// translator's cases, pkg/translator/prometheus/normalize_name_test.go).

const info = (name: string, kind: StoredMetricInfo['kind'], unit: string, monotonic = false): StoredMetricInfo => ({
  name,
  kind,
  unit,
  monotonic,
  temporality: kind === 'gauge' || kind === 'summary' ? 0 : 2,
  description: '',
});

test('metric names: units, _total, ratio, histogram and summary series', () => {
  const cases: Array<[StoredMetricInfo, string[]]> = [
    [info('http.server.request.duration', 'histogram', 's'), ['http_server_request_duration_seconds_bucket', 'http_server_request_duration_seconds_sum', 'http_server_request_duration_seconds_count']],
    [info('http.server.duration', 'histogram', 'ms'), ['http_server_duration_milliseconds_bucket', 'http_server_duration_milliseconds_sum', 'http_server_duration_milliseconds_count']],
    [info('payments.processed', 'sum', '', true), ['payments_processed_total']],
    [info('http.server.requests', 'sum', '{request}', true), ['http_server_requests_total']],
    [info('system.network.io', 'sum', 'By', true), ['system_network_io_bytes_total']],
    [info('requests_total', 'sum', '1', true), ['requests_total']],
    [info('http.server.active_requests', 'sum', '{request}', false), ['http_server_active_requests']],
    [info('system.cpu.utilization', 'gauge', '1'), ['system_cpu_utilization_ratio']],
    [info('queue.fill', 'sum', '1', false), ['queue_fill']],
    [info('process.memory.usage', 'gauge', 'By'), ['process_memory_usage_bytes']],
    [info('net.throughput', 'gauge', 'By/s'), ['net_throughput_bytes_per_second']],
    [info('latency.seconds', 'gauge', 's'), ['latency_seconds']],
    [info('2xx.count', 'gauge', ''), ['_2xx_count']],
    [info('rpc.latency', 'summary', 'ms'), ['rpc_latency_milliseconds', 'rpc_latency_milliseconds_sum', 'rpc_latency_milliseconds_count']],
    [info('http.client.duration', 'exponentialHistogram', 's'), ['http_client_duration_seconds']],
    [info('cache.hits', 'sum', 'wibbles', true), ['cache_hits_wibbles_total']],
  ];
  for (const [m, names] of cases) assert.deepEqual(prometheusFamily(m).series.map((s) => s.name), names, m.name);
  assert.equal(prometheusFamily(info('payments.processed', 'sum', '', true)).type, 'counter');
  assert.equal(prometheusFamily(info('http.server.active_requests', 'sum', '{request}')).type, 'gauge');
  assert.equal(prometheusFamily(info('http.server.request.duration', 'histogram', 's')).unit, 'seconds');
});

test('label names are sanitised', () => {
  assert.equal(sanitizeLabelName('http.route'), 'http_route');
  assert.equal(sanitizeLabelName('http.response.status_code'), 'http_response_status_code');
  assert.equal(sanitizeLabelName('k8s-pod/name'), 'k8s_pod_name');
  assert.equal(sanitizeLabelName('0key'), 'key_0key');
  assert.equal(sanitizeLabelName('_private'), 'key_private');
  assert.equal(sanitizeLabelName('__reserved'), '__reserved');
  assert.equal(sanitizeLabelName('ünïcode'), 'key_n_code');
});

test('floats as Prometheus writes them (le, quantile, sample values)', () => {
  assert.equal(formatFloat(0.005), '0.005');
  assert.equal(formatFloat(1e-7), '0.0000001');
  assert.equal(formatFloat(2.5e21), '2500000000000000000000');
  assert.equal(formatFloat(Number.POSITIVE_INFINITY), '+Inf');
  assert.equal(formatFloat(Number.NEGATIVE_INFINITY), '-Inf');
  assert.equal(formatFloat(Number.NaN), 'NaN');
  assert.equal(formatFloat(-0.25), '-0.25');
});
