/**
 * The `entra` profile (Entra's default provisioning engine) against the local provider: for each
 * event, the requests it sends compared with the ones Microsoft documents
 * (test/fixtures/entra-documented-requests.json), the state they leave in the target, and the
 * leniency notes the provider records for Entra's default-engine quirks.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { IdpOperationFailed, UnsupportedByIdp } from '../../../src-main/idp/profile.js';
import { entraProfile } from '../../../src-main/idp/profiles/entra.js';
import { DISCOVERY_PAGE_SIZE, QUARANTINE_404, QUARANTINE_CREDENTIALS } from '../../../src-main/idp/profiles/entra-common.js';
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
import type { ReceivedResponse } from '../../../src-main/runner/http.js';
import { createProfileHarness, type HarnessOptions, type ProfileHarness } from '../../support/profile-harness.js';
import {
  DOCUMENTED_HEADERS,
  documented,
  documentedBody,
  documentedId,
  documentedStatuses,
  exactPerson,
  queryParameters,
  recentNotes,
  targetRequest,
  withIds,
} from '../../support/entra-documented.js';

const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const GET_HEADERS = [['Authorization', AUTHORIZATION]];
const BODY_HEADERS = [
  ['Authorization', AUTHORIZATION],
  ['Content-type', DOCUMENTED_HEADERS['Content-type']],
];

/** The user of the tutorial's "Create User" example, with exactly its attributes. */
const TUTORIAL_USER = exactPerson({
  key: 'test-user',
  objectId: '0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef',
  userName: 'Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee',
  email: 'Test_User_11bb11bb-cc22-dd33-ee44-55ff55ff55ff@testuser.com',
  givenName: 'givenName',
  familyName: 'familyName',
});

let harness: ProfileHarness;
afterEach(() => harness?.close());

async function start(options: Partial<HarnessOptions> = {}): Promise<ProfileHarness> {
  harness = await createProfileHarness({ profile: entraProfile, ...options });
  return harness;
}

const userId = (key: string) => harness.context.links.users[key]!.id;
const groupId = (key: string) => harness.context.links.groups[key]!.id;
const storedUser = (key: string) => harness.provider.store.get('User', userId(key));
const storedMembers = (key: string) =>
  ((harness.provider.store.get('Group', groupId(key))?.members ?? []) as { value: string }[]).map((member) => member.value).sort();

describe('entra: the documented requests', () => {
  it('testConnection looks up a random-GUID userName and a random group, form-encoded, and gets an empty ListResponse', async () => {
    await start();
    const probe = documented('test_connection_or_cycle_probe');
    const sent = await harness.run({ type: 'testConnection' });

    expect(sent).toHaveLength(2);
    const [users, groups] = sent;
    expect(users!.request.method).toBe(probe.method);
    expect(users!.request.path).toBe(probe.path);
    expect(users!.request.query).toMatch(new RegExp(`^filter=userName\\+eq\\+%22${UUID}%22$`));
    const decoded = queryParameters(users!.request.query).map(([name, value]) => [name, value.replace(new RegExp(UUID), '<random GUID>')]);
    expect(decoded).toEqual(Object.entries(probe.query!));
    expect(users!.request.headers).toEqual(GET_HEADERS);
    expect(users!.request.body).toBeUndefined();
    expect(users!.response.status).toBe(probe.expect!.status);
    expect(JSON.parse(users!.response.body!)).toMatchObject({ totalResults: 0, Resources: [] });

    const groupLookup = documented('get_group_by_displayName');
    expect(groups!.request.path).toBe(groupLookup.path);
    expect(groups!.request.query).toMatch(new RegExp(`^excludedAttributes=members&filter=displayName\\+eq\\+%22${UUID}%22$`));
    expect(queryParameters(groups!.request.query).map(([name]) => name)).toEqual(Object.keys(groupLookup.query!));
    expect(groups!.response.status).toBe(200);
  });

  it('every cycle starts with a fresh probe; without group provisioning there is no group probe', async () => {
    await start({ options: { groups: false } });
    const first = await harness.run({ type: 'testConnection' });
    const cycle = await harness.run({ type: 'syncCycle' });
    expect(first.map((exchange) => exchange.request.path)).toEqual(['/Users']);
    expect(cycle.map((exchange) => exchange.request.path)).toEqual(['/Users']);
    expect(cycle[0]!.request.query).toMatch(new RegExp(`^filter=userName\\+eq\\+%22${UUID}%22$`));
    expect(cycle[0]!.request.query).not.toBe(first[0]!.request.query);
  });

  it('assignUser looks the user up by userName, then POSTs the tutorial\'s create body byte for byte', async () => {
    await start();
    harness.directory.addPerson(TUTORIAL_USER);
    const lookup = documented('get_user_by_query');
    const create = documented('create_user');

    const sent = await harness.run({ type: 'assignUser', user: 'test-user' });
    expect(sent).toHaveLength(2);
    const [get, post] = sent;
    expect(get!.request.method).toBe(lookup.method);
    expect(get!.request.path).toBe(lookup.path);
    expect(get!.request.query).toBe('filter=userName+eq+%22Test_User_00aa00aa-bb11-cc22-dd33-44ee44ee44ee%22');
    expect(queryParameters(get!.request.query)).toEqual(Object.entries(lookup.query!));
    expect(get!.request.headers).toEqual(GET_HEADERS);

    expect(post!.request.method).toBe(create.method);
    expect(post!.request.path).toBe(create.path);
    expect(post!.request.query).toBeUndefined();
    expect(post!.request.headers).toEqual(BODY_HEADERS);
    expect(post!.request.headers.map(([name]) => name)).toEqual(Object.keys(DOCUMENTED_HEADERS));
    expect(withIds(post!.request.body)).toBe(documentedBody(create));
    expect(documentedStatuses(create)).toContain(post!.response.status);

    const link = harness.context.links.users['test-user']!;
    expect(link).toMatchObject({ id: JSON.parse(post!.response.body!).id, assigned: true, active: true });
    expect(link.lastSent).toMatchObject({ userName: TUTORIAL_USER.userName, 'emails[type eq "work"].value': TUTORIAL_USER.email, active: true });
  });

  it('writes enterprise attributes, title and displayName into the create when the person has them', async () => {
    await start({ people: [{ key: 'ada', givenName: 'Ada', familyName: 'Lovelace', title: 'Engineer', department: 'R&D', employeeNumber: '42', mobile: '+1 555 0100' }] });
    const [, post] = await harness.run({ type: 'assignUser', user: 'ada' });
    const body = JSON.parse(post!.request.body!);
    expect(Object.keys(body)).toEqual(['schemas', 'externalId', 'userName', 'active', 'displayName', 'emails', 'meta', 'name', 'phoneNumbers', 'roles', 'title', ENTERPRISE]);
    expect(body.externalId).toBe(harness.directory.person('ada').objectId);
    expect(body.phoneNumbers).toEqual([{ type: 'mobile', value: '+1 555 0100' }]);
    expect(body[ENTERPRISE]).toEqual({ department: 'R&D', employeeNumber: '42' });
    expect(storedUser('ada')).toMatchObject({ title: 'Engineer', [ENTERPRISE]: { department: 'R&D', employeeNumber: '42' } });
  });

  it('writes the manager after the create, as the manager\'s target id bare, in a PATCH of its own', async () => {
    await start({ people: [{ key: 'boss' }, { key: 'alice', manager: 'boss' }] });
    await harness.run({ type: 'assignUser', user: 'boss' });
    const sent = await harness.run({ type: 'assignUser', user: 'alice' });

    expect(sent.map((exchange) => exchange.request.method)).toEqual(['GET', 'POST', 'PATCH']);
    const patch = sent[2]!;
    expect(patch.request.path).toBe(`/Users/${userId('alice')}`);
    expect(patch.request.headers).toEqual(BODY_HEADERS);
    expect(patch.request.body).toBe(
      JSON.stringify({ schemas: [PATCH_OP], Operations: [{ op: 'Add', path: `${ENTERPRISE}:manager`, value: userId('boss') }] }),
    );
    expect(JSON.parse(sent[1]!.request.body!)[ENTERPRISE]).not.toHaveProperty('manager');
    expect((storedUser('alice')?.[ENTERPRISE] as { manager: { value: string } }).manager.value).toBe(userId('boss'));
    expect(recentNotes(harness)[0]).toEqual(['capitalized-patch-op', 'complex-as-bare-value']);
  });

  it('updateUser reads the user by id, then PATCHes only what changed (the tutorial\'s multi-valued update)', async () => {
    await start();
    harness.directory.addPerson(TUTORIAL_USER);
    await harness.run({ type: 'assignUser', user: 'test-user' });
    const read = documented('get_user');
    const update = documented('update_user_multivalued', 'default');

    const sent = await harness.run({ type: 'updateUser', user: 'test-user', changes: { email: 'updatedEmail@microsoft.com', familyName: 'updatedFamilyName' } });
    expect(sent).toHaveLength(2);
    const [get, patch] = sent;
    const id = userId('test-user');
    expect(get!.request.method).toBe(read.method);
    expect(get!.request.path.replace(id, documentedId(read))).toBe(read.path);
    expect(get!.request.query).toBeUndefined();
    expect(get!.request.headers).toEqual(GET_HEADERS);
    expect(documentedStatuses(read)).toContain(get!.response.status);

    expect(patch!.request.method).toBe(update.method);
    expect(patch!.request.path.replace(id, documentedId(update))).toBe(update.path);
    expect(patch!.request.headers).toEqual(BODY_HEADERS);
    expect(withIds(patch!.request.body)).toBe(documentedBody(update));
    expect(patch!.response.status).toBe(update.expect!.status);
    expect(storedUser('test-user')).toMatchObject({ name: { familyName: 'updatedFamilyName' }, emails: [{ type: 'work', value: 'updatedEmail@microsoft.com' }] });
    expect(harness.context.links.users['test-user']!.lastSent).toMatchObject({ 'name.familyName': 'updatedFamilyName', 'emails[type eq "work"].value': 'updatedEmail@microsoft.com' });
  });

  it('a userName change is a single Replace of userName (the tutorial\'s single-valued update)', async () => {
    await start();
    harness.directory.addPerson(TUTORIAL_USER);
    await harness.run({ type: 'assignUser', user: 'test-user' });
    const update = documented('update_user_singlevalued', 'default');
    const [, patch] = await harness.run({ type: 'updateUser', user: 'test-user', changes: { userName: '5b50642d-79fc-4410-9e90-4c077cdd1a59@testuser.com' } });
    expect(patch!.request.path.replace(userId('test-user'), documentedId(update))).toBe(update.path);
    expect(withIds(patch!.request.body)).toBe(documentedBody(update));
  });

  it('several changed attributes are one Replace each, in the documented order ("replace multiple attributes", no flag)', async () => {
    await start();
    harness.directory.addPerson(exactPerson({ key: 'u', objectId: 'Eqpj', userName: 'u@test.microsoft.com', email: 'u@test.microsoft.com', givenName: 'G', familyName: 'F', displayName: 'G F', employeeNumber: '1' }));
    await harness.run({ type: 'assignUser', user: 'u' });
    // The target's externalId drifted (changed in the app by hand): Entra sets it back.
    await targetRequest(harness, 'PATCH', `/Users/${userId('u')}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'externalId', value: 'changed-in-the-app' }] });

    const [, patch] = await harness.run({
      type: 'updateUser',
      user: 'u',
      changes: { displayName: 'Pvlo', email: 'TestBcwqnm@test.microsoft.com', givenName: 'Gtfd', familyName: 'Pkqf', employeeNumber: 'Eqpj' },
    });
    expect(withIds(patch!.request.body)).toBe(documentedBody(documented('replace_multiple_attributes', 'default')));
    expect(storedUser('u')).toMatchObject({ externalId: 'Eqpj', displayName: 'Pvlo', [ENTERPRISE]: { employeeNumber: 'Eqpj' } });
  });

  it('an attribute the target has no value for is sent with Add ("add a single-value string attribute", no flag)', async () => {
    await start();
    harness.directory.addPerson(exactPerson({ key: 'u', objectId: 'o1', userName: 'u@example.com', email: 'u@example.com', givenName: 'G', familyName: 'F' }));
    await harness.run({ type: 'assignUser', user: 'u' });
    const [, patch] = await harness.run({ type: 'updateUser', user: 'u', changes: { title: 'Babs' } });
    const expected = documented('add_single_value_string', 'default').body as { Operations: object[] };
    expect(withIds(patch!.request.body)).toBe(JSON.stringify({ ...expected, Operations: [{ ...expected.Operations[0], path: 'title' }] }));
    expect(storedUser('u')?.title).toBe('Babs');
  });

  it('deactivate, unassign and reactivate PATCH active with the strings "False" and "True"; unassigning never deletes', async () => {
    await start({ people: [{ key: 'ada' }] });
    await harness.run({ type: 'assignUser', user: 'ada' });
    const disable = documented('disable_user', 'default');
    const id = userId('ada');

    const [off] = await harness.run({ type: 'deactivateUser', user: 'ada' });
    expect(off!.request.method).toBe(disable.method);
    expect(off!.request.path).toBe(`/Users/${id}`);
    expect(off!.request.headers).toEqual(BODY_HEADERS);
    expect(withIds(off!.request.body)).toBe(documentedBody(disable));
    expect(storedUser('ada')?.active).toBe(false);
    expect(recentNotes(harness)[0]).toEqual(['capitalized-patch-op', 'string-boolean']);

    const [on] = await harness.run({ type: 'reactivateUser', user: 'ada' });
    expect(withIds(on!.request.body)).toBe(documentedBody(disable).replace('"False"', '"True"'));
    expect(storedUser('ada')?.active).toBe(true);

    const unassign = await harness.run({ type: 'unassignUser', user: 'ada' });
    expect(unassign.map((exchange) => exchange.request.method)).toEqual(['PATCH']);
    expect(withIds(unassign[0]!.request.body)).toBe(documentedBody(disable));
    expect(storedUser('ada')).toMatchObject({ active: false });
    expect(harness.context.links.users.ada).toMatchObject({ id, assigned: false, active: false });

    // Reassigning uses the cached id: read, then enable.
    const reassign = await harness.run({ type: 'assignUser', user: 'ada' });
    expect(reassign.map((exchange) => `${exchange.request.method} ${exchange.request.path}`)).toEqual([`GET /Users/${id}`, `PATCH /Users/${id}`]);
    expect(JSON.parse(reassign[1]!.request.body!).Operations).toEqual([{ op: 'Replace', path: 'active', value: 'True' }]);
  });

  it('deleteUser (a hard delete in Entra) sends DELETE /Users/{id} and forgets the user', async () => {
    await start({ people: [{ key: 'ada' }] });
    await harness.run({ type: 'assignUser', user: 'ada' });
    const id = userId('ada');
    const remove = documented('delete_user');
    const [sent] = await harness.run({ type: 'deleteUser', user: 'ada' });
    expect(sent!.request.method).toBe(remove.method);
    expect(sent!.request.path.replace(id, documentedId(remove))).toBe(remove.path);
    expect(sent!.request.headers).toEqual(GET_HEADERS);
    expect(sent!.request.body).toBeUndefined();
    expect(sent!.response.status).toBe(remove.expect!.status);
    expect(harness.provider.store.get('User', id)).toBeUndefined();
    expect(harness.context.links.users.ada).toBeUndefined();
  });

  it('pushGroup: lookup with excludedAttributes=members, POST without members, then PATCH Add members with "$ref": null', async () => {
    await start({ people: [{ key: 'ada' }] });
    harness.directory.addGroup({ key: 'g', objectId: '8aa1a0c0-c4c3-4bc0-b4a5-2ef676900159', displayName: 'displayName', members: ['ada'] });
    await harness.run({ type: 'assignUser', user: 'ada' });
    const lookup = documented('get_group_by_displayName');
    const create = documented('create_group');
    const add = documented('add_members');

    const sent = await harness.run({ type: 'pushGroup', group: 'g' });
    expect(sent).toHaveLength(3);
    const [get, post, patch] = sent;
    expect(get!.request.method).toBe(lookup.method);
    expect(get!.request.path).toBe(lookup.path);
    expect(get!.request.query).toBe('excludedAttributes=members&filter=displayName+eq+%22displayName%22');
    expect(queryParameters(get!.request.query)).toEqual(Object.entries(lookup.query!));
    expect(get!.request.headers).toEqual(GET_HEADERS);

    expect(post!.request.path).toBe(create.path);
    expect(post!.request.headers).toEqual(BODY_HEADERS);
    expect(withIds(post!.request.body)).toBe(documentedBody(create));
    expect(post!.response.status).toBe(create.expect!.status);

    const gid = groupId('g');
    expect(patch!.request.path.replace(gid, documentedId(add))).toBe(add.path);
    expect(withIds(patch!.request.body, { [userId('ada')]: 'f648f8d5ea4e4cd38e9c' })).toBe(documentedBody(add));
    expect(patch!.response.status).toBe(add.expect!.status);
    expect(storedMembers('g')).toEqual([userId('ada')]);
    expect(recentNotes(harness)[0]).toEqual(['capitalized-patch-op', 'null-ref']);
  });

  it('renameGroup PATCHes Replace displayName and gets 204; a cycle reads the group with excludedAttributes=members', async () => {
    await start();
    harness.directory.addGroup({ key: 'g', objectId: 'o', displayName: 'before', members: [] });
    await harness.run({ type: 'pushGroup', group: 'g' });
    const rename = documented('rename_group');
    const read = documented('get_group');
    const gid = groupId('g');

    const [patch] = await harness.run({ type: 'renameGroup', group: 'g', displayName: '1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName' });
    expect(patch!.request.path.replace(gid, documentedId(rename))).toBe(rename.path);
    expect(withIds(patch!.request.body)).toBe(documentedBody(rename));
    expect(patch!.response.status).toBe(rename.expect!.status);
    expect(harness.provider.store.get('Group', gid)?.displayName).toBe('1879db59-3bdf-4490-ad68-ab880a269474updatedDisplayName');

    const cycle = await harness.run({ type: 'syncCycle' });
    const get = cycle.find((exchange) => exchange.request.path.startsWith('/Groups/'))!;
    expect(get.request.path.replace(gid, documentedId(read))).toBe(read.path);
    expect(queryParameters(get.request.query)).toEqual(Object.entries(read.query!));
    expect(cycle.filter((exchange) => exchange.request.method !== 'GET')).toEqual([]);
  });

  it('removeMembers sends Remove with a value array, which removes only the listed members', async () => {
    await start({ people: [{ key: 'ada' }, { key: 'bob' }, { key: 'cy' }], groups: [{ key: 'g', members: ['ada', 'bob', 'cy'] }] });
    for (const user of ['ada', 'bob', 'cy']) await harness.run({ type: 'assignUser', user });
    await harness.run({ type: 'pushGroup', group: 'g' });
    expect(storedMembers('g')).toHaveLength(3);
    const remove = documented('remove_member', 'default');

    const [patch] = await harness.run({ type: 'removeMembers', group: 'g', users: ['bob'] });
    expect(patch!.request.path).toBe(`/Groups/${groupId('g')}`);
    expect(withIds(patch!.request.body, { [userId('bob')]: 'u1091' })).toBe(documentedBody(remove));
    expect(storedMembers('g')).toEqual([userId('ada'), userId('cy')].sort());
    expect(harness.context.links.groups.g!.members).toEqual(['ada', 'cy']);
    expect(recentNotes(harness)[0]).toEqual(['capitalized-patch-op', 'remove-by-value-array']);
  });

  it('addMembers PATCHes Add for provisioned members only; deleteGroup sends DELETE /Groups/{id}', async () => {
    await start({ people: [{ key: 'ada' }, { key: 'bob' }, { key: 'never-assigned' }], groups: [{ key: 'g' }] });
    for (const user of ['ada', 'bob']) await harness.run({ type: 'assignUser', user });
    await harness.run({ type: 'pushGroup', group: 'g' });
    const [add] = await harness.run({ type: 'addMembers', group: 'g', users: ['ada', 'bob', 'never-assigned'] });
    expect(JSON.parse(add!.request.body!).Operations).toEqual([
      { op: 'Add', path: 'members', value: [{ $ref: null, value: userId('ada') }, { $ref: null, value: userId('bob') }] },
    ]);
    expect(storedMembers('g')).toEqual([userId('ada'), userId('bob')].sort());
    expect(await harness.run({ type: 'addMembers', group: 'g', users: ['ada'] })).toEqual([]);

    const gid = groupId('g');
    const remove = documented('delete_group');
    const [sent] = await harness.run({ type: 'deleteGroup', group: 'g' });
    expect(sent!.request.method).toBe(remove.method);
    expect(sent!.request.path.replace(gid, documentedId(remove))).toBe(remove.path);
    expect(sent!.request.headers).toEqual(GET_HEADERS);
    expect(sent!.response.status).toBe(remove.expect!.status);
    expect(harness.provider.store.get('Group', gid)).toBeUndefined();
  });
});

describe('entra: what Entra treats as a failure', () => {
  const notFound: ReceivedResponse = {
    status: 404,
    headers: { 'content-type': 'application/scim+json' },
    body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '404', detail: 'no such user' }),
  };

  it('a 404 for the probe\'s filter instead of an empty ListResponse is the documented quarantine reason', async () => {
    await start({ intercept: (request) => (request.path === '/Users' && request.query?.startsWith('filter=') ? notFound : undefined) });
    const failure = await harness.run({ type: 'testConnection' }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(IdpOperationFailed);
    expect((failure as IdpOperationFailed).idpMessage).toBe(QUARANTINE_404);
    expect(QUARANTINE_404).toContain('An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response');
    expect((failure as Error).message).toMatch(/^probe for a random user: GET \/Users\?filter=userName\+eq\+%22.+%22 answered 404 instead of 200: no such user$/);
    expect(harness.exchanges).toHaveLength(1);
  });

  it('a 404 for the lookup before a create fails the assignment the same way, and nothing is created', async () => {
    await start({ people: [{ key: 'ada' }], intercept: (request) => (request.query?.startsWith('filter=') ? notFound : undefined) });
    await expect(harness.run({ type: 'assignUser', user: 'ada' })).rejects.toMatchObject({ name: 'IdpOperationFailed', idpMessage: QUARANTINE_404 });
    expect(harness.exchanges.map((exchange) => exchange.request.method)).toEqual(['GET']);
    expect(harness.context.links.users.ada).toBeUndefined();
  });

  it('rejected credentials are the "Invalid credentials" quarantine reason', async () => {
    await start({ intercept: () => ({ status: 401, headers: {} }) });
    await expect(harness.run({ type: 'testConnection' })).rejects.toMatchObject({ idpMessage: QUARANTINE_CREDENTIALS });
  });

  it('a probe that matches users (a target ignoring the filter) fails the connection test', async () => {
    const everyone: ReceivedResponse = {
      status: 200,
      headers: { 'content-type': 'application/scim+json' },
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 1, Resources: [{ id: 'x', userName: 'someone' }] }),
    };
    await start({ intercept: (request) => (request.path === '/Users' ? everyone : undefined) });
    await expect(harness.run({ type: 'testConnection' })).rejects.toThrow(/^The probe for a random user matched 1 resource/);
  });

  it('a create answered without an id fails the assignment', async () => {
    await start({ people: [{ key: 'ada' }], intercept: (request) => (request.method === 'POST' ? { status: 201, headers: {}, body: '{"userName":"x"}' } : undefined) });
    await expect(harness.run({ type: 'assignUser', user: 'ada' })).rejects.toThrow('create user: POST /Users answered 201 without an "id"');
  });

  it('by default a 429 fails the operation (Entra retries the object in a later cycle)', async () => {
    let calls = 0;
    await start({ intercept: () => (++calls === 1 ? { status: 429, headers: { 'retry-after': '0' } } : undefined) });
    await expect(harness.run({ type: 'testConnection' })).rejects.toThrow(/answered 429; Entra retries the object in a later cycle/);
    expect(harness.exchanges).toHaveLength(1);
  });

  it('with honorRetryAfter a Retry-After longer than maxRetryAfterSeconds is not waited for', async () => {
    await start({ options: { honorRetryAfter: true, maxRetryAfterSeconds: 5 }, intercept: () => ({ status: 429, headers: { 'retry-after': '60' } }) });
    await expect(harness.run({ type: 'testConnection' })).rejects.toThrow(/429/);
    expect(harness.exchanges).toHaveLength(1);
  });
});

describe('entra: state and options', () => {
  it('sends no User-Agent unless one is configured', async () => {
    await start({ options: { userAgent: 'Microsoft Azure AD SCIM provisioning' } });
    const [probe] = await harness.run({ type: 'testConnection' });
    expect(probe!.request.headers).toEqual([...GET_HEADERS, ['User-Agent', 'Microsoft Azure AD SCIM provisioning']]);
    expect(entraProfile.headers(true, {})).toEqual(BODY_HEADERS);
    expect(entraProfile.headers(false, { userAgent: null })).toEqual(GET_HEADERS);
  });

  it('a user that already exists in the target is linked and only its differing attributes are patched', async () => {
    await start({ people: [{ key: 'ada', givenName: 'Ada', familyName: 'Lovelace', title: 'Engineer' }] });
    const person = harness.directory.person('ada');
    const existing = await targetRequest(harness, 'POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User', ENTERPRISE],
      userName: person.userName,
      externalId: person.objectId,
      active: true,
      displayName: person.displayName,
      title: 'Old title',
      name: { givenName: 'Ada', familyName: 'Lovelace' },
      emails: [{ type: 'work', value: person.email, primary: true }],
      [ENTERPRISE]: { department: person.department, employeeNumber: person.employeeNumber },
    });

    const sent = await harness.run({ type: 'assignUser', user: 'ada' });
    expect(sent.map((exchange) => exchange.request.method)).toEqual(['GET', 'PATCH']);
    expect(JSON.parse(sent[1]!.request.body!).Operations).toEqual([{ op: 'Replace', path: 'title', value: 'Engineer' }]);
    expect(userId('ada')).toBe(existing.body.id);
  });

  it('only mapped, non-empty attributes reach the target; profile changes of an unassigned user send nothing', async () => {
    await start({ people: [{ key: 'ada' }, { key: 'bob' }] });
    await harness.run({ type: 'assignUser', user: 'ada' });
    // costCenter has no default mapping; a cleared title is not provisioned (nulls are skipped).
    const sent = await harness.run({ type: 'updateUser', user: 'ada', changes: { costCenter: 'CC-1', title: null } });
    expect(sent.map((exchange) => exchange.request.method)).toEqual(['GET']);
    expect(storedUser('ada')?.title).toBe(harness.context.links.users.ada!.lastSent!.title);
    expect(harness.directory.person('ada')).toMatchObject({ costCenter: 'CC-1' });
    expect(harness.directory.person('ada').title).toBeUndefined();

    expect(await harness.run({ type: 'updateUser', user: 'bob', changes: { title: 'CEO' } })).toEqual([]);
    expect(await harness.run({ type: 'deactivateUser', user: 'bob' })).toEqual([]);
  });

  it('a full cycle reads every assigned user by id and patches only what drifted, including a manager provisioned later', async () => {
    await start({ people: [{ key: 'alice', manager: 'boss' }, { key: 'boss' }] });
    const alice = await harness.run({ type: 'assignUser', user: 'alice' });
    expect(alice.map((exchange) => exchange.request.method)).toEqual(['GET', 'POST']);
    await harness.run({ type: 'assignUser', user: 'boss' });
    await targetRequest(harness, 'PATCH', `/Users/${userId('boss')}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'title', value: 'edited in the app' }] });

    const cycle = await harness.run({ type: 'syncCycle' });
    expect(cycle.map((exchange) => `${exchange.request.method} ${exchange.request.path}`)).toEqual([
      'GET /Users',
      'GET /Groups',
      `GET /Users/${userId('alice')}`,
      `PATCH /Users/${userId('alice')}`,
      `GET /Users/${userId('boss')}`,
      `PATCH /Users/${userId('boss')}`,
    ]);
    expect(JSON.parse(cycle[3]!.request.body!).Operations).toEqual([{ op: 'Add', path: `${ENTERPRISE}:manager`, value: userId('boss') }]);
    expect(JSON.parse(cycle[5]!.request.body!).Operations).toEqual([{ op: 'Replace', path: 'title', value: harness.directory.person('boss').title }]);

    const quiet = await harness.run({ type: 'syncCycle' });
    expect(quiet.every((exchange) => exchange.request.method === 'GET')).toBe(true);
  });

  it('a user deleted from the target behind Entra\'s back is matched and created again', async () => {
    await start({ people: [{ key: 'ada' }] });
    await harness.run({ type: 'assignUser', user: 'ada' });
    const old = userId('ada');
    await targetRequest(harness, 'DELETE', `/Users/${old}`);
    const sent = await harness.run({ type: 'updateUser', user: 'ada', changes: { title: 'CTO' } });
    expect(sent.map((exchange) => `${exchange.request.method} ${exchange.request.path} ${exchange.response.status}`)).toEqual([
      `GET /Users/${old} 404`,
      'GET /Users 200',
      'POST /Users 201',
    ]);
    expect(userId('ada')).not.toBe(old);
    expect(storedUser('ada')?.title).toBe('CTO');
  });

  it('importUsers is Account Discovery: GET /Users paged with startIndex and count until totalResults', async () => {
    await start();
    for (let i = 0; i < 205; i++) {
      await targetRequest(harness, 'POST', '/Users', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: `user${i}@example.com` });
    }
    const sent = await harness.run({ type: 'importUsers' });
    expect(DISCOVERY_PAGE_SIZE).toBe(100);
    expect(sent.map((exchange) => `${exchange.request.path}?${exchange.request.query}`)).toEqual([
      '/Users?startIndex=1&count=100',
      '/Users?startIndex=101&count=100',
      '/Users?startIndex=201&count=100',
    ]);
    expect(JSON.parse(sent[2]!.response.body!).Resources).toHaveLength(5);
  });

  it('importGroups is something Entra never sends', async () => {
    await start();
    await expect(harness.run({ type: 'importGroups' })).rejects.toBeInstanceOf(UnsupportedByIdp);
    expect(harness.exchanges).toEqual([]);
  });
});
