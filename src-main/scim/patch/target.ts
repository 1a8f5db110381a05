/**
 * Where a PATCH operation writes (RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`),
 * resolved against the resource type's schemas, plus the reads and writes of the stored value
 * a target names. Everything is schema-driven: canonical names, extension containers and
 * mutability come from the attribute definitions.
 */
import { type AttributeDef, type SchemaDef, schemasAttribute } from '../schema/definitions.js';
import {
  type AttrPath,
  type ResolvedPath,
  type ResourceTypeDef,
  findCommonAttribute,
  findExtension,
  findSubAttribute,
  formatAttrPath,
  resolvePath,
} from '../schema/resource-types.js';
import { ScimError, invalidPath, mutability } from '../errors.js';
import type { CompValue, Filter, PatchPath } from '../filter/ast.js';
import { parsePatchPath } from '../filter/parser.js';
import { compileValueFilter } from '../filter/evaluate.js';
import { type ScimObject, type ScimValue, isObject } from '../resource.js';
import { type Notes, note } from '../leniency.js';

/** The working state of one PATCH request: a private copy of the resource and the request's notes. */
export interface PatchContext {
  readonly resource: ScimObject;
  readonly resourceType: ResourceTypeDef;
  readonly notes: Notes;
}

/** A `[...]` selection of elements of a multi-valued attribute. */
export interface ValueSelection {
  readonly filter: Filter;
  readonly matches: (element: unknown) => boolean;
}

/** An attribute, optionally narrowed to selected elements and/or one sub-attribute. */
export interface AttributeTarget {
  readonly kind: 'attribute';
  readonly attribute: AttributeDef;
  /** Sub-attribute of the single-valued complex attribute, or of each selected element. */
  readonly sub?: AttributeDef;
  /** Absent on a multi-valued attribute with `sub` set means "every element". */
  readonly selection?: ValueSelection;
  readonly schema: SchemaDef;
  readonly extension: boolean;
  /** How messages name the target: the client's path text, or the canonical path for path-less keys. */
  readonly label: string;
}

/** A whole extension schema named as the path, e.g. `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User`. */
export interface SchemaTarget {
  readonly kind: 'schema';
  readonly schema: SchemaDef;
  readonly label: string;
}

export type Target = AttributeTarget | SchemaTarget;

/**
 * resolvePath, plus one leniency: an unqualified name that is not a core or common attribute
 * may name an extension attribute when exactly one extension defines it. Entra's tutorial
 * ("Example 5", idp-traffic.md §1.3 "Manager"; entra-documented-requests.json
 * `set_manager_legacy_doc_example`) sends `{"op":"Add","path":"manager",...}` for the enterprise
 * manager. RFC 7644 §3.10 would require the URN prefix.
 */
export function resolveAttribute(context: PatchContext, path: AttrPath): ResolvedPath | undefined {
  const direct = resolvePath(context.resourceType, path);
  if (direct || path.uri !== undefined) return direct;
  const candidates: ResolvedPath[] = [];
  for (const { schema } of context.resourceType.extensions) {
    const resolved = resolvePath(context.resourceType, { ...path, uri: schema.id });
    if (resolved) candidates.push(resolved);
  }
  if (candidates.length !== 1) return undefined;
  const [resolved] = candidates;
  context.notes.push(
    note(
      'unqualified-extension-attribute',
      `"${formatAttrPath(path)}" is not a core attribute; read as "${resolved.schema.id}:${resolved.attribute.name}" (RFC 7644 §3.10 asks for the schema URI prefix)`,
    ),
  );
  return resolved;
}

function unknownAttribute(context: PatchContext, path: AttrPath): ScimError {
  return invalidPath(`"${formatAttrPath(path)}" is not an attribute of a ${context.resourceType.name}`);
}

/** Resolves an operation's `path` text. Throws invalidPath for anything the resource type does not define. */
export function resolveOperationPath(context: PatchContext, text: string): Target {
  const extension = findExtension(context.resourceType, text);
  if (extension) return { kind: 'schema', schema: extension, label: text };

  let parsed: PatchPath;
  try {
    parsed = parsePatchPath(text);
  } catch (error) {
    throw asPathError(error);
  }
  const { uri, name } = parsed.attribute;
  const attributePath: AttrPath = uri === undefined ? { name } : { uri, name };
  const base = resolveAttribute(context, attributePath);
  if (!base) throw unknownAttribute(context, attributePath);

  const subName = parsed.attribute.subAttr ?? parsed.subAttr;
  let sub: AttributeDef | undefined;
  if (subName !== undefined) {
    sub = findSubAttribute(base.attribute, subName);
    if (!sub) {
      throw invalidPath(
        base.attribute.subAttributes
          ? `"${base.attribute.name}" has no sub-attribute "${subName}"`
          : `"${base.attribute.name}" is not complex and has no sub-attribute "${subName}"`,
      );
    }
  }

  let selection: ValueSelection | undefined;
  if (parsed.valueFilter) {
    if (!base.attribute.multiValued) {
      throw invalidPath(`"${base.attribute.name}" is single-valued; a [filter] selects values of a multi-valued attribute`);
    }
    const attributeOnly: ResolvedPath = { attribute: base.attribute, schema: base.schema, extension: base.extension };
    try {
      selection = { filter: parsed.valueFilter, matches: compileValueFilter(parsed.valueFilter, context.resourceType, attributeOnly) };
    } catch (error) {
      throw asPathError(error);
    }
  }

  return {
    kind: 'attribute',
    attribute: base.attribute,
    ...(sub ? { sub } : {}),
    ...(selection ? { selection } : {}),
    schema: base.schema,
    extension: base.extension,
    label: text,
  };
}

/** In a PATCH the filter is part of the path, so a bad filter is a bad path (RFC 7644 §3.5.2, "invalidPath"). */
function asPathError(error: unknown): unknown {
  if (error instanceof ScimError && error.scimType === 'invalidFilter') return invalidPath(error.detail);
  return error;
}

/** The read-only attributes a path-less value may echo harmlessly (see applyValueObject in patch.ts). */
export const ID_ATTRIBUTE = findCommonAttribute('id') as AttributeDef;
export const META_ATTRIBUTE = findCommonAttribute('meta') as AttributeDef;
export const SCHEMAS_ATTRIBUTE: AttributeDef = schemasAttribute;

/** readOnly anywhere on the target is a 400 mutability (RFC 7644 §3.5.2: "mutability" error). */
export function assertWritable(target: AttributeTarget): void {
  if (target.attribute.mutability === 'readOnly') {
    throw mutability(`"${target.attribute.name}" is read-only and cannot be modified`);
  }
  if (target.sub?.mutability === 'readOnly') {
    throw mutability(`"${target.attribute.name}.${target.sub.name}" is read-only and cannot be modified`);
  }
}

/** The object holding the target attribute: the resource, or the extension object under its URI. */
function container(context: PatchContext, target: AttributeTarget): ScimObject | undefined {
  if (!target.extension) return context.resource;
  const value = context.resource[target.schema.id];
  return isObject(value) ? value : undefined;
}

export function readValue(context: PatchContext, target: AttributeTarget): ScimValue | undefined {
  const value = container(context, target)?.[target.attribute.name];
  return value === null ? undefined : value;
}

/** The stored elements of a multi-valued target (a stray single value is read as one element). */
export function readElements(context: PatchContext, target: AttributeTarget): ScimValue[] {
  const value = readValue(context, target);
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isEmpty(value: ScimValue | undefined): boolean {
  return (
    value === undefined ||
    value === null ||
    (Array.isArray(value) && value.length === 0) ||
    (isObject(value) && Object.keys(value).length === 0)
  );
}

/**
 * Stores a value, or unassigns the attribute when the value is empty: RFC 7643 §2.5 treats
 * null, [] and {} as unassigned, so the key is deleted (and an extension object left empty too).
 */
export function writeValue(context: PatchContext, target: AttributeTarget, value: ScimValue | undefined): void {
  const name = target.attribute.name;
  if (!target.extension) {
    if (isEmpty(value)) delete context.resource[name];
    else context.resource[name] = value;
    return;
  }
  const id = target.schema.id;
  const existing = context.resource[id];
  if (isEmpty(value)) {
    if (!isObject(existing)) return;
    delete existing[name];
    if (Object.keys(existing).length === 0) delete context.resource[id];
    return;
  }
  if (isObject(existing)) existing[name] = value;
  else context.resource[id] = { [name]: value };
}

/** `type eq "work" and primary eq true` → {type: "work", primary: true}; undefined for anything else. */
export function equalityTerms(
  attribute: AttributeDef,
  filter: Filter,
  terms: Map<string, CompValue> = new Map(),
): Map<string, CompValue> | undefined {
  if (filter.kind === 'and') {
    const left = equalityTerms(attribute, filter.left, terms);
    return left && equalityTerms(attribute, filter.right, left);
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || filter.value === null) return undefined;
  const sub = subAttributeOf(attribute, filter.path);
  if (!sub) return undefined;
  const previous = terms.get(sub.name);
  if (previous !== undefined && previous !== filter.value) return undefined;
  terms.set(sub.name, filter.value);
  return terms;
}

/** Inside `[...]` a path names a sub-attribute (`type`), or repeats the attribute (`emails.type`). */
function subAttributeOf(attribute: AttributeDef, path: AttrPath): AttributeDef | undefined {
  if (path.subAttr === undefined) return findSubAttribute(attribute, path.name);
  if (path.name.toLowerCase() !== attribute.name.toLowerCase()) return undefined;
  return findSubAttribute(attribute, path.subAttr);
}
