import { createHash } from 'node:crypto';
import type { ClickHouseClient } from '@clickhouse/client';
import type { InstrumentationScope, Resource } from '../pdata/model.ts';
import type { ReadOptions } from './api.ts';
import { attributeMapColumns, attributeMapsJson, attributeMapsOf, attributesFromMaps } from './attribute-columns.ts';
import { keyValuesFromJson, keyValuesJson, q } from './otlp-json.ts';
import type { Json } from './otlp-json.ts';
import { selectRows } from './read-query.ts';
import { QueryParams } from './sql.ts';

// Resources and scopes live once in `resource_scopes` (001_resource_scopes.sql);
// signal rows carry ServiceName and ResourceScopeId. The id is a 64-bit hash of
// the encoded row, so the same resource and scope always get the same id, in any
// process, with no lookup.

export const RESOURCE_SCOPE_COLUMNS = [
  'Id',
  'ServiceName',
  ...attributeMapColumns('ResourceAttributes'),
  'ResourceDroppedAttributesCount',
  'ResourceSchemaUrl',
  'ScopeName',
  'ScopeVersion',
  'ScopeAttributes',
  'ScopeDroppedAttributesCount',
  'ScopeSchemaUrl',
] as const;

/** The last columns of every signal table, in this order. */
export const ORIGIN_COLUMNS = ['ServiceName', 'ResourceScopeId'] as const;

/** `service.name` when it is a string attribute, else '' (the resource keeps the attribute either way). */
export function serviceNameOf(resource: Resource): string {
  for (const kv of resource.attributes) {
    if (kv.key === 'service.name' && kv.value.type === 'string') return kv.value.value;
  }
  return '';
}

/** A resource encoded once per ResourceX, for `encodeResourceScope`. */
export interface EncodedResource {
  serviceName: string;
  text: string;
}

export function encodeResource(resource: Resource, schemaUrl: string): EncodedResource {
  const serviceName = serviceNameOf(resource);
  return {
    serviceName,
    text: `${q(serviceName)},${attributeMapsJson(resource.attributes)},${resource.droppedAttributesCount},${q(schemaUrl)}`,
  };
}

export interface EncodedResourceScope {
  /** Decimal UInt64. */
  id: string;
  /** The resource_scopes row (JSONCompactEachRow, with its newline). */
  row: string;
  /** Closes a signal row: `,ServiceName,ResourceScopeId]\n`. */
  tail: string;
  /** `tail` as UTF-8, for the encoders that write bytes (row-buffer.ts). */
  tailBytes: Buffer;
}

/** Once per ScopeX: the row, its id, and the tail of each signal row under it. */
export function encodeResourceScope(resource: EncodedResource, scope: InstrumentationScope, schemaUrl: string): EncodedResourceScope {
  const columns =
    `${resource.text},${q(scope.name)},${q(scope.version)},${q(keyValuesJson(scope.attributes))},` +
    `${scope.droppedAttributesCount},${q(schemaUrl)}`;
  const id = createHash('md5').update(columns).digest().readBigUInt64BE(0).toString();
  const tail = `,${q(resource.serviceName)},${id}]\n`;
  return { id, row: `[${id},${columns}]\n`, tail, tailBytes: Buffer.from(tail) };
}

// ---------------------------------------------------------------- reading

type Row = Record<string, unknown>;

/**
 * resource_scopes rows already read, by id. An id is the hash of the row's
 * columns (encodeResourceScope), so a row never changes under its id, in any
 * database or tenant: a copy is as good as a read. It saves the second query of
 * every trace and log read (5-7 ms on a 10M-span store, most of a trace by id's
 * time besides the spans themselves). Bounded; the oldest entries go first.
 */
const knownRows = new Map<string, Row>();
const MAX_KNOWN_ROWS = 10_000;

/** resource_scopes rows by id (decimal string). */
export async function loadResourceScopes(
  client: ClickHouseClient,
  ids: Iterable<string>,
  options: ReadOptions | undefined,
): Promise<Map<string, Row>> {
  const found = new Map<string, Row>();
  const missing: bigint[] = [];
  for (const id of new Set(ids)) {
    const row = knownRows.get(id);
    if (row === undefined) missing.push(BigInt(id));
    else found.set(id, row);
  }
  if (missing.length === 0) return found;
  const p = new QueryParams();
  const rows = await selectRows<Row>(
    client,
    `SELECT ${RESOURCE_SCOPE_COLUMNS.join(', ')} FROM resource_scopes
     WHERE Id IN ${p.bind('Array(UInt64)', missing)}
     LIMIT 1 BY Id`,
    p,
    options,
  );
  for (const r of rows) {
    const id = String(r.Id);
    found.set(id, r);
    knownRows.set(id, r);
  }
  while (knownRows.size > MAX_KNOWN_ROWS) knownRows.delete(knownRows.keys().next().value!);
  return found;
}

/** Fetches the resource and scope of each row and merges their columns into it. */
export async function withResourceScopes<R extends Row>(
  client: ClickHouseClient,
  rows: readonly R[],
  options: ReadOptions | undefined,
): Promise<R[]> {
  const found = await loadResourceScopes(client, rows.map((r) => String(r.ResourceScopeId)), options);
  // A row whose resource is gone (TTL) reads with an empty resource and scope.
  return rows.map((r) => ({ ...(found.get(String(r.ResourceScopeId)) ?? EMPTY_RESOURCE_SCOPE), ...r }));
}

const EMPTY_RESOURCE_SCOPE: Row = {
  ResourceAttributesString: {},
  ResourceAttributesInt: {},
  ResourceAttributesDouble: {},
  ResourceAttributesBool: {},
  ResourceAttributesJson: {},
  ResourceDroppedAttributesCount: 0,
  ResourceSchemaUrl: '',
  ScopeName: '',
  ScopeVersion: '',
  ScopeAttributes: '[]',
  ScopeDroppedAttributesCount: 0,
  ScopeSchemaUrl: '',
};

const RESOURCE_KEY = [...attributeMapColumns('ResourceAttributes'), 'ResourceDroppedAttributesCount', 'ResourceSchemaUrl'];
const SCOPE_KEY = ['ScopeName', 'ScopeVersion', 'ScopeAttributes', 'ScopeDroppedAttributesCount', 'ScopeSchemaUrl'];

export interface StoredResource {
  resource: Resource;
  schemaUrl: string;
}

export interface StoredScope {
  scope: InstrumentationScope;
  schemaUrl: string;
}

export function resourceOf(row: Row): StoredResource {
  return {
    resource: {
      attributes: attributesFromMaps(attributeMapsOf(row, 'ResourceAttributes')),
      droppedAttributesCount: Number(row.ResourceDroppedAttributesCount),
    },
    schemaUrl: String(row.ResourceSchemaUrl),
  };
}

export function scopeOf(row: Row): StoredScope {
  return {
    scope: {
      name: String(row.ScopeName),
      version: String(row.ScopeVersion),
      attributes: keyValuesFromJson(JSON.parse(String(row.ScopeAttributes)) as Json),
      droppedAttributesCount: Number(row.ScopeDroppedAttributesCount),
    },
    schemaUrl: String(row.ScopeSchemaUrl),
  };
}

/**
 * Groups rows (with resource and scope columns merged in) under their resource,
 * then their scope, keeping first-seen order; `build` makes one ResourceX.
 */
export function groupByResourceScope<R extends Row, Out>(
  rows: readonly R[],
  build: (resource: StoredResource, scopes: { scope: StoredScope; rows: R[] }[]) => Out,
): Out[] {
  const resources = new Map<string, { row: R; scopes: Map<string, { row: R; rows: R[] }> }>();
  for (const row of rows) {
    const rk = JSON.stringify(RESOURCE_KEY.map((c) => row[c]));
    let r = resources.get(rk);
    if (r === undefined) resources.set(rk, (r = { row, scopes: new Map() }));
    const sk = JSON.stringify(SCOPE_KEY.map((c) => row[c]));
    let s = r.scopes.get(sk);
    if (s === undefined) r.scopes.set(sk, (s = { row, rows: [] }));
    s.rows.push(row);
  }
  return [...resources.values()].map((r) =>
    build(resourceOf(r.row), [...r.scopes.values()].map((s) => ({ scope: scopeOf(s.row), rows: s.rows }))),
  );
}
