import { hexFromBytes } from '../../pdata/index.ts';
import type { AnyValue, InstrumentationScope, KeyValue } from '../../pdata/model.ts';

// Text pieces shared by the debug exporter's outputs, shaped after the Collector's
// debugexporter (internal/otlptext), so its troubleshooting docs read the same:
// values as `Str(x)`, `Int(1)`; attributes as `     -> key: Str(value)`; times as
// Go prints a time.Time ("2025-04-17 08:40:44.555461596 +0000 UTC").

/** An AnyValue as the Collector prints it in detailed output. */
export function typedValue(value: AnyValue): string {
  switch (value.type) {
    case 'string':
      return `Str(${value.value})`;
    case 'bool':
      return `Bool(${value.value})`;
    case 'int':
      return `Int(${value.value})`;
    case 'double':
      return `Double(${Number.isFinite(value.value) ? String(value.value) : formatDouble(value.value)})`;
    case 'bytes':
      return `Bytes(${hexFromBytes(value.value)})`;
    case 'array':
      return `Slice(${JSON.stringify(value.value.map(plainValue))})`;
    case 'kvlist':
      return `Map(${JSON.stringify(Object.fromEntries(value.value.map((kv) => [kv.key, plainValue(kv.value)])))})`;
    case 'empty':
      return 'Empty()';
  }
}

/** An AnyValue as plain text (normal output, and nested in Slice/Map). */
export function plainValue(value: AnyValue): unknown {
  switch (value.type) {
    case 'string':
    case 'bool':
      return value.value;
    case 'int':
      return value.value.toString();
    case 'double':
      return Number.isFinite(value.value) ? value.value : String(value.value);
    case 'bytes':
      return hexFromBytes(value.value);
    case 'array':
      return value.value.map(plainValue);
    case 'kvlist':
      return Object.fromEntries(value.value.map((kv) => [kv.key, plainValue(kv.value)]));
    case 'empty':
      return null;
  }
}

export function valueText(value: AnyValue): string {
  const plain = plainValue(value);
  return typeof plain === 'string' ? plain : JSON.stringify(plain);
}

/** `key=value key2=value2`, as normal output prints attributes. */
export function attributesInline(attributes: readonly KeyValue[]): string {
  return attributes.map((kv) => `${kv.key}=${valueText(kv.value)}`).join(' ');
}

/** Detailed output: a heading line, then one `-> key: Type(value)` line each; nothing when empty. */
export function attributesBlock(lines: string[], heading: string, attributes: readonly KeyValue[], indent = '     '): void {
  if (attributes.length === 0) return;
  lines.push(heading);
  for (const kv of attributes) lines.push(`${indent}-> ${kv.key}: ${typedValue(kv.value)}`);
}

export function scopeLine(scope: InstrumentationScope): string {
  return `InstrumentationScope ${scope.name} ${scope.version}`;
}

/** A nanosecond timestamp as Go prints a UTC time.Time (fraction without trailing zeros). */
export function goTime(unixNano: bigint): string {
  const seconds = unixNano / 1_000_000_000n;
  const nanos = unixNano % 1_000_000_000n;
  const iso = new Date(Number(seconds) * 1000).toISOString(); // 2025-04-17T08:40:44.000Z
  const fraction = nanos === 0n ? '' : '.' + nanos.toString().padStart(9, '0').replace(/0+$/, '');
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction} +0000 UTC`;
}

/** Doubles with six decimals, as Go's %f. */
export function formatDouble(value: number): string {
  return Number.isFinite(value) ? value.toFixed(6) : Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
}
