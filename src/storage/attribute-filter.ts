import type { AttributeFilter } from './api.ts';
import { ident } from './sql.ts';
import type { QueryParams } from './sql.ts';

// AttributeFilter -> a SQL condition over the typed attribute maps (see
// attribute-columns.ts). Semantics are those of api.ts: the key is looked up in
// the row's own attributes and in its resource's; `=` matches the string, the
// number (int or double) or the bool the value spells; `!=` means "exists and is
// not equal" (Tempo's `!=`); `>`/`<` compare int and double attributes.
//
// A missing key reads as the type's default ('', 0 or false), which would match
// `= ''` or `< 5`: a map lookup is guarded by mapContains exactly where the
// default meets the condition. Elsewhere the lookup alone decides, and it is the
// cheap part: with bucketed maps (migration 010) `m[k]` reads one bucket of keys
// and values, `mapContains` every bucket's keys (the EUR search's burst minute:
// 51 ms against 305 ms with both).

const NUMBER = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;
const INTEGER = /^[-+]?\d+$/;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

interface Numeric {
  /** Placeholder comparing against Int64 columns. */
  int: string;
  /** Placeholder comparing against Float64 columns. */
  double: string;
}

/** Binds the value as a number, when it is one. */
function bindNumber(text: string, params: QueryParams): Numeric | undefined {
  if (!NUMBER.test(text)) return undefined;
  const double = params.bind('Float64', Number(text));
  if (INTEGER.test(text)) {
    const n = BigInt(text);
    // Exact for every int64; ClickHouse compares Int64 with Float64 exactly otherwise.
    if (n >= INT64_MIN && n <= INT64_MAX) return { int: params.bind('Int64', n), double };
  }
  return { int: double, double };
}

/**
 * A condition for `filter` on a signal row (spans, logs, metric_points): its own
 * `Attributes*` maps, or its resource's `ResourceAttributes*` maps looked up in
 * resource_scopes (a small table; the subquery becomes a set of ids).
 */
export function attributeFilterSql(filter: AttributeFilter, params: QueryParams): string {
  const key = params.bind('String', filter.key);
  const str = params.bind('String', filter.value);
  const num = bindNumber(filter.value, params);
  const bool = filter.value === 'true' || filter.value === 'false' ? params.bind('Bool', filter.value === 'true') : undefined;
  const perSource = (prefix: string): string => {
    const col = (suffix: string) => ident(`${prefix}${suffix}`);
    const has = (suffix: string) => `mapContains(${col(suffix)}, ${key})`;
    /** `defaultMatches`: whether a missing key (read as the default) meets the comparison. */
    const test = (suffix: string, op: string, placeholder: string, defaultMatches: boolean) =>
      defaultMatches ? `(${has(suffix)} AND ${col(suffix)}[${key}] ${op} ${placeholder})` : `(${col(suffix)}[${key}] ${op} ${placeholder})`;
    const n = num === undefined ? undefined : Number(filter.value);

    const equal = (): string => {
      const alternatives = [test('String', '=', str, filter.value === '')];
      if (num !== undefined) alternatives.push(test('Int', '=', num.int, n === 0), test('Double', '=', num.double, n === 0));
      if (bool !== undefined) alternatives.push(test('Bool', '=', bool, filter.value === 'false'));
      return `(${alternatives.join(' OR ')})`;
    };

    switch (filter.op) {
      case '=':
        return equal();
      case '!=': {
        const exists = ['String', 'Int', 'Double', 'Bool', 'Json'].map(has).join(' OR ');
        return `((${exists}) AND NOT ${equal()})`;
      }
      case '>':
      case '<':
        // Not a number: nothing is greater or smaller than it.
        if (num === undefined) return '0';
        {
          const defaultMatches = filter.op === '>' ? 0 > n! : 0 < n!;
          return `(${test('Int', filter.op, num.int, defaultMatches)} OR ${test('Double', filter.op, num.double, defaultMatches)})`;
        }
    }
  };
  return (
    `(${perSource('Attributes')} OR ` +
    `ResourceScopeId IN (SELECT Id FROM resource_scopes WHERE ${perSource('ResourceAttributes')}))`
  );
}
