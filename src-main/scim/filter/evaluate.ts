/**
 * Compiles a filter AST into a predicate over stored resources (RFC 7644 §3.4.2.2 semantics,
 * RFC 7643 §2 attribute types).
 *
 * Every path is resolved against the resource type once, at compile time, so unknown
 * attributes, impossible operators and mistyped values fail the request with invalidFilter
 * before any resource is read. The predicates then run over whole directories (100k resources
 * per query), so they read canonical attribute names directly, compare against values
 * prepared once (lowercased, parsed), and allocate nothing on the common paths.
 *
 * Semantics a caller should know:
 * - Multi-valued attributes match when ANY value matches (`emails.type eq "work"`).
 * - A comparison on a complex attribute compares its `value` sub-attribute (`emails co "x"`,
 *   `manager eq "id"`); complex attributes without one (`name`, `addresses`) must be compared
 *   through a sub-attribute.
 * - `ne` is the negation of `eq` across all values: `emails.type ne "work"` holds when no email
 *   has type "work", including when there are no emails. The RFC does not say whether `ne` on a
 *   multi-valued attribute means "some value differs" or "no value equals"; only the latter makes
 *   `not (x eq v)` and `x ne v` agree, which is what clients expect when they swap one for the other.
 *   For the same reason an absent attribute satisfies `ne`.
 * - `eq null` holds when the attribute is absent, null, "" or [] (i.e. not `pr`); `ne null` is `pr`.
 * - Predicates never throw: stored values of an unexpected type simply do not match.
 */
import type { AttributeDef } from '../schema/definitions.js';
import {
  findCommonAttribute,
  findExtension,
  findSubAttribute,
  formatAttrPath,
  resolvePath,
  type AttrPath,
  type ResolvedPath,
  type ResourceTypeDef,
} from '../schema/resource-types.js';
import { invalidFilter, type ScimError } from '../errors.js';
import type { ScimObject } from '../resource.js';
import type { CompValue, CompareOp, Filter } from './ast.js';
import { formatFilter, formatValue } from './format.js';
import { closest } from '../../text/suggest.js';

type Predicate = (subject: unknown) => boolean;
type Test = (value: unknown) => boolean;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** True when `test` holds for the value, or for any element when the attribute is multi-valued. */
function someOf(value: unknown, multiValued: boolean, test: Test): boolean {
  if (multiValued && Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (test(value[i])) return true;
    return false;
  }
  return test(value);
}

/**
 * RFC 7644 §3.4.2.2 "pr": "If the attribute has a non-empty value, or if it contains a non-empty
 * node for complex attributes". Empty strings and arrays count as absent, as do complex values
 * whose sub-attributes are all absent. SCIM values nest at most three levels
 * (array → complex → simple), so deeper odd data counts as present without being walked.
 */
function isPresent(value: unknown): boolean {
  return presentWithin(value, 3);
}

function presentWithin(value: unknown, depth: number): boolean {
  if (value === undefined || value === null) return false;
  if (typeof value === 'string') return value.length > 0;
  if (typeof value !== 'object') return true;
  if (Array.isArray(value)) {
    if (depth === 0) return value.length > 0;
    for (let i = 0; i < value.length; i++) if (presentWithin(value[i], depth - 1)) return true;
    return false;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (depth === 0 || presentWithin(record[key], depth - 1)) return true;
  }
  return false;
}

// ---- case-insensitive string matching -------------------------------------------------------
//
// caseExact=false attributes compare as if both sides were lowercased (String.prototype.toLowerCase,
// so non-ASCII letters fold too). The needle is lowercased once; the stored value is compared
// character by character with ASCII folding, and only a non-ASCII character in it falls back to
// allocating its lowercase form. With an ASCII needle the fast paths are exact: the only
// characters whose lowercase changes length (U+0130 → "i" U+0307) produce a non-ASCII character,
// so they can never line up with an ASCII needle except through the fallback.

function isAscii(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return false;
  return true;
}

function foldAscii(code: number): number {
  return code >= 0x41 && code <= 0x5a ? code + 0x20 : code;
}

/** Compares `value[offset..offset+needle.length)` with an ASCII needle; -1 when a non-ASCII character is hit. */
function regionMatches(value: string, offset: number, needle: string): 0 | 1 | -1 {
  for (let j = 0; j < needle.length; j++) {
    const code = value.charCodeAt(offset + j);
    if (code > 0x7f) return -1;
    if (foldAscii(code) !== needle.charCodeAt(j)) return 0;
  }
  return 1;
}

function equalsIgnoreCase(value: string, needle: string, asciiNeedle: boolean): boolean {
  if (!asciiNeedle) return value.toLowerCase() === needle;
  if (value.length !== needle.length) return false;
  const match = regionMatches(value, 0, needle);
  return match === -1 ? value.toLowerCase() === needle : match === 1;
}

function startsWithIgnoreCase(value: string, needle: string, asciiNeedle: boolean): boolean {
  if (!asciiNeedle) return value.toLowerCase().startsWith(needle);
  if (value.length < needle.length) return false;
  const match = regionMatches(value, 0, needle);
  return match === -1 ? value.toLowerCase().startsWith(needle) : match === 1;
}

function endsWithIgnoreCase(value: string, needle: string, asciiNeedle: boolean): boolean {
  if (!asciiNeedle) return value.toLowerCase().endsWith(needle);
  if (value.length < needle.length) return false;
  const match = regionMatches(value, value.length - needle.length, needle);
  return match === -1 ? value.toLowerCase().endsWith(needle) : match === 1;
}

function containsIgnoreCase(value: string, needle: string, asciiNeedle: boolean): boolean {
  if (!asciiNeedle || !isAscii(value)) return value.toLowerCase().includes(needle);
  const last = value.length - needle.length;
  for (let i = 0; i <= last; i++) if (regionMatches(value, i, needle) === 1) return true;
  return false;
}

function stringTest(op: Exclude<CompareOp, 'ne'>, needle: string, caseExact: boolean): Test {
  if (caseExact) {
    switch (op) {
      case 'eq':
        return (value) => value === needle;
      case 'co':
        return (value) => typeof value === 'string' && value.includes(needle);
      case 'sw':
        return (value) => typeof value === 'string' && value.startsWith(needle);
      case 'ew':
        return (value) => typeof value === 'string' && value.endsWith(needle);
      // RFC 7644 §3.4.2.2: strings order lexicographically; code-unit order keeps it deterministic.
      case 'gt':
        return (value) => typeof value === 'string' && value > needle;
      case 'ge':
        return (value) => typeof value === 'string' && value >= needle;
      case 'lt':
        return (value) => typeof value === 'string' && value < needle;
      case 'le':
        return (value) => typeof value === 'string' && value <= needle;
    }
  }
  const lower = needle.toLowerCase();
  const ascii = isAscii(lower);
  switch (op) {
    case 'eq':
      return (value) => typeof value === 'string' && equalsIgnoreCase(value, lower, ascii);
    case 'co':
      return (value) => typeof value === 'string' && containsIgnoreCase(value, lower, ascii);
    case 'sw':
      return (value) => typeof value === 'string' && startsWithIgnoreCase(value, lower, ascii);
    case 'ew':
      return (value) => typeof value === 'string' && endsWithIgnoreCase(value, lower, ascii);
    case 'gt':
      return (value) => typeof value === 'string' && value.toLowerCase() > lower;
    case 'ge':
      return (value) => typeof value === 'string' && value.toLowerCase() >= lower;
    case 'lt':
      return (value) => typeof value === 'string' && value.toLowerCase() < lower;
    case 'le':
      return (value) => typeof value === 'string' && value.toLowerCase() <= lower;
  }
}

// ---- dateTime ---------------------------------------------------------------------------------

/**
 * An instant as whole seconds since the epoch plus nanoseconds, so that timestamps with more
 * precision than a millisecond still compare exactly.
 */
export interface Instant {
  readonly seconds: number;
  readonly nanos: number;
}

// Written by scanDateTime so that evaluating a predicate does not allocate an Instant per resource.
let scannedSeconds = 0;
let scannedNanos = 0;

function digitsAt(text: string, start: number, count: number): number {
  let result = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    result = result * 10 + digit;
  }
  return result;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

/**
 * Parses an xsd:dateTime / RFC 3339 timestamp (RFC 7643 §2.3.5), `YYYY-MM-DDThh:mm:ss[.fff…][Z|±hh:mm]`,
 * into scannedSeconds/scannedNanos. A timestamp without an offset is read as UTC (xsd:dateTime
 * leaves it unspecified; SCIM servers write UTC). Fraction digits beyond nanoseconds are ignored.
 */
function scanDateTime(text: string): boolean {
  const length = text.length;
  if (length < 19) return false;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  const t = text.charCodeAt(10);
  if (
    year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month) ||
    hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 60 ||
    text.charCodeAt(4) !== 0x2d || text.charCodeAt(7) !== 0x2d || (t !== 0x54 && t !== 0x74) ||
    text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a
  ) {
    return false;
  }
  let i = 19;
  let nanos = 0;
  if (i < length && text.charCodeAt(i) === 0x2e) {
    i++;
    const fractionStart = i;
    let scale = 100_000_000;
    while (i < length) {
      const digit = text.charCodeAt(i) - 0x30;
      if (digit < 0 || digit > 9) break;
      nanos += digit * scale;
      scale = Math.floor(scale / 10);
      i++;
    }
    if (i === fractionStart) return false;
  }
  let offsetSeconds = 0;
  if (i < length) {
    const sign = text.charCodeAt(i);
    if (sign === 0x5a || sign === 0x7a) {
      if (i + 1 !== length) return false;
    } else if (sign === 0x2b || sign === 0x2d) {
      if (i + 6 !== length || text.charCodeAt(i + 3) !== 0x3a) return false;
      const offsetHours = digitsAt(text, i + 1, 2);
      const offsetMinutes = digitsAt(text, i + 4, 2);
      if (offsetHours < 0 || offsetHours > 23 || offsetMinutes < 0 || offsetMinutes > 59) return false;
      offsetSeconds = (offsetHours * 3600 + offsetMinutes * 60) * (sign === 0x2b ? 1 : -1);
    } else {
      return false;
    }
  }
  scannedSeconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second - offsetSeconds;
  scannedNanos = nanos;
  return true;
}

/** Parses a SCIM dateTime into an exact instant, or undefined when it is not one. */
export function parseDateTime(text: string): Instant | undefined {
  return scanDateTime(text) ? { seconds: scannedSeconds, nanos: scannedNanos } : undefined;
}

function dateTimeTest(op: Exclude<CompareOp, 'ne' | 'co' | 'sw' | 'ew'>, instant: Instant): Test {
  const { seconds, nanos } = instant;
  // NaN for anything that is not a timestamp, which every comparison below rejects.
  const compare = (value: unknown): number =>
    typeof value === 'string' && scanDateTime(value) ? scannedSeconds - seconds || scannedNanos - nanos : NaN;
  switch (op) {
    case 'eq':
      return (value) => compare(value) === 0;
    case 'gt':
      return (value) => compare(value) > 0;
    case 'ge':
      return (value) => compare(value) >= 0;
    case 'lt':
      return (value) => compare(value) < 0;
    case 'le':
      return (value) => compare(value) <= 0;
  }
}

function numberTest(op: Exclude<CompareOp, 'ne' | 'co' | 'sw' | 'ew'>, number: number): Test {
  switch (op) {
    case 'eq':
      return (value) => value === number;
    case 'gt':
      return (value) => typeof value === 'number' && value > number;
    case 'ge':
      return (value) => typeof value === 'number' && value >= number;
    case 'lt':
      return (value) => typeof value === 'number' && value < number;
    case 'le':
      return (value) => typeof value === 'number' && value <= number;
  }
}

// ---- resolution -----------------------------------------------------------------------------

/** What a path names, with a builder for "some value there passes this test". */
interface Target {
  /** The attribute the path names (for `emails.value`, `emails`). */
  readonly attribute: AttributeDef;
  /** The attribute whose values are tested: the sub-attribute when there is one. */
  readonly leaf: AttributeDef;
  /** The path as the client wrote it, for messages. */
  readonly label: string;
  some(test: Test): Predicate;
}

type Purpose = 'compare' | 'presence' | 'valuePath';

interface Scope {
  readonly resourceType: ResourceTypeDef;
  resolve(path: AttrPath, purpose: Purpose): Target;
}

/** A "did you mean" for typos; short names get a stricter bound so that "nope" does not suggest "name". */
function suggestion(name: string, candidates: readonly AttributeDef[]): string {
  const best = closest(
    name,
    candidates.map((candidate) => candidate.name),
    (typed) => (typed.length <= 4 ? 1 : 2),
  );
  return best ? `; did you mean "${best}"?` : '';
}

function checkFilterable(attribute: AttributeDef, label: string): void {
  // RFC 7643 §7: a service provider MAY allow returned=never attributes in filters. This one
  // does not, so that a filter cannot be used to probe stored passwords.
  if (attribute.returned === 'never') {
    throw invalidFilter(`Attribute "${label}" is never returned and cannot be used in a filter`);
  }
}

function unknownInResource(resourceType: ResourceTypeDef, path: AttrPath): ScimError {
  const where = `in filter for resource type ${resourceType.name}`;
  let candidates: readonly AttributeDef[] = resourceType.schema.attributes;
  if (path.uri !== undefined && path.uri.toLowerCase() !== resourceType.schema.id.toLowerCase()) {
    const extension = findExtension(resourceType, path.uri);
    if (!extension) {
      const known = [resourceType.schema.id, ...resourceType.extensions.map((e) => e.schema.id)].join(', ');
      return invalidFilter(`Unknown schema "${path.uri}" ${where} (in "${formatAttrPath(path)}"); known schemas: ${known}`);
    }
    candidates = extension.attributes;
  }
  const basePath: AttrPath = path.uri === undefined ? { name: path.name } : { uri: path.uri, name: path.name };
  const base = resolvePath(resourceType, basePath);
  if (!base) {
    const all = path.uri === undefined ? [...candidates, ...commonCandidates()] : candidates;
    return invalidFilter(`Unknown attribute "${formatAttrPath(basePath)}" ${where}${suggestion(path.name, all)}`);
  }
  if (!base.attribute.subAttributes) {
    return invalidFilter(
      `Attribute "${formatAttrPath(basePath)}" has no sub-attributes, so "${formatAttrPath(path)}" names nothing ${where}`,
    );
  }
  return invalidFilter(
    `Unknown sub-attribute "${path.subAttr}" of "${base.attribute.name}" ${where}${suggestion(path.subAttr ?? '', base.attribute.subAttributes)}`,
  );
}

function commonCandidates(): AttributeDef[] {
  return ['id', 'externalId', 'meta', 'schemas'].map((name) => findCommonAttribute(name)!);
}

/** Complex attributes are compared through their `value` sub-attribute (`emails co "x"`). */
function valueSubAttribute(attribute: AttributeDef, label: string, path: AttrPath): AttributeDef {
  const value = findSubAttribute(attribute, 'value');
  if (!value) {
    const example = attribute.subAttributes?.[0]?.name ?? 'value';
    throw invalidFilter(
      `Attribute "${label}" is complex and has no "value" to compare; compare one of its sub-attributes, as in ${formatAttrPath({ ...path, subAttr: example })}`,
    );
  }
  return value;
}

function resourceScope(resourceType: ResourceTypeDef): Scope {
  return {
    resourceType,
    resolve(path, purpose) {
      const resolved = resolvePath(resourceType, path);
      if (!resolved) throw unknownInResource(resourceType, path);
      const label = formatAttrPath(path);
      const { attribute } = resolved;
      checkFilterable(attribute, label);
      let sub = resolved.subAttribute;
      if (sub) checkFilterable(sub, label);
      if (purpose === 'valuePath') {
        if (sub) throw invalidFilter(`"[" must follow a multi-valued attribute, not the sub-attribute path "${label}"`);
        if (!attribute.multiValued && attribute.type !== 'complex') {
          throw invalidFilter(
            `Attribute "${label}" is a single-valued ${attribute.type}; a value filter "${label}[...]" needs a multi-valued or complex attribute`,
          );
        }
      }
      if (!sub && purpose === 'compare' && attribute.type === 'complex') sub = valueSubAttribute(attribute, label, path);

      const name = attribute.name;
      const multiValued = attribute.multiValued;
      const read: (subject: unknown) => unknown = resolved.extension
        ? ((schemaKey: string) => (subject: unknown) => {
            if (!isRecord(subject)) return undefined;
            const container = subject[schemaKey];
            return isRecord(container) ? container[name] : undefined;
          })(resolved.schema.id)
        : (subject) => (isRecord(subject) ? subject[name] : undefined);

      const subAttribute = sub;
      return {
        attribute,
        leaf: subAttribute ?? attribute,
        label,
        some(test) {
          if (!subAttribute) return (subject) => someOf(read(subject), multiValued, test);
          const subName = subAttribute.name;
          const subMultiValued = subAttribute.multiValued;
          const elementTest: Test = (element) => isRecord(element) && someOf(element[subName], subMultiValued, test);
          return (subject) => someOf(read(subject), multiValued, elementTest);
        },
      };
    },
  };
}

function exampleSubAttribute(parent: AttributeDef): string {
  return (findSubAttribute(parent, 'type') ?? parent.subAttributes?.[0])?.name ?? 'value';
}

function elementScope(resourceType: ResourceTypeDef, parent: AttributeDef, parentLabel: string): Scope {
  return {
    resourceType,
    resolve(path, purpose) {
      const label = formatAttrPath(path);
      if (path.uri !== undefined || path.subAttr !== undefined) {
        throw invalidFilter(
          `Inside "${parentLabel}[...]" name a sub-attribute of ${parentLabel} (such as "${exampleSubAttribute(parent)}"), not "${label}"`,
        );
      }
      if (purpose === 'valuePath') {
        throw invalidFilter(`Value filters cannot be nested: "${label}[...]" inside "${parentLabel}[...]"`);
      }
      if (parent.type !== 'complex') {
        // RFC 7644 §3.4.2.2 / §3.5.2: for a multi-valued attribute of simple values, "value" is the element itself.
        if (path.name.toLowerCase() !== 'value') {
          throw invalidFilter(
            `Attribute "${parentLabel}" holds simple values; inside "${parentLabel}[...]" refer to each value as "value", not "${path.name}"`,
          );
        }
        return { attribute: parent, leaf: parent, label, some: (test) => test };
      }
      const sub = findSubAttribute(parent, path.name);
      if (!sub) {
        throw invalidFilter(
          `Unknown sub-attribute "${path.name}" of "${parentLabel}" in filter for resource type ${resourceType.name}${suggestion(path.name, parent.subAttributes ?? [])}`,
        );
      }
      checkFilterable(sub, `${parentLabel}.${sub.name}`);
      let leaf = sub;
      if (purpose === 'compare' && sub.type === 'complex') leaf = valueSubAttribute(sub, label, path);
      const subName = sub.name;
      const subMultiValued = sub.multiValued;
      if (leaf === sub) {
        return {
          attribute: sub,
          leaf,
          label,
          some: (test) => (element) => isRecord(element) && someOf(element[subName], subMultiValued, test),
        };
      }
      // Unreachable with RFC 7643 schemas (sub-attributes are never complex) but kept total.
      const leafName = leaf.name;
      return {
        attribute: sub,
        leaf,
        label,
        some: (test) => (element) =>
          isRecord(element) && someOf(element[subName], subMultiValued, (inner) => isRecord(inner) && test(inner[leafName])),
      };
    },
  };
}

// ---- compilation ----------------------------------------------------------------------------

const COMPARE_OPS: ReadonlySet<string> = new Set<CompareOp>(['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le']);

function describeValue(value: CompValue): string {
  if (typeof value === 'string') return `the string ${formatValue(value)}`;
  if (typeof value === 'number') return `the number ${formatValue(value)}`;
  return String(value);
}

function buildTest(
  filter: Extract<Filter, { kind: 'compare' }>,
  leaf: AttributeDef,
  label: string,
): Test {
  const { op, value } = filter;
  const mismatch = (detail: string) => invalidFilter(`${detail} (in: ${formatFilter(filter)})`);
  const ordering = op === 'gt' || op === 'ge' || op === 'lt' || op === 'le';
  const substring = op === 'co' || op === 'sw' || op === 'ew';
  const effective = op === 'ne' ? 'eq' : op;
  switch (leaf.type) {
    case 'string':
    case 'reference':
    case 'binary': {
      if (typeof value !== 'string') {
        throw mismatch(
          `Attribute "${label}" holds strings, so compare it with a string in double quotes such as "${String(value)}", not ${describeValue(value)}`,
        );
      }
      if (leaf.type === 'binary' && ordering) {
        // RFC 7644 §3.4.2.2: gt/ge/lt/le on binary attributes SHALL fail with invalidFilter.
        throw mismatch(`"${op}" cannot be used with the binary attribute "${label}"`);
      }
      return stringTest(effective as Exclude<CompareOp, 'ne'>, value, leaf.caseExact);
    }
    case 'boolean': {
      if (ordering || substring) {
        // RFC 7644 §3.4.2.2 forbids gt/ge/lt/le on booleans; co/sw/ew have no meaning for them either.
        throw mismatch(`"${op}" cannot be used with the boolean attribute "${label}"; use eq, ne or pr`);
      }
      let expected: boolean;
      if (typeof value === 'boolean') {
        expected = value;
      } else if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
        // Entra sends booleans as the strings "True"/"False" by default, including in filters
        // such as roles[primary eq "True"]; the intent is unambiguous, so accept them.
        expected = value.toLowerCase() === 'true';
      } else {
        throw mismatch(`Attribute "${label}" is boolean, so compare it with true or false, not ${describeValue(value)}`);
      }
      return (stored) => stored === expected;
    }
    case 'integer':
    case 'decimal': {
      if (typeof value !== 'number') {
        throw mismatch(`Attribute "${label}" is a number (${leaf.type}), so compare it with a number, not ${describeValue(value)}`);
      }
      if (substring) throw mismatch(`"${op}" cannot be used with the ${leaf.type} attribute "${label}"; use eq, ne, gt, ge, lt or le`);
      return numberTest(effective as Exclude<CompareOp, 'ne' | 'co' | 'sw' | 'ew'>, value);
    }
    case 'dateTime': {
      if (substring) {
        throw mismatch(`"${op}" cannot be used with the dateTime attribute "${label}"; use eq, ne, gt, ge, lt or le`);
      }
      const instant = typeof value === 'string' ? parseDateTime(value) : undefined;
      if (!instant) {
        throw mismatch(
          `Attribute "${label}" is a dateTime, so compare it with a timestamp such as "2011-05-13T04:42:34Z", not ${describeValue(value)}`,
        );
      }
      return dateTimeTest(effective as Exclude<CompareOp, 'ne' | 'co' | 'sw' | 'ew'>, instant);
    }
    case 'complex':
      throw mismatch(`Attribute "${label}" is complex; compare one of its sub-attributes`);
  }
}

function flatten(filter: Extract<Filter, { kind: 'and' | 'or' }>): Filter[] {
  const operands: Filter[] = [];
  const pending: Filter[] = [filter];
  while (pending.length > 0) {
    const node = pending.pop()!;
    if (node.kind === filter.kind) pending.push(node.right, node.left);
    else operands.push(node);
  }
  return operands;
}

function allOf(predicates: Predicate[]): Predicate {
  if (predicates.length === 2) {
    const [a, b] = predicates as [Predicate, Predicate];
    return (subject) => a(subject) && b(subject);
  }
  return (subject) => {
    for (let i = 0; i < predicates.length; i++) if (!predicates[i]!(subject)) return false;
    return true;
  };
}

function anyOf(predicates: Predicate[]): Predicate {
  if (predicates.length === 2) {
    const [a, b] = predicates as [Predicate, Predicate];
    return (subject) => a(subject) || b(subject);
  }
  return (subject) => {
    for (let i = 0; i < predicates.length; i++) if (predicates[i]!(subject)) return true;
    return false;
  };
}

function compileNode(filter: Filter, scope: Scope): Predicate {
  switch (filter.kind) {
    case 'and':
    case 'or': {
      const predicates = flatten(filter).map((operand) => compileNode(operand, scope));
      return filter.kind === 'and' ? allOf(predicates) : anyOf(predicates);
    }
    case 'not': {
      const inner = compileNode(filter.filter, scope);
      return (subject) => !inner(subject);
    }
    case 'present':
      return scope.resolve(filter.path, 'presence').some(isPresent);
    case 'compare':
      return compileComparison(filter, scope);
    case 'valuePath': {
      const target = scope.resolve(filter.path, 'valuePath');
      const inner = compileNode(filter.filter, elementScope(scope.resourceType, target.attribute, target.label));
      return target.some(inner);
    }
    default:
      throw invalidFilter(`Unsupported filter node ${JSON.stringify((filter as { kind?: unknown }).kind)}`);
  }
}

function compileComparison(filter: Extract<Filter, { kind: 'compare' }>, scope: Scope): Predicate {
  const { op, value } = filter;
  if (!COMPARE_OPS.has(op)) throw invalidFilter(`Unsupported comparison operator ${JSON.stringify(op)}`);
  if (value !== null && typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') {
    throw invalidFilter(`Unsupported comparison value in filter on "${formatAttrPath(filter.path)}"`);
  }
  if (value === null) {
    if (op !== 'eq' && op !== 'ne') {
      throw invalidFilter(`null can only be compared with eq or ne (in: ${formatFilter(filter)})`);
    }
    const present = scope.resolve(filter.path, 'presence').some(isPresent);
    return op === 'ne' ? present : (subject) => !present(subject);
  }
  const target = scope.resolve(filter.path, 'compare');
  const matches = target.some(buildTest(filter, target.leaf, target.label));
  return op === 'ne' ? (subject) => !matches(subject) : matches;
}

/**
 * Compiles a filter for one resource type. Throws invalidFilter (400) naming the problem when a
 * path is unknown or an operator/value cannot apply to the attribute's type.
 * The returned predicate never throws.
 */
export function compileFilter(filter: Filter, resourceType: ResourceTypeDef): (resource: ScimObject) => boolean {
  return compileNode(filter, resourceScope(resourceType));
}

/**
 * Compiles the `[...]` of a PATCH path (`members[value eq "x"]`) into a test of one element of
 * `attribute`. Paths inside name sub-attributes of that attribute; for a multi-valued attribute
 * of simple values, `value` is the element itself. Throws invalidFilter; callers map it as needed.
 */
export function compileValueFilter(
  filter: Filter,
  resourceType: ResourceTypeDef,
  attribute: ResolvedPath,
): (element: unknown) => boolean {
  const parent = attribute.attribute;
  if (attribute.subAttribute) {
    throw invalidFilter(
      `A value filter selects elements of "${parent.name}", not of its sub-attribute "${attribute.subAttribute.name}"`,
    );
  }
  if (!parent.multiValued && parent.type !== 'complex') {
    throw invalidFilter(
      `Attribute "${parent.name}" is a single-valued ${parent.type}; a value filter needs a multi-valued or complex attribute`,
    );
  }
  return compileNode(filter, elementScope(resourceType, parent, parent.name));
}
