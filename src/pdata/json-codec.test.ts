import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BadRequestError } from '../consumer/errors.ts';
import {
  anyValueFromOtlpJson,
  anyValueToOtlpJson,
  decodeLogsJson,
  decodeMetricsJson,
  decodeTracesJson,
  logsToOtlpJson,
  metricsToOtlpJson,
  tracesToOtlpJson,
} from './index.ts';
import type { Span } from './model.ts';
import { everyAnyValue, fullLogs, fullMetrics, fullTraces, SPAN_ID, TRACE_ID } from './testdata/full-model.ts';

// OTLP/JSON: round trips of every field, the spellings senders use (snake_case,
// enum names, uppercase hex, 64-bit numbers as strings or bare numbers), and the
// errors malformed bodies get.

const firstSpan = (json: unknown): Span => decodeTracesJson(JSON.stringify(json)).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
const oneSpan = (span: Record<string, unknown>) => ({ resourceSpans: [{ scopeSpans: [{ spans: [span] }] }] });

function rejects(fn: () => unknown, message: string | RegExp): void {
  assert.throws(fn, (error: unknown) => {
    assert.ok(error instanceof BadRequestError, `expected BadRequestError, got ${String(error)}`);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

describe('OTLP/JSON round trip', () => {
  it('keeps every trace field through tracesToOtlpJson, JSON.stringify and decodeTracesJson', () => {
    assert.deepEqual(decodeTracesJson(JSON.stringify(tracesToOtlpJson(fullTraces))), fullTraces);
  });

  it('keeps every log field', () => {
    assert.deepEqual(decodeLogsJson(JSON.stringify(logsToOtlpJson(fullLogs))), fullLogs);
  });

  it('keeps every metric field', () => {
    assert.deepEqual(decodeMetricsJson(JSON.stringify(metricsToOtlpJson(fullMetrics))), fullMetrics);
  });

  it('round-trips every AnyValue kind through anyValueToOtlpJson and JSON.parse', () => {
    for (const value of everyAnyValue) {
      const text = JSON.stringify(anyValueToOtlpJson(value));
      assert.deepEqual(anyValueFromOtlpJson(JSON.parse(text), 'v'), value, text);
    }
  });
});

describe('OTLP/JSON output', () => {
  it('writes the OTLP/JSON spellings and leaves defaults out', () => {
    const json = tracesToOtlpJson(fullTraces) as { resourceSpans: Array<Record<string, any>> };
    const span = json.resourceSpans[0]!['scopeSpans'][0].spans[0];
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.spanId, SPAN_ID);
    assert.equal(span.startTimeUnixNano, '1700000000123456789');
    assert.equal(span.endTimeUnixNano, '9223372036854775807');
    assert.equal(span.kind, 2);
    assert.equal(span.flags, 0x80000301);
    assert.deepEqual(span.status, { message: 'card declined', code: 2 });
    const attr = (i: number) => span.attributes[i].value;
    assert.deepEqual(attr(9), { intValue: '9007199254740993' });
    assert.deepEqual(attr(15), { doubleValue: 'NaN' });
    assert.deepEqual(attr(16), { doubleValue: 'Infinity' });
    assert.deepEqual(attr(17), { doubleValue: '-Infinity' });
    assert.deepEqual(attr(18), { bytesValue: 'AAF/gP7/' });
    assert.deepEqual(attr(24), {});
    // The all-defaults span keeps only the fields always written.
    const bare = json.resourceSpans[0]!['scopeSpans'][0].spans[1];
    assert.deepEqual(bare, { traceId: '', spanId: '', name: '', startTimeUnixNano: '0', endTimeUnixNano: '0', status: {} });
    assert.deepEqual(json.resourceSpans[1], { resource: {} });
  });

  it('writes 64-bit metric fields as decimal strings', () => {
    const json = metricsToOtlpJson(fullMetrics) as any;
    const metrics = json.resourceMetrics[0].scopeMetrics[0].metrics;
    const histogram = metrics[3].histogram.dataPoints[0];
    assert.equal(histogram.count, '9007199254740993');
    assert.deepEqual(histogram.bucketCounts, ['0', '1', '18446744073709551615', '9007199254740993']);
    assert.deepEqual(histogram.explicitBounds, [-1.5, 0, 10, 'Infinity']);
    assert.equal(histogram.sum, 0);
    assert.equal(metrics[1].sum.dataPoints[0].asInt, '9223372036854775807');
    assert.equal(metrics[0].gauge.dataPoints[0].exemplars[1].asInt, '-9223372036854775808');
    assert.equal(metrics[4].exponentialHistogram.dataPoints[0].zeroCount, '2');
    assert.deepEqual(metrics[4].exponentialHistogram.dataPoints[0].negative, { offset: 7, bucketCounts: ['4'] });
  });
});

describe('OTLP/JSON input', () => {
  it('reads 64-bit timestamps exactly from strings and from bare numbers', () => {
    const text = '{"resourceSpans":[{"scopeSpans":[{"spans":[{"startTimeUnixNano":"1700000000123456789","endTimeUnixNano":1700000000123456789}]}]}]}';
    const span = decodeTracesJson(text).resourceSpans[0]!.scopeSpans[0]!.spans[0]!;
    assert.equal(span.startTimeUnixNano, 1700000000123456789n);
    assert.equal(span.endTimeUnixNano, 1700000000123456789n);
  });

  it('reads intValue past 2^53 exactly as a bare number, and integral exponent forms', () => {
    const text =
      '{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":{"intValue":-9223372036854775808},"attributes":[{"key":"a","value":{"intValue":"12345678901234567890e-10"}}, {"key":"b","value":{"intValue":1.5e3}}]}]}]}]}';
    rejects(() => decodeLogsJson(text), /attributes\[0\]\.value\.intValue: expected an integer, got "12345678901234567890e-10"/);
    const ok = text.replace('"12345678901234567890e-10"', '"123456789000e-3"');
    const log = decodeLogsJson(ok).resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    assert.deepEqual(log.body, { type: 'int', value: -9223372036854775808n });
    assert.deepEqual(log.attributes.map((a) => a.value), [
      { type: 'int', value: 123456789n },
      { type: 'int', value: 1500n },
    ]);
  });

  it('reads the same whichever parser the body takes', () => {
    // A long digit run after a colon inside a string sends the body to the lossless
    // parser; the result must not differ from the JSON.parse path.
    const span = { name: 'GET /x', startTimeUnixNano: 5, attributes: [{ key: 'k', value: { doubleValue: 0.30000000000000004 } }] };
    const fast = firstSpan(oneSpan(span));
    const lossless = firstSpan(oneSpan({ ...span, name: 'GET /x', traceState: 'k:12345678901234567890' }));
    assert.deepEqual({ ...lossless, traceState: '' }, fast);
    assert.equal(lossless.traceState, 'k:12345678901234567890');
    assert.deepEqual(decodeTracesJson('\ufeff{"resourceSpans":[]}'), { resourceSpans: [] });
  });

  it('accepts uppercase hex ids and emits them lowercase', () => {
    const span = firstSpan(oneSpan({ traceId: TRACE_ID.toUpperCase(), spanId: 'EEE19B7EC3C1B174', parentSpanId: 'AbCdEf0123456789' }));
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.spanId, SPAN_ID);
    assert.equal(span.parentSpanId, 'abcdef0123456789');
  });

  it('accepts snake_case field names', () => {
    const text = JSON.stringify({
      resource_spans: [
        {
          resource: { attributes: [{ key: 'k', value: { string_value: 'v' } }], dropped_attributes_count: 2 },
          schema_url: 'https://example.com/r',
          scope_spans: [
            {
              scope: { name: 's', dropped_attributes_count: 1 },
              schema_url: 'https://example.com/s',
              spans: [
                {
                  trace_id: TRACE_ID,
                  span_id: SPAN_ID,
                  parent_span_id: SPAN_ID,
                  trace_state: 'a=b',
                  start_time_unix_nano: '1700000000123456789',
                  end_time_unix_nano: '1700000000123456790',
                  dropped_attributes_count: 1,
                  dropped_events_count: 2,
                  dropped_links_count: 3,
                  events: [{ time_unix_nano: '5', dropped_attributes_count: 4 }],
                  links: [{ trace_id: TRACE_ID, span_id: SPAN_ID, trace_state: 'c=d' }],
                  attributes: [
                    { key: 'i', value: { int_value: '7' } },
                    { key: 'd', value: { double_value: 0.5 } },
                    { key: 'b', value: { bool_value: true } },
                    { key: 'x', value: { bytes_value: 'AQI=' } },
                    { key: 'a', value: { array_value: { values: [{ string_value: 'z' }] } } },
                    { key: 'kv', value: { kvlist_value: { values: [{ key: 'n', value: { int_value: 1 } }] } } },
                  ],
                },
              ],
            },
          ],
        },
      ],
    });
    const group = decodeTracesJson(text).resourceSpans[0]!;
    assert.equal(group.schemaUrl, 'https://example.com/r');
    assert.deepEqual(group.resource, { attributes: [{ key: 'k', value: { type: 'string', value: 'v' } }], droppedAttributesCount: 2 });
    assert.equal(group.scopeSpans[0]!.schemaUrl, 'https://example.com/s');
    assert.equal(group.scopeSpans[0]!.scope.droppedAttributesCount, 1);
    const span = group.scopeSpans[0]!.spans[0]!;
    assert.equal(span.traceId, TRACE_ID);
    assert.equal(span.parentSpanId, SPAN_ID);
    assert.equal(span.traceState, 'a=b');
    assert.equal(span.startTimeUnixNano, 1700000000123456789n);
    assert.equal(span.endTimeUnixNano, 1700000000123456790n);
    assert.deepEqual([span.droppedAttributesCount, span.droppedEventsCount, span.droppedLinksCount], [1, 2, 3]);
    assert.deepEqual(span.events[0], { timeUnixNano: 5n, name: '', attributes: [], droppedAttributesCount: 4 });
    assert.equal(span.links[0]!.traceState, 'c=d');
    assert.deepEqual(
      span.attributes.map((a) => a.value),
      [
        { type: 'int', value: 7n },
        { type: 'double', value: 0.5 },
        { type: 'bool', value: true },
        { type: 'bytes', value: new Uint8Array([1, 2]) },
        { type: 'array', value: [{ type: 'string', value: 'z' }] },
        { type: 'kvlist', value: [{ key: 'n', value: { type: 'int', value: 1n } }] },
      ],
    );
  });

  it('accepts enum names as well as numbers', () => {
    const span = firstSpan(oneSpan({ kind: 'SPAN_KIND_SERVER', status: { code: 'STATUS_CODE_ERROR' } }));
    assert.equal(span.kind, 2);
    assert.equal(span.status.code, 2);
    const metrics = decodeMetricsJson(
      JSON.stringify({
        resourceMetrics: [
          {
            scopeMetrics: [
              { metrics: [{ name: 'm', sum: { aggregation_temporality: 'AGGREGATION_TEMPORALITY_DELTA', is_monotonic: true, data_points: [{ as_int: '5' }] } }] },
            ],
          },
        ],
      }),
    );
    assert.deepEqual(metrics.resourceMetrics[0]!.scopeMetrics[0]!.metrics[0]!.data, {
      type: 'sum',
      aggregationTemporality: 1,
      isMonotonic: true,
      dataPoints: [{ attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, value: { type: 'int', value: 5n }, exemplars: [], flags: 0 }],
    });
    const logs = decodeLogsJson('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"severityNumber":"SEVERITY_NUMBER_WARN3"},{"severity_number":21}]}]}]}');
    assert.deepEqual(
      logs.resourceLogs[0]!.scopeLogs[0]!.logRecords.map((l) => l.severityNumber),
      [15, 21],
    );
    rejects(() => firstSpan(oneSpan({ kind: 'SPAN_KIND_BOGUS' })), 'resourceSpans[0].scopeSpans[0].spans[0].kind: unknown enum value "SPAN_KIND_BOGUS"');
  });

  it('reads doubles given as numbers or as the strings NaN, Infinity, -Infinity', () => {
    const text = JSON.stringify(
      oneSpan({ attributes: ['NaN', 'Infinity', '-Infinity', '2.5', 1e308].map((v, i) => ({ key: `d${i}`, value: { doubleValue: v } })) }),
    );
    const values = decodeTracesJson(text).resourceSpans[0]!.scopeSpans[0]!.spans[0]!.attributes.map((a) => a.value);
    assert.deepEqual(values, [NaN, Infinity, -Infinity, 2.5, 1e308].map((value) => ({ type: 'double', value })));
  });

  it('reads absent optional messages as their empty form, and null as absent', () => {
    const group = decodeTracesJson('{"resourceSpans":[{"scopeSpans":[{"spans":[{"name":"x","status":null,"attributes":null}]}]}]}').resourceSpans[0]!;
    assert.deepEqual(group.resource, { attributes: [], droppedAttributesCount: 0 });
    assert.deepEqual(group.scopeSpans[0]!.scope, { name: '', version: '', attributes: [], droppedAttributesCount: 0 });
    assert.deepEqual(group.scopeSpans[0]!.spans[0]!.status, { message: '', code: 0 });
    const log = decodeLogsJson('{"resourceLogs":[{"scopeLogs":[{"logRecords":[{}]}]}]}').resourceLogs[0]!.scopeLogs[0]!.logRecords[0]!;
    assert.deepEqual(log.body, { type: 'empty' });
    assert.deepEqual(decodeTracesJson('{}'), { resourceSpans: [] });
  });

  it('skips unknown fields at every level', () => {
    const text = JSON.stringify({
      futureTopLevel: { a: [1, 2, { b: null }] },
      resourceSpans: [
        {
          entityRefs: [{ type: 'service' }],
          resource: { attributes: [{ key: 'k', value: { stringValue: 'v', stringValueStrindex: 3 }, keyStrindex: 1 }] },
          scopeSpans: [{ scope: { name: 's', extra: true }, spans: [{ name: 'x', newField: 'y', status: { deprecatedCode: 1 } }] }],
        },
      ],
    });
    const group = decodeTracesJson(text).resourceSpans[0]!;
    assert.deepEqual(group.resource.attributes, [{ key: 'k', value: { type: 'string', value: 'v' } }]);
    assert.equal(group.scopeSpans[0]!.spans[0]!.name, 'x');
  });
});

describe('OTLP/JSON errors', () => {
  const at = 'resourceSpans[0].scopeSpans[0].spans[2]';
  const third = (span: Record<string, unknown>) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans: [{}, {}, span] }] }] });

  it('names the path of a non-integer timestamp', () => {
    rejects(() => decodeTracesJson(third({ startTimeUnixNano: 'abc' })), `${at}.startTimeUnixNano: expected an integer, got "abc"`);
    rejects(() => decodeTracesJson(third({ endTimeUnixNano: 1.5 })), `${at}.endTimeUnixNano: expected an integer, got 1.5`);
    rejects(() => decodeTracesJson(third({ startTimeUnixNano: '-1' })), `${at}.startTimeUnixNano: integer "-1" out of range [0, 18446744073709551615]`);
    rejects(() => decodeTracesJson(third({ startTimeUnixNano: true })), `${at}.startTimeUnixNano: expected an integer, got true`);
  });

  it('names the path of a bad id', () => {
    rejects(() => decodeTracesJson(third({ traceId: 'abc' })), `${at}.traceId: expected 32 hex digits, got "abc"`);
    rejects(() => decodeTracesJson(third({ spanId: 'zzzzzzzzzzzzzzzz' })), `${at}.spanId: expected 16 hex digits, got "zzzzzzzzzzzzzzzz"`);
    rejects(() => decodeTracesJson(third({ links: [{}, { spanId: 42 }] })), `${at}.links[1].spanId: expected a string, got 42`);
  });

  it('names the path of values of the wrong type', () => {
    rejects(() => decodeTracesJson(third({ attributes: [{ key: 'k', value: { boolValue: 'yes' } }] })), `${at}.attributes[0].value.boolValue: expected true or false, got "yes"`);
    rejects(() => decodeTracesJson(third({ attributes: {} })), `${at}.attributes: expected an array, got an object`);
    rejects(() => decodeTracesJson(third({ name: 5 })), `${at}.name: expected a string, got 5`);
    rejects(() => decodeTracesJson(third({ flags: -1 })), `${at}.flags: integer -1 out of range [0, 4294967295]`);
    rejects(() => decodeTracesJson(third({ attributes: [{ key: 'b', value: { bytesValue: 'not base64!' } }] })), `${at}.attributes[0].value.bytesValue: expected base64, got "not base64!"`);
    rejects(() => decodeTracesJson(third({ attributes: [{ key: 'd', value: { doubleValue: 'fast' } }] })), `${at}.attributes[0].value.doubleValue: expected a number, got "fast"`);
    rejects(
      () => decodeMetricsJson('{"resourceMetrics":[{"scopeMetrics":[{"metrics":[{"histogram":{"dataPoints":[{"bucketCounts":["1","x"]}]}}]}]}]}'),
      'resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0].bucketCounts[1]: expected an integer, got "x"',
    );
    rejects(() => decodeTracesJson('{"resourceSpans":[{"scopeSpans":[5]}]}'), 'resourceSpans[0].scopeSpans[0]: expected an object, got 5');
  });

  it('refuses AnyValues nested past the limit without overflowing the stack', () => {
    const levels = 20_000;
    const value = '{"arrayValue":{"values":['.repeat(levels) + '{"intValue":"1"}' + ']}}'.repeat(levels);
    const text = `{"resourceLogs":[{"scopeLogs":[{"logRecords":[{"body":${value}}]}]}]}`;
    rejects(() => decodeLogsJson(text), /^resourceLogs\[0\]\.scopeLogs\[0\]\.logRecords\[0\]\.body(\.arrayValue\.values\[0\]){101}: values nested deeper than 100 levels$/);
  });

  it('refuses JSON that is not an object', () => {
    rejects(() => decodeTracesJson('[]'), 'expected a JSON object (resourceSpans), got an array');
    rejects(() => decodeTracesJson('"x"'), 'expected a JSON object (resourceSpans), got "x"');
    rejects(() => decodeLogsJson('null'), 'expected a JSON object (resourceLogs), got null');
  });

  it('refuses invalid JSON with the position', () => {
    rejects(() => decodeTracesJson('{"resourceSpans": [}'), 'invalid JSON at position 19: unexpected character "}"');
    rejects(() => decodeTracesJson('{"resourceSpans": ['), 'invalid JSON at position 19: unexpected end of input');
    rejects(() => decodeTracesJson(''), 'invalid JSON at position 0: unexpected end of input');
    rejects(() => decodeTracesJson('{} x'), 'invalid JSON at position 3: unexpected data after the JSON value');
    rejects(() => decodeTracesJson('{"a":1,}'), /invalid JSON at position 7/);
    rejects(() => decodeTracesJson('{"a":"\\x"}'), /invalid JSON at position 6: invalid escape/);
  });
});
