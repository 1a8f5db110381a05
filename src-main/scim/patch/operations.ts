/**
 * The effect of `add`, `replace` and `remove` on one resolved attribute target
 * (RFC 7644 §3.5.2.1–3). Every value written goes through values.ts coercion, so PATCH stores
 * exactly what POST would; mutability and "primary" rules (RFC 7643 §2.2, §2.4) are enforced here.
 */
import type { AttributeDef } from '../schema/definitions.js';
import { findSubAttribute } from '../schema/resource-types.js';
import { invalidValue, noTarget } from '../errors.js';
import type { CompValue } from '../filter/ast.js';
import { type ScimObject, type ScimValue, cloneJson, isObject } from '../resource.js';
import { coerceAttributeValue, coerceElement, sameValue } from '../values.js';
import { note } from '../leniency.js';
import { assertRemovable, assertSubAttributesUnchanged, assertUnchanged, primaryOf, settlePrimary } from './rules.js';
import {
  type AttributeTarget,
  type PatchContext,
  assertWritable,
  equalityTerms,
  readElements,
  readValue,
  writeValue,
} from './target.js';

export type SetMode = 'add' | 'replace';

/** add or replace `value` at `target`. `value` is present (the caller rejects a missing one). */
export function setTarget(context: PatchContext, target: AttributeTarget, value: unknown, mode: SetMode): void {
  assertWritable(target);
  const { attribute } = target;
  if (attribute.multiValued) {
    if (target.selection || target.sub) setSelected(context, target, value, mode);
    else if (mode === 'add') appendValues(context, target, value);
    else replaceValues(context, target, value);
  } else if (target.sub) {
    setSubAttribute(context, target, target.sub, value, mode);
  } else if (attribute.type === 'complex') {
    mergeComplex(context, target, value, mode);
  } else {
    setSimple(context, target, value, mode);
  }
}

/** remove at `target`; `value` is undefined when the operation has none. */
export function removeTarget(context: PatchContext, target: AttributeTarget, value: unknown): void {
  assertWritable(target);
  const { attribute, sub, selection } = target;
  const hasValue = value !== undefined && value !== null;
  if (!attribute.multiValued) {
    if (hasValue) context.notes.push(note('remove-value-ignored', `"value" is ignored when removing single-valued "${target.label}"`));
    const current = readValue(context, target);
    if (sub) {
      const before = isObject(current) ? current : undefined;
      if (before?.[sub.name] === undefined) return nothingRemoved(context, target);
      assertUnchanged(sub, `${attribute.name}.${sub.name}`, before[sub.name], undefined);
      const next: ScimObject = { ...before };
      delete next[sub.name];
      writeValue(context, target, next);
      return;
    }
    if (current === undefined) return nothingRemoved(context, target);
    assertRemovable(attribute, current);
    writeValue(context, target, undefined);
    return;
  }

  const elements = readElements(context, target);
  if (selection || sub) {
    if (hasValue) {
      context.notes.push(note('remove-value-ignored', `"value" is ignored when "path" selects what to remove ("${target.label}")`));
    }
    const matched = selection ? elements.filter((element) => selection.matches(element)) : elements;
    if (matched.length === 0) return nothingRemoved(context, target);
    if (sub) {
      for (const element of matched) {
        if (!isObject(element) || element[sub.name] === undefined) continue;
        assertUnchanged(sub, `${attribute.name}.${sub.name}`, element[sub.name], undefined);
        delete element[sub.name];
      }
      writeValue(context, target, withoutEmptyElements(elements));
    } else {
      writeValue(context, target, elements.filter((element) => !matched.includes(element)));
    }
    return;
  }

  if (!hasValue) {
    if (elements.length > 0) assertRemovable(attribute, elements);
    writeValue(context, target, undefined);
    return;
  }
  // Entra's default member removal names the attribute and lists the values to remove:
  // {"op":"Remove","path":"members","value":[{"value":"u1091"}]} (idp-traffic.md §1.3 "Groups",
  // [E2]); JumpCloud does the same (§5). Read literally, RFC 7644 §3.5.2.2 would remove every
  // member, which is why SPs serving Entra remove only the listed values, as here.
  context.notes.push(note('remove-by-value-array', `removed only the listed values of "${target.label}", not the whole attribute`));
  const listed = asElements(coerceAttributeValue(attribute, value, target.label, context.notes));
  const kept = elements.filter((element) => !listed.some((item) => sameValue(attribute, element, item)));
  if (kept.length === elements.length) return nothingRemoved(context, target);
  assertRemovable(attribute, elements);
  writeValue(context, target, kept);
}

function setSimple(context: PatchContext, target: AttributeTarget, value: unknown, mode: SetMode): void {
  const { attribute } = target;
  const next = coerceAttributeValue(attribute, value, target.label, context.notes);
  if (next === undefined && mode === 'add') return nothingAdded(context, target);
  const current = readValue(context, target);
  assertUnchanged(attribute, attribute.name, current, next);
  writeValue(context, target, next);
}

/**
 * A single-valued complex attribute: the given sub-attributes are set and the others kept
 * (RFC 7644 §3.5.2.1 and §3.5.2.3: "Sub-attributes that are not specified in the 'value'
 * parameter are left unchanged"). A replace may unassign sub-attributes by giving them as null.
 */
function mergeComplex(context: PatchContext, target: AttributeTarget, value: unknown, mode: SetMode): void {
  const { attribute } = target;
  const current = readValue(context, target);
  const before = isObject(current) ? current : undefined;
  if (value === null) {
    if (mode === 'add') return nothingAdded(context, target);
    if (before) assertRemovable(attribute, before);
    writeValue(context, target, undefined);
    return;
  }
  const given = coerceAttributeValue(attribute, value, target.label, context.notes);
  const next: ScimObject = { ...before };
  if (isObject(given)) Object.assign(next, given);
  if (mode === 'replace') {
    for (const sub of nullSubAttributes(attribute, value)) delete next[sub.name];
  } else if (given === undefined) {
    return nothingAdded(context, target);
  }
  assertSubAttributesUnchanged(attribute, before, next);
  assertUnchanged(attribute, attribute.name, before, next);
  writeValue(context, target, next);
}

/** `name.givenName`, `urn:...:User:manager.value`: one sub-attribute of a single-valued complex attribute. */
function setSubAttribute(
  context: PatchContext,
  target: AttributeTarget,
  sub: AttributeDef,
  value: unknown,
  mode: SetMode,
): void {
  const { attribute } = target;
  const current = readValue(context, target);
  const before = isObject(current) ? current : undefined;
  const given = coerceAttributeValue(sub, value, target.label, context.notes);
  if (given === undefined && mode === 'add') return nothingAdded(context, target);
  assertUnchanged(sub, `${attribute.name}.${sub.name}`, before?.[sub.name], given);
  const next: ScimObject = { ...before };
  if (given === undefined) delete next[sub.name];
  else next[sub.name] = given;
  assertUnchanged(attribute, attribute.name, before, next);
  writeValue(context, target, next);
}

/** add to a multi-valued attribute: append the new values, skipping ones already present. */
function appendValues(context: PatchContext, target: AttributeTarget, value: unknown): void {
  const { attribute } = target;
  const given = asElements(coerceAttributeValue(attribute, value, target.label, context.notes));
  if (given.length === 0) return nothingAdded(context, target);
  const elements = [...readElements(context, target)];
  const added: ScimValue[] = [];
  for (const element of given) {
    if (elements.some((existing) => sameValue(attribute, existing, element))) continue;
    elements.push(element);
    added.push(element);
  }
  const skipped = given.length - added.length;
  if (skipped > 0) {
    // RFC 7644 §3.5.2.1 leaves duplicates to the server; adding a member twice must not list it twice.
    context.notes.push(
      note('duplicate-value-skipped', `${skipped} value(s) of "${attribute.name}" were already present and were not added again`),
    );
  }
  settlePrimary(context, target, elements, added);
  writeValue(context, target, elements);
}

/** replace of a whole multi-valued attribute (RFC 7644 §3.5.2.3); [] or null unassigns it. */
function replaceValues(context: PatchContext, target: AttributeTarget, value: unknown): void {
  const { attribute } = target;
  const given = asElements(coerceAttributeValue(attribute, value, target.label, context.notes));
  const elements: ScimValue[] = [];
  for (const element of given) {
    if (!elements.some((existing) => sameValue(attribute, existing, element))) elements.push(element);
  }
  if (elements.length < given.length) {
    context.notes.push(
      note('duplicate-value-skipped', `${given.length - elements.length} duplicate value(s) of "${attribute.name}" were dropped`),
    );
  }
  const current = readValue(context, target);
  if (current !== undefined) assertUnchanged(attribute, attribute.name, current, elements.length ? elements : undefined);
  settlePrimary(context, target, elements, elements);
  writeValue(context, target, elements);
}

/**
 * A multi-valued attribute narrowed by a `[filter]` and/or a sub-attribute: `emails[type eq
 * "work"].value`, `members[value eq "x"]`, `emails.value` (every element).
 */
function setSelected(context: PatchContext, target: AttributeTarget, value: unknown, mode: SetMode): void {
  const { attribute, sub, selection } = target;
  const elements = [...readElements(context, target)];
  const matched = selection ? elements.filter((element) => selection.matches(element)) : [...elements];

  if (matched.length === 0) {
    // RFC 7644 §3.5.2.3: a filter that matches nothing is a noTarget error, except that "If the
    // target location path specifies an attribute that does not exist, the service provider SHALL
    // treat the operation as an add". An add upserts: Entra sends `add` on
    // `emails[type eq "work"].value` for a user without a work email and expects it created
    // (idp-traffic.md §1.3 "Update user attributes", SCIM-SDK#416; §1.5 quirk 5).
    if (mode === 'replace' && elements.length > 0) {
      throw noTarget(`No value of "${attribute.name}" matches "${target.label}"`);
    }
    const created = createElement(context, target, value);
    if (created === undefined) return nothingAdded(context, target);
    if (elements.some((existing) => sameValue(attribute, existing, created))) {
      context.notes.push(
        note('duplicate-value-skipped', `the value built for "${target.label}" is already present in "${attribute.name}"; not added again`),
      );
      return;
    }
    elements.push(created);
    settlePrimary(context, target, elements, [created]);
    writeValue(context, target, elements);
    return;
  }

  if (sub) {
    const given = coerceAttributeValue(sub, value, target.label, context.notes);
    if (given === undefined && mode === 'add') return nothingAdded(context, target);
    for (const element of matched) {
      if (!isObject(element)) continue;
      assertUnchanged(sub, `${attribute.name}.${sub.name}`, element[sub.name], given);
      if (given === undefined) delete element[sub.name];
      else element[sub.name] = cloneJson(given);
    }
    const kept = withoutEmptyElements(elements);
    settlePrimary(context, target, kept, sub === primaryOf(attribute) ? matched : []);
    writeValue(context, target, kept);
    return;
  }

  // A selection without a sub-attribute. replace swaps each selected value for the given one
  // (RFC 7644 §3.5.2.3's `addresses[type eq "work"]` example); add merges into them.
  const given = coerceElement(attribute, singleElement(value, target), target.label, context.notes);
  if (given === undefined) {
    if (mode === 'add') return nothingAdded(context, target);
    writeValue(context, target, elements.filter((element) => !matched.includes(element)));
    return;
  }
  const changed: ScimValue[] = [];
  const next = elements.map((element) => {
    if (!matched.includes(element)) return element;
    const updated =
      mode === 'add' ? mergeElement(attribute, element, given) : replaceElement(context, attribute, element, given);
    changed.push(updated);
    return updated;
  });
  settlePrimary(context, target, next, changed);
  writeValue(context, target, next);
}

function mergeElement(attribute: AttributeDef, element: ScimValue, given: ScimValue): ScimValue {
  if (!isObject(element) || !isObject(given)) return cloneJson(given);
  const next: ScimObject = { ...element, ...cloneJson(given) };
  assertSubAttributesUnchanged(attribute, element, next);
  return next;
}

/**
 * Immutable sub-attributes (a member's `value`, `type`) SHALL NOT be updated (RFC 7643 §7): a
 * replacement that changes one is refused, one that omits it keeps the stored value.
 */
function replaceElement(context: PatchContext, attribute: AttributeDef, element: ScimValue, given: ScimValue): ScimValue {
  const next = cloneJson(given);
  if (!isObject(element) || !isObject(next)) return next;
  for (const sub of attribute.subAttributes ?? []) {
    if (sub.mutability !== 'immutable' || element[sub.name] === undefined) continue;
    if (next[sub.name] === undefined) {
      next[sub.name] = element[sub.name];
      context.notes.push(
        note('immutable-sub-attribute-kept', `kept immutable "${attribute.name}.${sub.name}" that the replacement value omits`),
      );
    } else {
      assertUnchanged(sub, `${attribute.name}.${sub.name}`, element[sub.name], next[sub.name]);
    }
  }
  return next;
}

/**
 * The value an add (or a replace on an attribute with no values) creates when a selection
 * matches nothing: the filter's `eq` terms become sub-attributes, so `emails[type eq
 * "work"].value` creates `{"type":"work","value":...}`. With a sub-attribute the filter is the
 * only source of the new value's identity, so it must be a conjunction of `eq` comparisons.
 */
function createElement(context: PatchContext, target: AttributeTarget, value: unknown): ScimValue | undefined {
  const { attribute, sub, selection } = target;
  const terms = selection ? equalityTerms(attribute, selection.filter) : new Map<string, CompValue>();
  if (sub) {
    if (value === null) return undefined;
    if (!terms) {
      throw noTarget(
        `No value of "${attribute.name}" matches "${target.label}", and no new value can be built from a filter that is not "eq" comparisons joined by "and"`,
      );
    }
    const raw: Record<string, unknown> = Object.fromEntries(terms);
    raw[sub.name] = value;
    // Named by the attribute: the element's sub-attributes come from both the filter and the value.
    return coerceElement(attribute, raw, attribute.name, context.notes);
  }
  const element = coerceElement(attribute, singleElement(value, target), target.label, context.notes);
  if (!isObject(element) || !terms) return element;
  for (const [name, term] of terms) {
    const def = findSubAttribute(attribute, name);
    if (def && element[name] === undefined) {
      const coerced = coerceAttributeValue(def, term, `${attribute.name}.${def.name}`, context.notes);
      if (coerced !== undefined) element[name] = coerced;
    }
  }
  return element;
}

/** The single element a selection is set to: an object, or an array holding exactly one. */
function singleElement(value: unknown, target: AttributeTarget): unknown {
  if (!Array.isArray(value)) return value;
  if (value.length === 0) return null;
  if (value.length === 1) return value[0];
  throw invalidValue(`"${target.label}" selects values of "${target.attribute.name}"; give one value, not an array of ${value.length}`);
}

/** Sub-attributes a replace value gives as null, e.g. {"middleName": null}: those are unassigned. */
function nullSubAttributes(attribute: AttributeDef, value: unknown): AttributeDef[] {
  const object = Array.isArray(value) && value.length === 1 ? value[0] : value;
  if (!isObject(object)) return [];
  const result: AttributeDef[] = [];
  for (const key of Object.keys(object)) {
    const sub = object[key] === null ? findSubAttribute(attribute, key) : undefined;
    if (sub && sub.mutability !== 'readOnly') result.push(sub);
  }
  return result;
}

function asElements(value: ScimValue | undefined): ScimValue[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function withoutEmptyElements(elements: readonly ScimValue[]): ScimValue[] {
  return elements.filter((element) => !(isObject(element) && Object.keys(element).length === 0));
}

function nothingAdded(context: PatchContext, target: AttributeTarget): void {
  context.notes.push(note('nothing-to-add', `"${target.label}": the value is null or empty, so nothing was added`));
}

function nothingRemoved(context: PatchContext, target: AttributeTarget): void {
  context.notes.push(note('nothing-to-remove', `"${target.label}": nothing to remove`));
}
