import { isUtf8 } from 'node:buffer';
import { DecodeError } from './decode-error.ts';

// Items a decoder keeps out of the data it returns. The request is well-formed,
// but a value in an item is one storage could not keep as sent: invalid UTF-8 in
// a protobuf string (proto3 requires UTF-8; the Collector's decoder refuses it), a
// lone surrogate in an OTLP/JSON string (it has no UTF-8 form), a timestamp that
// is no Int64 nanosecond count (DateTime64(9) columns). Refusing the whole request
// for it would punish every other item in it, and storing it would fail the
// insert that holds other senders' rows too; so the item (span, log record, data
// point; everything under a bad resource or scope) is refused alone, reported to
// the sender as OTLP partial success (opentelemetry-proto specification.md,
// "Partial Success"), and the rest is kept.

/**
 * A value storage cannot keep. Thrown where the value is read (the path is
 * prepended on the way out, as for any DecodeError) and caught at the item that
 * holds it. Framing is intact when it is thrown: the value was read to its end.
 */
export class UnstorableValueError extends DecodeError {}

/** At most this many distinct messages are listed in the partial success answer. */
const MAX_MESSAGES = 5;

/** Counts refused items and keeps the first distinct reasons, each naming its field path. */
export class DecodeRefusals {
  /** Items refused (spans, log records or data points). */
  count = 0;
  /**
   * Units (data points) of the item being decoded that were already refused one by
   * one, so that refusing the whole item later counts only the rest. The envelope
   * decoders reset it per item.
   */
  unitsRefusedInItem = 0;
  private readonly messages: string[] = [];
  private unlisted = 0;

  /** `items` refused because of `error`, found in the item at `itemPath`. */
  refuse(itemPath: string, error: UnstorableValueError, items: number): void {
    this.count += items;
    const path = error.path === '' ? itemPath : itemPath === '' ? error.path : `${itemPath}.${error.path}`;
    const message = `${path}: ${error.detail}`;
    if (this.messages.includes(message)) return;
    if (this.messages.length < MAX_MESSAGES) this.messages.push(message);
    else this.unlisted++;
  }

  /** Whether anything was refused (a metric without points may be refused with a count of 0). */
  get any(): boolean {
    return this.messages.length > 0;
  }

  /** The partial success error_message: every listed reason, '; '-separated. */
  errorMessage(): string {
    const more = this.unlisted === 0 ? '' : `; and ${this.unlisted} more`;
    return this.messages.join('; ') + more;
  }
}

// proto3 strings are UTF-8. The decoders read them with Buffer's utf8Slice, which
// turns each invalid sequence into U+FFFD, so a decoded string without U+FFFD came
// from valid bytes; only one with U+FFFD (rare: it is also a valid character) needs
// the exact check. V8's indexOf of a non-Latin-1 character in a one-byte string
// returns at once, so ASCII text costs nothing (bench/decode-bench.ts).
export function isValidUtf8Decoding(decoded: string, bytes: Uint8Array, start: number, stop: number): boolean {
  return decoded.indexOf('\uFFFD') === -1 || isUtf8(bytes.subarray(start, stop));
}

/** Whether `s` has no lone surrogate, i.e. has a UTF-8 form (String.prototype.isWellFormed, ES2024, in Node >= 20). */
export function isWellFormedString(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/**
 * Timestamps stored in DateTime64(9) columns must be below 2^63 ns (2262-04-11):
 * the column is a signed 64-bit count, and a larger fixed64 fails the insert
 * ("Decimal math overflow") or reads back as 1677. Go's time.Unix(0, int64) in the
 * Collector's pcommon.Timestamp.AsTime reads them as negative too.
 */
export const MAX_TIMESTAMP_NS = 0x7fffffffffffffffn;

export const TIMESTAMP_TOO_LARGE = 'at or above 2^63 ns (after 2262-04-11), which cannot be stored as an Int64 nanosecond time';
