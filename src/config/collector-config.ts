import type { z } from 'zod';
import type {
  ComponentId,
  ComponentKind,
  ExporterFactory,
  ExtensionFactory,
  ProcessorFactory,
  ReceiverFactory,
} from '../component/component.ts';
import { formatComponentId, parseComponentId } from '../component/component.ts';
import type { Signal } from '../pdata/model.ts';

// Collector YAML (receivers, processors, exporters, extensions, service.pipelines)
// checked in one pass before anything listens, and resolved into a frozen config
// whose component configs are already typed by their factories. Every problem is
// reported, each prefixed by the YAML path at fault.

export class ConfigError extends Error {
  readonly code = 'invalid_config';
  constructor(readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }
}

export interface FactoryRegistry {
  receivers: ReadonlyMap<string, ReceiverFactory<unknown>>;
  processors: ReadonlyMap<string, ProcessorFactory<unknown>>;
  exporters: ReadonlyMap<string, ExporterFactory<unknown>>;
  extensions: ReadonlyMap<string, ExtensionFactory<unknown>>;
}

export interface ResolvedComponent<F> {
  readonly id: ComponentId;
  readonly key: string;
  readonly factory: F;
  readonly config: unknown;
}

export interface PipelineSpec {
  /** "traces", "traces/2"... */
  readonly id: string;
  readonly signal: Signal;
  readonly receivers: readonly string[];
  readonly processors: readonly string[];
  readonly exporters: readonly string[];
}

export interface ResolvedConfig {
  readonly receivers: ReadonlyMap<string, ResolvedComponent<ReceiverFactory<unknown>>>;
  readonly processors: ReadonlyMap<string, ResolvedComponent<ProcessorFactory<unknown>>>;
  readonly exporters: ReadonlyMap<string, ResolvedComponent<ExporterFactory<unknown>>>;
  readonly extensions: ReadonlyMap<string, ResolvedComponent<ExtensionFactory<unknown>>>;
  readonly serviceExtensions: readonly string[];
  readonly pipelines: readonly PipelineSpec[];
}

type Section = 'receivers' | 'processors' | 'exporters' | 'extensions';
const sections: readonly Section[] = ['receivers', 'processors', 'exporters', 'extensions'];
const kindOf: Record<Section, ComponentKind> = {
  receivers: 'receiver',
  processors: 'processor',
  exporters: 'exporter',
  extensions: 'extension',
};

/** `processors."batch/fast"`: keys that are not plain identifiers are quoted. */
export function yamlPath(...parts: (string | number)[]): string {
  return parts
    .map((p, i) => {
      if (typeof p === 'number') return `[${p}]`;
      const key = /^[A-Za-z_][\w-]*$/.test(p) ? p : `"${p}"`;
      return i === 0 ? key : `.${key}`;
    })
    .join('')
    .replace(/\.\[/g, '[');
}

export function resolveCollectorConfig(raw: unknown, registry: FactoryRegistry): ResolvedConfig {
  const problems: string[] = [];
  if (!isMapping(raw)) throw new ConfigError(['the configuration must be a YAML mapping with receivers, exporters and service.pipelines']);
  for (const key of Object.keys(raw)) {
    if (key === 'connectors' && (raw[key] === null || (isMapping(raw[key]) && Object.keys(raw[key]).length === 0))) continue;
    if (![...sections, 'service'].includes(key)) {
      problems.push(`${yamlPath(key)}: unknown section; expected receivers, processors, exporters, extensions or service`);
    }
  }

  const resolved = {
    receivers: resolveSection('receivers', raw.receivers, registry.receivers, problems),
    processors: resolveSection('processors', raw.processors, registry.processors, problems),
    exporters: resolveSection('exporters', raw.exporters, registry.exporters, problems),
    extensions: resolveSection('extensions', raw.extensions, registry.extensions, problems),
  };

  const service = raw.service;
  const pipelines: PipelineSpec[] = [];
  let serviceExtensions: string[] = [];
  if (!isMapping(service)) {
    problems.push('service: required, with service.pipelines');
  } else {
    serviceExtensions = stringList(service.extensions, 'service.extensions', problems);
    for (const name of serviceExtensions) {
      if (!resolved.extensions.has(name)) problems.push(`service.extensions: extension '${name}' is not defined`);
    }
    if (!isMapping(service.pipelines) || Object.keys(service.pipelines).length === 0) {
      problems.push('service.pipelines: at least one pipeline is required');
    } else {
      // A component that is declared but invalid has its own problem already;
      // only names declared nowhere are reported again by the pipelines.
      const declared = (section: Section) => new Set(isMapping(raw[section]) ? Object.keys(raw[section]) : []);
      const known = { receivers: declared('receivers'), processors: declared('processors'), exporters: declared('exporters') };
      for (const [id, body] of Object.entries(service.pipelines)) {
        const pipeline = resolvePipeline(id, body, known, problems);
        if (pipeline) pipelines.push(pipeline);
      }
    }
  }
  // A persistent sending queue names its storage extension, as in the Collector.
  for (const [key, exporter] of resolved.exporters) {
    const storage = (exporter.config as { queue?: { storage?: string } } | undefined)?.queue?.storage;
    if (storage === undefined) continue;
    if (!resolved.extensions.has(storage)) {
      problems.push(`${yamlPath('exporters', key)}.sending_queue.storage: extension '${storage}' is not defined`);
    } else if (!serviceExtensions.includes(storage)) {
      problems.push(`${yamlPath('exporters', key)}.sending_queue.storage: extension '${storage}' must be listed in service.extensions`);
    }
  }
  // auth.authenticator names an extension that is defined, started, and of a
  // kind that can authenticate that side (the Collector fails at start instead).
  const references: { path: string; key: string; needs: 'server_auth' | 'client_auth' }[] = [];
  for (const [key, receiver] of resolved.receivers) {
    const protocols = receiver.config as Partial<Record<'grpc' | 'http', { authenticator?: string } | undefined>> | undefined;
    for (const protocol of ['grpc', 'http'] as const) {
      const name = protocols?.[protocol]?.authenticator;
      if (name !== undefined) references.push({ path: `${yamlPath('receivers', key)}.protocols.${protocol}.auth.authenticator`, key: name, needs: 'server_auth' });
    }
  }
  for (const [key, exporter] of resolved.exporters) {
    const name = (exporter.config as { authenticator?: string } | undefined)?.authenticator;
    if (name !== undefined) references.push({ path: `${yamlPath('exporters', key)}.auth.authenticator`, key: name, needs: 'client_auth' });
  }
  for (const { path, key, needs } of references) {
    const extension = resolved.extensions.get(key);
    if (extension === undefined) {
      if (!(isMapping(raw.extensions) && key in raw.extensions)) problems.push(`${path}: extension '${key}' is not defined`);
    } else if (!serviceExtensions.includes(key)) {
      problems.push(`${path}: extension '${key}' must be listed in service.extensions`);
    } else if (!(extension.factory.provides ?? []).includes(needs)) {
      problems.push(`${path}: extension '${key}' is not a ${needs === 'server_auth' ? 'server' : 'client'} authenticator`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return Object.freeze({
    receivers: resolved.receivers,
    processors: resolved.processors,
    exporters: resolved.exporters,
    extensions: resolved.extensions,
    serviceExtensions,
    pipelines,
  });
}

function resolveSection<F extends { type: string; configSchema: z.ZodType<unknown> }>(
  section: Section,
  value: unknown,
  factories: ReadonlyMap<string, F>,
  problems: string[],
): Map<string, ResolvedComponent<F>> {
  const out = new Map<string, ResolvedComponent<F>>();
  if (value === undefined || value === null) return out;
  if (!isMapping(value)) {
    problems.push(`${section}: must be a mapping of component ids to their settings`);
    return out;
  }
  for (const [key, componentValue] of Object.entries(value)) {
    const path = yamlPath(section, key);
    const id = parseComponentId(key);
    if (!id) {
      problems.push(`${path}: invalid id; expected "type" or "type/name"`);
      continue;
    }
    const factory = factories.get(id.type);
    if (!factory) {
      const supported = [...factories.keys()].sort().join(', ');
      problems.push(`${path}: unknown ${kindOf[section]} type "${id.type}"; supported: ${supported}`);
      continue;
    }
    const parsed = factory.configSchema.safeParse(componentValue);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) problems.push(describeIssue(path, issue, componentValue));
      continue;
    }
    out.set(key, { id, key: formatComponentId(id), factory, config: parsed.data });
  }
  return out;
}

/** Zod's "expected string, received undefined" reads as `'endpoint' is required`. */
function describeIssue(path: string, issue: z.core.$ZodIssue, value: unknown): string {
  const segments = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
  const last = segments.at(-1);
  if (issue.code === 'invalid_type' && typeof last === 'string' && valueAt(value, segments) === undefined) {
    const parent = segments.slice(0, -1);
    return `${parent.length === 0 ? path : `${path}.${yamlPath(...parent)}`}: '${last}' is required`;
  }
  if (issue.code === 'unrecognized_keys') {
    const where = segments.length === 0 ? path : `${path}.${yamlPath(...segments)}`;
    return `${where}: unknown option${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')}`;
  }
  return `${segments.length === 0 ? path : `${path}.${yamlPath(...segments)}`}: ${issue.message}`;
}

function valueAt(value: unknown, path: (string | number)[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[key];
  }
  return current;
}

function resolvePipeline(
  id: string,
  body: unknown,
  declared: { receivers: Set<string>; processors: Set<string>; exporters: Set<string> },
  problems: string[],
): PipelineSpec | undefined {
  const path = yamlPath('service', 'pipelines', id);
  const match = /^(traces|metrics|logs)(?:\/(.+))?$/.exec(id);
  if (!match) {
    problems.push(`${path}: unknown signal; a pipeline id is traces, metrics or logs, optionally followed by /name`);
    return undefined;
  }
  if (!isMapping(body)) {
    problems.push(`${path}: must have receivers and exporters`);
    return undefined;
  }
  const lists = {
    receivers: stringList(body.receivers, `${path}.receivers`, problems),
    processors: stringList(body.processors, `${path}.processors`, problems),
    exporters: stringList(body.exporters, `${path}.exporters`, problems),
  };
  for (const key of Object.keys(body)) {
    if (!(key in lists)) problems.push(`${path}: unknown option '${key}'`);
  }
  if (lists.receivers.length === 0) problems.push(`${path}: must have at least one receiver`);
  if (lists.exporters.length === 0) problems.push(`${path}: must have at least one exporter`);
  const singular = { receivers: 'receiver', processors: 'processor', exporters: 'exporter' } as const;
  for (const kind of ['receivers', 'processors', 'exporters'] as const) {
    const seen = new Set<string>();
    for (const name of lists[kind]) {
      if (!declared[kind].has(name)) problems.push(`${path}: ${singular[kind]} '${name}' is not defined`);
      if (seen.has(name)) problems.push(`${path}: ${singular[kind]} '${name}' is listed twice`);
      seen.add(name);
    }
  }
  return { id, signal: match[1] as Signal, ...lists };
}

function stringList(value: unknown, path: string, problems: string[]): string[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.push(`${path}: must be a list of component ids`);
    return [];
  }
  return value;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
