import { readFile } from 'node:fs/promises';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { ConfigError } from './collector-config.ts';
import { EnvExpansionError, expandEnv } from './expand-env.ts';

/** Reads a Collector YAML file and expands its environment references. */
export async function loadConfigFile(
  file: string,
  env: Readonly<Record<string, string | undefined>>,
): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError([`${file}: cannot read: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`]);
  }
  return parseConfigText(text, env, file);
}

export function parseConfigText(
  text: string,
  env: Readonly<Record<string, string | undefined>>,
  source = 'configuration',
): unknown {
  try {
    return expandEnv(parseYaml(text), env);
  } catch (error) {
    if (error instanceof YAMLParseError) throw new ConfigError([`${source}: invalid YAML: ${error.message}`]);
    if (error instanceof EnvExpansionError) throw new ConfigError([error.message]);
    throw error;
  }
}
