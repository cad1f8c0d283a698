import { BadRequestError } from '../consumer/errors.ts';

// Parsing OTLP/JSON request bodies without losing digits. OTLP allows int64 as a
// bare JSON number, and JSON.parse turns 1700000000123456789 into
// 1700000000123456800. So parseOtlpJson uses the native JSON.parse (3x faster, and
// its objects are cheaper to walk) only when no bare number in the text could be
// an integer past 2^53, and otherwise parses with the lossless parser below, which
// keeps every number as its source text.
//
// The lossless parser is written here rather than taken from `lossless-json`: it is
// ~150 lines, needs no dependency on the ingest path, bounds nesting depth (a body
// of 100,000 `[` must not overflow the stack), and reports positions in our error
// type. Strictly RFC 8259 (no comments, no trailing commas); a leading byte-order
// mark is skipped.

/** A JSON number, as written in the source. */
export class JsonNumber {
  constructor(readonly raw: string) {}
}

/**
 * What the parser returns, plus `number`: the readers in json-read.ts also take
 * values built in JavaScript (anyValueFromOtlpJson is called on parsed storage
 * text and on objects), where a safe integer may arrive as a number.
 */
export type JsonValue = null | boolean | number | string | JsonNumber | JsonValue[] | JsonObject;
export interface JsonObject {
  [key: string]: JsonValue;
}

/** Deeper nesting is refused: OTLP needs about 12 levels, plus 3 per nested AnyValue. */
export const MAX_JSON_DEPTH = 512;

export function parseJson(text: string): JsonValue {
  return new Parser(text).parseDocument();
}

/**
 * A bare number that JSON.parse could round: 16 or more digits in a row (any
 * integer of 15 digits is below 2^53), or an exponent (1.7e18 may be an integer
 * field). Only numbers right after `:`, `[` or `,` are bare: a match inside a
 * string is a false alarm that merely takes the lossless path.
 */
const UNSAFE_NUMBER = /[:[,]\s*-?(?:\d{16}|[\d.]+[eE])/;

/** Parses a request body, exactly (see above); BadRequestError with the position when it is not JSON. */
export function parseOtlpJson(text: string): JsonValue {
  if (UNSAFE_NUMBER.test(text)) return parseJson(text);
  try {
    return JSON.parse(text) as JsonValue;
  } catch {
    // Not JSON to JSON.parse: ours throws the error naming the position in our words
    // (or reads it, when the only trouble was a leading byte-order mark).
    return parseJson(text);
  }
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  private pos = 0;
  private depth = 0;
  constructor(private readonly text: string) {}

  parseDocument(): JsonValue {
    if (this.text.charCodeAt(0) === 0xfeff) this.pos = 1;
    const value = this.value();
    this.space();
    if (this.pos < this.text.length) throw this.error('unexpected data after the JSON value');
    return value;
  }

  private error(detail: string): BadRequestError {
    return new BadRequestError(`invalid JSON at position ${this.pos}: ${detail}`);
  }

  private unexpected(): BadRequestError {
    if (this.pos >= this.text.length) return this.error('unexpected end of input');
    return this.error(`unexpected character ${JSON.stringify(this.text[this.pos])}`);
  }

  private space(): void {
    const text = this.text;
    let pos = this.pos;
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) pos++;
      else break;
    }
    this.pos = pos;
  }

  private value(): JsonValue {
    this.space();
    const c = this.text.charCodeAt(this.pos);
    switch (c) {
      case 0x22: // "
        return this.string();
      case 0x7b: // {
        return this.object();
      case 0x5b: // [
        return this.array();
      case 0x74: // t
        return this.literal('true', true);
      case 0x66: // f
        return this.literal('false', false);
      case 0x6e: // n
        return this.literal('null', null);
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        throw this.unexpected();
    }
  }

  private literal<T>(word: string, value: T): T {
    if (!this.text.startsWith(word, this.pos)) throw this.unexpected();
    this.pos += word.length;
    return value;
  }

  private number(): JsonNumber {
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (m === null) throw this.unexpected();
    this.pos += m[0].length;
    return new JsonNumber(m[0]);
  }

  private enter(): void {
    if (++this.depth > MAX_JSON_DEPTH) throw this.error(`nesting deeper than ${MAX_JSON_DEPTH} levels`);
    this.pos++;
  }

  private object(): JsonObject {
    this.enter();
    const out: JsonObject = {};
    this.space();
    if (this.text.charCodeAt(this.pos) === 0x7d) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      this.space();
      if (this.text.charCodeAt(this.pos) !== 0x22) throw this.unexpected();
      const key = this.string();
      this.space();
      if (this.text.charCodeAt(this.pos) !== 0x3a) throw this.unexpected();
      this.pos++;
      const value = this.value();
      // `__proto__` is an ordinary key in JSON, as in JSON.parse: define it, never set the prototype.
      if (key === '__proto__') Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
      else out[key] = value;
      this.space();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x7d) break;
      this.pos--;
      throw this.unexpected();
    }
    this.depth--;
    return out;
  }

  private array(): JsonValue[] {
    this.enter();
    const out: JsonValue[] = [];
    this.space();
    if (this.text.charCodeAt(this.pos) === 0x5d) {
      this.pos++;
      this.depth--;
      return out;
    }
    for (;;) {
      out.push(this.value());
      this.space();
      const c = this.text.charCodeAt(this.pos);
      this.pos++;
      if (c === 0x2c) continue;
      if (c === 0x5d) break;
      this.pos--;
      throw this.unexpected();
    }
    this.depth--;
    return out;
  }

  private string(): string {
    const text = this.text;
    const start = ++this.pos;
    let pos = start;
    // Fast path: no escapes, one slice.
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        this.pos = pos + 1;
        return text.slice(start, pos);
      }
      if (c === 0x5c) break;
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = pos;
        throw Number.isNaN(c) ? this.error('unterminated string') : this.error('control character in string');
      }
      pos++;
    }
    let out = text.slice(start, pos);
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === 0x22) {
        this.pos = pos + 1;
        return out;
      }
      if (c === 0x5c) {
        const e = text[pos + 1];
        pos += 2;
        switch (e) {
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'n':
            out += '\n';
            break;
          case 'r':
            out += '\r';
            break;
          case 't':
            out += '\t';
            break;
          case 'u': {
            const hex = text.slice(pos, pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(hex)) {
              this.pos = pos - 2;
              throw this.error('invalid \\u escape');
            }
            out += String.fromCharCode(parseInt(hex, 16));
            pos += 4;
            break;
          }
          default:
            this.pos = pos - 2;
            throw this.error('invalid escape in string');
        }
        continue;
      }
      if (c < 0x20 || Number.isNaN(c)) {
        this.pos = pos;
        throw Number.isNaN(c) ? this.error('unterminated string') : this.error('control character in string');
      }
      // A run of plain characters, appended as one slice (stack traces are long).
      const run = pos;
      let d = c;
      while (d !== 0x22 && d !== 0x5c && d >= 0x20) d = text.charCodeAt(++pos);
      out += text.slice(run, pos);
    }
  }
}
