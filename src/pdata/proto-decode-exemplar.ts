import { segment, within } from './decode-error.ts';
import type { Exemplar } from './model.ts';
import { decodeKeyValue, fieldName, knownFields } from './proto-decode-common.ts';
import type { ProtoReader } from './protobuf-reader.ts';

// metrics.proto Exemplar, shared by every data point kind but the summary.

// Exemplar: 7 filtered_attributes, 2 time_unix_nano, 3 as_double, 6 as_int
// (sfixed64), 4 span_id, 5 trace_id; 1 is reserved.
const EXEMPLAR_FIELDS = ['', '', 'timeUnixNano', 'asDouble', 'spanId', 'traceId', 'asInt', 'filteredAttributes'];
const EXEMPLAR_KNOWN = knownFields(EXEMPLAR_FIELDS);

export function decodeExemplar(r: ProtoReader): Exemplar {
  const outer = r.enter();
  const e: Exemplar = { filteredAttributes: [], timeUnixNano: 0n, value: undefined, spanId: '', traceId: '' };
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      switch (tag) {
        case 58:
          e.filteredAttributes.push(decodeKeyValue(r));
          break;
        case 17:
          e.timeUnixNano = r.fixed64();
          break;
        case 25:
          e.value = { type: 'double', value: r.double() };
          break;
        case 49:
          e.value = { type: 'int', value: r.sfixed64() };
          break;
        case 34:
          e.spanId = r.id(8);
          break;
        case 42:
          e.traceId = r.id(16);
          break;
        default:
          r.skip(tag, EXEMPLAR_KNOWN);
      }
    }
  } catch (error) {
    throw within(error, segment(fieldName(EXEMPLAR_FIELDS, tag), tag === 58 ? e.filteredAttributes.length : -1));
  }
  r.leave(outer);
  return e;
}
