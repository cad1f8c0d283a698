// Collector configs carry Go (RE2) regular expressions: `pattern:` in the attributes
// and resource processors, IsMatch in OTTL conditions. This turns the RE2 syntax
// people copy from Collector docs into a JavaScript RegExp with the same meaning,
// or refuses it at load time when JavaScript would read it differently:
// - `(?P<name>...)` named groups become `(?<name>...)`;
// - leading flags `(?i)`, `(?s)`, `(?m)` become RegExp flags; flags anywhere else,
//   `(?U)` and `(?i:...)` groups are refused (Node 20 has no inline modifiers);
// - `\A` and `\z` become lookarounds for start and end of text;
// - `\pL` / `\p{Greek}` switch on the `u` flag;
// - `\Q...\E` and `[[:alpha:]]` classes are refused.
// One difference stays: RE2 runs in linear time, a JavaScript RegExp backtracks,
// so a pathological pattern can be slow. Patterns come from the operator's config,
// not from the data, so that is accepted.

export class GoRegexpError extends Error {
  readonly code = 'invalid_regexp';
}

export function compileGoRegexp(pattern: string): RegExp {
  let flags = '';
  let source = '';
  let i = 0;
  let inClass = false;
  const leading = /^\(\?([a-zA-Z]+)\)/.exec(pattern);
  if (leading) {
    for (const flag of leading[1]!) {
      if (flag !== 'i' && flag !== 'm' && flag !== 's') {
        throw new GoRegexpError(`regexp flag "${flag}" is not supported`);
      }
      if (!flags.includes(flag)) flags += flag;
    }
    i = leading[0].length;
  }
  while (i < pattern.length) {
    const char = pattern[i]!;
    if (char === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new GoRegexpError('trailing backslash');
      if (next === 'Q') throw new GoRegexpError('\\Q...\\E quoting is not supported');
      if (!inClass && next === 'A') {
        source += '(?<![\\s\\S])';
      } else if (!inClass && next === 'z') {
        source += '(?![\\s\\S])';
      } else if (next === 'p' || next === 'P') {
        if (!flags.includes('u')) flags += 'u';
        let name: string;
        if (pattern[i + 2] === '{') {
          const close = pattern.indexOf('}', i + 3);
          if (close === -1) throw new GoRegexpError(`incomplete \\${next}{...} class`);
          name = pattern.slice(i + 3, close);
          i = close - 1;
        } else {
          name = pattern[i + 2] ?? '';
          if (name === '') throw new GoRegexpError(`incomplete \\${next} class`);
          i += 1;
        }
        // RE2 takes general categories (L, Lu, Nd...) and script names (Greek);
        // JavaScript wants the latter spelled Script=Greek.
        source += `\\${next}{${name.length <= 2 ? name : `Script=${name}`}}`;
      } else {
        source += char + next;
      }
      i += 2;
      continue;
    }
    if (inClass) {
      if (char === '[' && pattern[i + 1] === ':') {
        throw new GoRegexpError('POSIX character classes such as [[:alpha:]] are not supported');
      }
      if (char === ']') inClass = false;
      source += char;
      i += 1;
      continue;
    }
    if (char === '[') {
      inClass = true;
      source += char;
      // A "]" right after "[" or "[^" is a literal in both syntaxes.
      if (pattern[i + 1] === '^') {
        source += '^';
        i += 1;
      }
      if (pattern[i + 1] === ']') {
        source += '\\]';
        i += 1;
      }
      i += 1;
      continue;
    }
    if (char === '(' && pattern[i + 1] === '?') {
      if (pattern.startsWith('(?P<', i)) {
        source += '(?<';
        i += 4;
        continue;
      }
      const after = pattern[i + 2];
      if (after !== ':' && after !== '<' && after !== '=' && after !== '!') {
        throw new GoRegexpError('inline flags are only supported at the start of the pattern, e.g. (?i)');
      }
    }
    source += char;
    i += 1;
  }
  try {
    return new RegExp(source, flags);
  } catch (error) {
    throw new GoRegexpError(`invalid regexp: ${(error as Error).message}`, { cause: error });
  }
}
