import { z } from 'zod';
import { compileGoRegexp, GoRegexpError, type GoRegexp } from '../../lib/go-regexp.ts';
import type { AnyValue, KeyValue } from '../../pdata/model.ts';
import { convertValue, hashValue, type ConvertedType } from './value-conversion.ts';

// The attribute actions shared by the `attributes` and `resource` processors, as
// the Collector's contrib internal/coreinternal/attraction defines them: option
// names, which options each action takes, and what it does.
//   insert  set `key` where it is absent       update  set `key` where present
//   upsert  set `key` either way                delete  remove `key` / keys matching `pattern`
//   hash    SHA-256 hex of `key` / matching keys
//   extract named groups of `pattern` on the string at `key` become attributes
//   convert change the type of `key` to `converted_type` (int, double, string)
// insert/update/upsert take exactly one of `value` and `from_attribute`; when the
// source attribute is missing nothing happens. `from_context` (client metadata) is
// refused: our receivers do not pass request metadata down the pipeline.
// Patterns are Go regexps, run on RE2 (see lib/go-regexp.ts).
//
// Applying actions never changes an attribute array or KeyValue in place: the
// result is a new array (or the same one when nothing changed), which the caller
// assigns to the item it owns. Arrays may thus be shared between requests safely.

export type ActionName = 'insert' | 'update' | 'upsert' | 'delete' | 'hash' | 'extract' | 'convert';

export type AttributeAction =
  | { action: 'insert' | 'update' | 'upsert'; key: string; source: { value: AnyValue } | { fromAttribute: string } }
  | { action: 'delete' | 'hash'; key: string | undefined; pattern: string | undefined }
  | { action: 'extract'; key: string; pattern: string }
  | { action: 'convert'; key: string; convertedType: ConvertedType };

const actionNames: readonly ActionName[] = ['insert', 'update', 'upsert', 'delete', 'hash', 'extract', 'convert'];

const rawActionSchema = z.strictObject({
  key: z.string().optional(),
  // Any YAML value: its type becomes the attribute's (see anyValueFromConfig).
  value: z.unknown().optional(),
  pattern: z.string().optional(),
  from_attribute: z.string().optional(),
  from_context: z.string().optional(),
  converted_type: z.string().optional(),
  // Case-insensitive, as in the Collector.
  action: z.string().transform((text) => text.toLowerCase()),
});

type RawAction = z.output<typeof rawActionSchema>;

/** One action, validated as the Collector validates it; issues name the option. */
export const attributeActionSchema = rawActionSchema.transform((raw, ctx): AttributeAction => {
  const issue = (path: string, message: string): never => {
    ctx.addIssue({ code: 'custom', path: [path], message });
    return z.NEVER;
  };
  const action = raw.action as ActionName;
  if (!actionNames.includes(action)) {
    return issue('action', `unsupported action "${raw.action}" (expected one of ${actionNames.join(', ')})`);
  }
  if (raw.from_context !== undefined) {
    return issue('from_context', 'from_context is not supported: Tracehouse receivers do not pass client metadata');
  }
  const key = raw.key === '' ? undefined : raw.key;
  const pattern = raw.pattern === '' ? undefined : raw.pattern;
  const fromAttribute = raw.from_attribute === '' ? undefined : raw.from_attribute;
  const hasValue = raw.value !== undefined && raw.value !== null;
  const sources = (hasValue ? 1 : 0) + (fromAttribute !== undefined ? 1 : 0);
  const notUsed = (field: keyof RawAction & string, present: boolean): void => {
    if (present) issue(field, `action "${action}" does not use "${field}"`);
  };

  switch (action) {
    case 'insert':
    case 'update':
    case 'upsert': {
      if (key === undefined) return issue('key', `missing required field "key" for action "${action}"`);
      if (sources !== 1) {
        return issue(
          sources === 0 ? 'value' : 'from_attribute',
          sources === 0 ? 'one of "value" or "from_attribute" is required' : 'set only one of "value" and "from_attribute"',
        );
      }
      notUsed('pattern', pattern !== undefined);
      notUsed('converted_type', raw.converted_type !== undefined);
      if (!hasValue) return { action, key, source: { fromAttribute: fromAttribute! } };
      const value = anyValueFromConfig(raw.value);
      if (value === undefined) return issue('value', 'unsupported value type');
      return { action, key, source: { value } };
    }
    case 'delete':
    case 'hash':
      if (key === undefined && pattern === undefined) {
        return issue('key', `action "${action}" needs "key", "pattern" or both`);
      }
      notUsed('value', hasValue);
      notUsed('from_attribute', fromAttribute !== undefined);
      notUsed('converted_type', raw.converted_type !== undefined);
      if (pattern !== undefined) checkPattern(pattern, false, ctx);
      return { action, key, pattern };
    case 'extract':
      if (key === undefined) return issue('key', 'missing required field "key" for action "extract"');
      if (pattern === undefined) return issue('pattern', 'missing required field "pattern" for action "extract"');
      notUsed('value', hasValue);
      notUsed('from_attribute', fromAttribute !== undefined);
      notUsed('converted_type', raw.converted_type !== undefined);
      checkPattern(pattern, true, ctx);
      return { action, key, pattern };
    case 'convert': {
      if (key === undefined) return issue('key', 'missing required field "key" for action "convert"');
      notUsed('value', hasValue);
      notUsed('from_attribute', fromAttribute !== undefined);
      notUsed('pattern', pattern !== undefined);
      const to = raw.converted_type;
      if (to === undefined || to === '') return issue('converted_type', 'missing required field "converted_type"');
      if (to !== 'int' && to !== 'double' && to !== 'string') {
        return issue('converted_type', `invalid value "${to}" (expected int, double or string)`);
      }
      return { action, key, convertedType: to };
    }
  }
});

function checkPattern(pattern: string, needsNamedGroups: boolean, ctx: z.RefinementCtx): void {
  let regexp: GoRegexp;
  try {
    regexp = compileGoRegexp(pattern);
  } catch (error) {
    if (!(error instanceof GoRegexpError)) throw error;
    ctx.addIssue({ code: 'custom', path: ['pattern'], message: `invalid pattern: ${error.message}` });
    return;
  }
  if (!needsNamedGroups) return;
  // As the Collector's attraction: extract needs named groups, and every group named.
  const named = regexp.groupNames.length;
  if (named === 0 || named !== regexp.groupCount) {
    ctx.addIssue({
      code: 'custom',
      path: ['pattern'],
      message: named === 0 ? 'pattern contains no named groups' : 'pattern contains an unnamed group; name every group (?P<name>...)',
    });
  }
}

/** A YAML value as an attribute value: ints (no fraction) become int, lists arrays, mappings kvlists. */
export function anyValueFromConfig(value: unknown): AnyValue | undefined {
  if (typeof value === 'string') return { type: 'string', value };
  if (typeof value === 'boolean') return { type: 'bool', value };
  if (typeof value === 'bigint') return { type: 'int', value };
  if (typeof value === 'number') {
    return Number.isSafeInteger(value) ? { type: 'int', value: BigInt(value) } : { type: 'double', value };
  }
  if (Array.isArray(value)) {
    const values = value.map(anyValueFromConfig);
    return values.every((v) => v !== undefined) ? { type: 'array', value: values as AnyValue[] } : undefined;
  }
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const entries: KeyValue[] = [];
    for (const [key, item] of Object.entries(value)) {
      const converted = item === null ? ({ type: 'empty' } as const) : anyValueFromConfig(item);
      if (converted === undefined) return undefined;
      entries.push({ key, value: converted });
    }
    return { type: 'kvlist', value: entries };
  }
  return undefined;
}

/** Applies the actions in order; returns `attributes` itself when nothing changed. */
export type AttributesTransform = (attributes: KeyValue[]) => KeyValue[];

export function compileActions(actions: readonly AttributeAction[]): AttributesTransform {
  const steps = actions.map(compileAction);
  return (attributes) => {
    let result = attributes;
    for (const step of steps) result = step(result);
    return result;
  };
}

function compileAction(action: AttributeAction): AttributesTransform {
  switch (action.action) {
    case 'insert':
    case 'update':
    case 'upsert': {
      const { key, source } = action;
      const mode = action.action;
      return (attributes) => {
        const value = 'value' in source ? source.value : find(attributes, source.fromAttribute)?.value;
        if (value === undefined) return attributes;
        const at = attributes.findIndex((kv) => kv.key === key);
        if (at === -1 ? mode === 'update' : mode === 'insert') return attributes;
        return at === -1 ? [...attributes, { key, value }] : replaceAt(attributes, at, { key, value });
      };
    }
    case 'delete': {
      const matches = keyMatcher(action.key, action.pattern);
      return (attributes) => {
        const kept = attributes.filter((kv) => !matches(kv.key));
        return kept.length === attributes.length ? attributes : kept;
      };
    }
    case 'hash': {
      // A key named by `key` that also matches `pattern` is hashed once (the
      // Collector would hash it twice).
      const matches = keyMatcher(action.key, action.pattern);
      return (attributes) => {
        if (!attributes.some((kv) => matches(kv.key))) return attributes;
        return attributes.map((kv) => (matches(kv.key) ? { key: kv.key, value: hashValue(kv.value) } : kv));
      };
    }
    case 'extract': {
      const { key } = action;
      const regexp = compileGoRegexp(action.pattern);
      return (attributes) => {
        const source = find(attributes, key)?.value;
        if (source?.type !== 'string') return attributes;
        const match = regexp.matchNamed(source.value);
        if (!match) return attributes;
        let result = attributes;
        for (const [name, text] of match) {
          // An optional group that did not take part reads as "" (Go's submatch).
          const value: AnyValue = { type: 'string', value: text ?? '' };
          const at = result.findIndex((kv) => kv.key === name);
          result = at === -1 ? [...result, { key: name, value }] : replaceAt(result, at, { key: name, value });
        }
        return result;
      };
    }
    case 'convert': {
      const { key, convertedType } = action;
      return (attributes) => {
        const at = attributes.findIndex((kv) => kv.key === key);
        if (at === -1) return attributes;
        const current = attributes[at]!.value;
        const converted = convertValue(current, convertedType);
        return converted === current ? attributes : replaceAt(attributes, at, { key, value: converted });
      };
    }
  }
}

function keyMatcher(key: string | undefined, pattern: string | undefined): (candidate: string) => boolean {
  const regexp = pattern === undefined ? undefined : compileGoRegexp(pattern);
  return (candidate) => candidate === key || (regexp !== undefined && regexp.test(candidate));
}

function find(attributes: readonly KeyValue[], key: string): KeyValue | undefined {
  return attributes.find((kv) => kv.key === key);
}

function replaceAt(attributes: readonly KeyValue[], at: number, entry: KeyValue): KeyValue[] {
  const copy = [...attributes];
  copy[at] = entry;
  return copy;
}
