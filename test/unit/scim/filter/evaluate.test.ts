import { describe, expect, it } from 'vitest';
import type { Filter } from '../../../../src-main/scim/filter/ast.js';
import { compileFilter, compileValueFilter, parseDateTime } from '../../../../src-main/scim/filter/evaluate.js';
import { parseFilter } from '../../../../src-main/scim/filter/parser.js';
import type { ScimObject } from '../../../../src-main/scim/resource.js';
import type { SchemaDef } from '../../../../src-main/scim/schema/definitions.js';
import {
  groupResourceType,
  resolvePath,
  userResourceType,
  type ResourceTypeDef,
} from '../../../../src-main/scim/schema/resource-types.js';
import { CORE_USER, ENTERPRISE, attr, cmp, scimErrorOf, vp } from './helpers.js';

const bjensen: ScimObject = {
  schemas: [CORE_USER, ENTERPRISE],
  id: '2819c223-7f76-453a-919d-413861904646',
  externalId: 'bjensen-EXT',
  userName: 'bjensen@example.com',
  name: { formatted: 'Ms. Barbara J Jensen III', familyName: 'Jensen', givenName: 'Barbara' },
  displayName: 'Babs Jensen',
  title: 'Tour Guide',
  userType: 'Employee',
  active: true,
  emails: [
    { value: 'bjensen@example.com', type: 'work', primary: true },
    { value: 'babs@jensen.org', type: 'home' },
  ],
  ims: [{ value: 'babs@jabber.foo.com', type: 'xmpp' }],
  addresses: [{ type: 'work', streetAddress: '100 Universal City Plaza', locality: 'Hollywood', country: 'USA' }],
  meta: { resourceType: 'User', created: '2010-01-23T04:56:22Z', lastModified: '2011-05-13T04:42:34Z', revision: 3 },
  [ENTERPRISE]: {
    employeeNumber: '701984',
    department: 'Tour Operations',
    manager: { value: '26118915-6090-4610-87e4-49d8ca9f808d', displayName: 'John Smith' },
  },
};

const omalley: ScimObject = {
  schemas: [CORE_USER],
  id: 'c3a1f2b4-0000-4000-8000-000000000002',
  externalId: 'omalley',
  userName: 'Sean.OMalley@Example.org',
  name: { familyName: "O'Malley", givenName: 'Seán' },
  userType: 'Intern',
  active: false,
  emails: [
    { value: 'sean@example.org', type: 'work' },
    { value: 'sean.home@example.com', type: 'home', primary: true },
  ],
  meta: { resourceType: 'User', created: '2011-05-13T04:42:34.500Z', lastModified: '2012-01-01T00:00:00+02:00', revision: 1 },
};

/** A sparse user: empty strings, empty arrays, a complex value with nothing in it. */
const sparse: ScimObject = {
  schemas: [CORE_USER],
  id: 'c3a1f2b4-0000-4000-8000-000000000003',
  userName: 'sparse',
  title: '',
  emails: [],
  name: { givenName: null, familyName: '' },
  addresses: [{ type: null }],
  meta: { resourceType: 'User', created: '2013-01-01T00:00:00Z', lastModified: '2013-01-01T00:00:00Z', revision: 1 },
};

const users = [bjensen, omalley, sparse];

function ids(filter: string | Filter, resources: ScimObject[] = users, type: ResourceTypeDef = userResourceType): string[] {
  const predicate = compileFilter(typeof filter === 'string' ? parseFilter(filter) : filter, type);
  return resources.filter(predicate).map((resource) => resource.userName as string ?? resource.displayName);
}

const compileError = (filter: string, type: ResourceTypeDef = userResourceType) =>
  scimErrorOf(() => compileFilter(parseFilter(filter), type), 'invalidFilter');

describe('compileFilter: RFC 7644 §3.4.2.2 examples against realistic users', () => {
  it.each([
    ['userName eq "bjensen@example.com"', ['bjensen@example.com']],
    ['name.familyName co "O\'Malley"', ['Sean.OMalley@Example.org']],
    ['userName sw "S"', ['Sean.OMalley@Example.org', 'sparse']],
    [`${CORE_USER}:userName sw "B"`, ['bjensen@example.com']],
    ['title pr', ['bjensen@example.com']],
    ['meta.lastModified gt "2011-05-13T04:42:34Z"', ['Sean.OMalley@Example.org', 'sparse']],
    ['meta.lastModified ge "2011-05-13T04:42:34Z"', ['bjensen@example.com', 'Sean.OMalley@Example.org', 'sparse']],
    ['meta.lastModified lt "2011-05-13T04:42:34Z"', []],
    ['meta.lastModified le "2011-05-13T04:42:34Z"', ['bjensen@example.com']],
    ['title pr and userType eq "Employee"', ['bjensen@example.com']],
    ['title pr or userType eq "Intern"', ['bjensen@example.com', 'Sean.OMalley@Example.org']],
    [`schemas eq "${ENTERPRISE}"`, ['bjensen@example.com']],
    ['userType eq "Employee" and (emails co "example.com" or emails.value co "example.org")', ['bjensen@example.com']],
    [
      'userType ne "Employee" and not (emails co "example.com" or emails.value co "example.org")',
      ['sparse'],
    ],
    ['userType eq "Employee" and (emails.type eq "work")', ['bjensen@example.com']],
    ['userType eq "Employee" and emails[type eq "work" and value co "@example.com"]', ['bjensen@example.com']],
    [
      'emails[type eq "work" and value co "@example.com"] or ims[type eq "xmpp" and value co "@foo.com"]',
      ['bjensen@example.com'],
    ],
  ])('%s', (filter, expected) => {
    expect(ids(filter)).toEqual(expected);
  });
});

describe('compileFilter: strings honour caseExact', () => {
  it('compares userName, displayName and emails.value case-insensitively', () => {
    expect(ids('userName eq "BJENSEN@EXAMPLE.COM"')).toEqual(['bjensen@example.com']);
    expect(ids('userName eq "sean.omalley@example.org"')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('displayName eq "babs jensen"')).toEqual(['bjensen@example.com']);
    expect(ids('emails.value eq "BABS@JENSEN.ORG"')).toEqual(['bjensen@example.com']);
    expect(ids('userName co "OMALLEY"')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('userName sw "SEAN."')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('userName ew "EXAMPLE.ORG"')).toEqual(['Sean.OMalley@Example.org']);
  });

  it('compares id, externalId and meta.resourceType case-exactly', () => {
    expect(ids('externalId eq "bjensen-EXT"')).toEqual(['bjensen@example.com']);
    expect(ids('externalId eq "bjensen-ext"')).toEqual([]);
    expect(ids('externalId sw "BJENSEN"')).toEqual([]);
    expect(ids('externalId co "EXT"')).toEqual(['bjensen@example.com']);
    expect(ids('id eq "2819C223-7F76-453A-919D-413861904646"')).toEqual([]);
    expect(ids('id eq "2819c223-7f76-453a-919d-413861904646"')).toEqual(['bjensen@example.com']);
    expect(ids('meta.resourceType eq "user"')).toEqual([]);
    expect(ids('meta.resourceType eq "User"')).toHaveLength(3);
  });

  it('folds non-ASCII letters the way String.prototype.toLowerCase does', () => {
    const people: ScimObject[] = [
      { userName: 'ÉMILIE.DURAND' },
      { userName: 'seán' },
      { userName: 'İstanbul' },
      { userName: '\u212Aelvin' }, // KELVIN SIGN lowercases to ASCII "k"
    ];
    expect(ids('userName eq "émilie.durand"', people)).toEqual(['ÉMILIE.DURAND']);
    expect(ids('userName eq "SEÁN"', people)).toEqual(['seán']);
    expect(ids('userName co "ÁN"', people)).toEqual(['seán']);
    expect(ids('userName eq "kelvin"', people)).toEqual(['\u212Aelvin']);
    expect(ids('userName sw "i"', people)).toEqual(['İstanbul']);
    expect(ids('userName ew "STANBUL"', people)).toEqual(['İstanbul']);
  });

  it('orders strings lexicographically (case-insensitively unless caseExact)', () => {
    expect(ids('userName gt "S"')).toEqual(['Sean.OMalley@Example.org', 'sparse']);
    expect(ids('userName lt "c"')).toEqual(['bjensen@example.com']);
    expect(ids('userName le "SPARSE"')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org', 'sparse']);
    expect(ids('externalId ge "a"')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
    expect(ids('externalId lt "Z"')).toEqual([]);
  });
});

describe('compileFilter: multi-valued and complex attributes', () => {
  it('matches a multi-valued sub-attribute when ANY element matches', () => {
    expect(ids('emails.type eq "home"')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
    expect(ids('emails.value co "@jensen.org"')).toEqual(['bjensen@example.com']);
    expect(ids('emails.primary eq true')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
  });

  it('compares a complex attribute through its "value" sub-attribute', () => {
    expect(ids('emails co "jensen.org"')).toEqual(['bjensen@example.com']);
    expect(ids('emails eq "SEAN@EXAMPLE.ORG"')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids(`${ENTERPRISE}:manager eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toEqual(['bjensen@example.com']);
  });

  it('binds every condition of a value filter to ONE element', () => {
    // bjensen's work email is @example.com and her home email is @jensen.org.
    expect(ids('emails[type eq "work" and value co "@jensen.org"]')).toEqual([]);
    expect(ids('emails[type eq "home" and value co "@jensen.org"]')).toEqual(['bjensen@example.com']);
    // ...whereas separate conditions may be satisfied by different elements.
    expect(ids('emails.type eq "work" and emails.value co "@jensen.org"')).toEqual(['bjensen@example.com']);

    const twoEmails: ScimObject = {
      userName: 'two',
      emails: [
        { type: 'work', value: 'a@x.com' },
        { type: 'home', value: 'b@y.com' },
      ],
    };
    expect(ids('emails[type eq "work" and value co "@y.com"]', [twoEmails])).toEqual([]);
    expect(ids('emails[type eq "home" and value co "@y.com"]', [twoEmails])).toEqual(['two']);
  });

  it("evaluates Entra's emails[type eq \"work\"].value eq \"…\" against the work email only", () => {
    expect(ids('emails[type eq "work"].value eq "bjensen@example.com"')).toEqual(['bjensen@example.com']);
    expect(ids('emails[type eq "work"].value eq "babs@jensen.org"')).toEqual([]);
    expect(ids('emails[type eq "home"].value eq "BABS@JENSEN.ORG"')).toEqual(['bjensen@example.com']);
    expect(ids('emails[type eq "work"].primary pr')).toEqual(['bjensen@example.com']);
  });

  it('supports not, or and parentheses inside a value filter', () => {
    expect(ids('emails[not (type eq "work") and primary eq true]')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('emails[(type eq "work" or type eq "home") and value ew ".org"]')).toEqual([
      'bjensen@example.com',
      'Sean.OMalley@Example.org',
    ]);
  });

  it('lets a value filter select from a single-valued complex attribute', () => {
    expect(ids('name[givenName eq "barbara" and familyName sw "J"]')).toEqual(['bjensen@example.com']);
    expect(ids(`${ENTERPRISE}:manager[displayName co "smith"]`)).toEqual(['bjensen@example.com']);
  });

  it('treats "value" inside the brackets of a multi-valued simple attribute as the element itself', () => {
    expect(ids(`schemas[value eq "${ENTERPRISE}"]`)).toEqual(['bjensen@example.com']);
    expect(ids(`schemas[value ew ":User" and not (value eq "${CORE_USER}")]`)).toEqual(['bjensen@example.com']);
  });

  it('defines ne on multi-valued attributes as "no element equals" (= not eq)', () => {
    expect(ids('emails.type ne "work"')).toEqual(['sparse']);
    expect(ids('emails.type ne "work"')).toEqual(ids('not (emails.type eq "work")'));
    expect(ids(`schemas ne "${ENTERPRISE}"`)).toEqual(['Sean.OMalley@Example.org', 'sparse']);
  });

  it('treats an absent single-valued attribute as satisfying ne and failing everything else', () => {
    expect(ids('userType ne "Employee"')).toEqual(['Sean.OMalley@Example.org', 'sparse']);
    expect(ids('userType eq "Employee" or userType co "" or userType gt ""')).toEqual([
      'bjensen@example.com',
      'Sean.OMalley@Example.org',
    ]);
  });
});

describe('compileFilter: presence and null', () => {
  it('treats empty strings, empty arrays and complex values without present sub-attributes as absent', () => {
    expect(ids('title pr')).toEqual(['bjensen@example.com']);
    expect(ids('emails pr')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
    expect(ids('name pr')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
    expect(ids('name.givenName pr')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
    expect(ids('addresses pr')).toEqual(['bjensen@example.com']);
    expect(ids('emails.primary pr')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
  });

  it('counts false as a present value', () => {
    expect(ids('active pr')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
  });

  it('makes "eq null" the negation of pr and "ne null" the same as pr', () => {
    expect(ids('title eq null')).toEqual(['Sean.OMalley@Example.org', 'sparse']);
    expect(ids('title ne null')).toEqual(ids('title pr'));
    expect(ids('emails eq null')).toEqual(['sparse']);
    expect(ids(`${ENTERPRISE}:department eq null`)).toEqual(['Sean.OMalley@Example.org', 'sparse']);
  });

  it('reads presence inside extensions', () => {
    expect(ids(`${ENTERPRISE}:manager pr`)).toEqual(['bjensen@example.com']);
    expect(ids(`${ENTERPRISE}:manager.displayName pr`)).toEqual(['bjensen@example.com']);
  });
});

describe('compileFilter: booleans, numbers and dateTimes', () => {
  it('compares booleans', () => {
    expect(ids('active eq true')).toEqual(['bjensen@example.com']);
    expect(ids('active eq false')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('active ne true')).toEqual(['Sean.OMalley@Example.org', 'sparse']);
  });

  it('accepts Entra\'s "True"/"False" strings for boolean attributes', () => {
    expect(ids('active eq "True"')).toEqual(['bjensen@example.com']);
    expect(ids('emails[primary eq "True"].value ew ".com"')).toEqual([
      'bjensen@example.com',
      'Sean.OMalley@Example.org',
    ]);
  });

  it('compares dateTimes as instants across offsets and precisions', () => {
    // omalley.meta.lastModified is 2012-01-01T00:00:00+02:00 = 2011-12-31T22:00:00Z.
    expect(ids('meta.lastModified eq "2011-12-31T22:00:00Z"')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('meta.lastModified eq "2011-12-31T17:00:00.000-05:00"')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('meta.lastModified lt "2011-12-31T23:00:00Z"')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
    // 04:42:34Z vs 04:42:34.5Z: half a second apart.
    expect(ids('meta.created eq "2011-05-13T04:42:34.5Z"')).toEqual(['Sean.OMalley@Example.org']);
    expect(ids('meta.created gt "2011-05-13T04:42:34.499999999Z"')).toEqual(['Sean.OMalley@Example.org', 'sparse']);
    expect(ids('meta.created lt "2011-05-13T04:42:34.500000001Z"')).toEqual(['bjensen@example.com', 'Sean.OMalley@Example.org']);
    expect(ids('meta.created ne "2010-01-23T05:56:22+01:00"')).toEqual(['Sean.OMalley@Example.org', 'sparse']);
  });

  it('never matches a stored dateTime that does not parse', () => {
    const odd: ScimObject[] = [{ userName: 'odd', meta: { created: 'yesterday' } }, { userName: 'num', meta: { created: 5 } }];
    expect(ids('meta.created gt "2000-01-01T00:00:00Z"', odd)).toEqual([]);
    expect(ids('meta.created lt "2000-01-01T00:00:00Z"', odd)).toEqual([]);
    expect(ids('meta.created ne "2000-01-01T00:00:00Z"', odd)).toEqual(['odd', 'num']);
  });

  it('compares integers and decimals numerically', () => {
    const badgeSchema: SchemaDef = {
      id: 'urn:example:params:scim:schemas:badge:1.0:User',
      name: 'Badge',
      description: 'Test extension with numeric attributes',
      attributes: [
        {
          name: 'level', type: 'integer', multiValued: false, description: '', required: false,
          caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none',
        },
        {
          name: 'scores', type: 'decimal', multiValued: true, description: '', required: false,
          caseExact: false, mutability: 'readWrite', returned: 'default', uniqueness: 'none',
        },
      ],
    };
    const type: ResourceTypeDef = { ...userResourceType, extensions: [{ schema: badgeSchema, required: false }] };
    const key = badgeSchema.id;
    const people: ScimObject[] = [
      { userName: 'low', [key]: { level: 2, scores: [1.5, 9.25] } },
      { userName: 'high', [key]: { level: 10, scores: [] } },
      { userName: 'text', [key]: { level: '10' } },
    ];
    expect(ids(`${key}:level gt 5`, people, type)).toEqual(['high']);
    expect(ids(`${key}:level le 2.5`, people, type)).toEqual(['low']);
    expect(ids(`${key}:level eq 1e1`, people, type)).toEqual(['high']);
    expect(ids(`${key}:scores ge 9`, people, type)).toEqual(['low']);
    expect(ids(`${key}:scores eq -1.5`, people, type)).toEqual([]);
    expect(ids(`${key}:scores[value lt 2]`, people, type)).toEqual(['low']);
    expect(scimErrorOf(() => compileFilter(parseFilter(`${key}:level eq "10"`), type), 'invalidFilter')).toMatch(
      /is a number \(integer\), so compare it with a number, not the string "10"/,
    );
    expect(scimErrorOf(() => compileFilter(parseFilter(`${key}:level co 1`), type), 'invalidFilter')).toMatch(
      /"co" cannot be used with the integer attribute/,
    );
  });
});

describe('compileFilter: URN-qualified paths and groups', () => {
  it('reads enterprise extension attributes from the schema-URI key', () => {
    expect(ids(`${ENTERPRISE}:department eq "tour operations"`)).toEqual(['bjensen@example.com']);
    expect(ids(`${ENTERPRISE}:manager.value eq "26118915-6090-4610-87e4-49d8ca9f808d"`)).toEqual(['bjensen@example.com']);
    expect(ids(`${ENTERPRISE.toUpperCase()}:EMPLOYEENUMBER eq "701984"`)).toEqual(['bjensen@example.com']);
  });

  it('reads core and common attributes through the core schema URI', () => {
    expect(ids(`${CORE_USER}:name.familyName eq "jensen"`)).toEqual(['bjensen@example.com']);
    expect(ids(`${CORE_USER}:id eq "2819c223-7f76-453a-919d-413861904646"`)).toEqual(['bjensen@example.com']);
  });

  it('resolves attribute names case-insensitively', () => {
    expect(ids('USERNAME eq "sparse"')).toEqual(['sparse']);
    expect(ids('Emails[TYPE eq "work" and Value co "@example.org"]')).toEqual(['Sean.OMalley@Example.org']);
  });

  it('filters groups by displayName and members', () => {
    const groups: ScimObject[] = [
      {
        schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
        id: 'g1',
        displayName: 'Tour Guides',
        members: [
          { value: '2819c223-7f76-453a-919d-413861904646', type: 'User', display: 'Babs Jensen' },
          { value: 'g2', type: 'Group' },
        ],
      },
      { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], id: 'g2', displayName: 'Empty', members: [] },
    ];
    const names = (filter: string) => ids(filter, groups, groupResourceType);
    expect(names('displayName eq "tour guides"')).toEqual(['Tour Guides']);
    expect(names('members.value eq "2819c223-7f76-453a-919d-413861904646"')).toEqual(['Tour Guides']);
    expect(names('members[type eq "Group" and value eq "g2"]')).toEqual(['Tour Guides']);
    expect(names('members eq "g2"')).toEqual(['Tour Guides']);
    expect(names('members pr')).toEqual(['Tour Guides']);
    expect(names('not (members pr)')).toEqual(['Empty']);
    expect(scimErrorOf(() => compileFilter(parseFilter('userName eq "x"'), groupResourceType), 'invalidFilter')).toBe(
      'Unknown attribute "userName" in filter for resource type Group',
    );
  });
});

describe('compileFilter: compile-time errors', () => {
  it('names an unknown attribute and the resource type', () => {
    expect(compileError('foo eq "x"')).toBe('Unknown attribute "foo" in filter for resource type User');
    expect(compileError('emial pr')).toBe('Unknown attribute "emial" in filter for resource type User; did you mean "emails"?');
    expect(compileError('foo.bar pr')).toMatch(/^Unknown attribute "foo" in filter for resource type User/);
    expect(compileError(`${ENTERPRISE}:userName eq "x"`)).toMatch(
      /^Unknown attribute "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:userName" in filter for resource type User/,
    );
  });

  it('names an unknown sub-attribute and its parent', () => {
    expect(compileError('name.surname eq "x"')).toMatch(/^Unknown sub-attribute "surname" of "name" in filter for resource type User/);
    expect(compileError('emails[kind eq "work"]')).toMatch(/^Unknown sub-attribute "kind" of "emails" in filter for resource type User/);
    expect(compileError('emails[typ eq "work"]')).toMatch(/did you mean "type"\?$/);
    expect(compileError('userName.value eq "x"')).toMatch(/^Attribute "userName" has no sub-attributes/);
  });

  it('names an unknown or foreign schema URI', () => {
    expect(compileError('urn:example:unknown:1.0:foo eq "x"')).toMatch(
      /^Unknown schema "urn:example:unknown:1.0" in filter for resource type User .*known schemas: urn:ietf:params:scim:schemas:core:2.0:User, urn:ietf:params:scim:schemas:extension:enterprise:2.0:User/,
    );
    expect(compileError(`${CORE_USER}:displayName eq "x"`, groupResourceType)).toMatch(/^Unknown schema/);
  });

  it('rejects values whose type cannot match the attribute', () => {
    expect(compileError('active eq "yes"')).toBe(
      'Attribute "active" is boolean, so compare it with true or false, not the string "yes" (in: active eq "yes")',
    );
    expect(compileError('userName eq 5')).toMatch(/^Attribute "userName" holds strings, so compare it with a string in double quotes such as "5", not the number 5/);
    expect(compileError('employeeNumber eq 701984')).toBe('Unknown attribute "employeeNumber" in filter for resource type User');
    expect(compileError(`${ENTERPRISE}:employeeNumber eq 701984`)).toMatch(/holds strings/);
    expect(compileError('emails.primary eq 1')).toMatch(/is boolean/);
    expect(compileError('meta.created gt "yesterday"')).toMatch(
      /^Attribute "meta.created" is a dateTime, so compare it with a timestamp such as "2011-05-13T04:42:34Z", not the string "yesterday"/,
    );
    expect(compileError('meta.created gt "2011-02-30T00:00:00Z"')).toMatch(/is a dateTime/);
    expect(compileError('meta.created gt "2011-05-13"')).toMatch(/is a dateTime/);
    expect(compileError('meta.created gt true')).toMatch(/is a dateTime/);
  });

  it('rejects operators that the attribute type does not support (RFC 7644 §3.4.2.2)', () => {
    expect(compileError('active gt true')).toBe(
      '"gt" cannot be used with the boolean attribute "active"; use eq, ne or pr (in: active gt true)',
    );
    expect(compileError('active co true')).toMatch(/"co" cannot be used with the boolean attribute/);
    expect(compileError('x509Certificates.value lt "MIIC"')).toMatch(/"lt" cannot be used with the binary attribute "x509Certificates.value"/);
    expect(compileError('meta.created sw "2011"')).toMatch(/"sw" cannot be used with the dateTime attribute "meta.created"/);
    expect(compileError('title gt null')).toBe('null can only be compared with eq or ne (in: title gt null)');
  });

  it('requires a sub-attribute to compare complex attributes without a "value"', () => {
    expect(compileError('name eq "Barbara"')).toBe(
      'Attribute "name" is complex and has no "value" to compare; compare one of its sub-attributes, as in name.formatted',
    );
    expect(compileError('addresses co "Hollywood"')).toMatch(/as in addresses.formatted/);
    expect(compileError('meta eq "x"')).toMatch(/as in meta.resourceType/);
  });

  it('rejects value paths on single-valued simple attributes and bad paths inside brackets', () => {
    expect(compileError('userName[value eq "x"]')).toBe(
      'Attribute "userName" is a single-valued string; a value filter "userName[...]" needs a multi-valued or complex attribute',
    );
    expect(compileError('emails[emails.type eq "work"]')).toBe(
      'Inside "emails[...]" name a sub-attribute of emails (such as "type"), not "emails.type"',
    );
    expect(compileError(`emails[${CORE_USER}:type eq "work"]`)).toMatch(/^Inside "emails\[\.\.\.\]" name a sub-attribute/);
    expect(compileError('schemas[type eq "x"]')).toMatch(/refer to each value as "value", not "type"/);
    // Only a hand-built AST can nest value paths; the compiler still refuses.
    const nested = vp(attr('emails'), vp(attr('addresses'), cmp(attr('type'), 'eq', 'work')));
    expect(scimErrorOf(() => compileFilter(nested, userResourceType), 'invalidFilter')).toMatch(/^Value filters cannot be nested/);
  });

  it('refuses to filter on attributes that are never returned (password)', () => {
    expect(compileError('password eq "hunter2"')).toBe('Attribute "password" is never returned and cannot be used in a filter');
    expect(compileError('password pr')).toMatch(/never returned/);
  });

  it('checks the whole filter at compile time, even branches that would short-circuit', () => {
    expect(compileError('userName eq "x" or nope pr')).toBe('Unknown attribute "nope" in filter for resource type User');
    expect(compileError('not (emails[value co "x" and nope eq 1])')).toMatch(/^Unknown sub-attribute "nope" of "emails"/);
  });
});

describe('compileFilter: robustness', () => {
  it('never throws on odd stored data; it just does not match', () => {
    const odd: ScimObject[] = [
      { userName: 5, emails: 'not-an-array', name: [], meta: null, active: 'yes' },
      { userName: ['a'], emails: [null, 5, 'x', [], { value: 7 }], addresses: {}, [ENTERPRISE]: 'oops' },
      { emails: { value: 'single@example.com', type: 'work' }, [ENTERPRISE]: { manager: 'string-manager' } },
      {},
    ];
    const filters = [
      'userName eq "a"', 'userName co "a"', 'userName gt "a"', 'emails.value co "@"', 'emails[type eq "work"]',
      'emails eq "x"', 'name.familyName pr', 'meta.created gt "2011-05-13T04:42:34Z"', 'active eq true',
      `${ENTERPRISE}:manager.value eq "x"`, `${ENTERPRISE}:department pr`, 'addresses[type eq "work"]',
      'not (emails pr) or userName ne "a"', 'schemas eq "x"',
    ];
    for (const filter of filters) {
      const predicate = compileFilter(parseFilter(filter), userResourceType);
      for (const resource of odd) expect(() => predicate(resource)).not.toThrow();
    }
    expect(ids('emails[type eq "work"].value eq "SINGLE@example.com"', odd)).toHaveLength(1);
    expect(ids('userName ne "a"', odd)).toHaveLength(4);
  });

  it('evaluates nested, negated and ordered filters over 100k users', () => {
    // 10k distinct users, each listed ten times: realistic per-resource work without a slow setup.
    const distinct: ScimObject[] = Array.from({ length: 10_000 }, (_, i) => ({
      userName: `User${i}@Example.com`,
      active: i % 2 === 0,
      emails: [
        { type: 'work', value: `user${i}@example.com` },
        { type: 'home', value: `u${i}@home.example.org` },
      ],
      meta: { created: '2020-01-01T00:00:00Z', lastModified: `2020-01-01T00:00:${String(i % 60).padStart(2, '0')}Z` },
    }));
    const many = Array.from({ length: 100_000 }, (_, i) => distinct[i % distinct.length]!);
    const filters = [
      'userName eq "user9999@example.com"',
      'emails[type eq "work" and value co "@EXAMPLE.COM"] and active eq true',
      'meta.lastModified gt "2020-01-01T00:00:30Z"',
      'emails.value ew ".ORG" and not (userName co "99")',
    ];
    // Speed is measured in bench/ (npm run bench), not timed here.
    const counts = filters.map((filter) => many.filter(compileFilter(parseFilter(filter), userResourceType)).length);
    expect(counts).toEqual([10, 50_000, 48_230, 97_200]);
  });
});

describe('compileValueFilter', () => {
  const resolved = (type: ResourceTypeDef, name: string) => resolvePath(type, { name })!;

  it('tests one element of a multi-valued complex attribute', () => {
    const matches = compileValueFilter(parseFilter('value eq "abc"'), groupResourceType, resolved(groupResourceType, 'members'));
    expect(matches({ value: 'abc', type: 'User' })).toBe(true);
    expect(matches({ value: 'ABC', type: 'User' })).toBe(true); // members.value is not caseExact
    expect(matches({ value: 'abd' })).toBe(false);
    expect(matches(null)).toBe(false);
    expect(matches('abc')).toBe(false);
  });

  it('binds all conditions to the same element', () => {
    const matches = compileValueFilter(
      parseFilter('type eq "work" and value co "@y.com"'),
      userResourceType,
      resolved(userResourceType, 'emails'),
    );
    const emails = [
      { type: 'work', value: 'a@x.com' },
      { type: 'home', value: 'b@y.com' },
    ];
    expect(emails.filter(matches)).toEqual([]);
    expect(matches({ type: 'Work', value: 'c@Y.com' })).toBe(true);
  });

  it('treats "value" as the element itself for a multi-valued simple attribute', () => {
    const matches = compileValueFilter(parseFilter(`value eq "${ENTERPRISE}"`), userResourceType, resolved(userResourceType, 'schemas'));
    expect(matches(ENTERPRISE)).toBe(true);
    expect(matches(CORE_USER)).toBe(false);
  });

  it('rejects unknown sub-attributes and non-multi-valued targets with invalidFilter', () => {
    expect(
      scimErrorOf(
        () => compileValueFilter(parseFilter('kind eq "x"'), groupResourceType, resolved(groupResourceType, 'members')),
        'invalidFilter',
      ),
    ).toBe('Unknown sub-attribute "kind" of "members" in filter for resource type Group');
    expect(
      scimErrorOf(
        () => compileValueFilter(parseFilter('value eq "x"'), userResourceType, resolved(userResourceType, 'userName')),
        'invalidFilter',
      ),
    ).toMatch(/single-valued string; a value filter needs a multi-valued or complex attribute/);
    expect(
      scimErrorOf(
        () =>
          compileValueFilter(parseFilter('value eq "x"'), userResourceType, resolvePath(userResourceType, { name: 'emails', subAttr: 'value' })!),
        'invalidFilter',
      ),
    ).toMatch(/not of its sub-attribute "value"/);
  });
});

describe('parseDateTime', () => {
  it('parses RFC 3339 timestamps with offsets and fractions exactly', () => {
    expect(parseDateTime('1970-01-01T00:00:00Z')).toEqual({ seconds: 0, nanos: 0 });
    expect(parseDateTime('2011-05-13T04:42:34Z')).toEqual({ seconds: Date.UTC(2011, 4, 13, 4, 42, 34) / 1000, nanos: 0 });
    expect(parseDateTime('2011-05-13T06:42:34.123456789+02:00')).toEqual({
      seconds: Date.UTC(2011, 4, 13, 4, 42, 34) / 1000,
      nanos: 123_456_789,
    });
    expect(parseDateTime('1969-12-31T23:59:59.5z')).toEqual({ seconds: -1, nanos: 500_000_000 });
    expect(parseDateTime('2024-02-29t12:00:00')).toEqual({ seconds: Date.UTC(2024, 1, 29, 12) / 1000, nanos: 0 });
    expect(parseDateTime('0001-01-01T00:00:00Z')?.seconds).toBe(-62135596800);
  });

  it('rejects malformed or impossible timestamps', () => {
    for (const text of [
      '', '2011-05-13', '2011-05-13 04:42:34Z', '2011-13-01T00:00:00Z', '2023-02-29T00:00:00Z', '2011-05-13T24:00:00Z',
      '2011-05-13T04:60:00Z', '2011-05-13T04:42:34.Z', '2011-05-13T04:42:34+0200', '2011-05-13T04:42:34+24:00',
      '2011-05-13T04:42:34ZZ', '２０１１-05-13T04:42:34Z', '2011-05-13T04:42:34Z ',
    ]) {
      expect(parseDateTime(text), text).toBeUndefined();
    }
  });
});
