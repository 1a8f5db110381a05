import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, GROUP_SCHEMA, startTestServer, user, type TestServer } from '../support/provider.js';

let server: TestServer;
const ids: Record<string, string> = {};

const people = [
  { userName: 'bjensen@example.com', givenName: 'Barbara', familyName: 'Jensen', title: 'Tour Guide', dept: 'Tours', type: 'Employee', emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }, { value: 'babs@jensen.org', type: 'home' }] },
  { userName: 'jsmith@example.com', givenName: 'John', familyName: 'Smith', title: undefined, dept: 'Sales', type: 'Intern', emails: [{ value: 'john@example.org', type: 'work' }] },
  { userName: 'amurphy@example.com', givenName: 'Anne', familyName: "O'Malley", title: 'Director', dept: 'Tours', type: 'Employee', emails: [{ value: 'anne@home.net', type: 'home' }] },
  { userName: 'Zed@Example.com', givenName: 'Zed', familyName: 'Adams', title: 'Engineer', dept: 'Engineering', type: 'Contractor', emails: [] },
];

beforeAll(async () => {
  server = await startTestServer();
  for (const p of people) {
    const reply = await server.scim('POST', '/Users', user(p.userName, {
      name: { givenName: p.givenName, familyName: p.familyName },
      ...(p.title ? { title: p.title } : {}),
      userType: p.type,
      emails: p.emails,
      externalId: `ext-${p.givenName}`,
      [ENTERPRISE]: { department: p.dept },
    }));
    expect(reply.status).toBe(201);
    ids[p.givenName] = reply.body.id;
  }
  await server.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Tours', members: [{ value: ids.Barbara }, { value: ids.Anne }] });
});
afterAll(() => server.close());

async function filterUsers(filter: string, rawQuery = false): Promise<string[]> {
  const query = rawQuery ? filter : `filter=${encodeURIComponent(filter)}`;
  const reply = await server.scim('GET', `/Users?${query}`);
  expect(reply.status, `${filter}: ${reply.text}`).toBe(200);
  return (reply.body.Resources as { name: { givenName: string } }[]).map((r) => r.name.givenName).sort();
}

describe('filtering over HTTP', () => {
  it('matches userName case-insensitively, externalId case-exactly', async () => {
    expect(await filterUsers('userName eq "BJENSEN@example.com"')).toEqual(['Barbara']);
    expect(await filterUsers('externalId eq "ext-Barbara"')).toEqual(['Barbara']);
    expect(await filterUsers('externalId eq "EXT-BARBARA"')).toEqual([]);
  });

  it('reads +-encoded filters with a trailing & (Entra, OneLogin) and capitalised operators (PingOne)', async () => {
    expect(await filterUsers('filter=userName+eq+%22jsmith%40example.com%22&', true)).toEqual(['John']);
    expect(await filterUsers('userName Eq "jsmith@example.com"')).toEqual(['John']);
  });

  it('answers an unknown userName with 200 and an empty ListResponse (Entra connection test)', async () => {
    const reply = await server.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "cf4d78e8-cc4f-4d5d-b8b9-183561c0104a"')}`);
    expect(reply.status).toBe(200);
    expect(reply.body).toEqual({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
      totalResults: 0,
      itemsPerPage: 0,
      startIndex: 1,
      Resources: [],
    });
  });

  it('supports logical operators, precedence, not, pr and sub-attributes', async () => {
    expect(await filterUsers('title pr and userType eq "Employee"')).toEqual(['Anne', 'Barbara']);
    expect(await filterUsers('title pr or userType eq "Intern"')).toEqual(['Anne', 'Barbara', 'John', 'Zed']);
    expect(await filterUsers('userType eq "Intern" or userType eq "Employee" and title eq "Director"')).toEqual(['Anne', 'John']);
    expect(await filterUsers('not (userType eq "Employee")')).toEqual(['John', 'Zed']);
    expect(await filterUsers('name.familyName co "O\'Malley"')).toEqual(['Anne']);
    expect(await filterUsers('emails.value ew ".org"')).toEqual(['Barbara', 'John']);
  });

  it('binds a complex value filter to one element', async () => {
    expect(await filterUsers('emails[type eq "work" and value co "@example.com"]')).toEqual(['Barbara']);
    expect(await filterUsers('emails[type eq "work" and value co "jensen.org"]')).toEqual([]);
    expect(await filterUsers('emails[type eq "work"].value eq "john@example.org"')).toEqual(['John']);
  });

  it('filters on enterprise URN attributes and on derived groups', async () => {
    expect(await filterUsers(`${ENTERPRISE}:department eq "tours"`)).toEqual(['Anne', 'Barbara']);
    expect(await filterUsers('groups.display eq "Tours"')).toEqual(['Anne', 'Barbara']);
  });

  it('compares meta.created as time', async () => {
    expect(await filterUsers('meta.created gt "2000-01-01T00:00:00Z"')).toHaveLength(4);
    expect(await filterUsers('meta.created lt "2000-01-01T00:00:00+01:00"')).toEqual([]);
  });

  it('rejects a bad filter with 400 invalidFilter saying where it went wrong', async () => {
    const reply = await server.scim('GET', `/Users?filter=${encodeURIComponent('userName equals "x"')}`);
    expect(reply.status).toBe(400);
    expect(reply.body.scimType).toBe('invalidFilter');
    expect(reply.body.detail).toMatch(/position/i);
    const unknown = await server.scim('GET', `/Users?filter=${encodeURIComponent('shoeSize gt 40')}`);
    expect(unknown.status).toBe(400);
    expect(unknown.body.scimType).toBe('invalidFilter');
    expect(unknown.body.detail).toContain('shoeSize');
  });

  it('filters groups by displayName and member', async () => {
    const byName = await server.scim('GET', `/Groups?excludedAttributes=members&filter=${encodeURIComponent('displayName eq "tours"')}`);
    expect(byName.body.totalResults).toBe(1);
    expect(byName.body.Resources[0].members).toBeUndefined();
    const byMember = await server.scim('GET', `/Groups?filter=${encodeURIComponent(`members[value eq "${ids.Anne}"]`)}`);
    expect(byMember.body.Resources.map((g: { displayName: string }) => g.displayName)).toEqual(['Tours']);
  });
});

describe('paging and sorting', () => {
  it('pages with startIndex and count in a stable order', async () => {
    const all = await server.scim('GET', '/Users');
    expect(all.body.totalResults).toBe(4);
    const order = all.body.Resources.map((r: { id: string }) => r.id);
    const first = await server.scim('GET', '/Users?startIndex=1&count=2');
    const second = await server.scim('GET', '/Users?startIndex=3&count=2');
    expect(first.body).toMatchObject({ totalResults: 4, itemsPerPage: 2, startIndex: 1 });
    expect(second.body).toMatchObject({ totalResults: 4, itemsPerPage: 2, startIndex: 3 });
    expect([...first.body.Resources, ...second.body.Resources].map((r: { id: string }) => r.id)).toEqual(order);
    const zero = await server.scim('GET', '/Users?count=0');
    expect(zero.body).toMatchObject({ totalResults: 4, itemsPerPage: 0, Resources: [] });
    const clamped = await server.scim('GET', '/Users?startIndex=-5&count=1');
    expect(clamped.body.startIndex).toBe(1);
    const bad = await server.scim('GET', '/Users?count=many');
    expect(bad.status).toBe(400);
  });

  it('sorts by any attribute, ascending or descending, missing values last', async () => {
    const asc = await server.scim('GET', '/Users?sortBy=name.familyName');
    expect(asc.body.Resources.map((r: { name: { familyName: string } }) => r.name.familyName)).toEqual(['Adams', 'Jensen', "O'Malley", 'Smith']);
    const desc = await server.scim('GET', '/Users?sortBy=userName&sortOrder=descending');
    expect(desc.body.Resources.map((r: { userName: string }) => r.userName)).toEqual([
      'Zed@Example.com', 'jsmith@example.com', 'bjensen@example.com', 'amurphy@example.com',
    ]);
    const titles = await server.scim('GET', '/Users?sortBy=title&sortOrder=descending');
    expect(titles.body.Resources.map((r: { title?: string }) => r.title ?? null)).toEqual(['Tour Guide', 'Engineer', 'Director', null]);
    const byEmail = await server.scim('GET', '/Users?sortBy=emails&count=1');
    expect(byEmail.body.Resources[0].name.givenName).toBe('Anne');
  });
});

describe('attributes and excludedAttributes', () => {
  it('returns only the requested attributes plus id and schemas', async () => {
    const reply = await server.scim('GET', `/Users/${ids.Barbara}?attributes=userName,name.givenName,${ENTERPRISE}:department`);
    expect(reply.body).toEqual({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      id: ids.Barbara,
      userName: 'bjensen@example.com',
      name: { givenName: 'Barbara' },
      [ENTERPRISE]: { department: 'Tours' },
    });
  });

  it('excludes attributes but never id', async () => {
    const reply = await server.scim('GET', `/Users?excludedAttributes=emails,id,meta,name.familyName&filter=${encodeURIComponent('userName eq "bjensen@example.com"')}`);
    const resource = reply.body.Resources[0];
    expect(resource.emails).toBeUndefined();
    expect(resource.meta).toBeUndefined();
    expect(resource.id).toBe(ids.Barbara);
    expect(resource.name).toEqual({ givenName: 'Barbara' });
  });

  it('applies to write responses too', async () => {
    const reply = await server.scim('POST', '/Users?attributes=userName', user('projected@example.com', { title: 'Hidden' }));
    expect(reply.status).toBe(201);
    expect(Object.keys(reply.body).sort()).toEqual(['id', 'schemas', 'userName']);
  });
});

describe('POST .search', () => {
  it('searches one resource type with a SearchRequest body', async () => {
    const reply = await server.scim('POST', '/Users/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      attributes: ['userName'],
      filter: 'userType eq "Employee"',
      sortBy: 'userName',
      startIndex: 1,
      count: 10,
    });
    expect(reply.status).toBe(200);
    expect(reply.body.Resources.map((r: { userName: string }) => r.userName)).toEqual(['amurphy@example.com', 'bjensen@example.com']);
    expect(reply.body.Resources[0].title).toBeUndefined();
  });

  it('searches every resource type from the root', async () => {
    const reply = await server.scim('POST', '/.search', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'],
      filter: 'displayName eq "Tours" or userName eq "zed@example.com"',
    });
    expect(reply.status).toBe(200);
    const kinds = reply.body.Resources.map((r: { meta: { resourceType: string } }) => r.meta.resourceType).sort();
    expect(kinds).toEqual(['Group', 'User']);
    const bad = await server.scim('POST', '/.search', { filter: 'nonsense eq "x"' });
    expect(bad.status).toBe(400);
    expect(bad.body.scimType).toBe('invalidFilter');
  });

  it('GET on .search is 405', async () => {
    expect((await server.scim('GET', '/Users/.search')).status).toBe(405);
  });
});
