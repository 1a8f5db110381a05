/**
 * The PATCH engine (RFC 7644 §3.5.2): applies a PatchOp request body to a copy of a stored
 * resource, atomically. Strict where the RFC is clear, lenient exactly where real IdPs are known
 * to deviate — each leaves a note whose code docs/leniencies.md explains with its public source
 * (the § numbers below are those of docs/idp-traffic.md, the team's IdP traffic notes):
 * - `op` in any case: Entra sends `Add`/`Replace`/`Remove` (§1.5 quirk 1), Okta lowercase (§2.4 quirk 10).
 * - a missing PatchOp URN in `schemas` is accepted with a note.
 * - path-less values with dotted and URN-qualified keys (Entra `aadOptscim062020`, §1.3 and §1.5 quirk 4).
 * - the resource's own `id` inside a path-less replace (Okta group rename, §2.3 and §2.4 quirk 2).
 * - `remove` of listed values from a multi-valued attribute (Entra member removal, §1.3 "Groups").
 * - `add`/`replace` on `emails[type eq "work"].value` creating the value (§1.3, §1.5 quirk 5).
 * - the enterprise `manager` named without its schema URI (Entra tutorial Example 5, §1.3).
 * Value coercion (string booleans, bare manager ids, `"$ref": null`) happens in values.ts.
 *
 * Cross-resource facts (member ids exist, uniqueness, required attributes) are the caller's to
 * check on the result, as are `meta` and `schemas`, which this module never touches.
 */
import type { SchemaDef } from './schema/definitions.js';
import { type ResourceTypeDef, findExtension, parseAttrPath } from './schema/resource-types.js';
import { ScimError, invalidPath, invalidSyntax, invalidValue, mutability, noTarget } from './errors.js';
import { type ScimObject, cloneJson, isObject } from './resource.js';
import { checkJsonBounds } from './json-bounds.js';
import { type Notes, note } from './leniency.js';
import { type SetMode, removeTarget, setTarget } from './patch/operations.js';
import {
  type AttributeTarget,
  ID_ATTRIBUTE,
  META_ATTRIBUTE,
  type PatchContext,
  SCHEMAS_ATTRIBUTE,
  type SchemaTarget,
  resolveAttribute,
  resolveOperationPath,
} from './patch/target.js';

export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface PatchResult {
  resource: ScimObject;
  notes: Notes;
}

/**
 * Applies a PatchOp request body to a copy of `resource`; the input is never mutated.
 * Throws ScimError; if any operation fails none is applied.
 */
export function applyPatch(
  resource: ScimObject,
  body: unknown,
  resourceType: ResourceTypeDef,
): PatchResult {
  const notes: Notes = [];
  const operations = readOperations(body, notes);
  // Operations are applied in order to one private copy (RFC 7644 §3.5.2: "each operation against
  // an attribute MUST be compatible with the current state"); any error discards the copy.
  const working = cloneJson(resource);
  operations.forEach((operation, index) => {
    const context: PatchContext = { resource: working, resourceType, notes: [] };
    try {
      applyOperation(context, operation);
    } catch (error) {
      if (error instanceof ScimError) {
        throw new ScimError(error.status, error.scimType, `Operations[${index}]: ${error.detail}`);
      }
      throw error;
    }
    for (const { code, detail } of context.notes) notes.push(note(code, `Operations[${index}]: ${detail}`));
  });
  return { resource: working, notes };
}

const EXAMPLE = `{"schemas":["${PATCH_OP_SCHEMA}"],"Operations":[{"op":"replace","path":"displayName","value":"New name"}]}`;

function readOperations(body: unknown, notes: Notes): unknown[] {
  if (!isObject(body)) {
    throw invalidSyntax(`A PATCH request body must be a JSON object such as ${EXAMPLE}; got ${describe(body)}`);
  }
  checkJsonBounds(body);
  const schemas = member(body, 'schemas');
  const listsPatchOp =
    Array.isArray(schemas) &&
    schemas.some((uri) => typeof uri === 'string' && uri.toLowerCase() === PATCH_OP_SCHEMA.toLowerCase());
  if (!listsPatchOp) {
    notes.push(note('patch-op-schema-missing', `"schemas" should be ["${PATCH_OP_SCHEMA}"] (RFC 7644 §3.5.2); accepted without it`));
  }
  const operations = member(body, 'Operations');
  if (operations === undefined) {
    throw invalidSyntax(`A PATCH request body needs "Operations", a non-empty array of operations, as in ${EXAMPLE}`);
  }
  if (!Array.isArray(operations)) {
    throw invalidSyntax(`"Operations" must be an array of {"op","path","value"} objects; got ${describe(operations)}`);
  }
  if (operations.length === 0) {
    throw invalidSyntax('"Operations" is empty; a PATCH request needs at least one operation (RFC 7644 §3.5.2)');
  }
  return operations;
}

function applyOperation(context: PatchContext, operation: unknown): void {
  if (!isObject(operation)) {
    throw invalidSyntax(`an operation must be an object with "op", "path" and "value"; got ${describe(operation)}`);
  }
  const opText = member(operation, 'op');
  if (typeof opText !== 'string') {
    throw invalidSyntax(
      `"op" is ${opText === undefined ? 'missing' : `not a string (${describe(opText)})`}; expected "add", "replace" or "remove"`,
    );
  }
  // Entra sends "Add"/"Replace"/"Remove" (idp-traffic.md §1.5 quirk 1), Okta lowercase (§2.4 quirk 10).
  const op = opText.toLowerCase();
  if (op !== 'add' && op !== 'replace' && op !== 'remove') {
    throw invalidSyntax(`unknown op "${opText}"; expected "add", "replace" or "remove" (RFC 7644 §3.5.2)`);
  }
  if (opText !== op) context.notes.push(note('capitalized-patch-op', `"op" was "${opText}"; read as "${op}"`));

  const pathMember = member(operation, 'path');
  if (pathMember !== undefined && pathMember !== null && typeof pathMember !== 'string') {
    throw invalidPath(`"path" must be a string; got ${describe(pathMember)}`);
  }
  const path = typeof pathMember === 'string' && pathMember.trim() !== '' ? pathMember.trim() : undefined;
  if (typeof pathMember === 'string' && path === undefined) context.notes.push(note('empty-patch-path', '"path" is empty; read as omitted'));
  // JSON has no undefined: a missing "value" member reads as undefined, an explicit null stays null.
  const value = member(operation, 'value');

  if (op === 'remove') {
    if (path === undefined) {
      throw noTarget('"remove" needs a "path" naming what to remove (RFC 7644 §3.5.2.2)');
    }
    const target = resolveOperationPath(context, path);
    if (target.kind === 'schema') removeSchema(context, target);
    else removeTarget(context, target, value);
    return;
  }
  if (value === undefined) {
    throw invalidValue(`"${op}" needs a "value" (RFC 7644 §3.5.2.${op === 'add' ? 1 : 3})`);
  }
  if (path === undefined) {
    applyValueObject(context, op, value);
    return;
  }
  const target = resolveOperationPath(context, path);
  if (target.kind === 'schema') applySchemaObject(context, op, target.schema, target.label, value);
  else setTarget(context, target, value, op);
}

/**
 * A path-less add or replace: "the target location is assumed to be the resource itself" and
 * each key of the value object is applied as if it were its own operation with that path
 * (RFC 7644 §3.5.2.1, §3.5.2.3). Keys may be attribute names, dotted sub-attributes and
 * URN-qualified names — Entra's `aadOptscim062020` variant sends
 * `{"name.givenName": ..., "urn:...:enterprise:2.0:User:employeeNumber": ...}` (idp-traffic.md
 * §1.3 "Update user attributes") — or a schema URI whose value holds that schema's attributes.
 */
function applyValueObject(context: PatchContext, mode: SetMode, value: unknown): void {
  if (!isObject(value)) {
    throw invalidValue(`without a "path", "value" must be an object of attributes to ${mode}; got ${describe(value)}`);
  }
  for (const key of Object.keys(value)) applyKey(context, mode, key, value[key]);
}

function applyKey(context: PatchContext, mode: SetMode, key: string, item: unknown): void {
  const { resourceType } = context;
  const extension = findExtension(resourceType, key);
  if (extension) return applySchemaObject(context, mode, extension, key, item);
  if (key.toLowerCase() === resourceType.schema.id.toLowerCase()) {
    return applySchemaObject(context, mode, resourceType.schema, key, item);
  }
  const resolved = resolveAttribute(context, parseAttrPath(key));
  if (!resolved) {
    // As for unknown attributes in POST bodies (resource-input.ts): reported, not fatal.
    context.notes.push(note('unknown-attribute-ignored', `ignored unknown attribute "${key}"`));
    return;
  }
  const { attribute } = resolved;
  if (attribute === SCHEMAS_ATTRIBUTE || attribute === META_ATTRIBUTE) {
    // Server-managed; clients that echo a GET representation send them back unchanged.
    context.notes.push(note('server-attribute-ignored', `ignored "${key}": it is maintained by the server`));
    return;
  }
  if (attribute === ID_ATTRIBUTE) {
    // Okta's group rename carries the group's own id: {"op":"replace","value":{"id":"<same id>",
    // "displayName":"..."}} before every membership update (idp-traffic.md §2.3 "Rename group",
    // okta-documented-requests.json `rename_group`). The same id changes nothing; another is an error.
    if (item === context.resource.id) {
      context.notes.push(note('own-id-in-patch-value', 'ignored "id": it equals the resource\'s id'));
      return;
    }
    throw mutability(`"id" is read-only; the value gives ${describe(item)} but this resource's id is ${JSON.stringify(context.resource.id)}`);
  }
  const target: AttributeTarget = {
    kind: 'attribute',
    attribute,
    ...(resolved.subAttribute ? { sub: resolved.subAttribute } : {}),
    schema: resolved.schema,
    extension: resolved.extension,
    label: key,
  };
  setTarget(context, target, item, mode);
}

/** `{"urn:...:enterprise:2.0:User": {"department": "x"}}`, or the same URI given as the path. */
function applySchemaObject(context: PatchContext, mode: SetMode, schema: SchemaDef, key: string, item: unknown): void {
  if (item === null && mode === 'replace' && schema !== context.resourceType.schema) {
    removeSchema(context, { kind: 'schema', schema, label: key });
    return;
  }
  if (!isObject(item)) {
    throw invalidValue(`"${key}" must be an object holding attributes of ${schema.id}; got ${describe(item)}`);
  }
  for (const name of Object.keys(item)) applyKey(context, mode, `${schema.id}:${name}`, item[name]);
}

/** remove with an extension URI as the path unassigns every attribute of that extension. */
function removeSchema(context: PatchContext, target: SchemaTarget): void {
  const extension = context.resource[target.schema.id];
  if (!isObject(extension)) {
    context.notes.push(note('nothing-to-remove', `"${target.label}": nothing to remove`));
    return;
  }
  for (const attribute of target.schema.attributes) {
    if (extension[attribute.name] === undefined) continue;
    const attributeTarget: AttributeTarget = {
      kind: 'attribute',
      attribute,
      schema: target.schema,
      extension: true,
      label: `${target.schema.id}:${attribute.name}`,
    };
    removeTarget(context, attributeTarget, undefined);
  }
}

/** A member of a JSON object by name, exactly or else case-insensitively (RFC 7643 §2.1). */
function member(object: ScimObject, name: string): unknown {
  if (Object.hasOwn(object, name)) return object[name];
  const lower = name.toLowerCase();
  const key = Object.keys(object).find((candidate) => candidate.toLowerCase() === lower);
  return key === undefined ? undefined : object[key];
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}...` : text}`;
}
