import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startInProcess } from './helpers/tracehouse.ts';

// Issue 7, finding 7: what is sent comes back on every read surface. `-0.0` is a
// double of its own (proto3 JSON and Go's protojson write it `-0`), and attribute
// keys are data, so `__proto__` and `constructor` are keys like any other. OTLP
// has no rule against them, and a JavaScript object built with `out[key] = v`
// silently turns `__proto__` into a prototype change instead of a key.

const nowNs = () => (BigInt(Date.now()) * 1_000_000n).toString();
const traceId = '5b8efff798038103d269b633813fc60c';
const resource = { attributes: [{ key: 'service.name', value: { stringValue: 'fidelity' } }] };
// JSON.stringify writes -0 as 0, so request bodies carry this marker where -0 goes.
const MINUS_ZERO = '__MINUS_ZERO__';
const attributes = [
  { key: 'negative.zero', value: { doubleValue: MINUS_ZERO } },
  { key: '__proto__', value: { stringValue: 'proto' } },
  { key: 'constructor', value: { stringValue: 'ctor' } },
  { key: 'toString', value: { intValue: '7' } },
  {
    key: 'nested',
    value: { kvlistValue: { values: [{ key: '__proto__', value: { doubleValue: MINUS_ZERO } }, { key: 'constructor', value: { boolValue: true } }] } },
  },
];

async function getText(url: string): Promise<string> {
  const response = await fetch(url);
  const text = await response.text();
  assert.equal(response.status, 200, text);
  return text;
}

/** `{ key: value }` of an OTLP/JSON attribute list, keys defined as data. */
function byKey(list: Array<{ key: string; value: unknown }>): Map<string, unknown> {
  return new Map(list.map((kv) => [kv.key, kv.value]));
}

test('-0.0 and keys such as __proto__ come back from trace by id, the logs API and metric points', async (t) => {
  const th = await startInProcess();
  t.after(() => th.stop());
  const prototypeBefore = Object.getOwnPropertyNames(Object.prototype).sort();
  const sendJson = async (signal: string, body: unknown) => {
    const text = JSON.stringify(body).replaceAll(`"${MINUS_ZERO}"`, '-0');
    const response = await fetch(`${th.otlpUrl}/v1/${signal}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: text });
    assert.equal(response.status, 200, await response.text());
  };
  await sendJson('traces', {
    resourceSpans: [
      {
        resource,
        scopeSpans: [
          {
            scope: { name: 'fidelity' },
            spans: [{ traceId, spanId: '051581bf3cb55c13', name: 'tricky', kind: 1, startTimeUnixNano: nowNs(), endTimeUnixNano: nowNs(), attributes }],
          },
        ],
      },
    ],
  });
  await sendJson('logs', {
    resourceLogs: [
      {
        resource,
        scopeLogs: [
          {
            scope: { name: 'fidelity' },
            logRecords: [
              { timeUnixNano: nowNs(), severityNumber: 9, body: { doubleValue: MINUS_ZERO }, attributes },
              {
                timeUnixNano: nowNs(),
                severityNumber: 9,
                body: { kvlistValue: { values: [{ key: '__proto__', value: { doubleValue: MINUS_ZERO } }] } },
              },
            ],
          },
        ],
      },
    ],
  });
  await sendJson('metrics', {
    resourceMetrics: [
      {
        resource,
        scopeMetrics: [
          {
            scope: { name: 'fidelity' },
            metrics: [
              {
                name: 'fidelity.gauge',
                gauge: { dataPoints: [{ timeUnixNano: nowNs(), asDouble: MINUS_ZERO, attributes }] },
              },
              {
                name: 'fidelity.histogram',
                histogram: {
                  aggregationTemporality: 2,
                  dataPoints: [{ timeUnixNano: nowNs(), count: '1', sum: MINUS_ZERO, bucketCounts: ['1'], explicitBounds: [], attributes }],
                },
              },
            ],
          },
        ],
      },
    ],
  });

  // Trace by id (OTLP JSON).
  const traceText = await getText(`${th.apiUrl}/api/v1/traces/${traceId}`);
  assert.match(traceText, /"key":"negative\.zero","value":\{"doubleValue":-0\}/);
  const span = JSON.parse(traceText).resourceSpans[0].scopeSpans[0].spans[0];
  const spanAttributes = byKey(span.attributes);
  assert.ok(Object.is((spanAttributes.get('negative.zero') as { doubleValue: number }).doubleValue, -0));
  assert.deepEqual(spanAttributes.get('__proto__'), { stringValue: 'proto' });
  assert.deepEqual(spanAttributes.get('constructor'), { stringValue: 'ctor' });
  assert.deepEqual(spanAttributes.get('toString'), { intValue: '7' });
  const nested = byKey((spanAttributes.get('nested') as { kvlistValue: { values: Array<{ key: string; value: unknown }> } }).kvlistValue.values);
  assert.ok(Object.is((nested.get('__proto__') as { doubleValue: number }).doubleValue, -0));

  // Logs API (plain JSON): keys are own properties of plain objects.
  const logsText = await getText(`${th.apiUrl}/api/v1/logs?service=fidelity`);
  assert.match(logsText, /"body":-0[,}]/);
  assert.match(logsText, /"negative\.zero":-0[,}]/);
  const logs = JSON.parse(logsText).logs as Array<{ body: unknown; attributes: Record<string, unknown> }>;
  const scalar = logs.find((l) => typeof l.body === 'number')!;
  assert.ok(Object.is(scalar.body, -0));
  assert.deepEqual(Object.keys(scalar.attributes).sort(), ['__proto__', 'constructor', 'negative.zero', 'nested', 'toString']);
  assert.equal(Object.getOwnPropertyDescriptor(scalar.attributes, '__proto__')?.value, 'proto');
  assert.equal(Object.getOwnPropertyDescriptor(scalar.attributes, 'constructor')?.value, 'ctor');
  assert.equal(Object.getOwnPropertyDescriptor(scalar.attributes, 'toString')?.value, 7);
  const nestedPlain = Object.getOwnPropertyDescriptor(scalar.attributes, 'nested')?.value as object;
  assert.ok(Object.is(Object.getOwnPropertyDescriptor(nestedPlain, '__proto__')?.value, -0));
  assert.equal(Object.getOwnPropertyDescriptor(nestedPlain, 'constructor')?.value, true);
  const kvlistBody = logs.find((l) => typeof l.body === 'object')!.body as object;
  assert.deepEqual(Object.keys(kvlistBody), ['__proto__']);
  assert.ok(Object.is(Object.getOwnPropertyDescriptor(kvlistBody, '__proto__')?.value, -0));

  // Metric points (OTLP JSON).
  const gaugeText = await getText(`${th.apiUrl}/api/v1/metrics/fidelity.gauge/points`);
  assert.match(gaugeText, /"asDouble":-0[,}]/);
  const gaugePoint = JSON.parse(gaugeText).resourceMetrics[0].scopeMetrics[0].metrics[0].gauge.dataPoints[0];
  assert.ok(Object.is(gaugePoint.asDouble, -0));
  assert.deepEqual(byKey(gaugePoint.attributes).get('__proto__'), { stringValue: 'proto' });
  const histogramText = await getText(`${th.apiUrl}/api/v1/metrics/fidelity.histogram/points`);
  const histogramPoint = JSON.parse(histogramText).resourceMetrics[0].scopeMetrics[0].metrics[0].histogram.dataPoints[0];
  assert.ok(Object.is(histogramPoint.sum, -0), histogramText);

  assert.deepEqual(Object.getOwnPropertyNames(Object.prototype).sort(), prototypeBefore);
});

test('attribute order: grouped by value type as the README says, each group in the order sent', async (t) => {
  // OTLP attribute collections are sets of unique keys (opentelemetry-proto
  // common.proto: "Attribute keys MUST be unique"); storage keeps one typed map per
  // value type, so the order across types is not kept (README, "One trace").
  const th = await startInProcess();
  t.after(() => th.stop());
  const orderTraceId = '6c9ffff798038103d269b633813fc60d';
  const sent = [
    { key: 'z.int', value: { intValue: '1' } },
    { key: 'y.string', value: { stringValue: 'y' } },
    { key: 'x.double', value: { doubleValue: 1.5 } },
    { key: 'w.bool', value: { boolValue: true } },
    { key: 'v.list', value: { arrayValue: { values: [{ stringValue: 'b' }, { stringValue: 'a' }] } } },
    { key: 'u.string', value: { stringValue: 'u' } },
    { key: 't.int', value: { intValue: '2' } },
    { key: 's.map', value: { kvlistValue: { values: [{ key: 'b', value: { intValue: '1' } }, { key: 'a', value: { intValue: '2' } }] } } },
  ];
  const response = await fetch(`${th.otlpUrl}/v1/traces`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({
      resourceSpans: [
        {
          resource,
          scopeSpans: [{ spans: [{ traceId: orderTraceId, spanId: '051581bf3cb55c14', name: 'order', startTimeUnixNano: nowNs(), endTimeUnixNano: nowNs(), attributes: sent }] }],
        },
      ],
    }),
  });
  assert.equal(response.status, 200, await response.text());
  const span = JSON.parse(await getText(`${th.apiUrl}/api/v1/traces/${orderTraceId}`)).resourceSpans[0].scopeSpans[0].spans[0];
  const byName = new Map(sent.map((kv) => [kv.key, kv]));
  assert.deepEqual(span.attributes, ['y.string', 'u.string', 'z.int', 't.int', 'x.double', 'w.bool', 'v.list', 's.map'].map((k) => byName.get(k)));
});
