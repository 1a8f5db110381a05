/**
 * The `okta` (OIN app) profile against the local provider: each event's requests compared with
 * Okta's documented requests (test/fixtures/okta-documented-requests.json), and the state they
 * leave in the target.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupInput, PersonInput } from '../../../src-main/idp/people.js';
import { IdpOperationFailed, UnsupportedByIdp, type ProfileOptions, type ProfileRequest } from '../../../src-main/idp/profile.js';
import { NotProvisioned } from '../../../src-main/idp/profiles/profile-kit.js';
import { OKTA_RATE_LIMIT_ARTICLE, oktaUserId } from '../../../src-main/idp/profiles/okta-common.js';
import { oktaProfile } from '../../../src-main/idp/profiles/okta.js';
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
import type { ReceivedResponse } from '../../../src-main/runner/http.js';
import { createProfileHarness, type ProfileHarness } from '../../support/profile-harness.js';
import {
  TEST_USER,
  documentedHeaders,
  documentedQuery,
  documentedRequest,
  existingUser,
  expectDocumentedBody,
  onlyDocumentedAttributes,
  providerRequest,
  requestLines,
} from './okta-documented.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const DOC_USER_ID = '23a35c27-23d3-4c03-b4c5-6443c09e7173';
const DOC_OTHER_USER_ID = '89bb1940-b905-4575-9e7f-6f887cfb368e';
const DOC_GROUP_ID = 'abf4dd94-a4c0-4f67-89c9-76b03340cb9b';
const OTHER: PersonInput = { key: 'other', userName: 'other.user@okta.local', email: 'other.user@okta.local' };
const DOC_GROUP: GroupInput = { key: 'scim', displayName: 'Test SCIMv2', members: ['test', 'other'] };

let harness: ProfileHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function okta(
  setup: { people?: PersonInput[]; groups?: GroupInput[]; options?: ProfileOptions; intercept?: (r: ProfileRequest) => ReceivedResponse | undefined } = {},
) {
  harness = await createProfileHarness({
    profile: oktaProfile,
    people: setup.people ?? [TEST_USER],
    groups: setup.groups ?? [],
    ...(setup.options ? { options: setup.options } : {}),
    ...(setup.intercept ? { intercept: setup.intercept } : {}),
  });
  if (harness.directory.hasPerson('test')) onlyDocumentedAttributes(harness, 'test');
  return harness;
}

const json = (text: string | undefined) => JSON.parse(text ?? '') as Record<string, unknown>;
const scimError = (status: number, detail: string): ReceivedResponse => ({
  status,
  headers: { 'content-type': 'application/scim+json' },
  body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], detail, status }),
});

describe('okta headers', () => {
  it('sends the captured header set in its order, Content-Type only with a body, no transport headers', async () => {
    const h = await okta();
    const [get] = await h.run({ type: 'testConnection' });
    expect(get!.request.headers).toEqual(documentedHeaders(false, AUTHORIZATION));
    const [, post] = await h.run({ type: 'assignUser', user: 'test' });
    expect(post!.request.headers).toEqual(documentedHeaders(true, AUTHORIZATION));
    expect(oktaProfile.headers(true, {})).toEqual(documentedHeaders(true, AUTHORIZATION));
  });

  it('lets the userAgent option replace or drop the User-Agent', () => {
    expect(oktaProfile.headers(false, { userAgent: 'Custom/1' })).toContainEqual(['User-Agent', 'Custom/1']);
    expect(oktaProfile.headers(false, { userAgent: null }).map(([name]) => name)).not.toContain('User-Agent');
  });

  it('declares that Okta honours Retry-After on 429', () => {
    expect(oktaProfile.retryPolicy).toEqual({ honorRetryAfter: true, source: OKTA_RATE_LIMIT_ARTICLE });
  });
});

describe('okta testConnection', () => {
  it('reads two users, then 100 groups, with the documented constant parameters', async () => {
    const h = await okta();
    const sent = await h.run({ type: 'testConnection' });
    expect(requestLines(sent)).toEqual([`GET /Users?${documentedQuery(documentedRequest('test_connector'))}`, 'GET /Groups?startIndex=1&count=100']);
    expect(sent.map((e) => e.response.status)).toEqual([200, 200]);
  });

  it('skips the group read when the app does not push groups', async () => {
    const h = await okta({ options: { groups: false } });
    expect(requestLines(await h.run({ type: 'testConnection' }))).toEqual(['GET /Users?startIndex=1&count=2']);
  });

  it('fails when the target refuses the credentials', async () => {
    const h = await okta({ intercept: () => scimError(401, 'Bad token') });
    await expect(h.run({ type: 'testConnection' })).rejects.toThrow(/401: Bad token/);
  });
});

describe('okta assignUser', () => {
  it('looks the user up with the documented encoding, then creates it with the documented body', async () => {
    const h = await okta();
    const sent = await h.run({ type: 'assignUser', user: 'test' });
    expect(requestLines(sent)).toEqual([`GET /Users?${documentedQuery(documentedRequest('user_exists_check'))}`, 'POST /Users']);
    const body = json(sent[1]!.request.body);
    const person = h.directory.person('test');
    expect(body['externalId']).toBe(oktaUserId(person.objectId));
    expect(body['externalId']).toMatch(/^00u[0-9A-Za-z]{17}$/);
    expect(body['password']).toMatch(/^[a-z0-9]{8}$/);
    expectDocumentedBody(sent[1]!, documentedRequest('create_user'), {
      [body['externalId'] as string]: '00ujl29u0le5T6Aj10h7',
      [body['password'] as string]: '1mz050nq',
    });

    const id = h.context.links.users['test']!.id;
    const stored = await providerRequest(h, 'GET', `/Users/${id}`);
    expect(stored.body).toMatchObject({
      userName: 'test.user@okta.local',
      name: { givenName: 'Test', familyName: 'User' },
      emails: [{ value: 'test.user@okta.local', type: 'work', primary: true }],
      displayName: 'Test User',
      locale: 'en-US',
      externalId: body['externalId'],
      active: true,
    });
    expect(stored.body).not.toHaveProperty('password');
  });

  it('derives the same Okta id from the same person, a different one from another', () => {
    expect(oktaUserId('5f0e7c1a-0000-4000-8000-000000000001')).toBe(oktaUserId('5f0e7c1a-0000-4000-8000-000000000001'));
    expect(oktaUserId('5f0e7c1a-0000-4000-8000-000000000001')).not.toBe(oktaUserId('5f0e7c1a-0000-4000-8000-000000000002'));
  });

  it('adds the enterprise extension, and its URN to schemas, when enterprise attributes are mapped', async () => {
    const h = await okta();
    h.directory.updatePerson('test', { department: 'Engineering', employeeNumber: '42' });
    const [, post] = await h.run({ type: 'assignUser', user: 'test' });
    const body = json(post!.request.body);
    expect(body['schemas']).toEqual(['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']);
    expect(Object.keys(body).at(-1)).toBe('urn:ietf:params:scim:schemas:extension:enterprise:2.0:User');
    expect(body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toEqual({ employeeNumber: '42', department: 'Engineering' });
    const stored = await providerRequest(h, 'GET', `/Users/${h.context.links.users['test']!.id}`);
    expect(stored.body['urn:ietf:params:scim:schemas:extension:enterprise:2.0:User']).toMatchObject({ department: 'Engineering' });
  });

  it('treats a 404 on the lookup as no match and creates the user', async () => {
    const h = await okta({ intercept: (r) => (r.method === 'GET' && r.path === '/Users' ? scimError(404, 'Not found') : undefined) });
    const sent = await h.run({ type: 'assignUser', user: 'test' });
    expect(sent.map((e) => `${e.request.method} ${e.response.status}`)).toEqual(['GET 404', 'POST 201']);
    expect(h.context.links.users['test']).toMatchObject({ assigned: true, active: true });
  });

  it('fails as Okta does when the create response carries no id', async () => {
    const h = await okta({ intercept: (r) => (r.method === 'POST' ? { status: 201, headers: {}, body: '{}' } : undefined) });
    const failure = await h.run({ type: 'assignUser', user: 'test' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IdpOperationFailed);
    expect((failure as IdpOperationFailed).idpMessage).toBe('Create new user returned empty user');
    expect(h.context.links.users['test']).toBeUndefined();
  });

  it("fails on a 409 with the target's detail", async () => {
    const h = await okta({ intercept: (r) => (r.method === 'POST' ? scimError(409, 'User already exists in the database.') : undefined) });
    await expect(h.run({ type: 'assignUser', user: 'test' })).rejects.toThrow(/409: User already exists in the database\./);
    expect(h.context.links.users['test']).toBeUndefined();
  });

  it('links a matched user, reactivates it by PATCH, then PUTs its own representation with the profile merged in', async () => {
    const h = await okta();
    const id = await existingUser(h, 'test.user@okta.local', { active: false, title: 'Kept title' });
    const sent = await h.run({ type: 'assignUser', user: 'test' });
    expect(requestLines(sent)).toEqual([
      'GET /Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
      `PATCH /Users/${id}`,
      `GET /Users/${id}`,
      `PUT /Users/${id}`,
    ]);
    expectDocumentedBody(sent[1]!, documentedRequest('reactivate_user (OIN)'));
    const current = json(sent[2]!.response.body);
    const put = json(sent[3]!.request.body);
    // Okta echoes what the target returned, read-only fields included (OKTA_CAPTURES_2019).
    expect(put['id']).toBe(id);
    expect(put['meta']).toEqual(current['meta']);
    expect(put).toMatchObject({
      title: 'Kept title',
      name: { givenName: 'Test', familyName: 'User', middleName: 'Kept' },
      emails: [{ value: 'test.user@okta.local', type: 'work', primary: true, display: 'test.user@okta.local' }],
      externalId: oktaUserId(h.directory.person('test').objectId),
      active: true,
    });
    const stored = await providerRequest(h, 'GET', `/Users/${id}`);
    expect(stored.body).toMatchObject({ active: true, name: { givenName: 'Test', familyName: 'User', middleName: 'Kept' }, displayName: 'Test User' });
    expect(h.context.links.users['test']).toMatchObject({ id, assigned: true, active: true });
  });
});

describe('okta updateUser', () => {
  it('GETs the user, then PUTs the full resource it got back with the change applied', async () => {
    const h = await okta({ people: [TEST_USER, OTHER] });
    await h.run({ type: 'assignUser', user: 'other' });
    await h.run({ type: 'assignUser', user: 'test' });
    const id = h.context.links.users['test']!.id;
    const sent = await h.run({ type: 'updateUser', user: 'test', changes: { givenName: 'Another', title: 'Engineer', department: 'R&D', manager: 'other' } });
    expect(requestLines(sent)).toEqual([`GET /Users/${id}`, `PUT /Users/${id}`]);
    const current = json(sent[0]!.response.body);
    const put = json(sent[1]!.request.body);
    expect(Object.keys(put).slice(0, 3)).toEqual(['schemas', 'id', 'userName']);
    expect(put).toEqual({
      ...current,
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User'],
      name: { givenName: 'Another', familyName: 'User' },
      title: 'Engineer',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', manager: { value: h.context.links.users['other']!.id } },
    });
    const stored = await providerRequest(h, 'GET', `/Users/${id}`);
    expect(stored.body).toMatchObject({
      name: { givenName: 'Another' },
      title: 'Engineer',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User': { department: 'R&D', manager: { value: h.context.links.users['other']!.id } },
    });
  });

  it('removes an attribute cleared in Okta from the PUT', async () => {
    const h = await okta();
    h.directory.updatePerson('test', { title: 'Engineer' });
    await h.run({ type: 'assignUser', user: 'test' });
    const id = h.context.links.users['test']!.id;
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['title']).toBe('Engineer');
    const sent = await h.run({ type: 'updateUser', user: 'test', changes: { title: null } });
    expect(json(sent[1]!.request.body)).not.toHaveProperty('title');
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body).not.toHaveProperty('title');
  });

  it('refuses a user that was never provisioned, or is unassigned, sending nothing', async () => {
    const h = await okta();
    // Never provisioned: the same error every profile gives, which a run under --exact or
    // --profile can tell apart from a failure (see runner/run.ts).
    await expect(h.run({ type: 'updateUser', user: 'test', changes: { title: 'x' } })).rejects.toBeInstanceOf(NotProvisioned);
    expect(h.exchanges).toHaveLength(0);
    await h.run({ type: 'assignUser', user: 'test' });
    await h.run({ type: 'unassignUser', user: 'test' });
    const before = h.exchanges.length;
    await expect(h.run({ type: 'updateUser', user: 'test', changes: { title: 'x' } })).rejects.toThrow(/"test" is not assigned to this Okta app/);
    expect(h.exchanges).toHaveLength(before);
  });
});

describe('okta activation', () => {
  it('deactivates, reactivates and unassigns with the documented path-less PATCH', async () => {
    const h = await okta();
    await h.run({ type: 'assignUser', user: 'test' });
    const id = h.context.links.users['test']!.id;

    const [deactivate] = await h.run({ type: 'deactivateUser', user: 'test' });
    expect(requestLines([deactivate!])).toEqual([`PATCH /Users/${id}`]);
    expect(deactivate!.request.headers).toEqual(documentedHeaders(true, AUTHORIZATION));
    expectDocumentedBody(deactivate!, documentedRequest('deactivate_user (OIN)'));
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['active']).toBe(false);
    expect(h.directory.person('test').active).toBe(false);

    const [reactivate] = await h.run({ type: 'reactivateUser', user: 'test' });
    expectDocumentedBody(reactivate!, documentedRequest('reactivate_user (OIN)'));
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['active']).toBe(true);

    const [unassign] = await h.run({ type: 'unassignUser', user: 'test' });
    expectDocumentedBody(unassign!, documentedRequest('deactivate_user (OIN)'));
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['active']).toBe(false);
    expect(h.context.links.users['test']).toMatchObject({ id, assigned: false, active: false });

    // Assigned again: looked up, matched inactive, reactivated and updated; never created twice.
    const again = await h.run({ type: 'assignUser', user: 'test' });
    expect(again.map((e) => e.request.method)).toEqual(['GET', 'PATCH', 'GET', 'PUT']);
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['active']).toBe(true);
  });

  it('never deletes a user', async () => {
    const h = await okta();
    await h.run({ type: 'assignUser', user: 'test' });
    const before = h.exchanges.length;
    await expect(h.run({ type: 'deleteUser', user: 'test' })).rejects.toBeInstanceOf(UnsupportedByIdp);
    expect(h.exchanges).toHaveLength(before);
  });
});

describe('okta groups', () => {
  async function withTwoUsers(groups: GroupInput[] = [DOC_GROUP]) {
    const h = await okta({ people: [TEST_USER, OTHER], groups });
    await h.run({ type: 'assignUser', user: 'test' });
    await h.run({ type: 'assignUser', user: 'other' });
    return { h, test: h.context.links.users['test']!.id, other: h.context.links.users['other']!.id };
  }

  it('pushes a group as POST with no members, then the rename PATCH and an add of the assigned members', async () => {
    const { h, test, other } = await withTwoUsers();
    const sent = await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;
    expect(requestLines(sent)).toEqual(['POST /Groups', `PATCH /Groups/${gid}`, `PATCH /Groups/${gid}`]);
    expectDocumentedBody(sent[0]!, documentedRequest('push_group_create'));
    expectDocumentedBody(sent[1]!, documentedRequest('rename_group'), { [gid]: DOC_GROUP_ID });
    expect(json(sent[2]!.request.body)).toEqual({
      schemas: [PATCH_OP],
      Operations: [
        {
          op: 'add',
          path: 'members',
          value: [
            { value: test, display: 'test.user@okta.local' },
            { value: other, display: 'other.user@okta.local' },
          ],
        },
      ],
    });
    const stored = await providerRequest(h, 'GET', `/Groups/${gid}`);
    expect(stored.body).toMatchObject({ displayName: 'Test SCIMv2' });
    expect((stored.body['members'] as { value: string }[]).map((m) => m.value).sort()).toEqual([test, other].sort());
  });

  it('pushes an empty group as the POST alone, and "Push now" on it as the rename and an empty replace', async () => {
    const h = await okta({ groups: [{ key: 'empty', displayName: 'Test SCIMv2' }] });
    expect(requestLines(await h.run({ type: 'pushGroup', group: 'empty' }))).toEqual(['POST /Groups']);
    const gid = h.context.links.groups['empty']!.id;
    const again = await h.run({ type: 'pushGroup', group: 'empty' });
    expect(requestLines(again)).toEqual([`PATCH /Groups/${gid}`, `PATCH /Groups/${gid}`]);
    expectDocumentedBody(again[0]!, documentedRequest('rename_group'), { [gid]: DOC_GROUP_ID });
    expectDocumentedBody(again[1]!, documentedRequest('push_now_empty_group'));
  });

  it('renames with the path-less replace carrying the group id', async () => {
    const { h } = await withTwoUsers();
    await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;
    const sent = await h.run({ type: 'renameGroup', group: 'scim', displayName: 'Renamed' });
    expect(requestLines(sent)).toEqual([`PATCH /Groups/${gid}`]);
    expect(json(sent[0]!.request.body)).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: gid, displayName: 'Renamed' } }] });
    expect((await providerRequest(h, 'GET', `/Groups/${gid}`)).body['displayName']).toBe('Renamed');
  });

  it('sends a membership change as the rename, then filtered removes and one add, as documented', async () => {
    const { h, test, other } = await withTwoUsers([{ key: 'scim', displayName: 'Test SCIMv2', members: ['other'] }]);
    await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;
    // An admin edit made in Okta without its own push: 'other' left the group, then 'test' is added.
    h.directory.group('scim').members = [];
    const sent = await h.run({ type: 'addMembers', group: 'scim', users: ['test'] });
    expect(requestLines(sent)).toEqual([`PATCH /Groups/${gid}`, `PATCH /Groups/${gid}`]);
    expectDocumentedBody(sent[0]!, documentedRequest('rename_group'), { [gid]: DOC_GROUP_ID });
    expectDocumentedBody(sent[1]!, documentedRequest('update_membership'), { [test]: DOC_USER_ID, [other]: DOC_OTHER_USER_ID });
    const members = (await providerRequest(h, 'GET', `/Groups/${gid}`)).body['members'] as { value: string }[];
    expect(members.map((m) => m.value)).toEqual([test]);
  });

  it('removes members by filter and sends a full re-push as a replace of the whole list', async () => {
    const { h, test, other } = await withTwoUsers();
    await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;
    const removed = await h.run({ type: 'removeMembers', group: 'scim', users: ['other'] });
    expect(json(removed[1]!.request.body)).toEqual({ schemas: [PATCH_OP], Operations: [{ op: 'remove', path: `members[value eq "${other}"]` }] });
    expect(((await providerRequest(h, 'GET', `/Groups/${gid}`)).body['members'] as { value: string }[]).map((m) => m.value)).toEqual([test]);

    h.directory.group('scim').members = ['test', 'other'];
    const full = await h.run({ type: 'pushGroup', group: 'scim' });
    expect(requestLines(full)).toEqual([`PATCH /Groups/${gid}`, `PATCH /Groups/${gid}`]);
    expectDocumentedBody(full[1]!, documentedRequest('full_push_membership'), {
      [test]: DOC_USER_ID,
      [other]: DOC_OTHER_USER_ID,
      'other.user@okta.local': 'test.user@okta.local',
    });
    expect(((await providerRequest(h, 'GET', `/Groups/${gid}`)).body['members'] as unknown[]).length).toBe(2);
  });

  it('pushes only members assigned to the app', async () => {
    const h = await okta({ people: [TEST_USER, OTHER], groups: [DOC_GROUP] });
    await h.run({ type: 'assignUser', user: 'test' });
    const sent = await h.run({ type: 'pushGroup', group: 'scim' });
    const add = json(sent[2]!.request.body)['Operations'] as { value: { display: string }[] }[];
    expect(add[0]!.value.map((m) => m.display)).toEqual(['test.user@okta.local']);
  });

  it('deletes an unlinked group with DELETE, carrying Content-Type without a body', async () => {
    const { h } = await withTwoUsers();
    await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;
    const [deleted] = await h.run({ type: 'deleteGroup', group: 'scim' });
    expect(requestLines([deleted!])).toEqual([`DELETE /Groups/${gid}`]);
    expect(deleted!.request.path.replace(gid, DOC_GROUP_ID)).toBe(documentedRequest('delete_group').path);
    expect(deleted!.request.headers).toEqual(documentedHeaders(true, AUTHORIZATION));
    expect(deleted!.request.body).toBeUndefined();
    expect(deleted!.response.status).toBe(204);
    expect((await providerRequest(h, 'GET', `/Groups/${gid}`)).status).toBe(404);
    expect(h.context.links.groups['scim']).toBeUndefined();
  });
});

describe('okta import', () => {
  it('pages users by 100 until totalResults is covered, skips inactive users and links exact matches', async () => {
    const h = await okta({ people: [TEST_USER, OTHER] });
    const testId = await existingUser(h, 'test.user@okta.local');
    await existingUser(h, 'other.user@okta.local', { active: false });
    for (let i = 0; i < 248; i++) await existingUser(h, `filler${i}@example.com`);
    const sent = await h.run({ type: 'importUsers' });
    expect(requestLines(sent)).toEqual([
      `GET /Users?${documentedQuery(documentedRequest('import_users'))}`,
      'GET /Users?startIndex=101&count=100',
      'GET /Users?startIndex=201&count=100',
    ]);
    expect(h.context.links.users['test']).toEqual({ id: testId, assigned: true, active: true });
    expect(h.context.links.users['other']).toBeUndefined();
  });

  it('pages groups the same way and links none of them', async () => {
    const h = await okta({ groups: [{ key: 'g', displayName: 'Existing' }] });
    await providerRequest(h, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'Existing' });
    const sent = await h.run({ type: 'importGroups' });
    expect(requestLines(sent)).toEqual([`GET /Groups?${documentedQuery(documentedRequest('import_groups'))}`]);
    expect(h.context.links.groups).toEqual({});
  });

  it('reads the lowercase ListResponse keys Okta also accepts', async () => {
    const h = await okta({
      intercept: (r) =>
        r.path === '/Users' && r.method === 'GET'
          ? { status: 200, headers: {}, body: JSON.stringify({ totalresults: 1, resources: [{ id: 'x1', userName: 'test.user@okta.local', active: true }] }) }
          : undefined,
    });
    await h.run({ type: 'importUsers' });
    expect(h.context.links.users['test']).toMatchObject({ id: 'x1' });
  });
});

describe('okta syncCycle', () => {
  it('re-pushes every assigned active user (GET then PUT) and every pushed group ("Push now")', async () => {
    const h = await okta({ people: [TEST_USER, OTHER], groups: [DOC_GROUP] });
    await h.run({ type: 'assignUser', user: 'test' });
    await h.run({ type: 'assignUser', user: 'other' });
    await h.run({ type: 'pushGroup', group: 'scim' });
    await h.run({ type: 'deactivateUser', user: 'other' });
    const test = h.context.links.users['test']!.id;
    const gid = h.context.links.groups['scim']!.id;
    const sent = await h.run({ type: 'syncCycle' });
    expect(requestLines(sent)).toEqual([`GET /Users/${test}`, `PUT /Users/${test}`, `PATCH /Groups/${gid}`, `PATCH /Groups/${gid}`]);
    expect(sent.every((e) => e.response.status < 300)).toBe(true);
  });
});
