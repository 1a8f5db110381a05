/**
 * Property tests for the filter language: the parser never fails with anything but a SCIM 400,
 * printing and re-parsing is the identity, and compiled predicates are total and agree with the
 * obvious reference semantics.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ScimError } from '../../../../src-main/scim/errors.js';
import type { CompValue, CompareOp, Filter } from '../../../../src-main/scim/filter/ast.js';
import { compileFilter, parseDateTime } from '../../../../src-main/scim/filter/evaluate.js';
import { formatFilter, formatPatchPath } from '../../../../src-main/scim/filter/format.js';
import { parseFilter, parsePatchPath } from '../../../../src-main/scim/filter/parser.js';
import type { ScimObject } from '../../../../src-main/scim/resource.js';
import type { AttrPath } from '../../../../src-main/scim/schema/resource-types.js';
import { userResourceType } from '../../../../src-main/scim/schema/resource-types.js';
import { CORE_USER, ENTERPRISE } from './helpers.js';

const OPS: CompareOp[] = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le'];

/** Either a value or a 400 invalidFilter/invalidPath ScimError; anything else fails the property. */
function outcome<T>(action: () => T, scimType: 'invalidFilter' | 'invalidPath'): T | undefined {
  try {
    return action();
  } catch (error) {
    if (!(error instanceof ScimError) || error.status !== 400 || error.scimType !== scimType) throw error;
    expect(error.detail).toMatch(scimType === 'invalidFilter' ? /^Invalid filter at position \d+: / : /^Invalid path at position \d+: /);
    return undefined;
  }
}

/** Strings that include lone surrogates, control characters and quotes. */
const anyUtf16 = fc.string({ unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)), maxLength: 12 });

/** Fragments that make random text look like filters often enough to reach deep parser states. */
const fragment = fc.constantFrom(
  'userName', 'emails', 'name.familyName', `${ENTERPRISE}:manager.value`, `${CORE_USER}:userName`, 'urn:x', 'members',
  'eq', 'Eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'PR', 'and', 'AND', 'or', 'not', 'NOT', 'true', 'null',
  '"bjensen"', '"a\\"b"', '"\\u00e9"', '"', '\\', '"unterminated', '(', ')', '[', ']', '].value', '.value', '.', ':',
  '42', '-1.5e3', '01', "'x'", ' ', ' ', ' ', '\t', '\n', 'type', 'value', '$ref', 'é',
);
const filterishText = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(''));
const spacedFilterishText = fc.array(fragment, { maxLength: 24 }).map((parts) => parts.join(' '));

describe('property: parseFilter is total over strings', () => {
  it('returns a Filter or throws a 400 invalidFilter ScimError for arbitrary strings', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 60 }), anyUtf16, filterishText, spacedFilterishText), (text) => {
        outcome(() => parseFilter(text), 'invalidFilter');
      }),
      { numRuns: 1000 },
    );
  });

  it('round-trips whatever it accepts through formatFilter', () => {
    fc.assert(
      fc.property(fc.oneof(filterishText, spacedFilterishText), (text) => {
        const parsed = outcome(() => parseFilter(text), 'invalidFilter');
        if (parsed) expect(parseFilter(formatFilter(parsed))).toStrictEqual(parsed);
      }),
      { numRuns: 1000 },
    );
  });

  it('parsePatchPath returns a PatchPath or throws a 400 invalidPath ScimError, and round-trips', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 40 }), filterishText, spacedFilterishText), (text) => {
        const parsed = outcome(() => parsePatchPath(text), 'invalidPath');
        if (parsed) expect(parsePatchPath(formatPatchPath(parsed))).toStrictEqual(parsed);
      }),
      { numRuns: 1000 },
    );
  });
});

// ---- random ASTs --------------------------------------------------------------------------------

const attrName = fc.constantFrom('userName', 'title', 'emails', 'name', 'active', 'meta', 'members', 'X509Certificates', '$ref', 'a-b_c9');
const subAttrName = fc.constantFrom('value', 'type', 'familyName', 'lastModified', '$ref', 'Display');
const schemaUri = fc.constantFrom(CORE_USER, ENTERPRISE, CORE_USER.toUpperCase(), 'urn:example:custom:1.0', 'urn:x-y:z');

function makePath(uri: string | undefined, name: string, subAttr: string | undefined): AttrPath {
  return { ...(uri !== undefined ? { uri } : {}), name, ...(subAttr !== undefined ? { subAttr } : {}) };
}

const attrPath: fc.Arbitrary<AttrPath> = fc
  .tuple(fc.option(schemaUri, { nil: undefined }), attrName, fc.option(subAttrName, { nil: undefined }))
  .map(([uri, name, subAttr]) => makePath(uri, name, subAttr));
const multiValuedPath: fc.Arbitrary<AttrPath> = fc
  .tuple(fc.option(schemaUri, { nil: undefined }), attrName)
  .map(([uri, name]) => makePath(uri, name, undefined));

const compValue: fc.Arbitrary<CompValue> = fc.oneof(
  anyUtf16,
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.integer(),
  fc.boolean(),
  fc.constant(null),
);

/** fast-check builds null-prototype records by default; the parser builds plain objects. */
const plain = { noNullPrototype: true } as const;

const leaf: fc.Arbitrary<Filter> = fc.oneof(
  fc.record({ kind: fc.constant('compare' as const), path: attrPath, op: fc.constantFrom(...OPS), value: compValue }, plain),
  fc.record({ kind: fc.constant('present' as const), path: attrPath }, plain),
);

/** Trees shaped like the parser's output: value paths only at the outer level, never nested. */
const trees = fc.letrec<{ filter: Filter; inner: Filter }>((tie) => ({
  filter: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('and' as const), left: tie('filter'), right: tie('filter') }, plain),
    fc.record({ kind: fc.constant('or' as const), left: tie('filter'), right: tie('filter') }, plain),
    fc.record({ kind: fc.constant('not' as const), filter: tie('filter') }, plain),
    fc.record({ kind: fc.constant('valuePath' as const), path: multiValuedPath, filter: tie('inner') }, plain),
  ),
  inner: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('and' as const), left: tie('inner'), right: tie('inner') }, plain),
    fc.record({ kind: fc.constant('or' as const), left: tie('inner'), right: tie('inner') }, plain),
    fc.record({ kind: fc.constant('not' as const), filter: tie('inner') }, plain),
  ),
}));

describe('property: formatFilter is the inverse of parseFilter', () => {
  it('parseFilter(formatFilter(ast)) deep-equals ast for random ASTs', () => {
    fc.assert(
      fc.property(trees.filter, (ast) => {
        expect(parseFilter(formatFilter(ast))).toStrictEqual(ast);
      }),
      { numRuns: 1000 },
    );
  });

  it('formatPatchPath is the inverse of parsePatchPath for random paths', () => {
    const patchPath = fc.oneof(
      attrPath.map((attribute) => ({ attribute })),
      fc
        .tuple(multiValuedPath, trees.inner, fc.option(subAttrName, { nil: undefined }))
        .map(([attribute, valueFilter, subAttr]) => ({ attribute, valueFilter, ...(subAttr !== undefined ? { subAttr } : {}) })),
    );
    fc.assert(
      fc.property(patchPath, (path) => {
        expect(parsePatchPath(formatPatchPath(path))).toStrictEqual(path);
      }),
      { numRuns: 500 },
    );
  });
});

// ---- compiled predicates ------------------------------------------------------------------------

const timestamp = fc
  .tuple(
    fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2100-01-01T00:00:00Z'), noInvalidDate: true }),
    fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
    fc.constantFrom(0, 1, 3, 6, 9),
    fc.integer({ min: 0, max: 999_999_999 }),
  )
  .map(([date, offsetMinutes, digits, nanos]) => formatTimestamp(date, offsetMinutes, digits, nanos));

/** Renders an instant in local time at `offsetMinutes` with `digits` fraction digits. */
function formatTimestamp(date: Date, offsetMinutes: number, digits: number, nanos: number): string {
  const seconds = Math.floor(date.getTime() / 1000);
  const local = new Date((seconds + offsetMinutes * 60) * 1000).toISOString().slice(0, 19);
  const fraction = digits === 0 ? '' : '.' + String(nanos).padStart(9, '0').slice(0, digits);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  const offset = offsetMinutes === 0 && digits % 2 === 0 ? 'Z' : `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${local}${fraction}${offset}`;
}

const stringPath = fc.constantFrom(
  'userName', 'displayName', 'title', 'externalId', 'id', 'name.familyName', 'emails.value', 'emails.type', 'emails',
  `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`, `${ENTERPRISE}:manager`, 'schemas', 'meta.resourceType',
  'addresses.streetAddress', 'phoneNumbers', `${CORE_USER}:nickName`,
);
const presencePath = fc.constantFrom('userName', 'name', 'emails', 'addresses', 'meta', 'active', `${ENTERPRISE}:manager`, 'emails.primary', 'meta.created');
const shortString = fc.string({ maxLength: 6 });

const validLeaf: fc.Arbitrary<string> = fc.oneof(
  fc.tuple(stringPath, fc.constantFrom(...OPS), shortString).map(([p, op, v]) => `${p} ${op} ${JSON.stringify(v)}`),
  fc.tuple(stringPath, fc.constantFrom('eq', 'ne')).map(([p, op]) => `${p} ${op} null`),
  fc.tuple(fc.constantFrom('active', 'emails.primary', 'addresses.primary'), fc.constantFrom('eq', 'ne'), fc.boolean()).map(
    ([p, op, v]) => `${p} ${op} ${v}`,
  ),
  fc.tuple(fc.constantFrom('meta.created', 'meta.lastModified'), fc.constantFrom('eq', 'ne', 'gt', 'ge', 'lt', 'le'), timestamp).map(
    ([p, op, v]) => `${p} ${op} "${v}"`,
  ),
  presencePath.map((p) => `${p} pr`),
  fc.tuple(fc.constantFrom('type', 'value', 'display'), fc.constantFrom(...OPS), shortString).map(
    ([sub, op, v]) => `emails[${sub} ${op} ${JSON.stringify(v)} and primary ne false]`,
  ),
  fc.tuple(fc.constantFrom('co', 'sw', 'eq'), shortString).map(([op, v]) => `schemas[value ${op} ${JSON.stringify(v)}]`),
  fc.tuple(shortString).map(([v]) => `emails[type eq "work"].value co ${JSON.stringify(v)}`),
);

const validFilterText: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small' },
    validLeaf,
    fc.tuple(tie('f'), tie('f')).map(([l, r]) => `(${l}) and (${r})`),
    fc.tuple(tie('f'), tie('f')).map(([l, r]) => `(${l}) or (${r})`),
    tie('f').map((f) => `not (${f})`),
  ),
})).f;

const scalar = fc.oneof(fc.string({ maxLength: 6 }), fc.constantFrom('', 'work', 'home', ENTERPRISE, '2011-05-13T04:42:34Z'), fc.boolean(), fc.integer(), fc.constant(null));
const element = fc.oneof(
  scalar,
  fc.dictionary(fc.constantFrom('value', 'type', 'primary', 'display', 'familyName', 'created', 'lastModified', 'resourceType'), fc.oneof(scalar, fc.jsonValue({ maxDepth: 1 })), { maxKeys: 4 }),
);
const resource: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  {
    weight: 5,
    arbitrary: fc.dictionary(
      fc.constantFrom('userName', 'displayName', 'title', 'id', 'externalId', 'active', 'emails', 'name', 'meta', 'schemas', 'addresses', 'phoneNumbers', 'nickName', ENTERPRISE),
      fc.oneof(scalar, element, fc.array(element, { maxLength: 3 }), fc.dictionary(fc.constantFrom('department', 'manager', 'value', 'created'), element)),
      { maxKeys: 8 },
    ),
  },
);

describe('property: compiled predicates', () => {
  it('never throw on random JSON resources, and agree with the re-parsed printed filter', () => {
    let matched = 0;
    let evaluated = 0;
    fc.assert(
      fc.property(validFilterText, fc.array(resource, { maxLength: 4 }), (text, resources) => {
        const filter = parseFilter(text);
        const predicate = compileFilter(filter, userResourceType);
        const reprinted = compileFilter(parseFilter(formatFilter(filter)), userResourceType);
        for (const candidate of resources) {
          const result = predicate(candidate as ScimObject);
          if (typeof result !== 'boolean' || reprinted(candidate as ScimObject) !== result) {
            expect.fail(`inconsistent result ${String(result)} for ${text} on ${JSON.stringify(candidate)}`);
          }
          evaluated++;
          if (result) matched++;
        }
      }),
      { numRuns: 300 },
    );
    // Guard against a vacuous property: the generators must produce both outcomes.
    expect(matched).toBeGreaterThan(evaluated * 0.05);
    expect(matched).toBeLessThan(evaluated * 0.95);
  });

  it('obey not, De Morgan and ne = not eq', () => {
    const comparable = fc.tuple(stringPath, shortString);
    fc.assert(
      fc.property(validFilterText, validFilterText, comparable, fc.array(resource, { maxLength: 4 }), (a, b, [p, v], resources) => {
        const compile = (text: string) => compileFilter(parseFilter(text), userResourceType);
        const fa = compile(a);
        const notA = compile(`not (${a})`);
        const both = compile(`not ((${a}) and (${b}))`);
        const either = compile(`not (${a}) or not (${b})`);
        const ne = compile(`${p} ne ${JSON.stringify(v)}`);
        const notEq = compile(`not (${p} eq ${JSON.stringify(v)})`);
        for (const candidate of resources as ScimObject[]) {
          if (notA(candidate) === fa(candidate)) expect.fail(`not (${a}) agrees with ${a}`);
          if (both(candidate) !== either(candidate)) expect.fail(`De Morgan fails for ${a} / ${b}`);
          if (ne(candidate) !== notEq(candidate)) expect.fail(`ne differs from not eq for ${p} ${JSON.stringify(v)}`);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('match case-insensitive strings exactly as comparing toLowerCase() of both sides would', () => {
    const letters = fc.constantFrom('a', 'B', 'i', 'I', 'k', 'K', '\u212A', 'İ', '\u0307', 'ß', 'É', 'é', 'Σ', 'σ', 'ς', '1', '@', '.');
    const text = fc.array(letters, { maxLength: 6 }).map((parts) => parts.join(''));
    const reference: Record<'eq' | 'co' | 'sw' | 'ew' | 'gt' | 'lt', (a: string, b: string) => boolean> = {
      eq: (a, b) => a === b,
      co: (a, b) => a.includes(b),
      sw: (a, b) => a.startsWith(b),
      ew: (a, b) => a.endsWith(b),
      gt: (a, b) => a > b,
      lt: (a, b) => a < b,
    };
    fc.assert(
      fc.property(text, text, fc.constantFrom('eq', 'co', 'sw', 'ew', 'gt', 'lt') as fc.Arbitrary<keyof typeof reference>, (stored, needle, op) => {
        const predicate = compileFilter(parseFilter(`displayName ${op} ${JSON.stringify(needle)}`), userResourceType);
        expect(predicate({ displayName: stored })).toBe(reference[op](stored.toLowerCase(), needle.toLowerCase()));
      }),
      { numRuns: 1000 },
    );
  });

  it('compare dateTimes as the instants they denote, whatever the offset and precision', () => {
    fc.assert(
      fc.property(timestamp, timestamp, fc.constantFrom('eq', 'gt', 'ge', 'lt', 'le'), (stored, given, op) => {
        const s = parseDateTime(stored)!;
        const g = parseDateTime(given)!;
        expect(s).toBeDefined();
        expect(g).toBeDefined();
        const difference = s.seconds - g.seconds || s.nanos - g.nanos;
        const expected = { eq: difference === 0, gt: difference > 0, ge: difference >= 0, lt: difference < 0, le: difference <= 0 }[op];
        const predicate = compileFilter(parseFilter(`meta.lastModified ${op} "${given}"`), userResourceType);
        expect(predicate({ meta: { lastModified: stored } })).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });

  it('parse dateTimes to the same instant as Date.parse at millisecond precision', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-30T23:59:59.999Z'), noInvalidDate: true }),
        fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }),
        (date, offsetMinutes) => {
          const ms = date.getTime();
          const text = formatTimestamp(date, offsetMinutes, 3, (((ms % 1000) + 1000) % 1000) * 1_000_000);
          const instant = parseDateTime(text);
          expect(instant).toBeDefined();
          expect(instant!.seconds * 1000 + instant!.nanos / 1_000_000).toBe(ms);
          if (offsetMinutes === 0) expect(Date.parse(date.toISOString())).toBe(ms);
        },
      ),
      { numRuns: 500 },
    );
  });
});
