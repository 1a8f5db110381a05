/**
 * Reading a resource body sent with POST or PUT into stored attributes, and the checks every
 * write must pass (required attributes, one primary value) whichever way it arrived.
 *
 * Unknown attributes and unknown schema URIs are ignored and reported through `notes` instead
 * of rejected, because real IdPs send them routinely: Entra's ADSCIM group schema URI, OneLogin's
 * `urn:scim:schemas:core:2.0` and `urn:scim:schemas:extension:enterprise:2.0` keys (idp-traffic.md
 * §3, goauthentik/authentik#11249), Google's `urn:scim:schemas:core:1.0` (§4).
 */
import type { AttributeDef } from './schema/definitions.js';
import { ENTERPRISE_USER_SCHEMA } from './schema/definitions.js';
import {
  type ResourceTypeDef,
  findAttribute,
  findExtension,
  findSubAttribute,
  parseAttrPath,
  resolvePath,
} from './schema/resource-types.js';
import { invalidSyntax, invalidValue } from './errors.js';
import { checkJsonBounds } from './json-bounds.js';
import { type ScimObject, isObject } from './resource.js';
import { coerceAttributeValue } from './values.js';
import { type Notes, note } from './leniency.js';

/**
 * OneLogin's "SCIM v2 Enterprise" connector sends the enterprise extension under this
 * pre-RFC key (idp-traffic.md §3: third-party SP code and goauthentik/authentik#11249).
 */
const EXTENSION_ALIASES: ReadonlyMap<string, string> = new Map([
  ['urn:scim:schemas:extension:enterprise:2.0', ENTERPRISE_USER_SCHEMA],
]);

const IGNORED_ON_WRITE = new Set(['id', 'meta', 'schemas']);

function resolveExtensionKey(resourceType: ResourceTypeDef, key: string, notes: Notes) {
  const alias = EXTENSION_ALIASES.get(key.toLowerCase());
  const extension = findExtension(resourceType, alias ?? key);
  if (extension && alias !== undefined) {
    notes.push(note('enterprise-extension-alias', `"${key}" read as the extension "${extension.id}"`));
  }
  return extension;
}

function setAttribute(
  target: ScimObject,
  def: AttributeDef,
  value: unknown,
  path: string,
  notes: Notes,
): void {
  if (def.mutability === 'readOnly') return;
  const coerced = coerceAttributeValue(def, value, path, notes);
  if (coerced === undefined) delete target[def.name];
  else target[def.name] = coerced;
}

/**
 * Returns the writable attributes of a POST/PUT body in canonical form (core attributes at the
 * top level, extension attributes under their schema URI), without id, meta or schemas.
 */
export function readResourceBody(resourceType: ResourceTypeDef, body: unknown, notes: Notes): ScimObject {
  if (!isObject(body)) {
    throw invalidSyntax(`The request body must be a JSON object representing a ${resourceType.name}`);
  }
  checkJsonBounds(body);
  checkSchemas(resourceType, body.schemas, notes);
  const result: ScimObject = {};
  for (const key of Object.keys(body)) {
    const value = body[key];
    if (IGNORED_ON_WRITE.has(key.toLowerCase())) continue;
    const extension = resolveExtensionKey(resourceType, key, notes);
    if (extension) {
      if (value === null) continue;
      if (!isObject(value)) throw invalidValue(`"${key}" must be an object holding the extension's attributes`);
      const target: ScimObject = isObject(result[extension.id]) ? (result[extension.id] as ScimObject) : {};
      for (const name of Object.keys(value)) {
        const def = findAttribute(extension, name);
        if (!def) {
          notes.push(note('unknown-attribute-ignored', `ignored unknown attribute "${key}:${name}"`));
          continue;
        }
        setAttribute(target, def, value[name], `${extension.id}:${def.name}`, notes);
      }
      if (Object.keys(target).length > 0) result[extension.id] = target;
      continue;
    }
    if (/^urn:/i.test(key)) {
      // A fully qualified attribute name used as a key, e.g. "urn:...:enterprise:2.0:User:department".
      const resolved = resolvePath(resourceType, parseAttrPath(key));
      if (!resolved || resolved.subAttribute) {
        notes.push(note('unknown-attribute-ignored', `ignored unknown attribute or schema "${key}"`));
        continue;
      }
      if (resolved.extension) {
        const target: ScimObject = isObject(result[resolved.schema.id]) ? (result[resolved.schema.id] as ScimObject) : {};
        setAttribute(target, resolved.attribute, value, key, notes);
        if (Object.keys(target).length > 0) result[resolved.schema.id] = target;
      } else {
        setAttribute(result, resolved.attribute, value, resolved.attribute.name, notes);
      }
      continue;
    }
    const def = resolvePath(resourceType, { name: key })?.attribute;
    if (!def) {
      notes.push(note('unknown-attribute-ignored', `ignored unknown attribute "${key}"`));
      continue;
    }
    setAttribute(result, def, value, def.name, notes);
  }
  return result;
}

function checkSchemas(resourceType: ResourceTypeDef, schemas: unknown, notes: Notes): void {
  if (schemas === undefined) {
    notes.push(note('missing-schemas', `"schemas" is missing; RFC 7643 §3 requires it (expected "${resourceType.schema.id}")`));
    return;
  }
  if (!Array.isArray(schemas) || schemas.some((uri) => typeof uri !== 'string')) {
    throw invalidSyntax('"schemas" must be an array of schema URI strings');
  }
  const known = new Set([resourceType.schema.id, ...resourceType.extensions.map((e) => e.schema.id)].map((s) => s.toLowerCase()));
  const given = schemas as string[];
  if (!given.some((uri) => uri.toLowerCase() === resourceType.schema.id.toLowerCase())) {
    notes.push(note('core-schema-not-listed', `"schemas" does not list the core schema "${resourceType.schema.id}"`));
  }
  for (const uri of given) {
    if (!known.has(uri.toLowerCase())) notes.push(note('unknown-schema-uri', `ignored unknown schema URI "${uri}"`));
  }
}

/** The `schemas` a stored resource declares: its core schema plus each extension it has values for. */
export function schemasOf(resourceType: ResourceTypeDef, resource: ScimObject): string[] {
  const schemas = [resourceType.schema.id];
  for (const { schema } of resourceType.extensions) {
    if (isObject(resource[schema.id])) schemas.push(schema.id);
  }
  return schemas;
}

/**
 * Checks that hold for every stored resource whatever wrote it: required attributes are present
 * (RFC 7643 §2.2), at most one value of a multi-valued attribute is primary (§2.4), and
 * never-returned attributes such as `password` are dropped before storage.
 */
export function finishResource(resourceType: ResourceTypeDef, resource: ScimObject): void {
  const containers: [ScimObject, readonly AttributeDef[], string][] = [[resource, resourceType.schema.attributes, '']];
  for (const { schema, required } of resourceType.extensions) {
    const extension = resource[schema.id];
    if (isObject(extension)) {
      containers.push([extension, schema.attributes, `${schema.id}:`]);
      if (Object.keys(extension).length === 0) delete resource[schema.id];
    } else if (required) {
      throw invalidValue(`The extension "${schema.id}" is required for a ${resourceType.name}`);
    }
  }
  for (const [container, attributes, prefix] of containers) {
    for (const def of attributes) {
      const value = container[def.name];
      if (def.returned === 'never') {
        delete container[def.name];
        continue;
      }
      if (def.required && (value === undefined || value === null || value === '')) {
        throw invalidValue(`"${prefix}${def.name}" is required for a ${resourceType.name}`);
      }
      if (def.multiValued && Array.isArray(value) && findSubAttribute(def, 'primary')) {
        const primaries = value.filter((item) => isObject(item) && item.primary === true).length;
        if (primaries > 1) {
          throw invalidValue(`At most one value of "${prefix}${def.name}" may have "primary": true; ${primaries} do`);
        }
      }
    }
  }
}
