import type { ExportSignal } from './export-signal.ts';

// One request on its way downstream. It starts as either the in-memory model (from
// consume) or encoded protobuf bytes (read back from the persistent queue), and
// converts lazily and at most once: the gRPC exporter and OTLP/HTTP with protobuf
// send the bytes of a persisted request without decoding them at all.

export interface ExportRequest<T> {
  /** Spans, metric points or log records in it. */
  readonly items: number;
  /** The model; decoding persisted bytes can throw a DecodeError (a corrupt file). */
  data(): T;
  /** ExportXServiceRequest bytes (TracesData and the request are wire-identical). */
  protoBytes(): Uint8Array;
}

export function requestFromData<T>(signal: ExportSignal<T>, data: T, items = signal.countItems(data)): ExportRequest<T> {
  let bytes: Uint8Array | undefined;
  return {
    items,
    data: () => data,
    protoBytes: () => (bytes ??= signal.encodeProto(data)),
  };
}

export function requestFromProto<T>(signal: ExportSignal<T>, bytes: Uint8Array, items: number): ExportRequest<T> {
  let data: T | undefined;
  return {
    items,
    data: () => (data ??= signal.decodeProto(bytes)),
    protoBytes: () => bytes,
  };
}
