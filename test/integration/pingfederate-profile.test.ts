/**
 * The PingFederate profile against the local provider: the exact requests of each event (userName
 * filter form-encoded, POST, PUT for every user change, groups found by listing, membership by
 * PATCH, Remove User Action) and what the target holds afterwards.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createPingFederateProfile, PINGFEDERATE_USER_AGENT, pingfederateProfile } from '../../src-main/idp/profiles/pingfederate.js';
import { UnsupportedByIdp, type Profile, type ProfileOptions } from '../../src-main/idp/profile.js';
import type { PersonInput } from '../../src-main/idp/people.js';
import { createProfileHarness, type ProfileHarness } from '../support/profile-harness.js';
import { IdNames, targetState } from '../support/profile-ids.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const PEOPLE: PersonInput[] = [
  { key: 'alice', userName: 'alice@example.com', givenName: 'Alice', familyName: 'Smith', displayName: 'Alice Smith', title: 'Engineer', department: 'Engineering', employeeNumber: '1001' },
  { key: 'bob', userName: 'bob@example.com', givenName: 'Bob', familyName: 'Jones', displayName: 'Bob Jones', title: 'Analyst', department: 'Finance', employeeNumber: '1002', manager: 'alice' },
];

const READ = [
  ['Authorization', '{authorization}'],
  ['Accept', 'application/scim+json'],
  ['User-Agent', PINGFEDERATE_USER_AGENT],
];
const WRITE = [
  ['Authorization', '{authorization}'],
  ['Accept', 'application/scim+json'],
  ['Content-Type', 'application/scim+json'],
  ['User-Agent', PINGFEDERATE_USER_AGENT],
];

const aliceBody = (extra: Record<string, unknown> = {}) => ({
  schemas: [USER, ENTERPRISE],
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Smith', formatted: 'Alice Smith' },
  displayName: 'Alice Smith',
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  title: 'Engineer',
  active: true,
  [ENTERPRISE]: { employeeNumber: '1001', department: 'Engineering' },
  ...extra,
});

let harness: ProfileHarness;
const ids = new IdNames();
afterEach(() => harness.close());

async function start(profile: Profile = pingfederateProfile, options: ProfileOptions = {}) {
  harness = await createProfileHarness({ profile, people: PEOPLE, groups: [{ key: 'eng', displayName: 'Engineering', members: ['alice', 'bob'] }], options });
}

const run = (event: Parameters<ProfileHarness['run']>[0]) => ids.run(harness, event);

describe('pingfederate profile', () => {
  it('has no connection test and never imports', async () => {
    await start();
    await expect(harness.run({ type: 'testConnection' })).rejects.toBeInstanceOf(UnsupportedByIdp);
    await expect(harness.run({ type: 'importUsers' })).rejects.toBeInstanceOf(UnsupportedByIdp);
    expect(harness.exchanges).toEqual([]);
  });

  it('assigns with a form-encoded userName filter then POST, and changes users only with PUT', async () => {
    await start();
    expect(await run({ type: 'assignUser', user: 'alice' })).toEqual([
      { method: 'GET', path: '/Users', query: 'filter=userName+eq+%22alice%40example.com%22', headers: READ, body: undefined, status: 200 },
      { method: 'POST', path: '/Users', query: undefined, headers: WRITE, body: aliceBody(), status: 201 },
    ]);
    const bob = await run({ type: 'assignUser', user: 'bob' });
    expect(bob.map((r) => [r.method, r.path, r.status])).toEqual([['GET', '/Users', 200], ['POST', '/Users', 201]]);
    expect((bob[1]!.body as Record<string, Record<string, unknown>>)[ENTERPRISE]!.manager).toEqual({ value: '<user:alice>' });

    expect(await run({ type: 'updateUser', user: 'alice', changes: { title: 'CTO' } })).toEqual([
      { method: 'PUT', path: '/Users/<user:alice>', query: undefined, headers: WRITE, body: aliceBody({ title: 'CTO' }), status: 200 },
    ]);
    expect(await run({ type: 'deactivateUser', user: 'alice' })).toEqual([
      { method: 'PUT', path: '/Users/<user:alice>', query: undefined, headers: WRITE, body: aliceBody({ title: 'CTO', active: false }), status: 200 },
    ]);
    expect((await targetState(harness, `/Users/${harness.context.links.users.alice!.id}`)).body.active).toBe(false);
    expect((await run({ type: 'reactivateUser', user: 'alice' })).map((r) => [r.method, (r.body as { active: boolean }).active])).toEqual([['PUT', true]]);

    // Remove User Action = Disable (the default): a PUT with active false, never a DELETE.
    const unassigned = await run({ type: 'unassignUser', user: 'bob' });
    expect(unassigned.map((r) => [r.method, r.path, (r.body as { active: boolean }).active])).toEqual([['PUT', '/Users/<user:bob>', false]]);
    const bobState = await targetState(harness, `/Users/${harness.context.links.users.bob!.id}`);
    expect(bobState.body).toMatchObject({ active: false, userName: 'bob@example.com' });
    expect(harness.context.links.users.bob).toMatchObject({ assigned: false, active: false });
  });

  it('matches an existing user by the lookup and updates it with PUT instead of creating', async () => {
    await start();
    const existing = await harness.context.send({
      method: 'POST',
      path: '/Users',
      headers: WRITE as [string, string][],
      body: JSON.stringify({ schemas: [USER], userName: 'ALICE@example.com' }),
      purpose: 'setup',
    });
    const id = JSON.parse(existing.body!).id as string;
    expect((await run({ type: 'assignUser', user: 'alice' })).map((r) => [r.method, r.path])).toEqual([
      ['GET', '/Users'],
      ['PUT', '/Users/<user:alice>'],
    ]);
    expect(harness.context.links.users.alice!.id).toBe(id);
    expect((await targetState(harness, `/Users/${id}`)).body.userName).toBe('alice@example.com');
  });

  it('finds groups by listing all of them, creates with members, and changes membership by PATCH', async () => {
    await start();
    await run({ type: 'assignUser', user: 'alice' });
    await run({ type: 'assignUser', user: 'bob' });
    expect(await run({ type: 'pushGroup', group: 'eng' })).toEqual([
      { method: 'GET', path: '/Groups', query: undefined, headers: READ, body: undefined, status: 200 },
      {
        method: 'POST', path: '/Groups', query: undefined, headers: WRITE, status: 201,
        body: { schemas: [GROUP], displayName: 'Engineering', members: [{ value: '<user:alice>' }, { value: '<user:bob>' }] },
      },
    ]);
    expect(await run({ type: 'removeMembers', group: 'eng', users: ['bob'] })).toEqual([
      { method: 'PATCH', path: '/Groups/<group:eng>', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'remove', path: 'members[value eq "<user:bob>"]' }] } },
    ]);
    expect(await run({ type: 'addMembers', group: 'eng', users: ['bob'] })).toEqual([
      { method: 'PATCH', path: '/Groups/<group:eng>', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: '<user:bob>' }] }] } },
    ]);
    expect(await run({ type: 'renameGroup', group: 'eng', displayName: 'Platform' })).toEqual([
      { method: 'PATCH', path: '/Groups/<group:eng>', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Platform' }] } },
    ]);
    const groupId = harness.context.links.groups.eng!.id;
    const group = (await targetState(harness, `/Groups/${groupId}`)).body;
    expect(group.displayName).toBe('Platform');
    expect(group.members.map((m: { value: string }) => m.value).sort()).toEqual([harness.context.links.users.alice!.id, harness.context.links.users.bob!.id].sort());

    expect((await run({ type: 'deleteGroup', group: 'eng' })).map((r) => [r.method, r.path, r.status])).toEqual([['DELETE', '/Groups/<group:eng>', 204]]);
    expect((await targetState(harness, `/Groups/${groupId}`)).status).toBe(404);
  });

  it('takes over a group that already exists, matched client-side without regard to case, and corrects its name', async () => {
    await start();
    await run({ type: 'assignUser', user: 'alice' });
    await run({ type: 'assignUser', user: 'bob' });
    for (const name of ['Sales', 'engineering']) {
      await harness.context.send({ method: 'POST', path: '/Groups', headers: WRITE as [string, string][], body: JSON.stringify({ schemas: [GROUP], displayName: name }), purpose: 'setup' });
    }
    const sent = await run({ type: 'pushGroup', group: 'eng' });
    expect(sent.map((r) => [r.method, r.path, r.query])).toEqual([
      ['GET', '/Groups', undefined],
      ['PATCH', '/Groups/<group:eng>', undefined],
    ]);
    expect(sent[1]!.body).toEqual({
      schemas: [PATCH],
      Operations: [
        { op: 'replace', path: 'displayName', value: 'Engineering' },
        { op: 'add', path: 'members', value: [{ value: '<user:alice>' }, { value: '<user:bob>' }] },
      ],
    });
    const group = (await targetState(harness, `/Groups/${harness.context.links.groups.eng!.id}`)).body;
    expect(group).toMatchObject({ displayName: 'Engineering' });
    expect(group.members).toHaveLength(2);
  });

  it('follows a target that pages GET /Groups by itself', async () => {
    let calls = 0;
    harness = await createProfileHarness({
      profile: pingfederateProfile,
      people: PEOPLE,
      groups: [{ key: 'eng', displayName: 'Engineering', members: [] }],
      intercept: (request) => {
        if (request.method !== 'GET' || request.path !== '/Groups') return undefined;
        calls++;
        const resources = calls === 1 ? [{ id: 'g1', displayName: 'Sales' }] : [{ id: 'g2', displayName: 'Engineering' }];
        return { status: 200, headers: {}, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 2, itemsPerPage: 1, startIndex: calls, Resources: resources }) };
      },
    });
    await harness.run({ type: 'pushGroup', group: 'eng' });
    expect(harness.exchanges.map((e) => e.request.query)).toEqual([undefined, 'startIndex=2&count=1']);
    expect(harness.context.links.groups.eng).toEqual({ id: 'g2', displayName: 'Engineering', members: [] });
  });

  it('deletes users when Remove User Action is Delete, and takes the filter template, encoding, group PUT and User-Agent as options', async () => {
    await start(createPingFederateProfile({ removeUserAction: 'delete', filterExpression: 'emails.value eq "%s"', filterEncoding: 'percent', groupUpdateMethod: 'put' }), { userAgent: null });
    const assigned = await run({ type: 'assignUser', user: 'alice' });
    expect(assigned[0]).toMatchObject({ query: 'filter=emails.value%20eq%20%22alice%40example.com%22', headers: READ.slice(0, 2) });
    await run({ type: 'assignUser', user: 'bob' });
    await run({ type: 'pushGroup', group: 'eng' });
    expect(await run({ type: 'removeMembers', group: 'eng', users: ['alice'] })).toEqual([
      { method: 'PUT', path: '/Groups/<group:eng>', query: undefined, headers: WRITE.slice(0, 3), status: 200, body: { schemas: [GROUP], displayName: 'Engineering', members: [{ value: '<user:bob>' }] } },
    ]);
    const aliceId = harness.context.links.users.alice!.id;
    expect((await run({ type: 'deleteUser', user: 'alice' })).map((r) => [r.method, r.path, r.status])).toEqual([['DELETE', '/Users/<user:alice>', 204]]);
    expect((await targetState(harness, `/Users/${aliceId}`)).status).toBe(404);
    expect(harness.context.links.users.alice).toBeUndefined();
  });

  it('sends in a sync cycle only the users and groups that changed', async () => {
    await start();
    await run({ type: 'assignUser', user: 'alice' });
    await run({ type: 'assignUser', user: 'bob' });
    await run({ type: 'pushGroup', group: 'eng' });
    expect(await run({ type: 'syncCycle' })).toEqual([]);
    harness.directory.updatePerson('bob', { department: 'Sales' });
    const sent = await run({ type: 'syncCycle' });
    expect(sent.map((r) => [r.method, r.path])).toEqual([['PUT', '/Users/<user:bob>']]);
  });

  it('fails the operation with the target\'s error when a create is refused', async () => {
    harness = await createProfileHarness({
      profile: pingfederateProfile,
      people: PEOPLE,
      intercept: (request) => (request.method === 'POST' ? { status: 409, headers: {}, body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '409', scimType: 'uniqueness', detail: 'userName taken' }) } : undefined),
    });
    await expect(harness.run({ type: 'assignUser', user: 'alice' })).rejects.toThrow(/create user failed: the target answered 409: userName taken/);
    expect(harness.context.links.users.alice).toBeUndefined();
  });
});
