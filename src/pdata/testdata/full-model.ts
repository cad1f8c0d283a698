import type { AnyValue, KeyValue, LogsData, MetricsData, Resource, InstrumentationScope, TracesData } from '../model.ts';

// Hand-built models that set every field of the OTLP v1 messages, every AnyValue
// kind and every metric kind, with values chosen to catch lossy codecs: 64-bit
// integers past 2^53, negative int64, non-ASCII and long strings, NaN/Infinity,
// bytes with every high bit, fixed32 flags with the top bit set.

export const BIG_TIME = 1700000000123456789n; // not representable as a double
export const MAX_U64 = 0xffffffffffffffffn;
/** The latest time a DateTime64(9) column holds (2^63 - 1 ns); later ones are refused at decode. */
export const MAX_TIME = 0x7fffffffffffffffn;
export const MIN_I64 = -0x8000000000000000n;

export const everyAnyValue: AnyValue[] = [
  { type: 'string', value: 'plain' },
  { type: 'string', value: '' },
  { type: 'string', value: 'naïve café – 東京 🚀' },
  { type: 'string', value: 'x'.repeat(300) },
  { type: 'bool', value: true },
  { type: 'bool', value: false },
  { type: 'int', value: 0n },
  { type: 'int', value: 42n },
  { type: 'int', value: -1n },
  { type: 'int', value: 9007199254740993n },
  { type: 'int', value: MIN_I64 },
  { type: 'int', value: 0x7fffffffffffffffn },
  { type: 'double', value: 0 },
  { type: 'double', value: 3.14159 },
  { type: 'double', value: -2.5e-300 },
  { type: 'double', value: NaN },
  { type: 'double', value: Infinity },
  { type: 'double', value: -Infinity },
  { type: 'bytes', value: new Uint8Array([0, 1, 127, 128, 254, 255]) },
  { type: 'bytes', value: new Uint8Array([]) },
  { type: 'array', value: [] },
  {
    type: 'array',
    value: [
      { type: 'string', value: 'a' },
      { type: 'int', value: 1n },
      { type: 'array', value: [{ type: 'bool', value: true }, { type: 'empty' }] },
    ],
  },
  { type: 'kvlist', value: [] },
  {
    type: 'kvlist',
    value: [
      { key: 'nested', value: { type: 'kvlist', value: [{ key: 'deep', value: { type: 'double', value: 1.5 } }] } },
      { key: 'bin', value: { type: 'bytes', value: new Uint8Array([9, 8, 7]) } },
      { key: '', value: { type: 'empty' } },
    ],
  },
  { type: 'empty' },
];

export const everyAttribute: KeyValue[] = everyAnyValue.map((value, i) => ({ key: `attr.${i}.${value.type}`, value }));

const attrs = (prefix: string): KeyValue[] => [
  { key: `${prefix}.s`, value: { type: 'string', value: `${prefix}-value` } },
  { key: `${prefix}.i`, value: { type: 'int', value: -7n } },
];

export const fullResource: Resource = { attributes: everyAttribute, droppedAttributesCount: 3 };
const fullScope: InstrumentationScope = { name: 'io.tracehouse.test', version: '1.2.3', attributes: attrs('scope'), droppedAttributesCount: 4 };
const emptyResource: Resource = { attributes: [], droppedAttributesCount: 0 };
const emptyScope: InstrumentationScope = { name: '', version: '', attributes: [], droppedAttributesCount: 0 };

export const TRACE_ID = '5b8efff798038103d269b633813fc60c';
export const SPAN_ID = 'eee19b7ec3c1b174';
export const PARENT_ID = 'eee19b7ec3c1b173';

export const fullTraces: TracesData = {
  resourceSpans: [
    {
      resource: fullResource,
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeSpans: [
        {
          scope: fullScope,
          schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
          spans: [
            {
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              traceState: 'vendor=abc,other=1',
              parentSpanId: PARENT_ID,
              flags: 0x80000301,
              name: 'GET /items/{item_id}',
              kind: 2,
              startTimeUnixNano: BIG_TIME,
              endTimeUnixNano: MAX_TIME,
              attributes: everyAttribute,
              droppedAttributesCount: 5,
              events: [
                { timeUnixNano: BIG_TIME + 1n, name: 'exception', attributes: attrs('event'), droppedAttributesCount: 6 },
                { timeUnixNano: 0n, name: '', attributes: [], droppedAttributesCount: 0 },
              ],
              droppedEventsCount: 7,
              links: [
                {
                  traceId: 'ffffffffffffffffffffffffffffffff',
                  spanId: '0000000000000001',
                  traceState: 'k=v',
                  attributes: attrs('link'),
                  droppedAttributesCount: 8,
                  flags: 0xffffffff,
                },
                { traceId: '', spanId: '', traceState: '', attributes: [], droppedAttributesCount: 0, flags: 0 },
              ],
              droppedLinksCount: 9,
              status: { message: 'card declined', code: 2 },
            },
            {
              // A span with every field at its default.
              traceId: '',
              spanId: '',
              traceState: '',
              parentSpanId: '',
              flags: 0,
              name: '',
              kind: 0,
              startTimeUnixNano: 0n,
              endTimeUnixNano: 0n,
              attributes: [],
              droppedAttributesCount: 0,
              events: [],
              droppedEventsCount: 0,
              links: [],
              droppedLinksCount: 0,
              status: { message: '', code: 0 },
            },
          ],
        },
        { scope: emptyScope, schemaUrl: '', spans: [] },
      ],
    },
    { resource: emptyResource, schemaUrl: '', scopeSpans: [] },
  ],
};

export const fullLogs: LogsData = {
  resourceLogs: [
    {
      resource: fullResource,
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeLogs: [
        {
          scope: fullScope,
          schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
          logRecords: [
            ...everyAnyValue.map((body, i) => ({
              timeUnixNano: BIG_TIME + BigInt(i),
              observedTimeUnixNano: BIG_TIME + 1000n,
              severityNumber: (i % 24) + 1,
              severityText: i % 2 ? 'ERROR' : 'INFO',
              body,
              attributes: attrs(`log${i}`),
              droppedAttributesCount: i,
              flags: 1,
              traceId: TRACE_ID,
              spanId: SPAN_ID,
              eventName: i === 0 ? 'payment.declined' : '',
            })),
            {
              timeUnixNano: 0n,
              observedTimeUnixNano: 0n,
              severityNumber: 0,
              severityText: '',
              body: { type: 'empty' },
              attributes: [],
              droppedAttributesCount: 0,
              flags: 0,
              traceId: '',
              spanId: '',
              eventName: '',
            },
          ],
        },
      ],
    },
  ],
};

const exemplars = [
  { filteredAttributes: attrs('ex'), timeUnixNano: BIG_TIME, value: { type: 'double', value: 0 } as const, spanId: SPAN_ID, traceId: TRACE_ID },
  { filteredAttributes: [], timeUnixNano: 1n, value: { type: 'int', value: MIN_I64 } as const, spanId: '', traceId: '' },
  { filteredAttributes: [], timeUnixNano: 0n, value: undefined, spanId: '', traceId: '' },
];

export const fullMetrics: MetricsData = {
  resourceMetrics: [
    {
      resource: fullResource,
      schemaUrl: 'https://opentelemetry.io/schemas/1.26.0',
      scopeMetrics: [
        {
          scope: fullScope,
          schemaUrl: 'https://opentelemetry.io/schemas/1.25.0',
          metrics: [
            {
              name: 'queue.depth',
              description: 'Items waiting',
              unit: '{item}',
              metadata: attrs('meta'),
              data: {
                type: 'gauge',
                dataPoints: [
                  { attributes: attrs('g'), startTimeUnixNano: BIG_TIME, timeUnixNano: BIG_TIME + 5n, value: { type: 'int', value: -3n }, exemplars, flags: 0 },
                  { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 1n, value: { type: 'double', value: NaN }, exemplars: [], flags: 1 },
                  { attributes: [], startTimeUnixNano: 0n, timeUnixNano: 0n, value: undefined, exemplars: [], flags: 1 },
                ],
              },
            },
            {
              name: 'payments.processed',
              description: '',
              unit: '1',
              metadata: [],
              data: {
                type: 'sum',
                aggregationTemporality: 2,
                isMonotonic: true,
                dataPoints: [{ attributes: attrs('s'), startTimeUnixNano: BIG_TIME, timeUnixNano: MAX_TIME, value: { type: 'int', value: 0x7fffffffffffffffn }, exemplars: [], flags: 0 }],
              },
            },
            {
              name: 'payments.inflight',
              description: '',
              unit: '',
              metadata: [],
              data: {
                type: 'sum',
                aggregationTemporality: 1,
                isMonotonic: false,
                dataPoints: [{ attributes: [], startTimeUnixNano: 1n, timeUnixNano: 2n, value: { type: 'double', value: -0.5 }, exemplars: [], flags: 0 }],
              },
            },
            {
              name: 'http.server.duration',
              description: 'Request latency',
              unit: 'ms',
              metadata: [],
              data: {
                type: 'histogram',
                aggregationTemporality: 1,
                dataPoints: [
                  {
                    attributes: attrs('h'),
                    startTimeUnixNano: BIG_TIME,
                    timeUnixNano: BIG_TIME + 10n,
                    count: 9007199254740993n,
                    sum: 0,
                    bucketCounts: [0n, 1n, MAX_U64, 9007199254740993n],
                    explicitBounds: [-1.5, 0, 10, Infinity],
                    exemplars,
                    flags: 1,
                    min: -1e300,
                    max: 0,
                  },
                  {
                    attributes: [],
                    startTimeUnixNano: 0n,
                    timeUnixNano: 0n,
                    count: 0n,
                    sum: undefined,
                    bucketCounts: [],
                    explicitBounds: [],
                    exemplars: [],
                    flags: 0,
                    min: undefined,
                    max: undefined,
                  },
                ],
              },
            },
            {
              name: 'payments.latency',
              description: '',
              unit: 'ms',
              metadata: [],
              data: {
                type: 'exponentialHistogram',
                aggregationTemporality: 2,
                dataPoints: [
                  {
                    attributes: attrs('e'),
                    startTimeUnixNano: BIG_TIME,
                    timeUnixNano: BIG_TIME + 1n,
                    count: 12n,
                    sum: 123.25,
                    scale: -3,
                    zeroCount: 2n,
                    positive: { offset: -5, bucketCounts: [1n, 0n, 300n, MAX_U64] },
                    negative: { offset: 7, bucketCounts: [4n] },
                    flags: 1,
                    exemplars,
                    min: -2.5,
                    max: 99.5,
                    zeroThreshold: 1e-9,
                  },
                  {
                    attributes: [],
                    startTimeUnixNano: 0n,
                    timeUnixNano: 0n,
                    count: 0n,
                    sum: undefined,
                    scale: 20,
                    zeroCount: 0n,
                    positive: { offset: 0, bucketCounts: [] },
                    negative: { offset: 0, bucketCounts: [] },
                    flags: 0,
                    exemplars: [],
                    min: undefined,
                    max: undefined,
                    zeroThreshold: 0,
                  },
                ],
              },
            },
            {
              name: 'rpc.latency.summary',
              description: '',
              unit: 's',
              metadata: [],
              data: {
                type: 'summary',
                dataPoints: [
                  {
                    attributes: attrs('q'),
                    startTimeUnixNano: BIG_TIME,
                    timeUnixNano: BIG_TIME + 2n,
                    count: 100n,
                    sum: 42.5,
                    quantileValues: [
                      { quantile: 0, value: 0.1 },
                      { quantile: 0.5, value: 1.5 },
                      { quantile: 1, value: 9 },
                    ],
                    flags: 1,
                  },
                ],
              },
            },
            { name: 'no.data', description: '', unit: '', metadata: [], data: undefined },
          ],
        },
      ],
    },
  ],
};
