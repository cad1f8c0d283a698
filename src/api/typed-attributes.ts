import type { KeyValue } from '../pdata/model.ts';
import { anyValueToPlain } from './plain-json.ts';
import type { ExceptionInfo, TypedAttribute } from './types.ts';

// Attributes for the span details panel: each with its OTLP type, so the UI can
// show an int as an int and a string "42" as a string.

export function typedAttributes(list: readonly KeyValue[]): TypedAttribute[] {
  return list.map(({ key, value }) => ({ key, type: value.type, value: anyValueToPlain(value) }));
}

/**
 * The exception of an `exception` span event, from the semantic conventions'
 * exception.type / exception.message / exception.stacktrace / exception.escaped
 * (https://opentelemetry.io/docs/specs/semconv/exceptions/exceptions-spans/).
 */
export function exceptionOf(name: string, attributes: readonly KeyValue[]): ExceptionInfo | undefined {
  if (name !== 'exception') return undefined;
  const text = (key: string): string => {
    const v = attributes.find((a) => a.key === key)?.value;
    if (v === undefined) return '';
    if (v.type === 'string') return v.value;
    // Not a string, against the conventions: shown as its JSON rather than lost.
    return JSON.stringify(anyValueToPlain(v)) ?? '';
  };
  const escaped = attributes.find((a) => a.key === 'exception.escaped')?.value;
  return {
    type: text('exception.type'),
    message: text('exception.message'),
    stacktrace: text('exception.stacktrace'),
    ...(escaped?.type === 'bool' ? { escaped: escaped.value } : {}),
  };
}
