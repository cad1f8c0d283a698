import { segment, within } from './decode-error.ts';
import { UnstorableValueError } from './decode-refusals.ts';
import type { DecodeRefusals } from './decode-refusals.ts';
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
  /** The refusal unit in a decoded item: 1 for a span or log record, a metric's data points. */
  units(item: Item): number;
  /** Moves past the item at the reader (on its length prefix) and returns its units. */
  skipItem(r: ProtoReader): number;
  scopeGroup(scope: InstrumentationScope, items: Item[], schemaUrl: string): ScopeGroup;
  resourceGroup(resource: Resource, scopes: ScopeGroup[], schemaUrl: string): ResourceGroup;
}

const KNOWN = knownFields(['', 'a', 'b', 'c']);

/**
 * Decodes XData bytes. With `refusals`, an item holding a value storage cannot
 * keep (UnstorableValueError) is left out and reported there, and a bad resource
 * or scope takes every item under it along; without, it fails the decode.
 */
export function decodeEnvelope<I, S, R>(bytes: Uint8Array, shape: EnvelopeShape<I, S, R>, refusals?: DecodeRefusals): R[] {
  const r = new ProtoReader(bytes);
  r.refusals = refusals;
  const groups: R[] = [];
  let index = 0;
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 10) {
        r.resourceIndex = index;
        const group = decodeResourceGroup(r, shape);
        index++;
        if (group !== undefined) groups.push(group);
      } else r.skip(tag, 2);
    }
  } catch (error) {
    throw within(error, tag >>> 3 === 1 ? segment(shape.names[0], tag === 10 ? index : -1) : '');
  }
  return groups;
}

/** `resourceSpans[0].scopeSpans[1].spans[2]` for the item being decoded (its indices are on the reader). */
export function itemPath(r: ProtoReader, names: readonly [string, string, string]): string {
  return `${names[0]}[${r.resourceIndex}].${names[1]}[${r.scopeIndex}].${names[2]}[${r.itemIndex}]`;
}

/** skipItem for signals whose item is the unit (spans, log records). */
export function skipOne(r: ProtoReader): number {
  r.skipMessage();
  return 1;
}

/** Whether `error` is a value to refuse an item for, rather than a reason to fail the decode. */
export function refusable(error: unknown, r: ProtoReader): error is UnstorableValueError {
  return error instanceof UnstorableValueError && r.refusals !== undefined;
}

function decodeResourceGroup<I, S, R>(r: ProtoReader, shape: EnvelopeShape<I, S, R>): R | undefined {
  const outer = r.enter();
  const groupEnd = r.end;
  const resource = emptyResource();
  const scopes: S[] = [];
  let kept = 0;
  let refused: UnstorableValueError | undefined;
  let schemaUrl = '';
  let index = 0;
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      if (tag === 18) {
        r.scopeIndex = index;
        const group = decodeScopeGroup(r, shape);
        index++;
        if (group !== undefined) {
          scopes.push(group.scopeGroup);
          kept += group.kept;
        }
        continue;
      }
      const fieldStart = r.pos;
      try {
        if (tag === 10) decodeResource(r, resource);
        else if (tag === 26) schemaUrl = r.string();
        else r.skip(tag, KNOWN);
      } catch (error) {
        if (!refusable(error, r)) throw error;
        r.resetTo(fieldStart, groupEnd);
        r.skipMessage();
        refused ??= error.within(tag === 10 ? 'resource' : 'schemaUrl');
      }
    }
  } catch (error) {
    throw within(error, tag === 18 ? segment(shape.names[1], index) : fieldName(['', 'resource', shape.names[1], 'schemaUrl'], tag));
  }
  r.leave(outer);
  if (refused !== undefined) {
    r.refusals!.refuse(segment(shape.names[0], r.resourceIndex), refused, kept);
    return undefined;
  }
  return shape.resourceGroup(resource, scopes, schemaUrl);
}

function decodeScopeGroup<I, S, R>(r: ProtoReader, shape: EnvelopeShape<I, S, R>): { scopeGroup: S; kept: number } | undefined {
  const outer = r.enter();
  const groupEnd = r.end;
  const scope = emptyScope();
  const items: I[] = [];
  let kept = 0;
  let refused: UnstorableValueError | undefined;
  let schemaUrl = '';
  let index = 0;
  let tag = 0;
  try {
    while (r.pos < r.end) {
      tag = r.uint32();
      const fieldStart = r.pos;
      try {
        if (tag === 18) {
          r.itemIndex = index;
          if (r.refusals !== undefined) r.refusals.unitsRefusedInItem = 0;
          const item = shape.decodeItem(r);
          index++;
          items.push(item);
          kept += shape.units(item);
        } else if (tag === 10) decodeScope(r, scope);
        else if (tag === 26) schemaUrl = r.string();
        else r.skip(tag, KNOWN);
      } catch (error) {
        if (!refusable(error, r)) throw error;
        r.resetTo(fieldStart, groupEnd);
        if (tag === 18) {
          // The item's units minus those it already refused one by one (data points).
          const units = shape.skipItem(r) - r.refusals!.unitsRefusedInItem;
          r.refusals!.refuse(itemPath(r, shape.names), error, units);
          index++;
        } else {
          r.skipMessage();
          refused ??= error.within(tag === 10 ? 'scope' : 'schemaUrl');
        }
      }
    }
  } catch (error) {
    throw within(error, tag === 18 ? segment(shape.names[2], index) : fieldName(['', 'scope', shape.names[2], 'schemaUrl'], tag));
  }
  r.leave(outer);
  if (refused !== undefined) {
    r.refusals!.refuse(`${shape.names[0]}[${r.resourceIndex}].${shape.names[1]}[${r.scopeIndex}]`, refused, kept);
    return undefined;
  }
  return { scopeGroup: shape.scopeGroup(scope, items, schemaUrl), kept };
}
