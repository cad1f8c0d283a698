import { parse as parseYaml } from 'yaml';

// Environment references in Collector YAML (confmap "env" provider): `${env:VAR}`,
// `${VAR}`, and `${env:VAR:-default}`; `$$` writes a literal `$`. Expansion works
// on parsed string values, never on the raw text, so a variable cannot inject
// YAML structure; a value that is exactly one reference is re-read as a YAML
// scalar so `port: ${env:PORT}` gives a number, as the Collector does.

export class EnvExpansionError extends Error {
  readonly code = 'env_expansion';
}

const reference = /\$\$|\$\{(?:env:)?([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const wholeReference = /^\$\{(?:env:)?[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

export function expandEnv(
  value: unknown,
  env: Readonly<Record<string, string | undefined>>,
  path: string[] = [],
): unknown {
  if (typeof value === 'string') return expandString(value, env, path);
  if (Array.isArray(value)) return value.map((item, i) => expandEnv(item, env, [...path, String(i)]));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([key, item]) => [key, expandEnv(item, env, [...path, key])]),
    );
  }
  return value;
}

function expandString(text: string, env: Readonly<Record<string, string | undefined>>, path: string[]): unknown {
  if (!text.includes('$')) return text;
  // Checked on the source text: a variable's value may itself contain "${".
  if (/\$\{[^}]*\}/.test(text.replace(reference, ''))) {
    throw new EnvExpansionError(`${path.join('.')}: unsupported reference in "${text}": use \${env:VAR} or \${env:VAR:-default}`);
  }
  const expanded = text.replace(reference, (match, name: string | undefined, fallback: string | undefined) => {
    if (match === '$$') return '$';
    const found = env[name!];
    if (found !== undefined && found !== '') return found;
    // The Collector expands an unset variable to an empty string (with a warning);
    // ":-" gives the default instead.
    return fallback ?? '';
  });
  if (!wholeReference.test(text)) return expanded;
  try {
    const scalar: unknown = parseYaml(expanded);
    return scalar === null || typeof scalar === 'object' ? expanded : scalar;
  } catch {
    return expanded;
  }
}
