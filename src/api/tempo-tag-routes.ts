import type { Hono } from 'hono';
import type { TelemetryReader } from '../storage/api.ts';
import type { AttributeScope } from '../storage/view-api.ts';
import { ParameterError } from './errors.ts';
import { rangeSeconds } from './tempo-params.ts';

// Tempo's tag autocomplete (api_docs: /api/search/tags, /api/v2/search/tags,
// /api/search/tag/{tag}/values, /api/v2/search/tag/{tag}/values) over the
// attribute keys and values the web UI's autocomplete reads (attribute-values-sql.ts).

/** The intrinsics this server evaluates, as Tempo's v2 tags lists them. */
const INTRINSICS = ['duration', 'kind', 'name', 'rootName', 'rootServiceName', 'status', 'statusMessage', 'traceDuration'];
const STATUS_VALUES = ['error', 'ok', 'unset'];
const KIND_VALUES = ['unspecified', 'internal', 'server', 'client', 'producer', 'consumer'];
const MAX_TAGS = 1000;
const TYPE_NAMES: Record<string, string> = { string: 'string', int: 'int', double: 'float', bool: 'bool' };

export function mountTempoTags(app: Hono, options: { reader: TelemetryReader; nowNs: () => bigint }): void {
  const { reader, nowNs } = options;
  const scopeParam = (text: string | undefined): AttributeScope | 'intrinsic' | undefined => {
    if (text === undefined || text === '' || text === 'none' || text === 'all') return undefined;
    if (text === 'span' || text === 'resource' || text === 'intrinsic') return text;
    throw new ParameterError('scope', 'expected span, resource, intrinsic or none');
  };
  const keys = async (c: { req: { query(n: string): string | undefined; raw: Request } }, scope: AttributeScope) => {
    const range = rangeSeconds((n) => c.req.query(n), nowNs());
    const rows = await reader.attributeKeys({ ...range, scope, limit: MAX_TAGS }, { signal: c.req.raw.signal });
    return rows.map((r) => r.key).sort();
  };

  app.get('/api/search/tags', async (c) => {
    const scope = scopeParam(c.req.query('scope'));
    if (scope === 'intrinsic') return c.json({ tagNames: INTRINSICS });
    const names = new Set<string>();
    for (const s of scope === undefined ? (['span', 'resource'] as const) : [scope]) for (const k of await keys(c, s)) names.add(k);
    return c.json({ tagNames: [...names].sort() });
  });

  app.get('/api/v2/search/tags', async (c) => {
    const scope = scopeParam(c.req.query('scope'));
    const scopes: { name: string; tags: string[] }[] = [];
    for (const s of ['resource', 'span'] as const) if (scope === undefined || scope === s) scopes.push({ name: s, tags: await keys(c, s) });
    if (scope === undefined || scope === 'intrinsic') scopes.push({ name: 'intrinsic', tags: INTRINSICS });
    return c.json({ scopes });
  });

  const values = async (c: { req: { query(n: string): string | undefined; raw: Request } }, tag: string): Promise<{ type: string; value: string }[]> => {
    const range = rangeSeconds((n) => c.req.query(n), nowNs());
    const signal = c.req.raw.signal;
    if (tag === 'status') return STATUS_VALUES.map((value) => ({ type: 'keyword', value }));
    if (tag === 'kind') return KIND_VALUES.map((value) => ({ type: 'keyword', value }));
    if (tag === 'name') return (await reader.spanNames(range, MAX_TAGS, { signal })).map((value) => ({ type: 'string', value }));
    if (tag === 'rootServiceName') tag = 'resource.service.name';
    const scoped = /^(span|resource)?\.(.+)$/.exec(tag) ?? /^(span|resource)\.(.+)$/.exec(tag);
    const [scopes, key] = scoped === null ? [['span', 'resource'] as const, tag] : [scoped[1] === undefined ? (['span', 'resource'] as const) : [scoped[1] as AttributeScope], scoped[2]!];
    const seen = new Map<string, { type: string; value: string }>();
    for (const scope of scopes) {
      for (const v of await reader.attributeValues({ ...range, scope, key, limit: MAX_TAGS }, { signal })) {
        const type = TYPE_NAMES[v.type] ?? 'string';
        seen.set(`${type}:${v.value}`, { type, value: v.value });
      }
    }
    return [...seen.values()];
  };

  // v1 takes the bare attribute key (service.name); v2 the scoped TraceQL name (resource.service.name).
  app.get('/api/search/tag/:tag/values', async (c) => {
    const list = await values(c, c.req.param('tag'));
    return c.json({ tagValues: [...new Set(list.map((v) => v.value))] });
  });
  app.get('/api/v2/search/tag/:tag/values', async (c) => {
    const tag = c.req.param('tag');
    if (!/^(span\.|resource\.|\.)/.test(tag) && !INTRINSICS.includes(tag)) throw new ParameterError('tag', `expected a scoped attribute (span.x, resource.x, .x) or an intrinsic (${INTRINSICS.join(', ')})`);
    return c.json({ tagValues: await values(c, tag) });
  });
}
