/**
 * PATCH semantics (RFC 7644 §3.5.2) one rule at a time, on a realistic user and group.
 * IdP-documented bodies are in patch.idp.test.ts, random bodies in patch.property.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA } from '../../../src-main/scim/schema/definitions.js';
import { groupResourceType, userResourceType } from '../../../src-main/scim/schema/resource-types.js';
import { ScimError } from '../../../src-main/scim/errors.js';
import type { ScimObject } from '../../../src-main/scim/resource.js';
import { PATCH_OP_SCHEMA, type PatchResult, applyPatch } from '../../../src-main/scim/patch.js';
import type { LeniencyCode } from '../../../src-main/scim/leniency.js';

const ENTERPRISE = ENTERPRISE_USER_SCHEMA;
const note = (code: LeniencyCode, detail: string) => ({ code, detail });
const USER_ID = '2819c223-7f76-453a-919d-413861904646';
const GROUP_ID = 'e9e30dba-f08f-4109-8486-d5c6a331660a';
const MANAGER_ID = '26118915-6090-4610-87e4-49d8ca9f808d';

/** RFC 7643 §8.2's Babs Jensen, trimmed, as the store holds her (no derived `groups`). */
function user(): ScimObject {
  return {
    id: USER_ID,
    schemas: [USER_SCHEMA, ENTERPRISE],
    meta: { resourceType: 'User', created: '2024-01-23T04:56:22Z', lastModified: '2024-05-13T04:42:34Z', revision: 7 },
    externalId: 'bjensen',
    userName: 'bjensen@example.com',
    name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
    displayName: 'Babs Jensen',
    active: true,
    emails: [
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home' },
    ],
    phoneNumbers: [{ value: '555-555-5555', type: 'work' }],
    addresses: [
      {
        type: 'work',
        streetAddress: '100 Universal City Plaza',
        locality: 'Hollywood',
        region: 'CA',
        postalCode: '91608',
        country: 'USA',
        primary: true,
      },
    ],
    [ENTERPRISE]: { employeeNumber: '701984', department: 'Tour Operations', manager: { value: MANAGER_ID } },
  };
}

/** A user with only the required attribute, as a minimal IdP creates one. */
function bareUser(): ScimObject {
  return { id: USER_ID, schemas: [USER_SCHEMA], meta: { resourceType: 'User', revision: 1 }, userName: 'bare@example.com' };
}

function group(): ScimObject {
  return {
    id: GROUP_ID,
    schemas: [GROUP_SCHEMA],
    meta: { resourceType: 'Group', created: '2024-01-23T04:56:22Z', lastModified: '2024-05-13T04:42:34Z', revision: 2 },
    displayName: 'Tour Guides',
    members: [
      { value: USER_ID, display: 'Babs Jensen', type: 'User' },
      { value: '902c246b-6245-4190-8e05-00816be7344a', display: 'Mandy Pepperidge', type: 'User' },
    ],
  };
}

const body = (...operations: unknown[]) => ({ schemas: [PATCH_OP_SCHEMA], Operations: operations });
const patchUser = (resource: ScimObject, ...operations: unknown[]): PatchResult =>
  applyPatch(resource, body(...operations), userResourceType);
const patchGroup = (resource: ScimObject, ...operations: unknown[]): PatchResult =>
  applyPatch(resource, body(...operations), groupResourceType);

function scimError(run: () => unknown): ScimError {
  try {
    run();
  } catch (error) {
    if (error instanceof ScimError) return error;
    throw error;
  }
  throw new Error('expected a ScimError, but the PATCH succeeded');
}

function expectError(run: () => unknown, status: number, scimType: string, detail: RegExp): ScimError {
  const error = scimError(run);
  expect({ status: error.status, scimType: error.scimType }).toEqual({ status, scimType });
  expect(error.detail).toMatch(detail);
  return error;
}

describe('request body', () => {
  it.each([
    ['null', null],
    ['an array', [{ op: 'add', path: 'nickName', value: 'x' }]],
    ['a string', 'replace displayName'],
  ])('rejects %s with 400 invalidSyntax', (_label, payload) => {
    expectError(() => applyPatch(user(), payload, userResourceType), 400, 'invalidSyntax', /JSON object.*Operations/);
  });

  it('requires Operations', () => {
    expectError(() => applyPatch(user(), { schemas: [PATCH_OP_SCHEMA] }, userResourceType), 400, 'invalidSyntax', /needs "Operations"/);
  });

  it('requires Operations to be an array', () => {
    expectError(
      () => applyPatch(user(), { schemas: [PATCH_OP_SCHEMA], Operations: { op: 'add' } }, userResourceType),
      400,
      'invalidSyntax',
      /"Operations" must be an array.*got an object/,
    );
  });

  it('requires at least one operation', () => {
    expectError(() => applyPatch(user(), body(), userResourceType), 400, 'invalidSyntax', /"Operations" is empty/);
  });

  it('accepts a body without the PatchOp schema URI and says so', () => {
    const result = applyPatch(user(), { Operations: [{ op: 'replace', path: 'title', value: 'Tour Guide' }] }, userResourceType);
    expect(result.resource.title).toBe('Tour Guide');
    expect(result.notes).toEqual([note('patch-op-schema-missing', expect.stringContaining(PATCH_OP_SCHEMA))]);
  });

  it('adds no note for a well-formed body', () => {
    expect(patchUser(user(), { op: 'replace', path: 'title', value: 'Tour Guide' }).notes).toEqual([]);
  });

  it('reads member names case-insensitively (RFC 7643 §2.1)', () => {
    const result = applyPatch(
      user(),
      { SCHEMAS: [PATCH_OP_SCHEMA], operations: [{ OP: 'replace', Path: 'title', Value: 'Tour Guide' }] },
      userResourceType,
    );
    expect(result.resource.title).toBe('Tour Guide');
  });

  it.each(['add', 'Add', 'ADD', 'aDd'])('accepts op %j', (op) => {
    expect(patchUser(user(), { op, path: 'nickName', value: 'Babs' }).resource.nickName).toBe('Babs');
  });

  it.each(['Replace', 'REPLACE'])('accepts op %j', (op) => {
    expect(patchUser(user(), { op, path: 'nickName', value: 'Babs' }).resource.nickName).toBe('Babs');
  });

  it.each(['Remove', 'REMOVE'])('accepts op %j', (op) => {
    expect(patchUser(user(), { op, path: 'displayName' }).resource).not.toHaveProperty('displayName');
  });

  it('rejects an unknown op naming it and its index', () => {
    expectError(
      () => patchUser(user(), { op: 'replace', path: 'title', value: 'x' }, { op: 'move', from: 'title', path: 'nickName' }),
      400,
      'invalidSyntax',
      /^Operations\[1\]: unknown op "move"; expected "add", "replace" or "remove"/,
    );
  });

  it('rejects an operation without op', () => {
    expectError(() => patchUser(user(), { path: 'title', value: 'x' }), 400, 'invalidSyntax', /^Operations\[0\]: "op" is missing/);
  });

  it('rejects a non-string op', () => {
    expectError(() => patchUser(user(), { op: 1, path: 'title', value: 'x' }), 400, 'invalidSyntax', /"op" is not a string/);
  });

  it('rejects an operation that is not an object', () => {
    expectError(() => patchUser(user(), 'add'), 400, 'invalidSyntax', /^Operations\[0\]: an operation must be an object/);
  });

  it('rejects a non-string path', () => {
    expectError(() => patchUser(user(), { op: 'add', path: 42, value: 'x' }), 400, 'invalidPath', /"path" must be a string/);
  });

  it.each(['add', 'replace'])('requires a value for %s', (op) => {
    expectError(() => patchUser(user(), { op, path: 'title' }), 400, 'invalidValue', /needs a "value"/);
  });

  it('reads an empty path as omitted', () => {
    const result = patchUser(user(), { op: 'replace', path: '', value: { title: 'Guide' } });
    expect(result.resource.title).toBe('Guide');
    expect(result.notes).toEqual([note('empty-patch-path', 'Operations[0]: "path" is empty; read as omitted')]);
  });
});

describe('paths', () => {
  it('sets a core attribute', () => {
    expect(patchUser(user(), { op: 'replace', path: 'userName', value: 'babs@example.com' }).resource.userName).toBe('babs@example.com');
  });

  it('sets a sub-attribute', () => {
    expect(patchUser(user(), { op: 'replace', path: 'name.familyName', value: 'Jensen-Smith' }).resource.name).toEqual({
      formatted: 'Ms. Barbara J Jensen III',
      familyName: 'Jensen-Smith',
      givenName: 'Barbara',
    });
  });

  it('sets a URN-qualified extension attribute under the extension key', () => {
    const { resource } = patchUser(user(), {
      op: 'replace',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      value: 'Marketing',
    });
    expect(resource[ENTERPRISE]).toEqual({ employeeNumber: '701984', department: 'Marketing', manager: { value: MANAGER_ID } });
    expect(resource).not.toHaveProperty('department');
  });

  it('sets the manager from a bare id string (Entra, idp-traffic.md §1.3 "Manager")', () => {
    const { resource } = patchUser(bareUser(), {
      op: 'add',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager',
      value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2',
    });
    expect(resource[ENTERPRISE]).toEqual({ manager: { value: '2c2f6fb8-254f-492e-b7fe-c09c5a61c8a2' } });
  });

  it('sets manager.value', () => {
    const { resource } = patchUser(user(), {
      op: 'replace',
      path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
      value: 'new-manager',
    });
    expect((resource[ENTERPRISE] as ScimObject).manager).toEqual({ value: 'new-manager' });
  });

  it('selects elements with a value filter', () => {
    const { resource } = patchGroup(group(), { op: 'remove', path: `members[value eq "${USER_ID}"]` });
    expect(resource.members).toEqual([{ value: '902c246b-6245-4190-8e05-00816be7344a', display: 'Mandy Pepperidge', type: 'User' }]);
  });

  it('sets a sub-attribute of the selected element', () => {
    const { resource } = patchUser(user(), {
      op: 'replace',
      path: 'addresses[type eq "work"].streetAddress',
      value: '911 Universal City Plaza',
    });
    expect(resource.addresses).toEqual([{ ...(user().addresses as ScimObject[])[0], streetAddress: '911 Universal City Plaza' }]);
  });

  it('resolves names case-insensitively and stores canonical names', () => {
    const { resource } = patchUser(
      bareUser(),
      { op: 'add', path: 'NICKNAME', value: 'Babs' },
      { op: 'add', path: 'Name.GivenName', value: 'Barbara' },
      { op: 'add', path: 'EMAILS[TYPE eq "work"].VALUE', value: 'b@example.com' },
      { op: 'add', path: 'URN:IETF:PARAMS:SCIM:SCHEMAS:EXTENSION:ENTERPRISE:2.0:USER:Department', value: 'Tours' },
    );
    expect(resource).toEqual({
      ...bareUser(),
      nickName: 'Babs',
      name: { givenName: 'Barbara' },
      emails: [{ type: 'work', value: 'b@example.com' }],
      [ENTERPRISE]: { department: 'Tours' },
    });
  });

  it('accepts a core attribute qualified with the core schema URI', () => {
    const { resource } = patchUser(user(), { op: 'replace', path: `${USER_SCHEMA}:userName`, value: 'babs@example.com' });
    expect(resource.userName).toBe('babs@example.com');
  });

  it('reads an extension URI as the path as a value object for that extension', () => {
    const { resource } = patchUser(bareUser(), { op: 'add', path: ENTERPRISE, value: { department: 'Tours', manager: MANAGER_ID } });
    expect(resource[ENTERPRISE]).toEqual({ department: 'Tours', manager: { value: MANAGER_ID } });
  });

  it('applies a sub-attribute path without a filter to every element', () => {
    const { resource } = patchUser(user(), { op: 'replace', path: 'emails.display', value: 'Babs' });
    expect((resource.emails as ScimObject[]).map((email) => email.display)).toEqual(['Babs', 'Babs']);
  });

  it('rejects an unknown attribute naming it', () => {
    expectError(
      () => patchUser(user(), { op: 'replace', path: 'favouriteColour', value: 'teal' }),
      400,
      'invalidPath',
      /^Operations\[0\]: "favouriteColour" is not an attribute of a User/,
    );
  });

  it('rejects an unknown sub-attribute naming it', () => {
    expectError(
      () => patchUser(user(), { op: 'replace', path: 'name.nickname', value: 'x' }),
      400,
      'invalidPath',
      /"name" has no sub-attribute "nickname"/,
    );
  });

  it('rejects an unknown sub-attribute after a filter', () => {
    expectError(
      () => patchUser(user(), { op: 'replace', path: 'emails[type eq "work"].address', value: 'x' }),
      400,
      'invalidPath',
      /"emails" has no sub-attribute "address"/,
    );
  });

  it('rejects an unknown sub-attribute inside a filter as invalidPath', () => {
    const error = expectError(
      () => patchUser(user(), { op: 'remove', path: 'emails[kind eq "work"]' }),
      400,
      'invalidPath',
      /kind/,
    );
    expect(error.detail).toMatch(/^Operations\[0\]: /);
  });

  it('rejects an unknown extension attribute', () => {
    expectError(
      () => patchUser(user(), { op: 'add', path: `${ENTERPRISE}:badge`, value: 'x' }),
      400,
      'invalidPath',
      /badge/,
    );
  });

  it('rejects an extension the resource type does not have', () => {
    expectError(
      () => patchGroup(group(), { op: 'add', path: `${ENTERPRISE}:department`, value: 'x' }),
      400,
      'invalidPath',
      /is not an attribute of a Group/,
    );
  });

  it('rejects a malformed path with its position', () => {
    expectError(
      () => patchUser(user(), { op: 'remove', path: 'emails[type eq "work"' }),
      400,
      'invalidPath',
      /^Operations\[0\]: Invalid path at position \d+/,
    );
  });

  it('rejects a value filter on a single-valued attribute', () => {
    expectError(
      () => patchUser(user(), { op: 'remove', path: 'name[givenName eq "Barbara"]' }),
      400,
      'invalidPath',
      /"name" is single-valued/,
    );
  });

  it('reads an unqualified extension attribute name when exactly one extension defines it', () => {
    const result = patchUser(bareUser(), { op: 'add', path: 'department', value: 'Tours' });
    expect(result.resource[ENTERPRISE]).toEqual({ department: 'Tours' });
    expect(result.notes).toEqual([note('unqualified-extension-attribute', expect.stringContaining(`"${ENTERPRISE}:department"`))]);
  });
});

describe('add', () => {
  it('applies each key of a path-less value as its own add', () => {
    const { resource } = patchUser(user(), {
      op: 'add',
      value: {
        nickName: 'Babs',
        name: { middleName: 'Jane' },
        'name.honorificPrefix': 'Ms.',
        emails: [{ value: 'babs@work2.example.com', type: 'other' }],
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': '42',
        [ENTERPRISE]: { costCenter: '4130', manager: 'mgr-2' },
      },
    });
    expect(resource.nickName).toBe('Babs');
    expect(resource.name).toEqual({
      formatted: 'Ms. Barbara J Jensen III',
      familyName: 'Jensen',
      givenName: 'Barbara',
      middleName: 'Jane',
      honorificPrefix: 'Ms.',
    });
    expect(resource.emails).toEqual([...(user().emails as ScimObject[]), { value: 'babs@work2.example.com', type: 'other' }]);
    expect(resource[ENTERPRISE]).toEqual({
      employeeNumber: '42',
      department: 'Tour Operations',
      costCenter: '4130',
      manager: { value: 'mgr-2' },
    });
  });

  it('ignores unknown keys in a path-less value with a note', () => {
    const result = patchUser(user(), { op: 'add', value: { nickName: 'Babs', shoeSize: 38, 'urn:example:custom:2.0:User:badge': 'x' } });
    expect(result.resource).toEqual({ ...user(), nickName: 'Babs' });
    expect(result.notes).toEqual([
      note('unknown-attribute-ignored', 'Operations[0]: ignored unknown attribute "shoeSize"'),
      note('unknown-attribute-ignored', 'Operations[0]: ignored unknown attribute "urn:example:custom:2.0:User:badge"'),
    ]);
  });

  it('ignores unknown attributes inside an extension object with a note', () => {
    const result = patchUser(user(), { op: 'add', value: { [ENTERPRISE]: { division: 'West', badge: 7 } } });
    expect((result.resource[ENTERPRISE] as ScimObject).division).toBe('West');
    expect(result.notes).toEqual([note('unknown-attribute-ignored', `Operations[0]: ignored unknown attribute "${ENTERPRISE}:badge"`)]);
  });

  it('rejects a path-less value that is not an object', () => {
    expectError(() => patchUser(user(), { op: 'add', value: 'Babs' }), 400, 'invalidValue', /without a "path", "value" must be an object/);
  });

  it('sets a single-valued attribute, replacing an existing value', () => {
    expect(patchUser(user(), { op: 'add', path: 'displayName', value: 'Barbara' }).resource.displayName).toBe('Barbara');
  });

  it('merges the sub-attributes of a complex attribute', () => {
    expect(patchUser(user(), { op: 'add', path: 'name', value: { givenName: 'Barb', middleName: 'J' } }).resource.name).toEqual({
      formatted: 'Ms. Barbara J Jensen III',
      familyName: 'Jensen',
      givenName: 'Barb',
      middleName: 'J',
    });
  });

  it('appends an array of values to a multi-valued attribute', () => {
    const { resource } = patchUser(user(), {
      op: 'add',
      path: 'phoneNumbers',
      value: [
        { value: '555-555-4444', type: 'mobile' },
        { value: '555-555-3333', type: 'fax' },
      ],
    });
    expect(resource.phoneNumbers).toEqual([
      { value: '555-555-5555', type: 'work' },
      { value: '555-555-4444', type: 'mobile' },
      { value: '555-555-3333', type: 'fax' },
    ]);
  });

  it('appends a single value given without an array', () => {
    const { resource } = patchUser(user(), { op: 'add', path: 'phoneNumbers', value: { value: '555-555-4444', type: 'mobile' } });
    expect(resource.phoneNumbers).toEqual([
      { value: '555-555-5555', type: 'work' },
      { value: '555-555-4444', type: 'mobile' },
    ]);
  });

  it('creates a multi-valued attribute that had no values', () => {
    const { resource } = patchUser(bareUser(), { op: 'add', path: 'emails', value: [{ value: 'b@example.com', type: 'work' }] });
    expect(resource.emails).toEqual([{ value: 'b@example.com', type: 'work' }]);
  });

  it('does not add a member twice', () => {
    const once = patchGroup(group(), { op: 'add', path: 'members', value: [{ value: 'new-user' }] }).resource;
    const twice = patchGroup(once, { op: 'add', path: 'members', value: [{ value: 'new-user' }] });
    expect(twice.resource.members).toEqual(once.members);
    expect(twice.notes).toEqual([
      note('duplicate-value-skipped', 'Operations[0]: 1 value(s) of "members" were already present and were not added again'),
    ]);
  });

  it('does not add duplicates within one value array, nor values already present in another case', () => {
    const { resource } = patchUser(user(), {
      op: 'add',
      path: 'emails',
      value: [{ value: 'BJENSEN@example.com', type: 'work' }, { value: 'new@example.com' }, { value: 'new@example.com' }],
    });
    expect(resource.emails).toEqual([...(user().emails as ScimObject[]), { value: 'new@example.com' }]);
  });

  it('moves "primary" to an added value (RFC 7643 §2.4)', () => {
    const result = patchUser(user(), { op: 'add', path: 'emails', value: [{ value: 'babs@new.example.com', type: 'work', primary: true }] });
    expect(result.resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home' },
      { value: 'babs@new.example.com', type: 'work', primary: true },
    ]);
    expect(result.notes).toEqual([note('primary-moved', expect.stringMatching(/"primary" set to false on 1 other value\(s\) of "emails"/))]);
  });

  it('keeps "primary" where it is when the added value is not primary', () => {
    const { resource } = patchUser(user(), { op: 'add', path: 'emails', value: { value: 'x@example.com', primary: false } });
    expect((resource.emails as ScimObject[])[0].primary).toBe(true);
  });

  it('rejects two primary values in one operation', () => {
    expectError(
      () =>
        patchUser(user(), {
          op: 'add',
          path: 'emails',
          value: [
            { value: 'a@example.com', primary: true },
            { value: 'b@example.com', primary: true },
          ],
        }),
      400,
      'invalidValue',
      /At most one value of "emails" may have "primary": true/,
    );
  });

  it('creates the selected element from the filter when none matches (Entra, SCIM-SDK#416)', () => {
    const { resource } = patchUser(user(), { op: 'add', path: 'emails[type eq "other"].value', value: 'babs@other.example.com' });
    expect(resource.emails).toEqual([...(user().emails as ScimObject[]), { type: 'other', value: 'babs@other.example.com' }]);
  });

  it('creates the first element of an attribute from the filter', () => {
    const { resource } = patchUser(
      bareUser(),
      { op: 'Add', path: 'emails[type eq "work"].value', value: 'godfrey_stiedemann@vonruedenmueller.com' },
      { op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555 0100' },
      { op: 'Add', path: 'addresses[type eq "work"].postalCode', value: '91608' },
    );
    expect(resource.emails).toEqual([{ type: 'work', value: 'godfrey_stiedemann@vonruedenmueller.com' }]);
    expect(resource.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
    expect(resource.addresses).toEqual([{ type: 'work', postalCode: '91608' }]);
  });

  it('builds the element from every eq term of an "and" filter, coercing each', () => {
    const result = patchUser(bareUser(), { op: 'add', path: 'roles[primary eq "True" and type eq "app"].value', value: 'Admin' });
    expect(result.resource.roles).toEqual([{ primary: true, type: 'app', value: 'Admin' }]);
    // Entra's "True" in filters (idp-traffic.md §1.5 quirk 5) is read as a boolean, with a note.
    expect(result.notes).toContainEqual(note('string-boolean', expect.stringMatching(/"True"/)));
  });

  it('sets the sub-attribute on a matching element instead of creating one', () => {
    const { resource } = patchUser(user(), { op: 'add', path: 'emails[type eq "home"].display', value: 'Home' });
    expect(resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: true },
      { value: 'babs@jensen.org', type: 'home', display: 'Home' },
    ]);
  });

  it.each([
    ['an "or" filter', 'emails[type eq "other" or type eq "x"].value'],
    ['a non-eq comparison', 'emails[value co "nomatch"].display'],
    ['a presence test', 'emails[display pr].display'],
    ['contradicting terms', 'emails[type eq "a" and type eq "b"].value'],
  ])('cannot build an element from %s: 400 noTarget', (_label, path) => {
    expectError(() => patchUser(user(), { op: 'add', path, value: 'x' }), 400, 'noTarget', /no new value can be built/);
  });

  it('merges into selected elements when a filter has no sub-attribute', () => {
    const { resource } = patchUser(user(), { op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } });
    expect((resource.emails as ScimObject[])[1]).toEqual({ value: 'babs@jensen.org', type: 'home', display: 'Home' });
  });

  it('with a filter and no sub-attribute, appends the value completed from the filter when none matches', () => {
    const { resource } = patchUser(user(), { op: 'add', path: 'phoneNumbers[type eq "mobile"]', value: { value: '555-0100' } });
    expect(resource.phoneNumbers).toEqual([
      { value: '555-555-5555', type: 'work' },
      { value: '555-0100', type: 'mobile' },
    ]);
  });

  it('changes nothing when the value is null, with a note', () => {
    const result = patchUser(user(), { op: 'add', path: 'nickName', value: null });
    expect(result.resource).toEqual(user());
    expect(result.notes).toEqual([note('nothing-to-add', 'Operations[0]: "nickName": the value is null or empty, so nothing was added')]);
  });

  it('sets an extension attribute on a user without the extension, creating its object', () => {
    const { resource } = patchUser(bareUser(), { op: 'add', value: { [ENTERPRISE]: { employeeNumber: '7' } } });
    expect(resource[ENTERPRISE]).toEqual({ employeeNumber: '7' });
  });

  it('adds a member with "$ref": null and keeps the others (Entra add_members)', () => {
    const { resource } = patchGroup(group(), { op: 'Add', path: 'members', value: [{ $ref: null, value: 'f648f8d5ea4e4cd38e9c' }] });
    expect(resource.members).toEqual([...(group().members as ScimObject[]), { value: 'f648f8d5ea4e4cd38e9c' }]);
  });
});

describe('replace', () => {
  it('replaces each key of a path-less value; complex attributes keep unnamed sub-attributes', () => {
    const { resource } = patchUser(user(), {
      op: 'replace',
      value: { displayName: 'Barbara', name: { givenName: 'Barb' }, phoneNumbers: [{ value: '555-0199', type: 'home' }] },
    });
    expect(resource.displayName).toBe('Barbara');
    expect(resource.name).toEqual({ formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barb' });
    expect(resource.phoneNumbers).toEqual([{ value: '555-0199', type: 'home' }]);
  });

  it('applies Entra flag variant dotted and URN keys (idp-traffic.md §1.5 quirk 4)', () => {
    const result = patchUser(user(), {
      op: 'replace',
      value: {
        displayName: 'Bjfe',
        'name.givenName': 'Kkom',
        'name.familyName': 'Unua',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber': 'Aklq',
        'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value': 'mgr-9',
      },
    });
    expect(result.resource.displayName).toBe('Bjfe');
    expect(result.resource.name).toEqual({ formatted: 'Ms. Barbara J Jensen III', givenName: 'Kkom', familyName: 'Unua' });
    expect(result.resource[ENTERPRISE]).toEqual({ employeeNumber: 'Aklq', department: 'Tour Operations', manager: { value: 'mgr-9' } });
    expect(result.notes).toEqual([]);
  });

  it('applies a core-schema URN key holding core attributes', () => {
    const { resource } = patchUser(user(), { op: 'replace', value: { [USER_SCHEMA]: { title: 'Guide', 'name.givenName': 'B' } } });
    expect(resource.title).toBe('Guide');
    expect((resource.name as ScimObject).givenName).toBe('B');
  });

  it('stores Entra "False" as boolean false (idp-traffic.md §1.5 quirk 2)', () => {
    const result = patchUser(user(), { op: 'Replace', path: 'active', value: 'False' });
    expect(result.resource.active).toBe(false);
    expect(result.notes).toEqual([
      note('capitalized-patch-op', 'Operations[0]: "op" was "Replace"; read as "replace"'),
      note('string-boolean', expect.stringContaining('"False"')),
    ]);
  });

  it('accepts Entra "Add" on active with a string boolean (idp-traffic.md §1.3 "Disable", rancher#54025)', () => {
    expect(patchUser(bareUser(), { op: 'Add', path: 'active', value: 'False' }).resource.active).toBe(false);
  });

  it('stores Entra "True" as boolean true', () => {
    expect(patchUser({ ...user(), active: false }, { op: 'Replace', path: 'active', value: 'True' }).resource.active).toBe(true);
  });

  it('replaces a whole multi-valued attribute when the path has no filter', () => {
    const { resource } = patchUser(user(), { op: 'replace', path: 'emails', value: [{ value: 'only@example.com', type: 'work', primary: true }] });
    expect(resource.emails).toEqual([{ value: 'only@example.com', type: 'work', primary: true }]);
  });

  it('drops duplicates from a whole-attribute replacement, with a note', () => {
    const result = patchGroup(group(), { op: 'replace', path: 'members', value: [{ value: 'a' }, { value: 'A' }, { value: 'b' }] });
    expect(result.resource.members).toEqual([{ value: 'a' }, { value: 'b' }]);
    expect(result.notes).toEqual([note('duplicate-value-skipped', 'Operations[0]: 1 duplicate value(s) of "members" were dropped')]);
  });

  it('empties a group with "members": [] (Okta push-now)', () => {
    const { resource } = patchGroup(group(), { op: 'replace', path: 'members', value: [] });
    expect(resource).toEqual({ ...group(), members: undefined });
    expect(resource).not.toHaveProperty('members');
  });

  it('swaps the selected element for the value (RFC 7644 §3.5.2.3 example)', () => {
    const value = { type: 'work', streetAddress: '911 Universal City Plaza', locality: 'Hollywood', region: 'CA', postalCode: '91608', country: 'US', primary: true };
    const { resource } = patchUser(user(), { op: 'replace', path: 'addresses[type eq "work"]', value });
    expect(resource.addresses).toEqual([value]);
  });

  it('sets the sub-attribute on every selected element', () => {
    const twoWork = { ...user(), emails: [{ value: 'a@example.com', type: 'work' }, { value: 'b@example.com', type: 'work' }, { value: 'c@example.com', type: 'home' }] };
    const { resource } = patchUser(twoWork, { op: 'replace', path: 'emails[type eq "work"].display', value: 'Work' });
    expect(resource.emails).toEqual([
      { value: 'a@example.com', type: 'work', display: 'Work' },
      { value: 'b@example.com', type: 'work', display: 'Work' },
      { value: 'c@example.com', type: 'home' },
    ]);
  });

  it('moves "primary" when a selected element is made primary', () => {
    const { resource } = patchUser(user(), { op: 'replace', path: 'emails[type eq "home"].primary', value: true });
    expect(resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work', primary: false },
      { value: 'babs@jensen.org', type: 'home', primary: true },
    ]);
  });

  it('is 400 noTarget when the filter matches none of the existing values', () => {
    expectError(
      () => patchUser(user(), { op: 'replace', path: 'emails[type eq "other"].value', value: 'x@example.com' }),
      400,
      'noTarget',
      /^Operations\[0\]: No value of "emails" matches "emails\[type eq "other"\]\.value"/,
    );
  });

  it('treats a selection on an attribute without values as an add (RFC 7644 §3.5.2.3)', () => {
    const { resource } = patchUser(bareUser(), { op: 'replace', path: 'emails[type eq "work"].value', value: 'b@example.com' });
    expect(resource.emails).toEqual([{ type: 'work', value: 'b@example.com' }]);
  });

  it('treats a path to an unassigned attribute as an add', () => {
    const { resource } = patchUser(bareUser(), { op: 'replace', path: 'name.givenName', value: 'Barbara' }, { op: 'replace', path: 'title', value: 'Guide' });
    expect(resource.name).toEqual({ givenName: 'Barbara' });
    expect(resource.title).toBe('Guide');
  });

  it('unassigns a simple attribute given null', () => {
    expect(patchUser(user(), { op: 'replace', path: 'displayName', value: null }).resource).not.toHaveProperty('displayName');
  });

  it('unassigns a complex attribute given null', () => {
    expect(patchUser(user(), { op: 'replace', path: 'name', value: null }).resource).not.toHaveProperty('name');
  });

  it('unassigns sub-attributes given as null in a complex value', () => {
    const { resource } = patchUser(user(), { op: 'replace', path: 'name', value: { formatted: null, givenName: 'Barb' } });
    expect(resource.name).toEqual({ familyName: 'Jensen', givenName: 'Barb' });
  });

  it('removes the extension object when its last attribute is replaced by null', () => {
    const { resource } = patchUser(
      { ...bareUser(), [ENTERPRISE]: { department: 'Tours' } },
      { op: 'replace', value: { 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department': null } },
    );
    expect(resource).toEqual(bareUser());
  });

  it('unassigns a whole extension given null', () => {
    expect(patchUser(user(), { op: 'replace', value: { [ENTERPRISE]: null } }).resource).not.toHaveProperty(ENTERPRISE);
  });

  it('removes the selected elements when the value is null', () => {
    const { resource } = patchUser(user(), { op: 'replace', path: 'emails[type eq "home"]', value: null });
    expect(resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  });

  it('unassigns the sub-attribute of selected elements when the value is null', () => {
    const { resource } = patchUser(user(), { op: 'replace', path: 'emails[type eq "work"].primary', value: null });
    expect((resource.emails as ScimObject[])[0]).toEqual({ value: 'bjensen@example.com', type: 'work' });
  });

  it('writes the writeOnly password', () => {
    expect(patchUser(user(), { op: 'replace', path: 'password', value: 't1meMa$heen' }).resource.password).toBe('t1meMa$heen');
  });

  it('replaces a selected member with a value naming the same member', () => {
    const { resource } = patchGroup(group(), { op: 'replace', path: `members[value eq "${USER_ID}"]`, value: { value: USER_ID, display: 'Barbara Jensen' } });
    expect((resource.members as ScimObject[])[0]).toEqual({ value: USER_ID, display: 'Barbara Jensen', type: 'User' });
  });

  it('rejects a selection replaced by an array of several values', () => {
    expectError(
      () => patchUser(user(), { op: 'replace', path: 'emails[type eq "work"]', value: [{ value: 'a@x.org' }, { value: 'b@x.org' }] }),
      400,
      'invalidValue',
      /give one value, not an array of 2/,
    );
  });
});

describe('remove', () => {
  it('requires a path: 400 noTarget', () => {
    expectError(() => patchUser(user(), { op: 'remove', value: { displayName: 'x' } }), 400, 'noTarget', /^Operations\[0\]: "remove" needs a "path"/);
  });

  it('unassigns a single-valued attribute', () => {
    const { resource } = patchUser(user(), { op: 'remove', path: 'displayName' });
    expect(resource).toEqual({ ...user(), displayName: undefined });
    expect(resource).not.toHaveProperty('displayName');
  });

  it('unassigns a sub-attribute, and the parent when it is left empty', () => {
    expect(patchUser(user(), { op: 'remove', path: 'name.formatted' }).resource.name).toEqual({ familyName: 'Jensen', givenName: 'Barbara' });
    const { resource } = patchUser({ ...bareUser(), name: { givenName: 'B' } }, { op: 'remove', path: 'name.givenName' });
    expect(resource).toEqual(bareUser());
  });

  it('removes every value of a multi-valued attribute without filter or value', () => {
    expect(patchGroup(group(), { op: 'remove', path: 'members' }).resource).not.toHaveProperty('members');
  });

  it('removes only the listed values (Entra default member removal)', () => {
    const result = patchGroup(group(), { op: 'Remove', path: 'members', value: [{ value: USER_ID }] });
    expect(result.resource.members).toEqual([{ value: '902c246b-6245-4190-8e05-00816be7344a', display: 'Mandy Pepperidge', type: 'User' }]);
    expect(result.notes).toEqual([
      note('capitalized-patch-op', 'Operations[0]: "op" was "Remove"; read as "remove"'),
      note('remove-by-value-array', 'Operations[0]: removed only the listed values of "members", not the whole attribute'),
    ]);
  });

  it('removes listed values given as bare ids and ignores ones not present', () => {
    const result = patchGroup(group(), { op: 'remove', path: 'members', value: [USER_ID.toUpperCase(), 'not-a-member'] });
    expect((result.resource.members as ScimObject[]).map((member) => member.value)).toEqual(['902c246b-6245-4190-8e05-00816be7344a']);
  });

  it('changes nothing when no listed value is present', () => {
    const result = patchGroup(group(), { op: 'remove', path: 'members', value: [{ value: 'not-a-member' }] });
    expect(result.resource).toEqual(group());
    expect(result.notes).toEqual([
      note('remove-by-value-array', 'Operations[0]: removed only the listed values of "members", not the whole attribute'),
      note('nothing-to-remove', 'Operations[0]: "members": nothing to remove'),
    ]);
  });

  it('ignores a value when the path selects what to remove, with a note', () => {
    const result = patchUser(user(), { op: 'remove', path: 'emails[type eq "home"]', value: { value: 'x' } });
    expect(result.resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
    expect(result.notes).toEqual([
      note('remove-value-ignored', 'Operations[0]: "value" is ignored when "path" selects what to remove ("emails[type eq "home"]")'),
    ]);
  });

  it('removes the selected elements', () => {
    const { resource } = patchUser(user(), { op: 'remove', path: 'emails[type eq "home"]' });
    expect(resource.emails).toEqual([{ value: 'bjensen@example.com', type: 'work', primary: true }]);
  });

  it('is a no-op when the filter matches nothing', () => {
    const result = patchUser(user(), { op: 'remove', path: 'emails[type eq "other"]' });
    expect(result.resource).toEqual(user());
    expect(result.notes).toEqual([note('nothing-to-remove', 'Operations[0]: "emails[type eq "other"]": nothing to remove')]);
  });

  it('unassigns the attribute when its last element is removed', () => {
    expect(patchUser(user(), { op: 'remove', path: 'phoneNumbers[type eq "work"]' }).resource).not.toHaveProperty('phoneNumbers');
  });

  it('removes a sub-attribute from the selected elements', () => {
    const { resource } = patchUser(user(), { op: 'remove', path: 'emails[type eq "work"].primary' });
    expect(resource.emails).toEqual([
      { value: 'bjensen@example.com', type: 'work' },
      { value: 'babs@jensen.org', type: 'home' },
    ]);
  });

  it('drops elements left without sub-attributes', () => {
    const { resource } = patchUser({ ...bareUser(), ims: [{ value: 'babs' }, { value: 'bj', type: 'skype' }] }, { op: 'remove', path: 'ims[type pr].type' });
    expect(resource.ims).toEqual([{ value: 'babs' }, { value: 'bj' }]);
    const gone = patchUser({ ...bareUser(), ims: [{ value: 'babs' }] }, { op: 'remove', path: 'ims[value eq "babs"].value' });
    expect(gone.resource).not.toHaveProperty('ims');
  });

  it('removes the manager, and the extension object when nothing is left', () => {
    const { resource } = patchUser(
      { ...bareUser(), [ENTERPRISE]: { manager: { value: MANAGER_ID } } },
      { op: 'Remove', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager' },
    );
    expect(resource).toEqual(bareUser());
  });

  it('removes a whole extension named by its URI', () => {
    expect(patchUser(user(), { op: 'remove', path: ENTERPRISE }).resource).not.toHaveProperty(ENTERPRISE);
  });

  it('is a no-op for an unassigned attribute', () => {
    const result = patchUser(bareUser(), { op: 'remove', path: 'title' });
    expect(result.resource).toEqual(bareUser());
    expect(result.notes).toEqual([note('nothing-to-remove', 'Operations[0]: "title": nothing to remove')]);
  });
});

describe('values', () => {
  it('rejects a value of the wrong type with 400 invalidValue', () => {
    expectError(() => patchUser(user(), { op: 'replace', path: 'active', value: 7 }), 400, 'invalidValue', /^Operations\[0\]: "active" must be a boolean/);
    expectError(() => patchUser(user(), { op: 'replace', path: 'userName', value: 42 }), 400, 'invalidValue', /"userName" must be a string/);
  });

  it('rejects several values for a single-valued attribute', () => {
    expectError(() => patchUser(user(), { op: 'replace', path: 'title', value: ['a', 'b'] }), 400, 'invalidValue', /single-valued/);
  });

  it('reads a one-element array as the manager value (Entra legacy tutorial)', () => {
    const { resource } = patchUser(bareUser(), {
      op: 'Add',
      path: `${ENTERPRISE}:manager`,
      value: [{ $ref: 'https://example.com/scim/v2/Users/m1', value: 'm1' }],
    });
    expect(resource[ENTERPRISE]).toEqual({ manager: { $ref: 'https://example.com/scim/v2/Users/m1', value: 'm1' } });
  });

  it('drops unknown sub-attributes of a value with a note', () => {
    const result = patchUser(bareUser(), { op: 'add', path: 'emails', value: { value: 'a@example.com', verified: true } });
    expect(result.resource.emails).toEqual([{ value: 'a@example.com' }]);
    expect(result.notes).toEqual([note('unknown-sub-attribute-ignored', 'Operations[0]: ignored unknown sub-attribute "emails.verified"')]);
  });
});

describe('mutability', () => {
  it.each([
    ['id', 'id', 'x'],
    ['meta', 'meta', { created: '2020-01-01T00:00:00Z' }],
    ['a meta sub-attribute', 'meta.lastModified', '2020-01-01T00:00:00Z'],
    ['schemas', 'schemas', [USER_SCHEMA]],
    ['groups', 'groups', [{ value: GROUP_ID }]],
    ['manager.displayName', `${ENTERPRISE}:manager.displayName`, 'Boss'],
  ])('rejects a path to read-only %s with 400 mutability', (_label, path, value) => {
    for (const op of ['add', 'replace', 'remove']) {
      expectError(() => patchUser(user(), { op, path, value }), 400, 'mutability', /read-only/);
    }
  });

  it('rejects read-only groups in a path-less value', () => {
    expectError(() => patchUser(user(), { op: 'add', value: { groups: [{ value: GROUP_ID }] } }), 400, 'mutability', /"groups" is read-only/);
  });

  it("ignores the resource's own id in a path-less value (Okta group rename)", () => {
    const result = patchGroup(group(), { op: 'replace', value: { id: GROUP_ID, displayName: 'Guides' } });
    expect(result.resource).toEqual({ ...group(), displayName: 'Guides' });
    expect(result.notes).toEqual([note('own-id-in-patch-value', `Operations[0]: ignored "id": it equals the resource's id`)]);
  });

  it('rejects a different id in a path-less value', () => {
    expectError(
      () => patchGroup(group(), { op: 'replace', value: { id: 'another', displayName: 'Guides' } }),
      400,
      'mutability',
      /"id" is read-only.*"another".*e9e30dba/,
    );
  });

  it('ignores schemas and meta echoed in a path-less value', () => {
    const result = patchUser(user(), {
      op: 'replace',
      value: { schemas: [USER_SCHEMA], meta: { resourceType: 'User', version: 'W/"1"' }, 'meta.created': '2020-01-01T00:00:00Z', title: 'Guide' },
    });
    expect(result.resource).toEqual({ ...user(), title: 'Guide' });
    expect(result.notes).toEqual([
      note('server-attribute-ignored', 'Operations[0]: ignored "schemas": it is maintained by the server'),
      note('server-attribute-ignored', 'Operations[0]: ignored "meta": it is maintained by the server'),
      note('server-attribute-ignored', 'Operations[0]: ignored "meta.created": it is maintained by the server'),
    ]);
  });

  it('rejects changing an immutable sub-attribute', () => {
    expectError(
      () => patchGroup(group(), { op: 'replace', path: `members[value eq "${USER_ID}"].value`, value: 'someone-else' }),
      400,
      'mutability',
      /"members.value" is immutable/,
    );
  });

  it('rejects removing an immutable sub-attribute', () => {
    expectError(() => patchGroup(group(), { op: 'remove', path: `members[value eq "${USER_ID}"].type` }), 400, 'mutability', /"members.type" is immutable.*removed/);
  });

  it('rejects replacing a member element with one naming another member', () => {
    expectError(
      () => patchGroup(group(), { op: 'replace', path: `members[value eq "${USER_ID}"]`, value: { value: 'someone-else' } }),
      400,
      'mutability',
      /"members.value" is immutable/,
    );
  });

  it('allows re-sending the same immutable value and setting an unassigned one', () => {
    const same = patchGroup(group(), { op: 'replace', path: `members[value eq "${USER_ID}"].value`, value: USER_ID });
    expect(same.resource).toEqual(group());
    const noType = { ...group(), members: [{ value: 'u1' }] };
    expect(patchGroup(noType, { op: 'add', path: 'members[value eq "u1"].type', value: 'User' }).resource.members).toEqual([{ value: 'u1', type: 'User' }]);
  });

  it('allows mutable sub-attributes of a member to change', () => {
    const { resource } = patchGroup(group(), { op: 'replace', path: `members[value eq "${USER_ID}"].display`, value: 'B. Jensen' });
    expect((resource.members as ScimObject[])[0]).toEqual({ value: USER_ID, display: 'B. Jensen', type: 'User' });
  });
});

describe('atomicity and isolation', () => {
  it('applies nothing when a later operation fails, and never mutates its input', () => {
    const input = user();
    const snapshot = structuredClone(input);
    const payload = body(
      { op: 'replace', path: 'displayName', value: 'Changed' },
      { op: 'remove', path: 'emails' },
      { op: 'replace', path: 'id', value: 'other' },
    );
    const payloadSnapshot = structuredClone(payload);
    expectError(() => applyPatch(input, payload, userResourceType), 400, 'mutability', /^Operations\[2\]: "id" is read-only/);
    expect(input).toEqual(snapshot);
    expect(payload).toEqual(payloadSnapshot);
  });

  it('returns a new object and leaves the input untouched on success', () => {
    const input = user();
    const snapshot = structuredClone(input);
    const result = patchUser(input, { op: 'add', path: 'emails', value: { value: 'new@example.com', primary: true } }, { op: 'remove', path: 'name.formatted' });
    expect(result.resource).not.toBe(input);
    expect(input).toEqual(snapshot);
    // The result does not share nested objects with the input either.
    (result.resource.name as ScimObject).givenName = 'Mutated';
    expect(input).toEqual(snapshot);
  });

  it('applies operations in order, each seeing the previous result', () => {
    const { resource } = patchGroup(
      group(),
      { op: 'remove', path: 'members' },
      { op: 'add', path: 'members', value: [{ value: 'a' }] },
      { op: 'add', path: 'members', value: [{ value: 'b' }] },
      { op: 'remove', path: 'members[value eq "a"]' },
    );
    expect(resource.members).toEqual([{ value: 'b' }]);
  });

  it('leaves id, meta and schemas to the caller even when an extension appears or disappears', () => {
    const added = patchUser(bareUser(), { op: 'add', path: `${ENTERPRISE}:department`, value: 'Tours' }).resource;
    expect(added.schemas).toEqual([USER_SCHEMA]);
    expect(added.meta).toEqual(bareUser().meta);
    const removed = patchUser(user(), { op: 'remove', path: ENTERPRISE }).resource;
    expect(removed.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
    expect(removed.meta).toEqual(user().meta);
  });

  it('prefixes notes with the index of the operation that produced them', () => {
    const result = patchUser(user(), { op: 'replace', path: 'title', value: 'Guide' }, { op: 'replace', path: 'active', value: 'True' });
    expect(result.notes).toEqual([note('string-boolean', expect.stringMatching(/^Operations\[1\]: "active" was the string "True"/))]);
  });
});
