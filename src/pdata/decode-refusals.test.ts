import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DecodeRefusals, UnstorableValueError } from './decode-refusals.ts';
import { emptyLogRecord, emptySpan } from './defaults.ts';
import {
  decodeLogsJson,
  decodeLogsProto,
  decodeMetricsJson,
  decodeMetricsProto,
  decodeTracesJson,
  decodeTracesProto,
  encodeLogsProto,
  encodeMetricsProto,
  encodeTracesProto,
} from './index.ts';
import type { KeyValue, LogsData, MetricsData, NumberDataPoint, Span, TracesData } from './model.ts';

// Items holding a value storage cannot keep are refused one by one (partial
// success), the rest of the request is kept: invalid UTF-8 in protobuf strings,
// lone surrogates in OTLP/JSON strings, DateTime64(9) times from 2^63 on. Invalid
// bytes are put in place of a same-length marker in bytes our encoder made.

const TWO_63 = 0x8000000000000000n;
const MAX_U64 = 0xffffffffffffffffn;
const NOW = 1_750_000_000_000_000_000n;
const BAD = [0x61, 0xff, 0xfe, 0x62]; // "a", two bytes no UTF-8 sequence starts with, "b"

function span(name: string, fields: Partial<Span> = {}): Span {
  const id = (name.length.toString(16) + name.charCodeAt(0).toString(16)).padStart(4, '0');
  return { ...emptySpan(), traceId: id.repeat(8), spanId: id.repeat(4), name, startTimeUnixNano: NOW, endTimeUnixNano: NOW + 5n, ...fields };
}
const str = (key: string, value: string): KeyValue => ({ key, value: { type: 'string', value } });

function traces(groups: { attrs?: KeyValue[]; scopeName?: string; spans: Span[] }[]): TracesData {
  return {
    resourceSpans: groups.map((g) => ({
      resource: { attributes: g.attrs ?? [], droppedAttributesCount: 0 },
      scopeSpans: [{ scope: { name: g.scopeName ?? 's', version: '', attributes: [], droppedAttributesCount: 0 }, spans: g.spans, schemaUrl: '' }],
      schemaUrl: '',
    })),
  };
}

/** The bytes with the (only) occurrence of `marker` replaced by `replacement`, same length. */
function patch(bytes: Uint8Array, marker: string, replacement: number[]): Uint8Array {
  const buf = Buffer.from(bytes);
  const at = buf.indexOf(marker);
  assert.ok(at >= 0 && buf.indexOf(marker, at + 1) === -1 && replacement.length === marker.length, `one ${marker}`);
  Buffer.from(replacement).copy(buf, at);
  return new Uint8Array(buf);
}

const names = (data: TracesData) => data.resourceSpans.flatMap((rs) => rs.scopeSpans.flatMap((ss) => ss.spans.map((s) => s.name)));

describe('decoders refuse items storage cannot keep, and keep the rest', () => {
  it('protobuf: a span with invalid UTF-8 in its name, key or long value is refused with its field path', () => {
    const data = traces([
      {
        spans: [
          span('ok-1'),
          span('zzzz'),
          span('ok-2', { attributes: [str('k', 'v'), str('yyyy', 'v')] }),
          span('ok-3', { attributes: [str('long', `${'x'.repeat(40)}wwww`)] }),
          span('ok-4'),
        ],
      },
    ]);
    let bytes = patch(encodeTracesProto(data), 'zzzz', BAD);
    bytes = patch(bytes, 'yyyy', BAD);
    bytes = patch(bytes, 'wwww', BAD);
    const refusals = new DecodeRefusals();
    assert.deepEqual(names(decodeTracesProto(bytes, refusals)), ['ok-1', 'ok-4']);
    assert.equal(refusals.count, 3);
    assert.equal(
      refusals.errorMessage(),
      'resourceSpans[0].scopeSpans[0].spans[1].name: invalid UTF-8; ' +
        'resourceSpans[0].scopeSpans[0].spans[2].attributes[1].key: invalid UTF-8; ' +
        'resourceSpans[0].scopeSpans[0].spans[3].attributes[0].value.stringValue: invalid UTF-8',
    );
  });

  it('protobuf: without a refusal list the same span fails the whole decode, naming the field', () => {
    const bytes = patch(encodeTracesProto(traces([{ spans: [span('ok'), span('zzzz')] }])), 'zzzz', BAD);
    assert.throws(() => decodeTracesProto(bytes), (e: unknown) => {
      assert.ok(e instanceof UnstorableValueError);
      assert.equal(e.message, 'resourceSpans[0].scopeSpans[0].spans[1].name: invalid UTF-8');
      return true;
    });
  });

  it('protobuf: span times from 2^63 ns on are refused (finding 6), 2^63 - 1 and end before start are kept', () => {
    const data = traces([
      {
        spans: [
          span('max-max', { startTimeUnixNano: MAX_U64, endTimeUnixNano: MAX_U64 }),
          span('max-zero', { startTimeUnixNano: MAX_U64, endTimeUnixNano: 0n }),
          span('end-2^63', { endTimeUnixNano: TWO_63 }),
          span('last-time', { startTimeUnixNano: TWO_63 - 1n, endTimeUnixNano: TWO_63 - 1n }),
          span('backwards', { startTimeUnixNano: NOW, endTimeUnixNano: NOW - 1000n }),
          span('zero', { startTimeUnixNano: 0n, endTimeUnixNano: 0n }),
        ],
      },
    ]);
    const refusals = new DecodeRefusals();
    const decoded = decodeTracesProto(encodeTracesProto(data), refusals);
    assert.deepEqual(names(decoded), ['last-time', 'backwards', 'zero']);
    assert.equal(refusals.count, 3);
    assert.match(refusals.errorMessage(), /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[0\]\.startTimeUnixNano: at or above 2\^63 ns/);
    assert.match(refusals.errorMessage(), /spans\[2\]\.endTimeUnixNano: at or above 2\^63 ns/);
    assert.equal(decoded.resourceSpans[0]!.scopeSpans[0]!.spans[1]!.endTimeUnixNano, NOW - 1000n);
  });

  it('protobuf: a bad resource attribute or scope name refuses every span under it, other groups are kept', () => {
    const data = traces([
      { attrs: [str('service.name', 'a'), str('host', 'zzzz')], spans: [span('a1'), span('a2'), span('a3')] },
      { attrs: [str('service.name', 'b')], spans: [span('b1')] },
      { attrs: [str('service.name', 'c')], scopeName: 'yyyy', spans: [span('c1'), span('c2')] },
    ]);
    const bytes = patch(patch(encodeTracesProto(data), 'zzzz', BAD), 'yyyy', BAD);
    const refusals = new DecodeRefusals();
    const decoded = decodeTracesProto(bytes, refusals);
    assert.deepEqual(names(decoded), ['b1']);
    assert.equal(refusals.count, 5);
    assert.equal(
      refusals.errorMessage(),
      'resourceSpans[0].resource.attributes[1].value.stringValue: invalid UTF-8; resourceSpans[2].scopeSpans[0].scope.name: invalid UTF-8',
    );
  });

  it('protobuf: log records with a time or observed time from 2^63 on, or bad UTF-8 in the body, are refused', () => {
    const log = (severityText: string, fields = {}) => ({ ...emptyLogRecord(), timeUnixNano: NOW, severityText, ...fields });
    const data: LogsData = {
      resourceLogs: [
        {
          resource: { attributes: [], droppedAttributesCount: 0 },
          scopeLogs: [
            {
              scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
              logRecords: [
                log('ok'),
                log('t', { timeUnixNano: TWO_63 }),
                log('o', { observedTimeUnixNano: MAX_U64 }),
                log('b', { body: { type: 'string', value: 'zzzz' } }),
                log('ok2'),
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    };
    const refusals = new DecodeRefusals();
    const decoded = decodeLogsProto(patch(encodeLogsProto(data), 'zzzz', BAD), refusals);
    assert.deepEqual(decoded.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((r) => r.severityText), ['ok', 'ok2']);
    assert.equal(refusals.count, 3);
    assert.match(refusals.errorMessage(), /logRecords\[1\]\.timeUnixNano: at or above/);
    assert.match(refusals.errorMessage(), /logRecords\[2\]\.observedTimeUnixNano: at or above/);
    assert.match(refusals.errorMessage(), /logRecords\[3\]\.body\.stringValue: invalid UTF-8/);
  });

  it('protobuf: a data point is refused alone; a bad metric name refuses all its points, each counted once', () => {
    const point = (timeUnixNano: bigint): NumberDataPoint => ({
      attributes: [],
      startTimeUnixNano: 0n,
      timeUnixNano,
      value: { type: 'int', value: 1n },
      exemplars: [],
      flags: 0,
    });
    const metric = (name: string, points: NumberDataPoint[], metadata: KeyValue[] = []) => ({
      name,
      description: '',
      unit: '',
      metadata,
      data: { type: 'sum' as const, aggregationTemporality: 2, isMonotonic: true, dataPoints: points },
    });
    const data: MetricsData = {
      resourceMetrics: [
        {
          resource: { attributes: [], droppedAttributesCount: 0 },
          scopeMetrics: [
            {
              scope: { name: '', version: '', attributes: [], droppedAttributesCount: 0 },
              metrics: [
                metric('m1', [point(NOW), point(TWO_63), point(NOW + 1n)]),
                metric('zzzz', [point(NOW), point(NOW)]),
                // The point is refused first, then the whole metric (metadata comes after the data).
                metric('m3', [point(MAX_U64), point(NOW), point(NOW)], [str('k', 'yyyy')]),
              ],
              schemaUrl: '',
            },
          ],
          schemaUrl: '',
        },
      ],
    };
    const refusals = new DecodeRefusals();
    const bytes = patch(patch(encodeMetricsProto(data), 'zzzz', BAD), 'yyyy', BAD);
    const decoded = decodeMetricsProto(bytes, refusals);
    const metrics = decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics;
    assert.deepEqual(metrics.map((m) => [m.name, m.data?.dataPoints.length]), [['m1', 2]]);
    assert.equal(refusals.count, 1 + 2 + 3);
    assert.equal(
      refusals.errorMessage(),
      'resourceMetrics[0].scopeMetrics[0].metrics[0].sum.dataPoints[1].timeUnixNano: ' +
        'at or above 2^63 ns (after 2262-04-11), which cannot be stored as an Int64 nanosecond time; ' +
        'resourceMetrics[0].scopeMetrics[0].metrics[1].name: invalid UTF-8; ' +
        'resourceMetrics[0].scopeMetrics[0].metrics[2].sum.dataPoints[0].timeUnixNano: ' +
        'at or above 2^63 ns (after 2262-04-11), which cannot be stored as an Int64 nanosecond time; ' +
        'resourceMetrics[0].scopeMetrics[0].metrics[2].metadata[0].value.stringValue: invalid UTF-8',
    );
  });

  it('protobuf: a malformed request still fails as a whole, even after a refused item', () => {
    const bytes = patch(encodeTracesProto(traces([{ spans: [span('zzzz'), span('ok')] }])), 'zzzz', BAD);
    assert.throws(() => decodeTracesProto(bytes.subarray(0, bytes.length - 3), new DecodeRefusals()), /truncated message/);
  });

  it('lists at most five reasons and counts the rest', () => {
    const spans = Array.from({ length: 8 }, (_, i) => span(`s${i}`, { startTimeUnixNano: MAX_U64 - BigInt(i) }));
    const refusals = new DecodeRefusals();
    decodeTracesProto(encodeTracesProto(traces([{ spans }])), refusals);
    assert.equal(refusals.count, 8);
    assert.match(refusals.errorMessage(), /spans\[4\]\.startTimeUnixNano: [^;]+; and 3 more$/);
  });
});

describe('OTLP/JSON decoders refuse items storage cannot keep', () => {
  const body = (resourceSpans: unknown[]) => JSON.stringify({ resourceSpans });
  const jsonSpan = (name: string, extra: Record<string, unknown> = {}) => ({
    traceId: '0af7651916cd43dd8448eb211c80319c',
    spanId: 'b7ad6b7169203331',
    name,
    startTimeUnixNano: String(NOW),
    endTimeUnixNano: String(NOW + 1n),
    ...extra,
  });

  it('refuses a span with a lone surrogate (finding 1), keeps paired surrogates and the other spans', () => {
    // JSON.stringify writes lone surrogates as \ud800 escapes, as a sender would.
    const text = body([
      {
        scopeSpans: [
          {
            spans: [
              jsonSpan('ok'),
              jsonSpan('\ud800'),
              jsonSpan('emoji \ud83d\ude00'),
              jsonSpan('attr', { attributes: [{ key: 'k', value: { stringValue: 'x\udfff' } }] }),
            ],
          },
        ],
      },
    ]);
    assert.ok(text.includes('\\ud800'));
    const refusals = new DecodeRefusals();
    const decoded = decodeTracesJson(text, refusals);
    assert.deepEqual(names(decoded), ['ok', 'emoji \ud83d\ude00']);
    assert.equal(refusals.count, 2);
    assert.match(refusals.errorMessage(), /^resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[1\]\.name: lone UTF-16 surrogate/);
    assert.match(refusals.errorMessage(), /spans\[3\]\.attributes\[0\]\.value\.stringValue: lone UTF-16 surrogate/);
  });

  it('refuses span times from 2^63 ns on; a lone surrogate where hex is expected is a malformed request', () => {
    const text = body([
      { scopeSpans: [{ spans: [jsonSpan('max', { startTimeUnixNano: String(MAX_U64), endTimeUnixNano: '0' }), jsonSpan('ok')] }] },
    ]);
    const refusals = new DecodeRefusals();
    assert.deepEqual(names(decodeTracesJson(text, refusals)), ['ok']);
    assert.match(refusals.errorMessage(), /spans\[0\]\.startTimeUnixNano: at or above 2\^63 ns/);
    assert.throws(() => decodeTracesJson(body([{ scopeSpans: [{ spans: [jsonSpan('x', { spanId: '\ud800' })] }] }]), new DecodeRefusals()), /spanId: expected 16 hex digits/);
  });

  it('a lone surrogate in a resource or scope refuses every span under it', () => {
    const text = body([
      { resource: { attributes: [{ key: '\udc00', value: { stringValue: 'v' } }] }, scopeSpans: [{ spans: [jsonSpan('a'), jsonSpan('b')] }] },
      { scopeSpans: [{ scope: { version: '\ud800' }, spans: [jsonSpan('c')] }, { spans: [jsonSpan('d')] }] },
    ]);
    const refusals = new DecodeRefusals();
    assert.deepEqual(names(decodeTracesJson(text, refusals)), ['d']);
    assert.equal(refusals.count, 3);
    assert.match(refusals.errorMessage(), /^resourceSpans\[0\]\.resource\.attributes\[0\]\.key: lone/);
    assert.match(refusals.errorMessage(), /resourceSpans\[1\]\.scopeSpans\[0\]\.scope\.version: lone/);
  });

  it('logs and metrics: records and points are refused alone, a bad metric takes its points along', () => {
    const logs = JSON.stringify({
      resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: String(NOW) }, { observedTimeUnixNano: String(TWO_63) }, { body: { stringValue: '\ud800' } }] }] }],
    });
    const logRefusals = new DecodeRefusals();
    assert.equal(decodeLogsJson(logs, logRefusals).resourceLogs[0]!.scopeLogs[0]!.logRecords.length, 1);
    assert.equal(logRefusals.count, 2);

    const point = (timeUnixNano: string) => ({ timeUnixNano, asInt: '1' });
    const metrics = JSON.stringify({
      resourceMetrics: [
        {
          scopeMetrics: [
            {
              metrics: [
                { name: 'g', gauge: { dataPoints: [point(String(NOW)), point(String(MAX_U64))] } },
                { name: 'h\ud800', sum: { dataPoints: [point(String(NOW)), point(String(NOW)), point(String(NOW))] } },
              ],
            },
          ],
        },
      ],
    });
    const metricRefusals = new DecodeRefusals();
    const decoded = decodeMetricsJson(metrics, metricRefusals);
    assert.deepEqual(decoded.resourceMetrics[0]!.scopeMetrics[0]!.metrics.map((m) => [m.name, m.data?.dataPoints.length]), [['g', 1]]);
    assert.equal(metricRefusals.count, 4);
    assert.match(metricRefusals.errorMessage(), /^resourceMetrics\[0\]\.scopeMetrics\[0\]\.metrics\[0\]\.gauge\.dataPoints\[1\]\.timeUnixNano: at or above/);
    assert.match(metricRefusals.errorMessage(), /metrics\[1\]\.name: lone/);
  });
});
