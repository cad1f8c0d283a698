import { segment, within } from './decode-error.ts';
import type { InstrumentationScope, Resource } from './model.ts';
import { decodeResource, decodeScope, emptyResource, emptyScope, fieldName, knownFields } from './proto-decode-common.ts';
import { ProtoReader } from './protobuf-reader.ts';

// The resource/scope envelope shared by the three signals: XData { 1 repeated
// ResourceX }, ResourceX { 1 resource, 2 repeated ScopeX, 3 schema_url }, ScopeX
// { 1 scope, 2 repeated item, 3 schema_url }. The field numbers are the same in
// trace.proto, metrics.proto and logs.proto, and ExportXServiceRequest is
// wire-identical to XData. ResourceX field 1000 (the pre-1.0
// InstrumentationLibraryX) is reserved and skipped like any unknown field.

export interface EnvelopeShape<Item, ScopeGroup, ResourceGroup> {
  /** Field names for error paths: e.g. resourceSpans, scopeSpans, spans. */
  readonly names: readonly [string, string, string];
  /** Decodes one item; called on its length prefix. */
  decodeItem(r: ProtoReader): Item;
  scopeGroup(scope: InstrumentationScope, items: Item[], schemaUrl: string): ScopeGroup;
  resourceGroup(resource: Resource, scopes: ScopeGroup[], schemaUrl: string): ResourceGroup;
}

const KNOWN = knownFields(['', 'a', 'b', 'c']);

export function decodeEnvelope<I, S, R>(bytes: Uint8Array, shape: EnvelopeShape<I, S, R>): R[] {
  const r = new ProtoReader(bytes);
  const groups: R[] = [];
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 10) groups.push(decodeResourceGroup(r, shape));
      else r.skip(tag, 2);
    }
  } catch (error) {
    throw within(error, tag >>> 3 === 1 ? segment(shape.names[0], tag === 10 ? groups.length : -1) : '');
  }
  return groups;
}

function decodeResourceGroup<I, S, R>(r: ProtoReader, shape: EnvelopeShape<I, S, R>): R {
  const outer = r.enter();
  const resource = emptyResource();
  const scopes: S[] = [];
  let schemaUrl = '';
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 10) decodeResource(r, resource);
      else if (tag === 18) scopes.push(decodeScopeGroup(r, shape));
      else if (tag === 26) schemaUrl = r.string();
      else r.skip(tag, KNOWN);
    }
  } catch (error) {
    throw within(error, tag === 18 ? segment(shape.names[1], scopes.length) : fieldName(['', 'resource', shape.names[1], 'schemaUrl'], tag));
  }
  r.leave(outer);
  return shape.resourceGroup(resource, scopes, schemaUrl);
}

function decodeScopeGroup<I, S, R>(r: ProtoReader, shape: EnvelopeShape<I, S, R>): S {
  const outer = r.enter();
  const scope = emptyScope();
  const items: I[] = [];
  let schemaUrl = '';
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 18) items.push(shape.decodeItem(r));
      else if (tag === 10) decodeScope(r, scope);
      else if (tag === 26) schemaUrl = r.string();
      else r.skip(tag, KNOWN);
    }
  } catch (error) {
    throw within(error, tag === 18 ? segment(shape.names[2], items.length) : fieldName(['', 'scope', shape.names[2], 'schemaUrl'], tag));
  }
  r.leave(outer);
  return shape.scopeGroup(scope, items, schemaUrl);
}
