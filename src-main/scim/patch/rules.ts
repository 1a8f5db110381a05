/**
 * The RFC 7643 rules a PATCH must keep while it edits values: immutable attributes are never
 * changed once set (§7), and at most one value of a multi-valued attribute is primary (§2.4).
 */
import type { AttributeDef } from '../schema/definitions.js';
import { findSubAttribute } from '../schema/resource-types.js';
import { invalidValue, mutability } from '../errors.js';
import { type ScimObject, type ScimValue, isObject } from '../resource.js';
import { sameValue } from '../values.js';
import type { AttributeTarget, PatchContext } from './target.js';
import { note } from '../leniency.js';

/** The boolean `primary` sub-attribute RFC 7643 §2.4 defines for multi-valued attributes, if this one has it. */
export function primaryOf(attribute: AttributeDef): AttributeDef | undefined {
  const primary = findSubAttribute(attribute, 'primary');
  return primary && primary.type === 'boolean' && !primary.multiValued ? primary : undefined;
}

/**
 * RFC 7643 §2.4: "The primary attribute value 'true' MUST appear no more than once." A value
 * this operation marks primary takes the flag from the others; marking two at once is an error.
 */
export function settlePrimary(
  context: PatchContext,
  target: AttributeTarget,
  elements: readonly ScimValue[],
  changed: readonly ScimValue[],
): void {
  const primary = primaryOf(target.attribute);
  if (!primary) return;
  const key = primary.name;
  const claims = changed.filter((element) => isObject(element) && element[key] === true);
  if (claims.length > 1) {
    throw invalidValue(
      `At most one value of "${target.attribute.name}" may have "primary": true (RFC 7643 §2.4); this operation marks ${claims.length}`,
    );
  }
  if (claims.length === 0) return;
  let cleared = 0;
  for (const element of elements) {
    if (isObject(element) && element !== claims[0] && element[key] === true) {
      element[key] = false;
      cleared += 1;
    }
  }
  if (cleared > 0) {
    context.notes.push(
      note('primary-moved', `"primary" set to false on ${cleared} other value(s) of "${target.attribute.name}" (RFC 7643 §2.4)`),
    );
  }
}

/**
 * immutable (RFC 7643 §7): "MAY be defined at resource creation ... or at record creation of an
 * attribute ... and SHALL NOT be updated". Setting an unassigned one or re-sending the same value is fine.
 */
export function assertUnchanged(def: AttributeDef, name: string, before: ScimValue | undefined, after: ScimValue | undefined): void {
  if (def.mutability !== 'immutable' || before === undefined || before === null) return;
  if (after !== undefined && after !== null && sameStored(def, before, after)) return;
  throw mutability(
    after === undefined || after === null
      ? `"${name}" is immutable; its value ${JSON.stringify(before)} cannot be removed`
      : `"${name}" is immutable; its value ${JSON.stringify(before)} cannot be changed to ${JSON.stringify(after)}`,
  );
}

export function assertSubAttributesUnchanged(attribute: AttributeDef, before: ScimObject | undefined, after: ScimObject): void {
  if (!before) return;
  for (const sub of attribute.subAttributes ?? []) {
    assertUnchanged(sub, `${attribute.name}.${sub.name}`, before[sub.name], after[sub.name]);
  }
}

/** Unassigning a value also unassigns its immutable sub-attributes. */
export function assertRemovable(attribute: AttributeDef, value: ScimValue): void {
  assertUnchanged(attribute, attribute.name, value, undefined);
  if (attribute.multiValued) return; // removing whole elements ends their records; that is not an update
  if (isObject(value)) assertSubAttributesUnchanged(attribute, value, {});
}

function sameStored(def: AttributeDef, a: ScimValue, b: ScimValue): boolean {
  if (def.type !== 'complex' && !Array.isArray(a) && !Array.isArray(b)) return sameValue(def, a, b);
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: ScimValue): ScimValue {
  if (Array.isArray(value)) return value.map(canonical);
  if (!isObject(value)) return value;
  const result: ScimObject = {};
  for (const key of Object.keys(value).sort()) {
    const item = value[key];
    if (item !== undefined) result[key] = canonical(item);
  }
  return result;
}
