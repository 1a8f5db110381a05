/**
 * Property tests for the PATCH engine: whatever a client sends, applyPatch either returns a
 * well-formed resource or throws a 4xx ScimError, and it never mutates its inputs.
 */
import { LENIENCY_CODES } from '../../../src-main/scim/leniency.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../../../src-main/scim/schema/definitions.js';
import {
  type ResourceTypeDef,
  findAttribute,
  groupResourceType,
  userResourceType,
} from '../../../src-main/scim/schema/resource-types.js';
import { ScimError } from '../../../src-main/scim/errors.js';
import { type ScimObject, type ScimValue, isObject } from '../../../src-main/scim/resource.js';
import { PATCH_OP_SCHEMA, applyPatch } from '../../../src-main/scim/patch.js';

const ENTERPRISE = ENTERPRISE_USER_SCHEMA;

function user(): ScimObject {
  return {
    id: 'u-1',
    schemas: [USER_SCHEMA, ENTERPRISE],
    meta: { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-02T00:00:00Z', revision: 4 },
    userName: 'bjensen@example.com',
    externalId: 'bjensen',
    name: { givenName: 'Barbara', familyName: 'Jensen' },
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    roles: [{ value: 'Admin', primary: true }],
    [ENTERPRISE]: { department: 'Tours', manager: { value: 'm-1' } },
  };
}

function group(): ScimObject {
  return {
    id: 'g-1',
    schemas: [GROUP_SCHEMA],
    meta: { resourceType: 'Group', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-02T00:00:00Z', revision: 2 },
    displayName: 'Tour Guides',
    members: [
      { value: 'u1', display: 'One', type: 'User' },
      { value: 'u2', type: 'User' },
    ],
  };
}

/** Paths a client could mean for a User: real attributes in several spellings, filters, read-only ones. */
const USER_PATHS = [
  'userName', 'USERNAME', 'displayName', 'nickName', 'title', 'active', 'password', 'externalId', 'locale', 'profileUrl',
  'id', 'meta', 'meta.lastModified', 'schemas', 'groups', 'groups[value eq "g-1"]',
  'name', 'name.givenName', 'Name.FamilyName', 'name.formatted',
  'emails', 'emails.value', 'emails.primary', 'emails[type eq "work"]', 'emails[type eq "work"].value',
  'emails[type eq "work"].primary', 'emails[type eq "home"].primary', 'emails[value co "@"]',
  'emails[type eq "work" or primary eq true].display', 'emails[not (type eq "home")].type', 'emails[type eq "other"].value',
  'phoneNumbers[type eq "mobile"].value', 'addresses', 'addresses[type eq "work"].streetAddress',
  'roles', 'roles[primary eq "True"].value', 'roles[value eq "Admin"]', 'x509Certificates', 'photos[type eq "photo"].value',
  ENTERPRISE, `${ENTERPRISE}:manager`, `${ENTERPRISE}:manager.value`, `${ENTERPRISE}:manager.displayName`,
  `${ENTERPRISE}:department`, 'manager', 'department', `${USER_SCHEMA}:userName`, USER_SCHEMA,
];

const GROUP_PATHS = [
  'displayName', 'DISPLAYNAME', 'externalId', 'id', 'meta', 'schemas', `${GROUP_SCHEMA}:displayName`,
  'members', 'members.value', 'members.display', 'members[value eq "u1"]', 'members[value eq "U2"]',
  'members[value eq "u1"].value', 'members[value eq "u2"].display', 'members[value eq "u1"].type',
  'members[type eq "User"]', 'members[value eq "nobody"].display', 'members[display pr]',
];

const GARBAGE_PATHS = [
  '', ' ', '[', ']', 'emails[', 'emails]', 'emails[]', '..', 'name..givenName', 'name.givenName.x',
  'emails[type eq "work"].value.x', 'emails[type eq "work"][type eq "home"]', 'emails[type eq work]', 'a b', '"quoted"',
  'urn:', 'urn:x', 'urn:example:bogus:attr', 'members[value eq "u1" and]', 'emails[type eq "work"].', '__proto__',
  'constructor', 'toString', 'emails[type eq "work"].__proto__',
];

const opArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 30, arbitrary: fc.constantFrom('add', 'Add', 'ADD', 'replace', 'Replace', 'REPLACE', 'remove', 'Remove', 'rEmOvE') },
  { weight: 1, arbitrary: fc.constantFrom('move', 'copy', 'test', 'delete', '', undefined, null, 1) },
  { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
);

const elementArb = fc.record(
  {
    value: fc.oneof(
      { weight: 4, arbitrary: fc.constantFrom('u1', 'U1', 'u3', 'bjensen@example.com', 'Admin', 'True') },
      { weight: 4, arbitrary: fc.string({ maxLength: 8 }) },
      { weight: 1, arbitrary: fc.integer() },
    ),
    type: fc.constantFrom('work', 'home', 'other', 'User', 'Group', 'mobile'),
    primary: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: fc.constantFrom('True', 'False', 'yes') }),
    display: fc.string({ maxLength: 8 }),
    $ref: fc.constantFrom(null, 'https://example.com/Users/u1'),
    bogus: fc.jsonValue({ maxDepth: 1 }),
  },
  { requiredKeys: [] },
);

const leafArb: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 3, arbitrary: fc.constantFrom('True', 'False', true, false, null, [], {}, 'u-1', 'g-1', 'x', '2024-01-01T00:00:00Z') },
  { weight: 3, arbitrary: fc.string({ maxLength: 12 }) },
  { weight: 1, arbitrary: fc.integer() },
  { weight: 3, arbitrary: elementArb },
  { weight: 3, arbitrary: fc.array(elementArb, { maxLength: 3 }) },
);

interface Scenario {
  readonly resourceType: ResourceTypeDef;
  readonly make: () => ScimObject;
  readonly operation: fc.Arbitrary<unknown>;
}

/** Random operations mostly aimed at `paths`, with garbage paths, keys and values mixed in. */
function operationsFor(paths: readonly string[]): fc.Arbitrary<unknown> {
  const pathArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...paths) },
    { weight: 1, arbitrary: fc.constantFrom(...USER_PATHS, ...GROUP_PATHS, ...GARBAGE_PATHS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: fc.constantFrom(null, 7, true, ['members']) },
  );
  const keyArb = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(...paths.filter((path) => !path.includes('['))) },
    { weight: 2, arbitrary: fc.constantFrom('id', 'meta', 'schemas', 'groups', 'shoeSize', `${ENTERPRISE}:employeeNumber`, 'name.middleName') },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const valueArb: fc.Arbitrary<unknown> = fc.oneof(
    { weight: 8, arbitrary: leafArb },
    { weight: 3, arbitrary: fc.dictionary(keyArb, leafArb, { maxKeys: 4 }) },
    { weight: 1, arbitrary: fc.record({ [ENTERPRISE]: fc.dictionary(keyArb, leafArb, { maxKeys: 3 }) }) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
    { weight: 2, arbitrary: fc.constant(undefined) },
  );
  // An operation object; undefined members are left out, as JSON.parse would.
  return fc.oneof(
    { weight: 30, arbitrary: fc.tuple(opArb, pathArb, valueArb).map(([op, path, value]) => withoutUndefined({ op, path, value })) },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
  );
}

const anyOp = fc.constantFrom('add', 'Add', 'replace', 'Replace', 'remove', 'Remove');
const text = fc.string({ minLength: 1, maxLength: 10 });
const flag = fc.oneof(fc.boolean(), fc.constantFrom('True', 'False'));
const typedElement = fc.record(
  { value: fc.oneof(text, fc.constantFrom('u1', 'U2', 'bjensen@example.com')), type: fc.constantFrom('work', 'home', 'other'), primary: fc.boolean(), display: text },
  { requiredKeys: ['value'] },
);

/** Well-typed operations, so that many requests succeed and the invariants on results get exercised. */
function typedOperations(table: readonly (readonly [readonly string[], fc.Arbitrary<unknown>])[]): fc.Arbitrary<unknown> {
  const targeted = fc.oneof(...table.map(([paths, value]) => fc.tuple(anyOp, fc.constantFrom(...paths), value)));
  const plain = table
    .map(([paths, value]) => [paths.filter((path) => !path.includes('[')), value] as const)
    .filter(([paths]) => paths.length > 0);
  const pathLess = fc
    .array(fc.oneof(...plain.map(([paths, value]) => fc.tuple(fc.constantFrom(...paths), value))), { maxLength: 3 })
    .filter((entries) => entries.length > 0)
    .map((entries) => Object.fromEntries(entries));
  return fc.oneof(
    { weight: 4, arbitrary: targeted.map(([op, path, value]) => ({ op, path, value })) },
    { weight: 1, arbitrary: fc.tuple(fc.constantFrom('add', 'replace'), pathLess).map(([op, value]) => ({ op, value })) },
  );
}

const typedUserOperations = typedOperations([
  [['displayName', 'nickName', 'title', 'name.givenName', 'Name.FamilyName', `${ENTERPRISE}:department`, `${ENTERPRISE}:manager`,
    `${ENTERPRISE}:manager.value`, 'emails[type eq "work"].value', 'emails[type eq "home"].display', 'phoneNumbers[type eq "mobile"].value',
    'addresses[type eq "work"].locality', 'emails.display'], text],
  [['active', 'emails[type eq "work"].primary', 'emails[type eq "home"].primary', 'emails.primary', 'roles[value eq "Admin"].primary'], flag],
  [['emails', 'phoneNumbers', 'roles', 'ims'], fc.oneof(typedElement, fc.array(typedElement, { maxLength: 3 }))],
  [['emails[type eq "home"]', 'emails[value eq "bjensen@example.com"]'], typedElement],
  [['name', `${ENTERPRISE}:manager`], fc.record({ givenName: text, familyName: text, value: text }, { requiredKeys: [] })],
]);

const typedGroupOperations = typedOperations([
  [['displayName', 'externalId', 'members[value eq "u1"].display', 'members[value eq "U2"].display', 'members.display'], text],
  [['members'], fc.array(fc.record({ value: fc.oneof(text, fc.constantFrom('u1', 'U2', 'u3')), display: text }, { requiredKeys: ['value'] }), { maxLength: 4 })],
  [['members[value eq "u1"]', 'members[value eq "u2"]'], fc.record({ value: fc.constantFrom('u1', 'u2'), display: text }, { requiredKeys: ['value'] })],
]);

const scenarios: Scenario[] = [
  { resourceType: userResourceType, make: user, operation: fc.oneof(operationsFor(USER_PATHS), typedUserOperations) },
  { resourceType: groupResourceType, make: group, operation: fc.oneof(operationsFor(GROUP_PATHS), typedGroupOperations) },
];

function bodyFor(operation: fc.Arbitrary<unknown>): fc.Arbitrary<unknown> {
  return fc.oneof(
    {
      weight: 20,
      arbitrary: fc
        .tuple(
          fc.constantFrom<unknown>([PATCH_OP_SCHEMA], undefined, [], 'x', [PATCH_OP_SCHEMA.toUpperCase()]),
          fc.array(operation, { minLength: 1, maxLength: 4 }),
        )
        .map(([schemas, Operations]) => withoutUndefined({ schemas, Operations })),
    },
    { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
    { weight: 1, arbitrary: fc.constantFrom<unknown>({ Operations: [] }, { Operations: {} }, {}, undefined) },
  );
}

const requestArb = fc.constantFrom(...scenarios).chain((scenario) => fc.tuple(fc.constant(scenario), bodyFor(scenario.operation)));
const operationsArb = fc
  .constantFrom(...scenarios)
  .chain((scenario) => fc.tuple(fc.constant(scenario), fc.array(scenario.operation, { minLength: 2, maxLength: 4 })));

function withoutUndefined(object: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

/** Unassigned means absent (RFC 7643 §2.5): PATCH never leaves null, [] or {} behind. */
function findEmpty(value: ScimValue | undefined, path: string): string | undefined {
  if (value === null || value === undefined) return path;
  if (Array.isArray(value)) {
    if (value.length === 0) return path;
    for (const [index, item] of value.entries()) {
      const found = findEmpty(item, `${path}[${index}]`);
      if (found) return found;
    }
  } else if (isObject(value)) {
    if (Object.keys(value).length === 0) return path;
    for (const key of Object.keys(value)) {
      const found = findEmpty(value[key], `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

function primaryCounts(resource: ScimObject): number[] {
  return Object.values(resource)
    .filter((value): value is ScimValue[] => Array.isArray(value))
    .map((elements) => elements.filter((element) => isObject(element) && element.primary === true).length);
}

/** Every top-level key is a canonical attribute name or an extension URI of the type. */
function knownKey(resourceType: ResourceTypeDef, key: string): boolean {
  if (['id', 'externalId', 'meta', 'schemas'].includes(key)) return true;
  if (resourceType.extensions.some(({ schema }) => schema.id === key)) return true;
  return findAttribute(resourceType.schema, key)?.name === key;
}

describe('applyPatch on arbitrary input', () => {
  it('returns a well-formed resource or throws a 4xx ScimError, and never mutates its inputs', () => {
    fc.assert(
      fc.property(requestArb, ([{ resourceType, make }, body]) => {
        const resource = deepFreeze(make());
        const bodyText = JSON.stringify(body);
        deepFreeze(body);
        let result;
        try {
          result = applyPatch(resource, body, resourceType);
        } catch (error) {
          // A TypeError from a frozen object would mean the engine mutated its input.
          expect(error).toBeInstanceOf(ScimError);
          const { status, detail } = error as ScimError;
          expect(status).toBeGreaterThanOrEqual(400);
          expect(status).toBeLessThan(500);
          expect(detail.length).toBeGreaterThan(0);
          return;
        } finally {
          expect(resource).toEqual(make());
          expect(JSON.stringify(body)).toBe(bodyText);
        }
        const after = result.resource;
        expect(after.id).toBe(resource.id);
        expect(after.meta).toEqual(resource.meta);
        expect(after.schemas).toEqual(resource.schemas);
        for (const key of Object.keys(after)) expect(knownKey(resourceType, key), key).toBe(true);
        for (const key of Object.keys(after)) expect(findEmpty(after[key], key)).toBeUndefined();
        for (const count of primaryCounts(after)) expect(count).toBeLessThanOrEqual(1);
        expect(JSON.parse(JSON.stringify(after))).toEqual(after);
        for (const note of result.notes) {
          expect(LENIENCY_CODES).toContain(note.code);
          expect(typeof note.detail).toBe('string');
        }
      }),
      { numRuns: 3000 },
    );
  });

  it('applies operations in sequence: one request equals one request per operation', () => {
    fc.assert(
      fc.property(operationsArb, ([{ resourceType, make }, operations]) => {
        const run = (resource: ScimObject, ops: unknown[]) => applyPatch(resource, { schemas: [PATCH_OP_SCHEMA], Operations: ops }, resourceType).resource;
        let together: ScimObject | undefined;
        try {
          together = run(make(), operations);
        } catch {
          together = undefined;
        }
        let stepwise: ScimObject | undefined = make();
        try {
          for (const operation of operations) stepwise = run(stepwise, [operation]);
        } catch {
          stepwise = undefined;
        }
        expect(stepwise).toEqual(together);
      }),
      { numRuns: 1000 },
    );
  });

  it('adding the same members again changes nothing', () => {
    const memberArb = fc.record({ value: fc.string({ minLength: 1, maxLength: 6 }), display: fc.string({ maxLength: 6 }) }, { requiredKeys: ['value'] });
    fc.assert(
      fc.property(fc.array(memberArb, { minLength: 1, maxLength: 5 }), (members) => {
        const add = { schemas: [PATCH_OP_SCHEMA], Operations: [{ op: 'add', path: 'members', value: members }] };
        const once = applyPatch(group(), add, groupResourceType).resource;
        const twice = applyPatch(once, add, groupResourceType).resource;
        expect(twice).toEqual(once);
        const values = (once.members as ScimObject[]).map((member) => String(member.value).toLowerCase());
        expect(new Set(values).size).toBe(values.length);
      }),
    );
  });

  it('remove after add of a simple attribute leaves the resource as it was', () => {
    const attributeArb = fc.constantFrom('nickName', 'title', 'userType', 'locale', 'timezone', 'preferredLanguage');
    fc.assert(
      fc.property(attributeArb, fc.string({ minLength: 1 }), (path, value) => {
        const withAttribute = applyPatch(user(), { Operations: [{ op: 'add', path, value }] }, userResourceType).resource;
        expect(withAttribute[path]).toBe(value);
        const removed = applyPatch(withAttribute, { Operations: [{ op: 'remove', path }] }, userResourceType).resource;
        expect(removed).toEqual(user());
      }),
    );
  });
});
