/**
 * The JumpCloud profile against the local provider: its connection test creates a test user and
 * group and leaves nothing behind (or deactivates the user when DELETE answers 405), lookups come
 * before creates, empty groups are never created, and members are PATCHed as value arrays.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createJumpCloudProfile, jumpcloudProfile } from '../../src-main/idp/profiles/jumpcloud.js';
import type { PersonInput } from '../../src-main/idp/people.js';
import type { ProfileRequest } from '../../src-main/idp/profile.js';
import type { ReceivedResponse } from '../../src-main/runner/http.js';
import { createProfileHarness, type ProfileHarness } from '../support/profile-harness.js';
import { IdNames, targetState } from '../support/profile-ids.js';

const USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const GROUP = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const PATCH = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

const READ = [
  ['Authorization', '{authorization}'],
  ['Accept', 'application/scim+json'],
];
const WRITE = [...READ, ['Content-Type', 'application/scim+json']];

const PEOPLE: PersonInput[] = [
  { key: 'alice', userName: 'alice@example.com', givenName: 'Alice', familyName: 'Smith', displayName: 'Alice Smith', title: 'Engineer', department: 'Engineering', employeeNumber: '1001' },
  { key: 'bob', userName: 'bob@example.com', givenName: 'Bob', familyName: 'Jones', displayName: 'Bob Jones', title: 'Analyst', department: 'Finance', employeeNumber: '1002' },
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
let ids: IdNames;
afterEach(() => harness.close());

async function start(options: { profile?: typeof jumpcloudProfile; intercept?: (request: ProfileRequest) => ReceivedResponse | undefined; groups?: { key: string; displayName: string; members: string[] }[] } = {}) {
  ids = new IdNames();
  harness = await createProfileHarness({
    profile: options.profile ?? jumpcloudProfile,
    people: PEOPLE,
    groups: options.groups ?? [{ key: 'eng', displayName: 'Engineering', members: ['alice', 'bob'] }],
    ...(options.intercept ? { intercept: options.intercept } : {}),
  });
}

const run = (event: Parameters<ProfileHarness['run']>[0]) => ids.run(harness, event);

const idOf = (response: ReceivedResponse) => (JSON.parse(response.body!) as { id: string }).id;

describe('jumpcloud profile', () => {
  it('tests the connection by creating a test user and group and deleting both, leaving nothing behind', async () => {
    await start({ profile: createJumpCloudProfile({ testUserEmail: 'jc-test@example.com' }) });
    const sent = await harness.run({ type: 'testConnection' });
    ids.name(idOf(sent[0]!.response), '<test-user>');
    ids.name(idOf(sent[1]!.response), '<test-group>');
    expect(sent.map((exchange) => ({ ...ids.request(exchange), status: exchange.response.status }))).toEqual([
      {
        method: 'POST', path: '/Users', query: undefined, headers: WRITE, status: 201,
        body: { schemas: [USER], userName: 'jc-test@example.com', name: { givenName: 'JumpCloud', familyName: 'Test User' }, emails: [{ value: 'jc-test@example.com', type: 'work', primary: true }], active: true },
      },
      { method: 'POST', path: '/Groups', query: undefined, headers: WRITE, status: 201, body: { schemas: [GROUP], displayName: expect.stringMatching(/^JumpCloud Test Group [a-z0-9]{8}$/) } },
      { method: 'DELETE', path: '/Groups/<test-group>', query: undefined, headers: READ, body: undefined, status: 204 },
      { method: 'DELETE', path: '/Users/<test-user>', query: undefined, headers: READ, body: undefined, status: 204 },
    ]);
    expect((await targetState(harness, '/Users')).body.totalResults).toBe(0);
    expect((await targetState(harness, '/Groups')).body.totalResults).toBe(0);
    expect(harness.context.links).toEqual({ users: {}, groups: {} });
  });

  it('deactivates the test user when the target answers 405 to DELETE /Users', async () => {
    await start({ intercept: (request) => (request.method === 'DELETE' && request.path.startsWith('/Users/') ? { status: 405, headers: {} } : undefined) });
    const sent = await harness.run({ type: 'testConnection' });
    const userId = idOf(sent[0]!.response);
    expect(sent.map((e) => [e.request.method, e.request.path.replace(userId, '<test-user>'), e.response.status])).toEqual([
      ['POST', '/Users', 201],
      ['POST', '/Groups', 201],
      ['DELETE', expect.stringMatching(/^\/Groups\//), 204],
      ['DELETE', '/Users/<test-user>', 405],
      ['PUT', '/Users/<test-user>', 200],
    ]);
    expect(JSON.parse(sent[4]!.request.body!)).toMatchObject({ schemas: [USER], active: false });
    const left = (await targetState(harness, '/Users')).body;
    expect(left.totalResults).toBe(1);
    expect(left.Resources[0]).toMatchObject({ id: userId, active: false, userName: expect.stringMatching(/^scimulator-jc-test-[a-z0-9]{8}@example\.com$/) });
    expect((await targetState(harness, '/Groups')).body.totalResults).toBe(0);
  });

  it('fails the connection test when the test user cannot be created', async () => {
    await start({ intercept: (request) => (request.method === 'POST' ? { status: 401, headers: {}, body: '{"detail":"bad token"}' } : undefined) });
    await expect(harness.run({ type: 'testConnection' })).rejects.toThrow(/create test user failed: the target answered 401: bad token/);
  });

  it('looks a user up before creating, and updates, deactivates and reactivates with PUT', async () => {
    await start();
    expect(await run({ type: 'assignUser', user: 'alice' })).toEqual([
      { method: 'GET', path: '/Users', query: 'filter=userName%20eq%20%22alice%40example.com%22', headers: READ, body: undefined, status: 200 },
      { method: 'POST', path: '/Users', query: undefined, headers: WRITE, body: aliceBody(), status: 201 },
    ]);
    expect(await run({ type: 'updateUser', user: 'alice', changes: { title: 'CTO' } })).toEqual([
      { method: 'PUT', path: '/Users/<user:alice>', query: undefined, headers: WRITE, body: aliceBody({ title: 'CTO' }), status: 200 },
    ]);
    expect(await run({ type: 'deactivateUser', user: 'alice' })).toEqual([
      { method: 'PUT', path: '/Users/<user:alice>', query: undefined, headers: WRITE, body: aliceBody({ title: 'CTO', active: false }), status: 200 },
    ]);
    const aliceId = harness.context.links.users.alice!.id;
    expect((await targetState(harness, `/Users/${aliceId}`)).body).toMatchObject({ active: false, title: 'CTO' });
    await run({ type: 'reactivateUser', user: 'alice' });
    expect((await targetState(harness, `/Users/${aliceId}`)).body.active).toBe(true);
  });

  it('deactivates and deletes as distinct operations, with PATCH when configured', async () => {
    await start({ profile: createJumpCloudProfile({ userUpdateMethod: 'patch' }) });
    await run({ type: 'assignUser', user: 'alice' });
    expect(await run({ type: 'unassignUser', user: 'alice' })).toEqual([
      { method: 'PATCH', path: '/Users/<user:alice>', query: undefined, headers: WRITE, status: 200, body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } },
    ]);
    const aliceId = harness.context.links.users.alice!.id;
    expect((await targetState(harness, `/Users/${aliceId}`)).body.active).toBe(false);
    expect(await run({ type: 'deleteUser', user: 'alice' })).toEqual([
      { method: 'DELETE', path: '/Users/<user:alice>', query: undefined, headers: READ, body: undefined, status: 204 },
    ]);
    expect((await targetState(harness, `/Users/${aliceId}`)).status).toBe(404);
    expect(harness.context.links.users.alice).toBeUndefined();
  });

  it('matches an existing user by the lookup and updates it instead of creating', async () => {
    await start();
    const created = await harness.context.send({ method: 'POST', path: '/Users', headers: WRITE as [string, string][], body: JSON.stringify({ schemas: [USER], userName: 'alice@example.com' }), purpose: 'setup' });
    expect((await run({ type: 'assignUser', user: 'alice' })).map((r) => [r.method, r.path])).toEqual([['GET', '/Users'], ['PUT', '/Users/<user:alice>']]);
    expect(harness.context.links.users.alice!.id).toBe(idOf(created));
  });

  it('never creates an empty group, looks groups up by displayName, and PATCHes members as value arrays without a filter', async () => {
    await start({ groups: [{ key: 'eng', displayName: 'Engineering', members: [] }] });
    await run({ type: 'assignUser', user: 'alice' });
    await run({ type: 'assignUser', user: 'bob' });
    expect(await run({ type: 'pushGroup', group: 'eng' })).toEqual([]);
    expect(await run({ type: 'renameGroup', group: 'eng', displayName: 'Platform' })).toEqual([]);

    expect(await run({ type: 'addMembers', group: 'eng', users: ['alice', 'bob'] })).toEqual([
      { method: 'GET', path: '/Groups', query: 'filter=displayName%20eq%20%22Platform%22', headers: READ, body: undefined, status: 200 },
      { method: 'POST', path: '/Groups', query: undefined, headers: WRITE, body: { schemas: [GROUP], displayName: 'Platform' }, status: 201 },
      { method: 'PATCH', path: '/Groups/<group:eng>', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: '<user:alice>' }, { value: '<user:bob>' }] }] } },
    ]);
    expect(await run({ type: 'removeMembers', group: 'eng', users: ['bob'] })).toEqual([
      { method: 'PATCH', path: '/Groups/<group:eng>', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'remove', path: 'members', value: [{ value: '<user:bob>' }] }] } },
    ]);
    const groupId = harness.context.links.groups.eng!.id;
    expect((await targetState(harness, `/Groups/${groupId}`)).body.members).toEqual([expect.objectContaining({ value: harness.context.links.users.alice!.id })]);
    expect(await run({ type: 'renameGroup', group: 'eng', displayName: 'Core' })).toEqual([
      { method: 'PATCH', path: '/Groups/<group:eng>', query: undefined, headers: WRITE, status: 204, body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Core' }] } },
    ]);
    expect(await run({ type: 'deleteGroup', group: 'eng' })).toEqual([
      { method: 'DELETE', path: '/Groups/<group:eng>', query: undefined, headers: READ, body: undefined, status: 204 },
    ]);
    expect((await targetState(harness, `/Groups/${groupId}`)).status).toBe(404);
  });

  it('takes over an existing group whose name matches', async () => {
    await start();
    await run({ type: 'assignUser', user: 'alice' });
    await run({ type: 'assignUser', user: 'bob' });
    const existing = await harness.context.send({
      method: 'POST', path: '/Groups', headers: WRITE as [string, string][], purpose: 'setup',
      body: JSON.stringify({ schemas: [GROUP], displayName: 'Engineering', members: [{ value: harness.context.links.users.alice!.id }] }),
    });
    const sent = await run({ type: 'pushGroup', group: 'eng' });
    expect(sent.map((r) => [r.method, r.path])).toEqual([['GET', '/Groups'], ['PATCH', '/Groups/<group:eng>']]);
    expect(sent[1]!.body).toEqual({ schemas: [PATCH], Operations: [{ op: 'add', path: 'members', value: [{ value: '<user:bob>' }] }] });
    expect(harness.context.links.groups.eng!.id).toBe(idOf(existing));
  });

  it('imports the target\'s users with RFC paging and links those it knows by userName', async () => {
    await start();
    for (const userName of ['alice@example.com', 'stranger@example.com']) {
      await harness.context.send({ method: 'POST', path: '/Users', headers: WRITE as [string, string][], body: JSON.stringify({ schemas: [USER], userName }), purpose: 'setup' });
    }
    const sent = await run({ type: 'importUsers' });
    expect(sent.map((r) => [r.method, r.path, r.query])).toEqual([['GET', '/Users', 'startIndex=1&count=100']]);
    expect(Object.keys(harness.context.links.users)).toEqual(['alice']);
  });
});
