import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Span, TracesData } from '../pdata/model.ts';
import { toJaegerTrace } from './jaeger-model.ts';

// The OTLP → Jaeger UI model cases the SDK-made oracle data does not reach: bytes,
// maps, ints past 2^53, dropped counts, trace state, a resource without a service.

const traceId = '0af7651916cd43dd8448eb211c80319c';

function span(overrides: Partial<Span>): Span {
  return {
    traceId, spanId: 'b7ad6b7169203331', traceState: '', parentSpanId: '', flags: 0, name: 'op', kind: 0,
    startTimeUnixNano: 1_700_000_000_123_456_789n, endTimeUnixNano: 1_700_000_000_223_456_789n,
    attributes: [], droppedAttributesCount: 0, events: [], droppedEventsCount: 0, links: [], droppedLinksCount: 0,
    status: { code: 0, message: '' }, ...overrides,
  };
}

function trace(spans: Span[], resource = [{ key: 'service.name', value: { type: 'string' as const, value: 'svc' } }]): TracesData {
  return { resourceSpans: [{ resource: { attributes: resource, droppedAttributesCount: 0 }, schemaUrl: '', scopeSpans: [{ scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 }, schemaUrl: '', spans }] }] };
}

test('typed tags, Jaeger-added tags and truncated microseconds', () => {
  const got = toJaegerTrace(traceId, trace([span({
    traceState: 'vendor=x',
    droppedAttributesCount: 2,
    status: { code: 1, message: '' },
    attributes: [
      { key: 'b', value: { type: 'bytes', value: new Uint8Array([1, 2, 255]) } },
      { key: 'm', value: { type: 'kvlist', value: [{ key: 'k', value: { type: 'int', value: 7n } }] } },
      { key: 'big', value: { type: 'int', value: 2n ** 60n } },
      { key: 'e', value: { type: 'empty' } },
    ],
  })]));
  const s = got.spans[0]!;
  assert.equal(s.startTime, 1_700_000_000_123_456);
  assert.equal(s.duration, 100_000);
  assert.deepEqual(s.tags, [
    { key: 'b', type: 'binary', value: 'AQL/' },
    { key: 'big', type: 'int64', value: '1152921504606846976' },
    { key: 'e', type: 'string', value: '' },
    { key: 'm', type: 'string', value: '{"k":7}' },
    { key: 'otel.dropped_attributes_count', type: 'int64', value: 2 },
    { key: 'otel.status_code', type: 'string', value: 'OK' },
    { key: 'w3c.tracestate', type: 'string', value: 'vendor=x' },
  ]);
  assert.deepEqual(s.references, []);
});

test('a resource without service.name, and a link to the parent is one reference', () => {
  const got = toJaegerTrace(traceId, trace([span({ parentSpanId: '00f067aa0ba902b7', links: [{ traceId, spanId: '00f067aa0ba902b7', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 }] })], []));
  assert.deepEqual(got.processes, { p1: { serviceName: 'OTLPResourceNoServiceName', tags: [] } });
  assert.deepEqual(got.spans[0]!.references, [{ refType: 'CHILD_OF', traceID: traceId, spanID: '00f067aa0ba902b7' }]);
});
