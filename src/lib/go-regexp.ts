import { RE2JS, RE2JSException } from 're2js';

// Collector configs carry Go regular expressions (RE2 syntax): `pattern:` in the
// attributes and resource processors, IsMatch in OTTL conditions; the otlp
// receiver's CORS origin wildcards compile to one too, and meet a header any
// client writes. They run on re2js, a port of Go's regexp package, not on
// JavaScript's RegExp:
// - RE2 matches in time linear in the input; RegExp backtracks, and one span with
//   a 40-character value stalls the event loop on `(a+)+$` (issue 7, finding 2);
// - the syntax is Go's, so `(?P<name>...)`, `(?i)` anywhere, `(?U)`, `\A`, `\z`,
//   `\Q...\E`, `[[:alpha:]]` and `\p{Greek}` mean what the Collector's docs say,
//   and what RE2 refuses (lookarounds, backreferences, repeats above 1000) is
//   refused here too, at config load, as the Collector refuses it.
// PromQL and LogQL matchers (`=~`, `!~`, `|~`) are RE2 as well: they must compile
// through this module when they are added, never through `new RegExp`.

/** The pattern is not valid RE2 syntax; config loading reports it with its YAML path. */
export class GoRegexpError extends Error {
  readonly code = 'invalid_regexp';
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A compiled Go regexp. Immutable, so one instance serves every request. */
export interface GoRegexp {
  /** Number of capturing groups, named or not (Go's NumSubexp). */
  readonly groupCount: number;
  /** Names of the named groups, in the order they open in the pattern. */
  readonly groupNames: readonly string[];
  /** Whether the pattern matches anywhere in `text` (Go's MatchString). */
  test(text: string): boolean;
  /**
   * The named groups of the leftmost match, in pattern order, or undefined when it
   * does not match. A group that took no part in the match reads as undefined.
   */
  matchNamed(text: string): Array<[name: string, value: string | undefined]> | undefined;
  /** Every group of the leftmost match by number (0 = the whole match), or undefined (PromQL's label_replace). */
  submatches(text: string): Array<string | undefined> | undefined;
}

export function compileGoRegexp(pattern: string): GoRegexp {
  let re: RE2JS;
  try {
    // No flags: Go's regexp.Compile defaults (Perl classes, leftmost-first,
    // no lookbehinds). Inline flags in the pattern are parsed by re2js itself.
    re = RE2JS.compile(pattern);
  } catch (error) {
    if (error instanceof RE2JSException) {
      // re2js words its messages as Go does: "error parsing regexp: missing closing ): `(a`".
      throw new GoRegexpError(error.message, { cause: error });
    }
    throw error;
  }
  const groupNames = Object.entries(re.namedGroups())
    .sort(([, a], [, b]) => a - b)
    .map(([name]) => name);
  return {
    groupCount: re.groupCount(),
    groupNames,
    test: (text) => re.test(text),
    matchNamed(text) {
      const matcher = re.matcher(text);
      if (!matcher.find()) return undefined;
      return groupNames.map((name) => [name, matcher.group(name) ?? undefined]);
    },
    submatches(text) {
      const matcher = re.matcher(text);
      if (!matcher.find()) return undefined;
      const out: Array<string | undefined> = [];
      for (let i = 0; i <= re.groupCount(); i++) out.push(matcher.group(i) ?? undefined);
      return out;
    },
  };
}
