/**
 * `attributes` and `excludedAttributes` (RFC 7644 §3.4.2.5, §3.9) combined with each attribute's
 * `returned` characteristic (RFC 7643 §7): `always` attributes (id, schemas) survive any
 * exclusion, `request` attributes appear only when named, `never` attributes never appear.
 */
import { type AttributeDef, ENTERPRISE_USER_SCHEMA, type SchemaDef } from './schema/definitions.js';
import { type AttrPath, type ResourceTypeDef, parseAttrPath, resolvePath, resourceTypes } from './schema/resource-types.js';
import { type ScimError, invalidValue } from './errors.js';
import { type ScimObject, isObject } from './resource.js';

/** container key ('' for top level, else extension schema URI) → attribute name → sub-attributes (null: whole). */
type Selection = Map<string, Map<string, Set<string> | null>>;

export interface Projection {
  readonly include?: Selection;
  readonly exclude?: Selection;
}

export const NO_PROJECTION: Projection = {};

/**
 * Which names `attributes` and `excludedAttributes` may carry (one rule for both, RFC 7644
 * §3.4.2.5 and §3.9, which give no error of their own): a name that no resource type of this
 * server defines is a 400 invalidValue, like an unknown name in `filter` or `sortBy`, so a typo
 * (`attributes=usrName`) fails loudly instead of silently returning the default attributes.
 * A name that another resource type defines is accepted and selects nothing here, because
 * one list may address several types: a root `/.search` applies it to Users and Groups alike,
 * and an IdP may send one `excludedAttributes=members` (Entra's group lookup, idp-traffic.md
 * §1.3) with every query. See docs/leniencies.md, "Rules that are strict on purpose".
 */
function unknownName(list: 'attributes' | 'excludedAttributes', text: string): ScimError {
  return invalidValue(
    `"${text}" in "${list}" is not an attribute of any resource type (${resourceTypes.map((type) => type.name).join(', ')}); name attributes as in "userName,name.givenName" or "${ENTERPRISE_USER_SCHEMA}:department"`,
  );
}

function definedAnywhere(path: AttrPath, text: string): boolean {
  return resourceTypes.some(
    (type) => resolvePath(type, path) !== undefined || schemaNamed(type, text) !== undefined,
  );
}

/** The core schema or an extension of `resourceType` whose URI is `text`; with its container key. */
function schemaNamed(resourceType: ResourceTypeDef, text: string): { schema: SchemaDef; key: string } | undefined {
  const lower = text.toLowerCase();
  if (resourceType.schema.id.toLowerCase() === lower) return { schema: resourceType.schema, key: '' };
  const extension = resourceType.extensions.find((e) => e.schema.id.toLowerCase() === lower);
  return extension && { schema: extension.schema, key: extension.schema.id };
}

function parseList(
  resourceType: ResourceTypeDef,
  list: string | undefined,
  which: 'attributes' | 'excludedAttributes',
): Selection | undefined {
  if (list === undefined || list.trim() === '') return undefined;
  const selection: Selection = new Map();
  for (const raw of list.split(',')) {
    const text = raw.trim();
    if (!text) continue;
    // `attributes=urn:...:enterprise:2.0:User` names a whole schema.
    const named = schemaNamed(resourceType, text);
    if (named) {
      const container = selection.get(named.key) ?? new Map<string, Set<string> | null>();
      for (const attribute of named.schema.attributes) container.set(attribute.name, null);
      selection.set(named.key, container);
      continue;
    }
    const path = parseAttrPath(text);
    const resolved = resolvePath(resourceType, path);
    if (!resolved) {
      if (definedAnywhere(path, text)) continue;
      throw unknownName(which, text);
    }
    const key = resolved.extension ? resolved.schema.id : '';
    const container = selection.get(key) ?? new Map<string, Set<string> | null>();
    selection.set(key, container);
    const name = resolved.attribute.name;
    if (!resolved.subAttribute) {
      container.set(name, null);
    } else {
      const current = container.get(name);
      if (current === null) continue;
      const subs = current ?? new Set<string>();
      subs.add(resolved.subAttribute.name);
      container.set(name, subs);
    }
  }
  return selection;
}

export function parseProjection(
  resourceType: ResourceTypeDef,
  attributes: string | undefined,
  excludedAttributes: string | undefined,
): Projection {
  const include = parseList(resourceType, attributes, 'attributes');
  // RFC 7644 §3.9: when both are given, `attributes` wins (the other list is still checked).
  const excluded = parseList(resourceType, excludedAttributes, 'excludedAttributes');
  const exclude = include ? undefined : excluded;
  if (!include && !exclude) return NO_PROJECTION;
  return { ...(include ? { include } : {}), ...(exclude ? { exclude } : {}) };
}

export function isProjecting(projection: Projection): boolean {
  return projection.include !== undefined || projection.exclude !== undefined;
}

function pickSubAttributes(value: unknown, subs: Set<string>): unknown {
  const pick = (item: unknown) => {
    if (!isObject(item)) return item;
    const result: ScimObject = {};
    for (const sub of subs) if (item[sub] !== undefined) result[sub] = item[sub];
    return result;
  };
  return Array.isArray(value) ? value.map(pick) : pick(value);
}

function dropSubAttributes(value: unknown, subs: Set<string>): unknown {
  const drop = (item: unknown) => {
    if (!isObject(item)) return item;
    const result: ScimObject = {};
    for (const key of Object.keys(item)) if (!subs.has(key)) result[key] = item[key];
    return result;
  };
  return Array.isArray(value) ? value.map(drop) : drop(value);
}

function projectContainer(
  source: ScimObject,
  attributes: readonly AttributeDef[],
  include: Map<string, Set<string> | null> | undefined,
  exclude: Map<string, Set<string> | null> | undefined,
  including: boolean,
): ScimObject {
  const result: ScimObject = {};
  for (const def of attributes) {
    const value = source[def.name];
    if (value === undefined || def.returned === 'never') continue;
    if (def.returned === 'always') {
      result[def.name] = value;
      continue;
    }
    if (including) {
      if (!include?.has(def.name)) continue;
      const subs = include.get(def.name);
      result[def.name] = subs ? (pickSubAttributes(value, subs) as ScimObject) : value;
      continue;
    }
    if (def.returned === 'request') continue;
    if (exclude?.has(def.name)) {
      const subs = exclude.get(def.name);
      if (!subs) continue;
      result[def.name] = dropSubAttributes(value, subs) as ScimObject;
      continue;
    }
    result[def.name] = value;
  }
  return result;
}

/**
 * Applies a projection to a rendered resource. `schemas` and attributes with `returned: always`
 * are always kept; everything else follows the projection.
 */
export function applyProjection(
  resourceType: ResourceTypeDef,
  rendered: ScimObject,
  projection: Projection,
  topLevel: readonly AttributeDef[],
): ScimObject {
  const including = projection.include !== undefined;
  const result = projectContainer(rendered, topLevel, projection.include?.get(''), projection.exclude?.get(''), including);
  const ordered: ScimObject = { schemas: rendered.schemas, ...result };
  for (const { schema } of resourceType.extensions) {
    const extension = rendered[schema.id];
    if (!isObject(extension)) continue;
    const projected = projectContainer(
      extension,
      schema.attributes,
      projection.include?.get(schema.id),
      projection.exclude?.get(schema.id),
      including,
    );
    if (Object.keys(projected).length > 0) ordered[schema.id] = projected;
  }
  return ordered;
}
