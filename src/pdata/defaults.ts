import type { LogRecord, Span } from './model.ts';
import { EMPTY_VALUE } from './proto-decode-common.ts';

// The protobuf default of each record (every field zero, empty or absent): what a
// decoder fills in and what builders in tests and benchmarks start from, so the
// field list lives in one place. Each call returns a fresh object of one shape.

export function emptySpan(): Span {
  return {
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
  };
}

export function emptyLogRecord(): LogRecord {
  return {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: EMPTY_VALUE,
    attributes: [],
    droppedAttributesCount: 0,
    flags: 0,
    traceId: '',
    spanId: '',
    eventName: '',
  };
}
