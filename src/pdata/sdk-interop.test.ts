import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { AttributeValue, Attributes } from '@opentelemetry/api';
import {
  JsonLogsSerializer,
  JsonMetricsSerializer,
  JsonTraceSerializer,
  ProtobufLogsSerializer,
  ProtobufMetricsSerializer,
  ProtobufTraceSerializer,
} from '@opentelemetry/otlp-transformer';
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
  logsToOtlpJson,
  metricsToOtlpJson,
  tracesToOtlpJson,
} from './index.ts';
import type { AnyValue, KeyValue, LogsData, Metric, MetricsData, Span, TracesData } from './model.ts';
import { at, linkedContext, makeSdkTelemetry, nanos, remoteParent, resourceAttributes, T0 } from './testdata/sdk-telemetry.ts';
import type { SdkTelemetry } from './testdata/sdk-telemetry.ts';

// The OpenTelemetry JS SDK's own serializers (otlp-transformer) produce the
// payloads: its protobuf and its JSON for the same spans, metrics and logs must
// decode to the same model, holding exactly what the SDK was given.

const text = (bytes: Uint8Array | undefined): string => new TextDecoder().decode(bytes);

/** What an SDK attribute value must decode to (integers become intValue, as the SDK sends them). */
function expectedValue(v: AttributeValue | undefined): AnyValue {
  if (typeof v === 'string') return { type: 'string', value: v };
  if (typeof v === 'boolean') return { type: 'bool', value: v };
  if (typeof v === 'number') return Number.isInteger(v) ? { type: 'int', value: BigInt(v) } : { type: 'double', value: v };
  if (Array.isArray(v)) return { type: 'array', value: v.map((x) => expectedValue(x ?? undefined)) };
  throw new Error(`unexpected attribute value ${String(v)}`);
}

const expectedAttributes = (attributes: Attributes): KeyValue[] =>
  Object.entries(attributes).map(([key, value]) => ({ key, value: expectedValue(value) }));

let sdk: SdkTelemetry;
before(async () => {
  sdk = await makeSdkTelemetry();
});

describe('traces from the OpenTelemetry JS SDK', () => {
  let fromProto: TracesData;
  let fromJson: TracesData;
  before(() => {
    fromProto = decodeTracesProto(ProtobufTraceSerializer.serializeRequest(sdk.spans)!);
    fromJson = decodeTracesJson(text(JsonTraceSerializer.serializeRequest(sdk.spans)));
  });
  const spans = (): Span[] => fromProto.resourceSpans.flatMap((r) => r.scopeSpans.flatMap((s) => s.spans));
  const byName = (name: string): Span => spans().find((s) => s.name === name)!;

  it('decodes protobuf and JSON to the same model', () => {
    assert.equal(spans().length, 3);
    assert.deepEqual(fromJson, fromProto);
  });

  it('keeps the resource and the scope', () => {
    const [group] = fromProto.resourceSpans;
    assert.deepEqual(group!.resource.attributes, expectedAttributes(resourceAttributes));
    assert.equal(group!.scopeSpans[0]!.scope.name, 'payment-api');
    assert.equal(group!.scopeSpans[0]!.scope.version, '1.0.0');
  });

  it('keeps every span as the SDK recorded it', () => {
    for (const recorded of sdk.spans) {
      const ctx = recorded.spanContext();
      const span = spans().find((s) => s.spanId === ctx.spanId);
      assert.ok(span, recorded.name);
      assert.equal(span.traceId, ctx.traceId);
      assert.equal(span.parentSpanId, recorded.parentSpanContext?.spanId ?? '');
      assert.equal(span.traceState, 'vendor=abc,rojo=00f067aa0ba902b7');
      assert.equal(span.name, recorded.name);
      assert.equal(span.kind, recorded.kind + 1);
      assert.equal(span.startTimeUnixNano, nanos(recorded.startTime));
      assert.equal(span.endTimeUnixNano, nanos(recorded.endTime));
      assert.deepEqual(span.attributes, expectedAttributes(recorded.attributes));
      assert.equal(span.status.code, recorded.status.code);
      assert.equal(span.status.message, recorded.status.message ?? '');
      const remote = recorded.parentSpanContext?.isRemote ? 0x200 : 0;
      assert.equal(span.flags, ctx.traceFlags | 0x100 | remote);
      assert.deepEqual(
        span.events.map((e) => [e.name, e.timeUnixNano, e.attributes]),
        recorded.events.map((e) => [e.name, nanos(e.time), expectedAttributes(e.attributes ?? {})]),
      );
    }
  });

  it('keeps nanosecond timestamps exactly', () => {
    const server = byName('POST /payments');
    assert.equal(server.startTimeUnixNano, 1700000000123456790n);
    assert.equal(server.endTimeUnixNano, nanos(at(30, 11)));
    assert.equal(nanos(T0), 1700000000123456789n);
    assert.equal(byName('payment.charge').events[0]!.timeUnixNano, 1700000000147457788n);
  });

  it('keeps the server span under its remote parent, with its link', () => {
    const server = byName('POST /payments');
    assert.equal(server.traceId, remoteParent.traceId);
    assert.equal(server.parentSpanId, remoteParent.spanId);
    assert.equal(server.kind, 2);
    assert.equal(server.flags, 0x301);
    assert.deepEqual(server.links, [
      {
        traceId: linkedContext.traceId,
        spanId: linkedContext.spanId,
        traceState: '',
        attributes: [{ key: 'link.reason', value: { type: 'string', value: 'retry-of' } }],
        droppedAttributesCount: 0,
        flags: 0x100,
      },
    ]);
    assert.deepEqual(server.status, { code: 2, message: '' });
  });

  it('keeps typed attributes and the recorded exception of payment.charge', () => {
    const charge = byName('payment.charge');
    const attr = (key: string) => charge.attributes.find((a) => a.key === key)?.value;
    assert.deepEqual(attr('payment.provider'), { type: 'string', value: 'stripe' });
    assert.deepEqual(attr('payment.retries'), { type: 'int', value: 2n });
    assert.deepEqual(attr('payment.card_present'), { type: 'bool', value: false });
    assert.deepEqual(attr('payment.tags'), {
      type: 'array',
      value: [
        { type: 'string', value: 'card' },
        { type: 'string', value: 'online' },
      ],
    });
    assert.deepEqual(byName('payment.validate').attributes[0], { key: 'payment.amount', value: { type: 'double', value: 42.5 } });
    assert.deepEqual(charge.status, { code: 2, message: 'card declined for EUR' });
    const [exception] = charge.events;
    assert.equal(exception!.name, 'exception');
    const eattr = (key: string) => exception!.attributes.find((a) => a.key === key)?.value;
    assert.deepEqual(eattr('exception.type'), { type: 'string', value: 'PaymentDeclinedError' });
    assert.deepEqual(eattr('exception.message'), { type: 'string', value: 'card declined for EUR' });
    const stack = eattr('exception.stacktrace');
    assert.ok(stack?.type === 'string' && stack.value.includes('PaymentDeclinedError: card declined for EUR\n    at '));
  });

  it('survives our own encoders: protobuf and OTLP/JSON', () => {
    assert.deepEqual(decodeTracesProto(encodeTracesProto(fromProto)), fromProto);
    assert.deepEqual(decodeTracesJson(JSON.stringify(tracesToOtlpJson(fromProto))), fromProto);
  });
});

describe('metrics from the OpenTelemetry JS SDK', () => {
  let fromProto: MetricsData;
  let fromJson: MetricsData;
  before(() => {
    fromProto = decodeMetricsProto(ProtobufMetricsSerializer.serializeRequest(sdk.metrics)!);
    fromJson = decodeMetricsJson(text(JsonMetricsSerializer.serializeRequest(sdk.metrics)));
  });
  const metric = (name: string): Metric => fromProto.resourceMetrics[0]!.scopeMetrics[0]!.metrics.find((m) => m.name === name)!;

  it('decodes protobuf and JSON to the same model', () => {
    assert.equal(fromProto.resourceMetrics[0]!.scopeMetrics[0]!.metrics.length, 5);
    assert.deepEqual(fromJson, fromProto);
  });

  it('keeps times exactly as the SDK recorded them', () => {
    const recorded = sdk.metrics.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'payments.processed')!.dataPoints[0]!;
    const data = metric('payments.processed').data;
    assert.equal(data?.type, 'sum');
    assert.equal(data.dataPoints[0]!.startTimeUnixNano, nanos(recorded.startTime));
    assert.equal(data.dataPoints[0]!.timeUnixNano, nanos(recorded.endTime));
  });

  it('keeps a monotonic cumulative int sum and a non-monotonic double sum', () => {
    const processed = metric('payments.processed');
    assert.equal(processed.description, 'Total number of payments processed');
    assert.equal(processed.unit, '1');
    assert.ok(processed.data?.type === 'sum');
    assert.equal(processed.data.isMonotonic, true);
    assert.equal(processed.data.aggregationTemporality, 2);
    assert.deepEqual(processed.data.dataPoints[0]!.value, { type: 'int', value: 3n });
    assert.deepEqual(processed.data.dataPoints[0]!.attributes, expectedAttributes({ 'payment.currency': 'EUR', 'payment.status': 'declined' }));
    const inflight = metric('payments.inflight');
    assert.ok(inflight.data?.type === 'sum');
    assert.equal(inflight.data.isMonotonic, false);
    assert.deepEqual(inflight.data.dataPoints[0]!.value, { type: 'double', value: 1 });
  });

  it('keeps histogram buckets, bounds, count, sum, min and max', () => {
    const data = metric('payments.value').data;
    assert.ok(data?.type === 'histogram');
    const p = data.dataPoints[0]!;
    assert.equal(p.count, 3n);
    assert.equal(p.sum, 1249.5);
    assert.equal(p.min, 7);
    assert.equal(p.max, 1200);
    assert.deepEqual(p.explicitBounds, [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000]);
    assert.deepEqual(p.bucketCounts, [0n, 0n, 1n, 0n, 1n, 0n, 0n, 0n, 0n, 0n, 0n, 1n, 0n, 0n, 0n, 0n]);
  });

  it('keeps an exponential histogram', () => {
    const data = metric('payments.latency').data;
    assert.ok(data?.type === 'exponentialHistogram');
    const p = data.dataPoints[0]!;
    const recorded = sdk.metrics.scopeMetrics[0]!.metrics.find((m) => m.descriptor.name === 'payments.latency')!.dataPoints[0]!.value as {
      scale: number;
      zeroCount: number;
      positive: { offset: number; bucketCounts: number[] };
    };
    assert.equal(p.count, 4n);
    assert.equal(p.sum, 291.5);
    assert.equal(p.min, 0.5);
    assert.equal(p.max, 250);
    assert.equal(p.scale, recorded.scale);
    assert.equal(p.zeroCount, BigInt(recorded.zeroCount));
    assert.equal(p.positive.offset, recorded.positive.offset);
    assert.deepEqual(p.positive.bucketCounts, recorded.positive.bucketCounts.map(BigInt));
    assert.deepEqual(p.negative, { offset: 0, bucketCounts: [] });
  });

  it('keeps a gauge', () => {
    const data = metric('payments.queue_depth').data;
    assert.ok(data?.type === 'gauge');
    assert.deepEqual(data.dataPoints[0]!.value, { type: 'double', value: 3 });
  });

  it('survives our own encoders: protobuf and OTLP/JSON', () => {
    assert.deepEqual(decodeMetricsProto(encodeMetricsProto(fromProto)), fromProto);
    assert.deepEqual(decodeMetricsJson(JSON.stringify(metricsToOtlpJson(fromProto))), fromProto);
  });
});

describe('logs from the OpenTelemetry JS SDK', () => {
  let fromProto: LogsData;
  let fromJson: LogsData;
  before(() => {
    fromProto = decodeLogsProto(ProtobufLogsSerializer.serializeRequest(sdk.logs)!);
    fromJson = decodeLogsJson(text(JsonLogsSerializer.serializeRequest(sdk.logs)));
  });

  it('decodes protobuf and JSON to the same model', () => {
    assert.deepEqual(fromJson, fromProto);
  });

  it('keeps every record as the SDK recorded it', () => {
    const records = fromProto.resourceLogs[0]!.scopeLogs[0]!.logRecords;
    assert.equal(records.length, 2);
    for (const [i, recorded] of sdk.logs.entries()) {
      const log = records[i]!;
      assert.equal(log.timeUnixNano, nanos(recorded.hrTime));
      assert.equal(log.observedTimeUnixNano, nanos(recorded.hrTimeObserved));
      assert.equal(log.severityNumber, recorded.severityNumber);
      assert.equal(log.severityText, recorded.severityText);
      assert.equal(log.traceId, recorded.spanContext!.traceId);
      assert.equal(log.spanId, recorded.spanContext!.spanId);
      assert.equal(log.flags, 1);
      assert.equal(log.eventName, recorded.eventName ?? '');
      assert.deepEqual(log.attributes, expectedAttributes(recorded.attributes as Attributes));
    }
    assert.equal(records[0]!.timeUnixNano, 1700000000125456792n);
    assert.equal(records[0]!.observedTimeUnixNano, 1700000000125456793n);
    assert.deepEqual(records[0]!.body, { type: 'string', value: 'validating payment of 42.5 EUR' });
    assert.equal(records[1]!.eventName, 'payment.declined');
    assert.deepEqual(records[1]!.body, {
      type: 'kvlist',
      value: [
        { key: 'reason', value: { type: 'string', value: 'card_declined' } },
        { key: 'amount', value: { type: 'double', value: 42.5 } },
        { key: 'attempts', value: { type: 'int', value: 2n } },
        {
          key: 'codes',
          value: {
            type: 'array',
            value: [
              { type: 'string', value: '05' },
              { type: 'string', value: '51' },
            ],
          },
        },
      ],
    });
  });

  it('survives our own encoders: protobuf and OTLP/JSON', () => {
    assert.deepEqual(decodeLogsProto(encodeLogsProto(fromProto)), fromProto);
    assert.deepEqual(decodeLogsJson(JSON.stringify(logsToOtlpJson(fromProto))), fromProto);
  });
});
