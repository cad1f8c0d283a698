import { compileGoRegexp, GoRegexpError } from '../../lib/go-regexp.ts';
import { badData } from './errors.ts';
import type { LabelMatcher } from './plan.ts';

// Label matchers. Regexes are RE2 (Prometheus uses Go's regexp) run on re2js
// (lib/go-regexp.ts), and fully anchored as Prometheus anchors them
// (labels.NewFastRegexMatcher: "^(?:" + v + ")$"); ClickHouse's match() is RE2
// too and gets the same anchored pattern, bound as a parameter.

export function anchoredPattern(value: string): string {
  return `^(?:${value})$`;
}

export function compileMatcher(m: LabelMatcher): (value: string) => boolean {
  switch (m.op) {
    case '=':
      return (v) => v === m.value;
    case '!=':
      return (v) => v !== m.value;
    case '=~':
    case '!~': {
      let re;
      try {
        re = compileGoRegexp(anchoredPattern(m.value));
      } catch (error) {
        if (error instanceof GoRegexpError) throw badData(`invalid regular expression in matcher ${m.name}${m.op}"${m.value}": ${error.message}`, { cause: error });
        throw error;
      }
      return m.op === '=~' ? (v) => re.test(v) : (v) => !re.test(v);
    }
  }
}

export function matchesEmpty(m: LabelMatcher): boolean {
  return compileMatcher(m)('');
}
