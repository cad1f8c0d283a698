import { badData } from './errors.ts';

// PromQL literals: durations (model.ParseDuration), numbers (Go's ParseFloat:
// hex, Inf, NaN), strings (Go's quoting: "..." and '...' with escapes, `...` raw).

const DURATION = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const UNIT_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];

/** A Prometheus duration ("1h30m", "500ms") or a number of seconds, in ms. */
export function parseDurationMs(text: string): number {
  const m = DURATION.exec(text);
  if (m !== null && text !== '') {
    let ms = 0;
    for (let i = 0; i < UNIT_MS.length; i++) if (m[i + 1] !== undefined) ms += Number(m[i + 1]) * UNIT_MS[i]!;
    return ms;
  }
  const seconds = Number(text);
  if (text.trim() !== '' && Number.isFinite(seconds)) return Math.round(seconds * 1000);
  throw badData(`not a valid duration string: ${JSON.stringify(text)}`);
}

export function parseNumber(text: string): number {
  const t = text.replace(/_/g, '');
  const lower = t.toLowerCase();
  const sign = lower.startsWith('-') ? -1 : 1;
  const body = lower.replace(/^[-+]/, '');
  if (body === 'inf' || body === 'infinity') return sign * Number.POSITIVE_INFINITY;
  if (body === 'nan') return Number.NaN;
  if (body.startsWith('0x')) return sign * Number.parseInt(body.slice(2), 16);
  if (/^[0-9.]+(e[-+]?[0-9]+)?$/.test(body)) return sign * Number(body);
  // A duration where a number stands ("5m"): its seconds (PromQL since 2.x).
  return (sign * parseDurationMs(body)) / 1000;
}

export function unquote(text: string): string {
  const q = text[0];
  if (text.length < 2 || text[text.length - 1] !== q) throw badData(`unterminated quoted string ${text}`);
  const body = text.slice(1, -1);
  if (q === '`') return body;
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    switch (e) {
      case 'a': out += '\x07'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': case '"': case "'": out += e; break;
      case 'x': out += String.fromCharCode(Number.parseInt(body.slice(i + 1, i + 3), 16)); i += 2; break;
      case 'u': out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 5), 16)); i += 4; break;
      case 'U': out += String.fromCodePoint(Number.parseInt(body.slice(i + 1, i + 9), 16)); i += 8; break;
      default:
        if (e !== undefined && /[0-7]/.test(e)) {
          out += String.fromCharCode(Number.parseInt(body.slice(i, i + 3), 8));
          i += 2;
        } else throw badData(`unknown escape sequence \\${e ?? ''} in ${text}`);
    }
  }
  return out;
}
