/**
 * Coercion of client-supplied attribute values into the stored canonical form.
 *
 * Strict about types (a number where a string belongs is a 400 invalidValue), lenient exactly
 * where real IdPs are known to deviate from RFC 7643 — each leniency leaves a note whose code
 * docs/leniencies.md explains with its public source:
 * - Entra ID sends booleans as the strings "True"/"False" unless the tenant URL carries the
 *   `aadOptscim062020` flag (Microsoft Learn, "Known issues and resolutions with SCIM 2.0
 *   protocol compliance", https://learn.microsoft.com/en-us/entra/identity/app-provisioning/application-provisioning-config-problem-scim-compatibility).
 * - Entra sends the enterprise `manager` as a bare id string, and the legacy tutorial sends it as a
 *   one-element array of {"$ref", "value"} (Microsoft Learn's SCIM tutorial,
 *   https://learn.microsoft.com/en-us/entra/identity/app-provisioning/use-scim-to-provision-users-and-groups).
 * - Entra sends `"$ref": null` inside member values (same tutorial, "add_members").
 * Unknown sub-attributes are dropped and reported through `notes`, never silently kept.
 */
import type { AttributeDef } from './schema/definitions.js';
import { findSubAttribute } from './schema/resource-types.js';
import { invalidValue } from './errors.js';
import { type ScimObject, type ScimValue, isObject } from './resource.js';
import { type Notes, note } from './leniency.js';

export type { Notes } from './leniency.js';

const XSD_DATE_TIME = /^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$/;
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function coerceSimple(def: AttributeDef, value: unknown, path: string, notes: Notes): ScimValue {
  switch (def.type) {
    case 'boolean': {
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
        notes.push(note('string-boolean', `"${path}" was the string ${JSON.stringify(value)}; read as a boolean`));
        return value.toLowerCase() === 'true';
      }
      break;
    }
    case 'string':
    case 'reference':
      if (typeof value === 'string') return value;
      break;
    case 'dateTime':
      if (typeof value === 'string' && XSD_DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))) return value;
      if (typeof value === 'string') {
        throw invalidValue(`"${path}" must be an xsd:dateTime such as 2024-05-01T12:00:00Z, got ${JSON.stringify(value)}`);
      }
      break;
    case 'integer':
      if (typeof value === 'number' && Number.isInteger(value)) return value;
      break;
    case 'decimal':
      if (typeof value === 'number' && Number.isFinite(value)) return value;
      break;
    case 'binary':
      if (typeof value === 'string' && BASE64.test(value)) return value;
      if (typeof value === 'string') throw invalidValue(`"${path}" must be base64-encoded binary`);
      break;
    case 'complex':
      break;
  }
  throw invalidValue(`"${path}" must be ${article(def.type)} ${def.type}, got ${describe(value)}`);
}

const article = (type: string) => (/^[aeiou]/.test(type) ? 'an' : 'a');

function coerceComplex(def: AttributeDef, value: unknown, path: string, notes: Notes): ScimObject | undefined {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
    const valueAttribute = findSubAttribute(def, 'value');
    if (valueAttribute) {
      // Entra sends the enterprise manager as the bare id (idp-traffic.md §1.5 quirk 8).
      notes.push(note('complex-as-bare-value', `"${path}" was the bare value ${JSON.stringify(value)}; read as {"value": ${JSON.stringify(value)}}`));
      return { value: coerceSimple(valueAttribute, value, `${path}.value`, notes) };
    }
  }
  if (!isObject(value)) {
    throw invalidValue(`"${path}" must be an object with sub-attributes, got ${describe(value)}`);
  }
  const result: ScimObject = {};
  for (const key of Object.keys(value)) {
    const sub = findSubAttribute(def, key);
    if (!sub) {
      notes.push(note('unknown-sub-attribute-ignored', `ignored unknown sub-attribute "${path}.${key}"`));
      continue;
    }
    if (sub.name === '$ref' && value[key] === null) {
      // Entra's member values carry "$ref": null (idp-traffic.md §1.5 quirk 7).
      notes.push(note('null-ref', `"${path}.$ref" was null; ignored`));
      continue;
    }
    if (sub.mutability === 'readOnly') continue;
    const coerced = coerceAttributeValue(sub, value[key], `${path}.${sub.name}`, notes);
    if (coerced !== undefined) result[sub.name] = coerced;
  }
  return Object.keys(result).length === 0 ? undefined : result;
}

function coerceSingle(def: AttributeDef, value: unknown, path: string, notes: Notes): ScimValue | undefined {
  if (value === null || value === undefined) return undefined;
  return def.type === 'complex' ? coerceComplex(def, value, path, notes) : coerceSimple(def, value, path, notes);
}

/**
 * Coerces one attribute's value. Returns undefined when the value unassigns the attribute
 * (null, an empty array, an object whose sub-attributes are all null).
 */
export function coerceAttributeValue(def: AttributeDef, value: unknown, path: string, notes: Notes): ScimValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (def.multiValued) {
    const items = Array.isArray(value) ? value : [value];
    const result: ScimValue[] = [];
    for (const item of items) {
      const coerced = coerceSingle(def, item, path, notes);
      if (coerced !== undefined) result.push(coerced);
    }
    return result.length === 0 ? undefined : result;
  }
  if (Array.isArray(value)) {
    if (value.length === 1) {
      // Entra's legacy tutorial sends the manager as a one-element array (idp-traffic.md §1.3 "Manager").
      notes.push(note('single-value-in-array', `"${path}" is single-valued but came as a one-element array; read as its element`));
      return coerceSingle(def, value[0], path, notes);
    }
    if (value.length === 0) return undefined;
    throw invalidValue(`"${path}" is single-valued, got an array of ${value.length} values`);
  }
  return coerceSingle(def, value, path, notes);
}

/** Coerces a single element of a multi-valued attribute (used when PATCH targets one element). */
export function coerceElement(def: AttributeDef, value: unknown, path: string, notes: Notes): ScimValue | undefined {
  return coerceSingle(def, value, path, notes);
}

/**
 * Deep equality used for de-duplicating multi-valued attributes and for `remove` with a value:
 * complex values are equal when their `value` sub-attributes are (compared per caseExact),
 * or, without one, when all sub-attributes are.
 */
export function sameValue(def: AttributeDef, a: ScimValue, b: ScimValue): boolean {
  if (def.type === 'complex' && isObject(a) && isObject(b)) {
    const valueAttribute = findSubAttribute(def, 'value');
    if (valueAttribute && a.value !== undefined && b.value !== undefined) {
      return sameSimple(valueAttribute, a.value, b.value);
    }
    return JSON.stringify(sortedKeys(a)) === JSON.stringify(sortedKeys(b));
  }
  return sameSimple(def, a, b);
}

function sameSimple(def: AttributeDef, a: ScimValue | undefined, b: ScimValue | undefined): boolean {
  if (typeof a === 'string' && typeof b === 'string' && !def.caseExact) return a.toLowerCase() === b.toLowerCase();
  return a === b;
}

function sortedKeys(value: ScimObject): ScimObject {
  const result: ScimObject = {};
  for (const key of Object.keys(value).sort()) result[key] = value[key];
  return result;
}
