import { randomFillSync } from 'node:crypto';
import { encodeLogsProto, encodeTracesProto } from '../src/pdata/index.ts';
import type { LogsData, TracesData } from '../src/pdata/model.ts';

// Requests for the load generator, made from one encoded protobuf template by
// patching bytes: fresh trace ids (16 bytes, `bytes trace_id`) and shifted
// timestamps (`fixed64 *_time_unix_nano`, 8 bytes little-endian) sit at fixed
// offsets in the encoding, so a new request costs one copy and a few hundred small
// writes instead of building and encoding 500 spans (about 4 µs a span) on the same
// two cores the server is measured on. The offsets are found by searching the
// encoding for the values the model holds; a template whose search finds more or
// fewer places than the model has fields is refused, so a collision cannot go
// unnoticed.

export interface ExpectedSpan {
  spanId: string;
  name: string;
}

export class RequestTemplate {
  readonly bytes: Buffer;
  /** The template's trace ids, in slot order (one slot per trace). */
  readonly traceIds: string[];
  /** The spans of each slot, as a fetch by id must return them. */
  readonly spansBySlot: ExpectedSpan[][];
  readonly spanCount: number;
  readonly baseNs: bigint;
  private readonly idOffsets: number[][];
  private readonly timeOffsets: number[];

  private constructor(bytes: Uint8Array, traceIds: string[], idCounts: number[], times: bigint[], baseNs: bigint, spansBySlot: ExpectedSpan[][]) {
    this.bytes = Buffer.from(bytes);
    this.traceIds = traceIds;
    this.spansBySlot = spansBySlot;
    this.spanCount = spansBySlot.reduce((n, s) => n + s.length, 0);
    this.baseNs = baseNs;
    this.idOffsets = traceIds.map((id, slot) => {
      const offsets = allOffsets(this.bytes, Buffer.from(id, 'hex'));
      if (offsets.length !== idCounts[slot]) throw new Error(`template: trace id ${id} found ${offsets.length} times, expected ${idCounts[slot]}`);
      return offsets;
    });
    const wanted = new Map<bigint, number>();
    for (const t of times) wanted.set(t, (wanted.get(t) ?? 0) + 1);
    this.timeOffsets = [];
    for (const [t, count] of wanted) {
      const needle = Buffer.alloc(8);
      needle.writeBigUInt64LE(t);
      const offsets = allOffsets(this.bytes, needle);
      if (offsets.length !== count) throw new Error(`template: timestamp ${t} found ${offsets.length} times, expected ${count}`);
      this.timeOffsets.push(...offsets);
    }
  }

  static traces(data: TracesData): RequestTemplate {
    const slots = new Map<string, { count: number; spans: ExpectedSpan[] }>();
    const times: bigint[] = [];
    let baseNs = 0n;
    for (const rs of data.resourceSpans) {
      for (const ss of rs.scopeSpans) {
        for (const span of ss.spans) {
          if (span.links.length > 0) throw new Error('template: links are not patched');
          const slot = slots.get(span.traceId) ?? { count: 0, spans: [] };
          slot.count++;
          slot.spans.push({ spanId: span.spanId, name: span.name });
          slots.set(span.traceId, slot);
          times.push(span.startTimeUnixNano, span.endTimeUnixNano, ...span.events.map((e) => e.timeUnixNano));
          if (span.endTimeUnixNano > baseNs) baseNs = span.endTimeUnixNano;
        }
      }
    }
    const ids = [...slots.keys()];
    return new RequestTemplate(encodeTracesProto(data), ids, ids.map((id) => slots.get(id)!.count), times, baseNs,
      ids.map((id) => slots.get(id)!.spans));
  }

  /** Logs whose trace ids are patched from the same slots as `traces`' (slot i = trace id i). */
  static logs(data: LogsData, traces: RequestTemplate): RequestTemplate {
    const counts = traces.traceIds.map(() => 0);
    const times: bigint[] = [];
    for (const rl of data.resourceLogs) {
      for (const sl of rl.scopeLogs) {
        for (const record of sl.logRecords) {
          const slot = traces.traceIds.indexOf(record.traceId);
          if (slot < 0) throw new Error(`template: log trace id ${record.traceId} is not one of the traces'`);
          counts[slot]!++;
          times.push(record.timeUnixNano, record.observedTimeUnixNano);
        }
      }
    }
    return new RequestTemplate(encodeLogsProto(data), traces.traceIds, counts, times, traces.baseNs, traces.traceIds.map(() => []));
  }

  /** Fresh random trace ids for every slot, 16 bytes each. */
  freshIds(): Buffer {
    return randomFillSync(Buffer.allocUnsafe(16 * this.traceIds.length));
  }

  /**
   * A copy of the template with slot i's trace id set to ids[16i, 16i+16) and every
   * timestamp moved so that the newest span ends at `endNs`.
   */
  render(ids: Buffer, endNs: bigint): Buffer {
    const out = Buffer.from(this.bytes);
    for (let slot = 0; slot < this.idOffsets.length; slot++) {
      for (const offset of this.idOffsets[slot]!) ids.copy(out, offset, 16 * slot, 16 * slot + 16);
    }
    const shift = endNs - this.baseNs;
    for (const offset of this.timeOffsets) out.writeBigUInt64LE(out.readBigUInt64LE(offset) + shift, offset);
    return out;
  }
}

function allOffsets(haystack: Buffer, needle: Buffer): number[] {
  const offsets: number[] = [];
  for (let at = haystack.indexOf(needle); at >= 0; at = haystack.indexOf(needle, at + 1)) offsets.push(at);
  return offsets;
}
