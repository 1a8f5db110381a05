/**
 * Resource types (RFC 7643 §6) and attribute-path resolution against their schemas.
 *
 * Attribute names are case-insensitive everywhere in SCIM (RFC 7643 §2.1), and an
 * attribute may be named with its schema URI as a prefix
 * (`urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value`).
 * Everything that reads a path (filters, PATCH, sortBy, attributes=) resolves it here.
 */
import {
  type AttributeDef,
  type SchemaDef,
  commonAttributes,
  enterpriseUserSchema,
  groupSchema,
  schemasAttribute,
  userSchema,
} from './definitions.js';

export type ResourceTypeName = 'User' | 'Group';

export interface ResourceTypeDef {
  readonly name: ResourceTypeName;
  readonly endpoint: '/Users' | '/Groups';
  readonly description: string;
  readonly schema: SchemaDef;
  readonly extensions: readonly { readonly schema: SchemaDef; readonly required: boolean }[];
}

export const userResourceType: ResourceTypeDef = {
  name: 'User',
  endpoint: '/Users',
  description: 'User Account',
  schema: userSchema,
  extensions: [{ schema: enterpriseUserSchema, required: false }],
};

export const groupResourceType: ResourceTypeDef = {
  name: 'Group',
  endpoint: '/Groups',
  description: 'Group',
  schema: groupSchema,
  extensions: [],
};

export const resourceTypes: readonly ResourceTypeDef[] = [userResourceType, groupResourceType];
export const allSchemas: readonly SchemaDef[] = [userSchema, groupSchema, enterpriseUserSchema];

/** An attribute path as written by a client: `[uri:]name[.subAttr]`, names in the client's casing. */
export interface AttrPath {
  readonly uri?: string;
  readonly name: string;
  readonly subAttr?: string;
}

/** A path resolved against a resource type, with canonical names and where the value is stored. */
export interface ResolvedPath {
  readonly attribute: AttributeDef;
  readonly subAttribute?: AttributeDef;
  /** The schema that defines the attribute; for an extension, the key its values are stored under. */
  readonly schema: SchemaDef;
  readonly extension: boolean;
}

const byLowerName = (attributes: readonly AttributeDef[]) =>
  new Map(attributes.map((attribute) => [attribute.name.toLowerCase(), attribute]));

const attributeIndex = new WeakMap<SchemaDef, Map<string, AttributeDef>>();
const subAttributeIndex = new WeakMap<AttributeDef, Map<string, AttributeDef>>();
const commonIndex = byLowerName([...commonAttributes, schemasAttribute]);

export function findAttribute(schema: SchemaDef, name: string): AttributeDef | undefined {
  let index = attributeIndex.get(schema);
  if (!index) {
    index = byLowerName(schema.attributes);
    attributeIndex.set(schema, index);
  }
  return index.get(name.toLowerCase());
}

export function findSubAttribute(parent: AttributeDef, name: string): AttributeDef | undefined {
  if (!parent.subAttributes) return undefined;
  let index = subAttributeIndex.get(parent);
  if (!index) {
    index = byLowerName(parent.subAttributes);
    subAttributeIndex.set(parent, index);
  }
  return index.get(name.toLowerCase());
}

export function findCommonAttribute(name: string): AttributeDef | undefined {
  return commonIndex.get(name.toLowerCase());
}

export function findExtension(resourceType: ResourceTypeDef, uri: string): SchemaDef | undefined {
  const lower = uri.toLowerCase();
  return resourceType.extensions.find((extension) => extension.schema.id.toLowerCase() === lower)?.schema;
}

export function resourceTypeByEndpoint(endpoint: string): ResourceTypeDef | undefined {
  const lower = endpoint.toLowerCase();
  return resourceTypes.find((type) => type.endpoint.toLowerCase() === lower);
}

/**
 * Splits `urn:...:User:name.givenName` into URI, attribute and sub-attribute. Known schema URIs
 * are matched first (their last segment contains a colon-free name such as `User`); an unknown
 * URN is everything up to its last colon.
 */
export function parseAttrPath(text: string): AttrPath {
  let uri: string | undefined;
  let rest = text;
  if (/^urn:/i.test(text)) {
    const lower = text.toLowerCase();
    const known = allSchemas.find((schema) => lower.startsWith(schema.id.toLowerCase() + ':'));
    const cut = known ? known.id.length : text.lastIndexOf(':');
    uri = text.slice(0, cut);
    rest = text.slice(cut + 1);
  }
  const dot = rest.indexOf('.');
  if (dot === -1) return uri === undefined ? { name: rest } : { uri, name: rest };
  const name = rest.slice(0, dot);
  const subAttr = rest.slice(dot + 1);
  return uri === undefined ? { name, subAttr } : { uri, name, subAttr };
}

export function formatAttrPath(path: AttrPath): string {
  return `${path.uri ? path.uri + ':' : ''}${path.name}${path.subAttr ? '.' + path.subAttr : ''}`;
}

/**
 * Resolves a client path against a resource type. A URI names the core schema or one of the
 * type's extensions; without one, common attributes and the core schema are searched
 * (RFC 7644 §3.10: unqualified names belong to the core schema).
 * Returns undefined when the path names nothing this resource type defines.
 */
export function resolvePath(resourceType: ResourceTypeDef, path: AttrPath): ResolvedPath | undefined {
  let schema: SchemaDef | undefined;
  let attribute: AttributeDef | undefined;
  let extension = false;
  if (path.uri !== undefined) {
    if (path.uri.toLowerCase() === resourceType.schema.id.toLowerCase()) {
      schema = resourceType.schema;
      attribute = findAttribute(schema, path.name) ?? findCommonAttribute(path.name);
    } else {
      schema = findExtension(resourceType, path.uri);
      extension = true;
      attribute = schema && findAttribute(schema, path.name);
    }
  } else {
    schema = resourceType.schema;
    attribute = findCommonAttribute(path.name) ?? findAttribute(schema, path.name);
  }
  if (!schema || !attribute) return undefined;
  if (path.subAttr === undefined) return { attribute, schema, extension };
  const subAttribute = findSubAttribute(attribute, path.subAttr);
  if (!subAttribute) return undefined;
  return { attribute, subAttribute, schema, extension };
}

/** Reads the stored value a resolved path points at (sub-attributes of multi-valued attributes are flattened). */
export function readResolved(resource: Record<string, unknown>, resolved: ResolvedPath): unknown {
  const container = resolved.extension
    ? (resource[resolved.schema.id] as Record<string, unknown> | undefined)
    : resource;
  const value = container?.[resolved.attribute.name];
  if (!resolved.subAttribute || value === undefined || value === null) return value;
  const sub = resolved.subAttribute.name;
  if (Array.isArray(value)) {
    return value.map((item) => (item as Record<string, unknown> | null)?.[sub]).filter((item) => item !== undefined);
  }
  return (value as Record<string, unknown>)[sub];
}
