/**
 * The OneLogin profile against the local provider: the captured lookup (`+`, `%22`, trailing `&`),
 * PUT to `/Users/{id}?` with OneLogin's schema URNs, and PATCH for group membership; and that the
 * local provider reads those URNs (the enterprise attributes land in the RFC extension).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createOneLoginProfile, ONELOGIN_USER_AGENT, oneloginProfile } from '../../src-main/idp/profiles/onelogin.js';
import type { PersonInput } from '../../src-main/idp/people.js';
import type { Profile } from '../../src-main/idp/profile.js';
import { createProfileHarness, type ProfileHarness } from '../support/profile-harness.js';
import { IdNames, targetState } from '../support/profile-ids.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const OL_CORE = 'urn:scim:schemas:core:2.0';
const OL_ENTERPRISE = 'urn:scim:schemas:extension:enterprise:2.0';

const READ = [
  ['Authorization', '{authorization}'],
  ['Accept', 'application/scim+json'],
  ['User-Agent', ONELOGIN_USER_AGENT],
];
const WRITE = [READ[0], READ[1], ['Content-Type', 'application/scim+json'], READ[2]];

const PEOPLE: PersonInput[] = [
  // The capture's user, leading space in the family name included.
  { key: 'test01', userName: 'onelogin-test-user01', givenName: 'AAA Test', familyName: ' User 01', displayName: 'AAA Test User 01', email: 'test01@example.com', title: 'Tester', department: 'QA', employeeNumber: '42' },
  { key: 'bob', userName: 'bob@example.com', givenName: 'Bob', familyName: 'Jones', displayName: 'Bob Jones', title: 'Analyst', department: 'Finance', employeeNumber: '1002', manager: 'test01' },
];

const test01Body = (extra: Record<string, unknown> = {}) => ({
  schemas: [OL_CORE, OL_ENTERPRISE],
  userName: 'onelogin-test-user01',
  name: { familyName: ' User 01', givenName: 'AAA Test', formatted: 'AAA Test User 01' },
  displayName: 'AAA Test User 01',
  emails: [{ value: 'test01@example.com', type: 'work', primary: true }],
  title: 'Tester',
  active: true,
  [OL_ENTERPRISE]: { department: 'QA', employeeNumber: '42' },
  ...extra,
});

let harness: ProfileHarness;
let ids: IdNames;
afterEach(() => harness.close());

async function start(profile: Profile = oneloginProfile) {
  ids = new IdNames();
  harness = await createProfileHarness({ profile, people: PEOPLE, groups: [{ key: 'eng', displayName: 'Engineering', members: ['test01', 'bob'] }] });
}

const run = (event: Parameters<ProfileHarness['run']>[0]) => ids.run(harness, event);

describe('onelogin profile', () => {
  it('tests the connection with a lookup-shaped GET that must answer a ListResponse', async () => {
    await start();
    const sent = await run({ type: 'testConnection' });
    expect(sent).toEqual([
      { method: 'GET', path: '/Users', query: expect.stringMatching(/^filter=userName\+eq\+%22onelogin-connection-test-[0-9a-f-]{36}%22&$/), headers: READ, body: undefined, status: 200 },
    ]);
  });

  it('sends the captured lookup, creates with POST, then PUTs to /Users/{id}? with OneLogin URNs', async () => {
    await start();
    expect(await run({ type: 'assignUser', user: 'test01' })).toEqual([
      { method: 'GET', path: '/Users', query: 'filter=userName+eq+%22onelogin-test-user01%22&', headers: READ, body: undefined, status: 200 },
      { method: 'POST', path: '/Users', query: undefined, headers: WRITE, body: test01Body(), status: 201 },
    ]);
    const id = harness.context.links.users.test01!.id;
    const stored = (await targetState(harness, `/Users/${id}`)).body;
    // The provider reads OneLogin's enterprise key as the RFC extension.
    expect(stored[ENTERPRISE]).toMatchObject({ department: 'QA', employeeNumber: '42' });
    expect(stored.name).toMatchObject({ familyName: ' User 01', givenName: 'AAA Test' });

    expect(await run({ type: 'updateUser', user: 'test01', changes: { title: 'Lead' } })).toEqual([
      { method: 'PUT', path: '/Users/<user:test01>?', query: undefined, headers: WRITE, body: test01Body({ title: 'Lead' }), status: 200 },
    ]);
    expect(await run({ type: 'deactivateUser', user: 'test01' })).toEqual([
      { method: 'PUT', path: '/Users/<user:test01>?', query: undefined, headers: WRITE, body: test01Body({ title: 'Lead', active: false }), status: 200 },
    ]);
    expect((await targetState(harness, `/Users/${id}`)).body).toMatchObject({ active: false, title: 'Lead' });
    await run({ type: 'reactivateUser', user: 'test01' });
    expect((await targetState(harness, `/Users/${id}`)).body.active).toBe(true);

    const bob = await run({ type: 'assignUser', user: 'bob' });
    expect((bob[1]!.body as Record<string, Record<string, unknown>>)[OL_ENTERPRISE]!.manager).toEqual({ value: '<user:test01>' });
    const bobStored = (await targetState(harness, `/Users/${harness.context.links.users.bob!.id}`)).body;
    expect(bobStored[ENTERPRISE].manager.value).toBe(id);

    expect((await run({ type: 'unassignUser', user: 'bob' })).map((r) => [r.method, r.path, (r.body as { active: boolean }).active])).toEqual([['PUT', '/Users/<user:bob>?', false]]);
    expect(await run({ type: 'deleteUser', user: 'bob' })).toEqual([
      { method: 'DELETE', path: '/Users/<user:bob>?', query: undefined, headers: READ, body: undefined, status: 204 },
    ]);
  });

  it('PUTs an existing user found by the lookup, as in the capture', async () => {
    await start();
    await harness.context.send({ method: 'POST', path: '/Users', headers: WRITE as [string, string][], body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'onelogin-test-user01' }), purpose: 'setup' });
    expect(await run({ type: 'assignUser', user: 'test01' })).toEqual([
      { method: 'GET', path: '/Users', query: 'filter=userName+eq+%22onelogin-test-user01%22&', headers: READ, body: undefined, status: 200 },
      { method: 'PUT', path: '/Users/<user:test01>?', query: undefined, headers: WRITE, body: test01Body(), status: 200 },
    ]);
  });

  it('creates groups, then PATCHes membership and names on /Groups/{id}?', async () => {
    await start();
    await run({ type: 'assignUser', user: 'test01' });
    await run({ type: 'assignUser', user: 'bob' });
    expect(await run({ type: 'pushGroup', group: 'eng' })).toEqual([
      { method: 'GET', path: '/Groups', query: 'filter=displayName+eq+%22Engineering%22&', headers: READ, body: undefined, status: 200 },
      { method: 'POST', path: '/Groups', query: undefined, headers: WRITE, body: { schemas: [GROUP], displayName: 'Engineering' }, status: 201 },
      { method: 'PATCH', path: '/Groups/<group:eng>?', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: '<user:test01>' }, { value: '<user:bob>' }] }] } },
    ]);
    expect(await run({ type: 'removeMembers', group: 'eng', users: ['bob'] })).toEqual([
      { method: 'PATCH', path: '/Groups/<group:eng>?', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'remove', path: 'members[value eq "<user:bob>"]' }] } },
    ]);
    expect((await run({ type: 'renameGroup', group: 'eng', displayName: 'R&D' }))[0]!.body).toEqual({ schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'R&D' }] });
    const groupId = harness.context.links.groups.eng!.id;
    const group = (await targetState(harness, `/Groups/${groupId}`)).body;
    expect(group.displayName).toBe('R&D');
    expect(group.members.map((m: { value: string }) => m.value)).toEqual([harness.context.links.users.test01!.id]);
    expect((await run({ type: 'deleteGroup', group: 'eng' })).map((r) => [r.method, r.path, r.status])).toEqual([['DELETE', '/Groups/<group:eng>?', 204]]);
  });

  it('sends the Core Schema connector template and takes the User-Agent as an option', async () => {
    ids = new IdNames();
    harness = await createProfileHarness({ profile: createOneLoginProfile({ connector: 'core-schema' }), people: PEOPLE, options: { userAgent: null } });
    const sent = await run({ type: 'assignUser', user: 'test01' });
    expect(sent[1]).toMatchObject({
      headers: WRITE.slice(0, 3),
      body: { schemas: ['urn:scim:schemas:core:1.0'], userName: 'onelogin-test-user01', name: { givenName: 'AAA Test', familyName: ' User 01', formatted: 'AAA Test User 01' }, active: true },
      status: 201,
    });
  });
});
