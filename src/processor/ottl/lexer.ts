// The tokens of OTTL conditions (pkg/ottl grammar): identifiers, double-quoted
// strings with Go escapes, int64 and float literals, 0x byte slices, comparison
// operators and punctuation. See parser.ts for what is built from them.

export type ComparisonOp = '==' | '!=' | '<' | '<=' | '>' | '>=';

/** A condition that cannot be parsed or compiled; `pos` is a 0-based offset. */
export class OttlSyntaxError extends Error {
  readonly code = 'ottl_syntax';
  constructor(
    message: string,
    readonly pos: number,
  ) {
    super(message);
    this.name = 'OttlSyntaxError';
  }
}

export type Token =
  | { kind: 'ident'; text: string; pos: number }
  | { kind: 'string'; value: string; pos: number }
  | { kind: 'int'; value: bigint; pos: number }
  | { kind: 'float'; value: number; pos: number }
  | { kind: 'bytes'; value: Uint8Array; pos: number }
  | { kind: 'op'; text: ComparisonOp; pos: number }
  | { kind: 'punct'; text: string; pos: number }
  | { kind: 'eof'; pos: number };

const int64Max = 2n ** 63n - 1n;

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const char = text[i]!;
    if (/\s/.test(char)) {
      i += 1;
      continue;
    }
    const pos = i;
    if (/[A-Za-z_]/.test(char)) {
      const match = /[A-Za-z_][A-Za-z0-9_]*/y;
      match.lastIndex = i;
      const ident = match.exec(text)![0];
      tokens.push({ kind: 'ident', text: ident, pos });
      i += ident.length;
      continue;
    }
    if (char === '0' && (text[i + 1] === 'x' || text[i + 1] === 'X')) {
      const hex = /0[xX]([0-9a-fA-F]*)/y;
      hex.lastIndex = i;
      const digits = hex.exec(text)![1]!;
      if (digits.length === 0 || digits.length % 2 !== 0) {
        throw new OttlSyntaxError('a byte slice literal needs an even number of hex digits', pos);
      }
      tokens.push({ kind: 'bytes', value: Uint8Array.from(Buffer.from(digits, 'hex')), pos });
      i += 2 + digits.length;
      continue;
    }
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const number = /(\d*)(\.\d*)?/y;
      number.lastIndex = i;
      const [literal, , fraction] = number.exec(text)!;
      if (fraction !== undefined) {
        tokens.push({ kind: 'float', value: Number(literal), pos });
      } else {
        const value = BigInt(literal);
        if (value > int64Max) throw new OttlSyntaxError(`integer ${literal} does not fit in 64 bits`, pos);
        tokens.push({ kind: 'int', value, pos });
      }
      i += literal.length;
      continue;
    }
    if (char === '"') {
      const [value, end] = readString(text, i);
      tokens.push({ kind: 'string', value, pos });
      i = end;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
      tokens.push({ kind: 'op', text: two, pos });
      i += 2;
      continue;
    }
    if (char === '<' || char === '>') {
      tokens.push({ kind: 'op', text: char, pos });
      i += 1;
      continue;
    }
    if ('()[],.+-*/{}:='.includes(char)) {
      tokens.push({ kind: 'punct', text: char, pos });
      i += 1;
      continue;
    }
    throw new OttlSyntaxError(`unexpected character ${JSON.stringify(char)}`, pos);
  }
  tokens.push({ kind: 'eof', pos: text.length });
  return tokens;
}

const simpleEscapes: Record<string, string> = {
  '"': '"',
  '\\': '\\',
  n: '\n',
  t: '\t',
  r: '\r',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
};

/** A double-quoted string with Go's escapes (OTTL unquotes with strconv.Unquote). */
function readString(text: string, start: number): [string, number] {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const char = text[i]!;
    if (char === '"') return [value, i + 1];
    if (char === '\n') break;
    if (char !== '\\') {
      value += char;
      i += 1;
      continue;
    }
    const escape = text[i + 1] ?? '';
    const simple = simpleEscapes[escape];
    if (simple !== undefined) {
      value += simple;
      i += 2;
      continue;
    }
    const hexLength = escape === 'x' ? 2 : escape === 'u' ? 4 : escape === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const digits = text.slice(i + 2, i + 2 + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(digits)) {
        throw new OttlSyntaxError(`invalid \\${escape} escape in string`, i);
      }
      value += String.fromCodePoint(parseInt(digits, 16));
      i += 2 + hexLength;
      continue;
    }
    if (/[0-7]/.test(escape)) {
      const digits = text.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) throw new OttlSyntaxError('invalid octal escape in string', i);
      value += String.fromCharCode(parseInt(digits, 8));
      i += 4;
      continue;
    }
    throw new OttlSyntaxError(`invalid escape \\${escape} in string (write \\\\ for a backslash)`, i);
  }
  throw new OttlSyntaxError('unterminated string', start);
}
