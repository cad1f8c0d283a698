import { parseDurationNs } from '../lib/units.ts';
import type { AttributeFilter, StatusFilter, TimeRange } from '../storage/api.ts';
import { ParameterError } from './errors.ts';

// Query parameter parsing: every check the API makes on user input lives here, so
// handlers get typed values and the error names the parameter at fault.

const hourNs = 3_600_000_000_000n;
const msNs = 1_000_000n;

/** RFC 3339 or Unix milliseconds -> Unix nanoseconds. */
export function parseTime(name: string, text: string): bigint {
  if (/^\d+$/.test(text)) return BigInt(text) * msNs;
  const match = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}:\d{2}(\.(\d+))?(Z|[+-]\d{2}:\d{2})$/i.exec(text);
  const ms = match ? Date.parse(text) : NaN;
  // Date.parse rolls 2026-02-30 over to March 2; a calendar date must exist as written.
  const day = match ? new Date(`${match[1]}T00:00:00Z`) : undefined;
  const dateExists = day !== undefined && !Number.isNaN(day.getTime()) && day.toISOString().startsWith(match![1]!);
  if (!match || Number.isNaN(ms) || !dateExists) {
    throw new ParameterError(name, 'expected an RFC 3339 time (2026-05-19T10:00:00Z) or Unix milliseconds');
  }
  // Date.parse keeps milliseconds only; add back the sub-millisecond digits.
  const subMs = (match[3] ?? '').padEnd(9, '0').slice(3, 9);
  return BigInt(ms) * msNs + BigInt(subMs);
}

/** `start`/`end`, defaulting to the last hour. */
export function parseTimeRange(query: (name: string) => string | undefined, nowNs: bigint): TimeRange {
  const endText = query('end');
  const startText = query('start');
  const endNs = endText === undefined ? nowNs : parseTime('end', endText);
  const startNs = startText === undefined ? endNs - hourNs : parseTime('start', startText);
  if (startNs > endNs) throw new ParameterError('start', 'must not be after end');
  return { startNs, endNs };
}

export function parseDuration(name: string, text: string): bigint {
  const ns = parseDurationNs(text);
  if (ns === undefined) throw new ParameterError(name, 'expected a duration such as 250ms');
  return ns;
}

export function parseLimit(text: string | undefined, defaultLimit: number, maxLimit: number): number {
  if (text === undefined) return defaultLimit;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > maxLimit) {
    throw new ParameterError('limit', `expected an integer from 1 to ${maxLimit}`);
  }
  return n;
}

const attributePattern = /^([^=!<>]+)(!=|=|>|<)(.*)$/s;

/** `key=value`, `key!=value`, `key>number`, `key<number`. */
export function parseAttributeFilter(text: string): AttributeFilter {
  const match = attributePattern.exec(text);
  const key = match?.[1]?.trim() ?? '';
  if (!match || key === '') {
    throw new ParameterError('attr', 'expected key=value, key!=value, key>number or key<number');
  }
  const op = match[2] as AttributeFilter['op'];
  const value = match[3] ?? '';
  if ((op === '>' || op === '<') && !Number.isFinite(Number(value))) {
    throw new ParameterError('attr', `"${key}${op}" needs a number, got "${value}"`);
  }
  return { key, op, value };
}

export function parseStatus(text: string): StatusFilter {
  if (text === 'ok' || text === 'error' || text === 'unset') return text;
  throw new ParameterError('status', 'expected ok, error or unset');
}

export function parseTraceId(name: string, text: string): string {
  if (!/^[0-9a-f]{32}$/i.test(text)) throw new ParameterError(name, 'expected 32 hex characters');
  return text.toLowerCase();
}

export function parseSpanId(name: string, text: string): string {
  if (!/^[0-9a-f]{16}$/i.test(text)) throw new ParameterError(name, 'expected 16 hex characters');
  return text.toLowerCase();
}

// OTLP SeverityNumber ranges: each name is the first number of its range.
const severityNames: Record<string, number> = { trace: 1, debug: 5, info: 9, warn: 13, error: 17, fatal: 21 };

export function parseSeverity(name: string, text: string): number {
  const named = severityNames[text.toLowerCase()];
  if (named !== undefined) return named;
  const n = Number(text);
  if (/^\d+$/.test(text) && n >= 1 && n <= 24) return n;
  throw new ParameterError(name, 'expected a severity number 1-24 or trace, debug, info, warn, error, fatal');
}

/** An integer parameter from `min` to `max`, `defaultValue` when absent. */
export function parseIntParam(name: string, text: string | undefined, defaultValue: number, min: number, max: number): number {
  if (text === undefined || text === '') return defaultValue;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min || n > max) throw new ParameterError(name, `expected an integer from ${min} to ${max}`);
  return n;
}

export function parseAttributeScope(name: string, text: string): 'span' | 'resource' {
  if (text === 'span' || text === 'resource') return text;
  throw new ParameterError(name, 'expected span or resource');
}

/** A bucket width: a duration above zero. */
export function parseStep(name: string, text: string): bigint {
  const ns = parseDuration(name, text);
  if (ns <= 0n) throw new ParameterError(name, 'must be longer than 0s');
  return ns;
}
