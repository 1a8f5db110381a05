/**
 * The generic RFC 7644 profile against the local provider: discovery once per run, then PATCH,
 * filters and If-Match because the provider declares them; and, when a target's
 * ServiceProviderConfig says patch/filter/etag are unsupported, PUT and a paged list matched
 * client-side, with no If-Match.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { GENERIC_USER_AGENT, genericProfile, userPatchOperations } from '../../src-main/idp/profiles/generic.js';
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
  ['User-Agent', GENERIC_USER_AGENT],
];
const WRITE = [READ[0], READ[1], ['Content-Type', 'application/scim+json'], READ[2]];
const withIfMatch = (headers: typeof READ, version: string) => [...headers, ['If-Match', version]];

const PEOPLE: PersonInput[] = [
  { key: 'alice', userName: 'alice@example.com', givenName: 'Alice', familyName: 'Smith', displayName: 'Alice Smith', title: 'Engineer', department: 'Engineering', employeeNumber: '1001' },
  { key: 'bob', userName: 'bob@example.com', givenName: 'Bob', familyName: 'Jones', displayName: 'Bob Jones', title: 'Analyst', department: 'Finance', employeeNumber: '1002' },
];

let harness: ProfileHarness;
let ids: IdNames;
afterEach(() => harness.close());

async function start(intercept?: (request: ProfileRequest) => ReceivedResponse | undefined) {
  ids = new IdNames();
  harness = await createProfileHarness({
    profile: genericProfile,
    people: PEOPLE,
    groups: [{ key: 'eng', displayName: 'Engineering', members: ['alice', 'bob'] }],
    ...(intercept ? { intercept } : {}),
  });
}

async function run(event: Parameters<ProfileHarness['run']>[0]) {
  const sent = await harness.run(event);
  ids.learn(harness.context.links);
  return sent.map((exchange) => ({ ...ids.request(exchange), status: exchange.response.status, etag: exchange.response.headers.etag }));
}

const aliceBody = () => ({
  schemas: [USER, ENTERPRISE],
  externalId: harness.directory.person('alice').objectId,
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Smith', formatted: 'Alice Smith' },
  displayName: 'Alice Smith',
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  title: 'Engineer',
  active: true,
  [ENTERPRISE]: { employeeNumber: '1001', department: 'Engineering' },
});

/** A ServiceProviderConfig that declares none of the optional features. */
const BARE_CONFIG: ReceivedResponse = {
  status: 200,
  headers: { 'content-type': 'application/scim+json' },
  body: JSON.stringify({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
    patch: { supported: false },
    bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
    filter: { supported: false, maxResults: 1 },
    changePassword: { supported: false },
    sort: { supported: false },
    etag: { supported: false },
    authenticationSchemes: [],
  }),
};

describe('generic profile', () => {
  it('tests the connection by reading the configuration and one user', async () => {
    await start();
    expect((await run({ type: 'testConnection' })).map(({ method, path, query, headers, status }) => ({ method, path, query, headers, status }))).toEqual([
      { method: 'GET', path: '/ServiceProviderConfig', query: undefined, headers: READ, status: 200 },
      { method: 'GET', path: '/ResourceTypes', query: undefined, headers: READ, status: 200 },
      { method: 'GET', path: '/Users', query: 'startIndex=1&count=1', headers: READ, status: 200 },
    ]);
  });

  it('uses filters, PATCH of only what changed, and If-Match, because the provider declares them; discovery happens once', async () => {
    await start();
    const assigned = await run({ type: 'assignUser', user: 'alice' });
    expect(assigned.map(({ method, path, query }) => [method, path, query])).toEqual([
      ['GET', '/ServiceProviderConfig', undefined],
      ['GET', '/ResourceTypes', undefined],
      ['GET', '/Users', 'filter=userName%20eq%20%22alice%40example.com%22'],
      ['POST', '/Users', undefined],
    ]);
    expect(assigned[3]).toMatchObject({ headers: WRITE, body: aliceBody(), status: 201 });
    const created = assigned[3]!.etag!;
    expect(created).toMatch(/^W\/"/);

    const updated = await run({ type: 'updateUser', user: 'alice', changes: { title: 'CTO', department: 'Office', mobile: '+1 555 0100' } });
    expect(updated).toEqual([
      {
        method: 'PATCH', path: '/Users/<user:alice>', query: undefined, headers: withIfMatch(WRITE, created), status: 200, etag: expect.any(String),
        body: {
          schemas: [PATCH],
          Operations: [
            { op: 'replace', path: 'phoneNumbers', value: [{ value: '+1 555 0100', type: 'mobile' }] },
            { op: 'replace', path: 'title', value: 'CTO' },
            { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Office' },
          ],
        },
      },
    ]);
    const deactivated = await run({ type: 'deactivateUser', user: 'alice' });
    expect(deactivated).toEqual([
      { method: 'PATCH', path: '/Users/<user:alice>', query: undefined, headers: withIfMatch(WRITE, updated[0]!.etag!), status: 200, etag: expect.any(String), body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'active', value: false }] } },
    ]);
    const aliceId = harness.context.links.users.alice!.id;
    expect((await targetState(harness, `/Users/${aliceId}`)).body).toMatchObject({ active: false, title: 'CTO', phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }], [ENTERPRISE]: { department: 'Office' } });

    expect((await run({ type: 'updateUser', user: 'alice', changes: { title: null } }))[0]!.body).toEqual({ schemas: [PATCH], Operations: [{ op: 'remove', path: 'title' }] });
    expect((await targetState(harness, `/Users/${aliceId}`)).body.title).toBeUndefined();

    expect((await run({ type: 'deleteUser', user: 'alice' })).map(({ method, path, headers, status }) => [method, path, headers.length, status])).toEqual([['DELETE', '/Users/<user:alice>', 4, 204]]);
    expect((await targetState(harness, `/Users/${aliceId}`)).status).toBe(404);
    expect(harness.exchanges.filter((e) => e.request.path === '/ServiceProviderConfig')).toHaveLength(1);
  });

  it('reads a version again and retries once when a write answers 412 (a group push changed the member)', async () => {
    await start();
    await run({ type: 'assignUser', user: 'alice' });
    await run({ type: 'assignUser', user: 'bob' });
    await run({ type: 'pushGroup', group: 'eng' });
    // Membership is part of a user's version here, so the version the create answered is stale.
    const updated = await run({ type: 'updateUser', user: 'alice', changes: { title: 'CTO' } });
    expect(updated.map(({ method, path, status }) => [method, path, status])).toEqual([
      ['PATCH', '/Users/<user:alice>', 412],
      ['GET', '/Users/<user:alice>', 200],
      ['PATCH', '/Users/<user:alice>', 200],
    ]);
    expect(updated[2]!.headers).toEqual(withIfMatch(WRITE, updated[1]!.etag!));
    const aliceId = harness.context.links.users.alice!.id;
    expect((await targetState(harness, `/Users/${aliceId}`)).body.title).toBe('CTO');
  });

  it('pushes groups with members, removes members by a value filter, and renames with PATCH', async () => {
    await start();
    await run({ type: 'assignUser', user: 'alice' });
    await run({ type: 'assignUser', user: 'bob' });
    const pushed = await run({ type: 'pushGroup', group: 'eng' });
    expect(pushed.map(({ method, path, query, body }) => ({ method, path, query, body }))).toEqual([
      { method: 'GET', path: '/Groups', query: 'filter=displayName%20eq%20%22Engineering%22', body: undefined },
      { method: 'POST', path: '/Groups', query: undefined, body: { schemas: [GROUP], externalId: harness.directory.group('eng').objectId, displayName: 'Engineering', members: [{ value: '<user:alice>' }, { value: '<user:bob>' }] } },
    ]);
    const removed = await run({ type: 'removeMembers', group: 'eng', users: ['bob'] });
    expect(removed).toEqual([
      { method: 'PATCH', path: '/Groups/<group:eng>', query: undefined, headers: withIfMatch(WRITE, pushed[1]!.etag!), status: 204, etag: expect.any(String), body: { schemas: [PATCH], Operations: [{ op: 'remove', path: 'members[value eq "<user:bob>"]' }] } },
    ]);
    const renamed = await run({ type: 'renameGroup', group: 'eng', displayName: 'Platform' });
    expect(renamed[0]).toMatchObject({ headers: withIfMatch(WRITE, removed[0]!.etag!), body: { schemas: [PATCH], Operations: [{ op: 'replace', path: 'displayName', value: 'Platform' }] }, status: 204 });
    const group = (await targetState(harness, `/Groups/${harness.context.links.groups.eng!.id}`)).body;
    expect(group.displayName).toBe('Platform');
    expect(group.members.map((m: { value: string }) => m.value)).toEqual([harness.context.links.users.alice!.id]);
  });

  it('adapts to a target whose ServiceProviderConfig declares no PATCH, filter or ETags: PUT and a paged list matched here', async () => {
    await start((request) => (request.method === 'GET' && request.path === '/ServiceProviderConfig' ? BARE_CONFIG : undefined));
    // Someone else in the target already, so the list has to be paged past.
    await harness.context.send({ method: 'POST', path: '/Users', headers: WRITE as [string, string][], body: JSON.stringify({ schemas: [USER], userName: 'aaron@example.com' }), purpose: 'setup' });
    await harness.context.send({ method: 'POST', path: '/Users', headers: WRITE as [string, string][], body: JSON.stringify({ schemas: [USER], userName: 'BOB@example.com' }), purpose: 'setup' });

    const assigned = await run({ type: 'assignUser', user: 'alice' });
    expect(assigned.map(({ method, path, query }) => [method, path, query])).toEqual([
      ['GET', '/ServiceProviderConfig', undefined],
      ['GET', '/ResourceTypes', undefined],
      // maxResults 1: one user a page until totalResults.
      ['GET', '/Users', 'startIndex=1&count=1'],
      ['GET', '/Users', 'startIndex=2&count=1'],
      ['POST', '/Users', undefined],
    ]);
    const bob = await run({ type: 'assignUser', user: 'bob' });
    expect(bob.map(({ method, path, query }) => [method, path, query])).toEqual([
      ['GET', '/Users', 'startIndex=1&count=1'],
      ['GET', '/Users', 'startIndex=2&count=1'],
      ['GET', '/Users', 'startIndex=3&count=1'],
      ['PUT', '/Users/<user:bob>', undefined],
    ]);
    expect(bob[3]).toMatchObject({ headers: WRITE, body: { userName: 'bob@example.com', active: true } });
    expect((await targetState(harness, `/Users/${harness.context.links.users.bob!.id}`)).body.userName).toBe('bob@example.com');

    const updated = await run({ type: 'updateUser', user: 'alice', changes: { title: 'CTO' } });
    expect(updated).toEqual([{ method: 'PUT', path: '/Users/<user:alice>', query: undefined, headers: WRITE, status: 200, etag: expect.any(String), body: { ...aliceBody(), title: 'CTO' } }]);
    expect((await run({ type: 'deactivateUser', user: 'alice' })).map(({ method, body }) => [method, (body as { active: boolean }).active])).toEqual([['PUT', false]]);

    const pushed = await run({ type: 'pushGroup', group: 'eng' });
    expect(pushed.map(({ method, path, query }) => [method, path, query])).toEqual([
      ['GET', '/Groups', 'startIndex=1&count=1'],
      ['POST', '/Groups', undefined],
    ]);
    const removed = await run({ type: 'removeMembers', group: 'eng', users: ['alice'] });
    expect(removed).toEqual([
      { method: 'PUT', path: '/Groups/<group:eng>', query: undefined, headers: WRITE, status: 200, etag: expect.any(String), body: { schemas: [GROUP], externalId: harness.directory.group('eng').objectId, displayName: 'Engineering', members: [{ value: '<user:bob>' }] } },
    ]);
  });

  it('treats a target without a readable configuration as declaring nothing optional', async () => {
    await start((request) => (request.method === 'GET' && (request.path === '/ServiceProviderConfig' || request.path === '/ResourceTypes') ? { status: 404, headers: {} } : undefined));
    await run({ type: 'assignUser', user: 'alice' });
    const updated = await run({ type: 'updateUser', user: 'alice', changes: { title: 'CTO' } });
    expect(updated.map(({ method, headers }) => [method, headers])).toEqual([['PUT', WRITE]]);
  });

  it('diffs representations into replace and remove operations with URN paths for the extension', () => {
    expect(userPatchOperations({ schemas: [USER], title: 'A', [ENTERPRISE]: { department: 'X', costCenter: '1' } }, { schemas: [USER, ENTERPRISE], title: 'A', [ENTERPRISE]: { department: 'Y' } })).toEqual([
      { op: 'replace', path: `${ENTERPRISE}:department`, value: 'Y' },
      { op: 'remove', path: `${ENTERPRISE}:costCenter` },
    ]);
  });
});
