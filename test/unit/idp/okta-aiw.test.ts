/**
 * The `okta-aiw` profile (App Integration Wizard app) against the local provider: the same
 * lookups and create as OIN apps, but every write a PUT, groups with full member lists.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { GroupInput, PersonInput } from '../../../src-main/idp/people.js';
import { UnsupportedByIdp } from '../../../src-main/idp/profile.js';
import { oktaAiwProfile } from '../../../src-main/idp/profiles/okta-aiw.js';
import { OKTA_RATE_LIMIT_ARTICLE } from '../../../src-main/idp/profiles/okta-common.js';
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
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

const OTHER: PersonInput = { key: 'other', userName: 'other.user@okta.local', email: 'other.user@okta.local' };

let harness: ProfileHarness | undefined;
afterEach(async () => {
  await harness?.close();
  harness = undefined;
});

async function aiw(people: PersonInput[] = [TEST_USER], groups: GroupInput[] = []) {
  harness = await createProfileHarness({ profile: oktaAiwProfile, people, groups });
  onlyDocumentedAttributes(harness, 'test');
  return harness;
}

const json = (text: string | undefined) => JSON.parse(text ?? '') as Record<string, unknown>;

describe('okta-aiw users', () => {
  it('connects and creates exactly as an OIN app does', async () => {
    const h = await aiw();
    expect(requestLines(await h.run({ type: 'testConnection' }))).toEqual(['GET /Users?startIndex=1&count=2', 'GET /Groups?startIndex=1&count=100']);
    const sent = await h.run({ type: 'assignUser', user: 'test' });
    expect(requestLines(sent)).toEqual([`GET /Users?${documentedQuery(documentedRequest('user_exists_check'))}`, 'POST /Users']);
    const body = json(sent[1]!.request.body);
    expectDocumentedBody(sent[1]!, documentedRequest('create_user'), {
      [body['externalId'] as string]: '00ujl29u0le5T6Aj10h7',
      [body['password'] as string]: '1mz050nq',
    });
    expect(sent[1]!.request.headers).toEqual(documentedHeaders(true, AUTHORIZATION));
    expect(oktaAiwProfile.retryPolicy).toEqual({ honorRetryAfter: true, source: OKTA_RATE_LIMIT_ARTICLE });
  });

  it('deactivates and reactivates with GET then PUT of the full resource, never PATCH', async () => {
    const h = await aiw();
    await h.run({ type: 'assignUser', user: 'test' });
    const id = h.context.links.users['test']!.id;

    const deactivate = await h.run({ type: 'deactivateUser', user: 'test' });
    expect(requestLines(deactivate)).toEqual([`GET /Users/${id}`, `PUT /Users/${id}`]);
    expect(json(deactivate[1]!.request.body)).toEqual({ ...json(deactivate[0]!.response.body), active: false });
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['active']).toBe(false);

    const reactivate = await h.run({ type: 'reactivateUser', user: 'test' });
    expect(requestLines(reactivate)).toEqual([`GET /Users/${id}`, `PUT /Users/${id}`]);
    expect(json(reactivate[1]!.request.body)['active']).toBe(true);
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['active']).toBe(true);

    const unassign = await h.run({ type: 'unassignUser', user: 'test' });
    expect(unassign.map((e) => e.request.method)).toEqual(['GET', 'PUT']);
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['active']).toBe(false);
    expect(h.context.links.users['test']).toMatchObject({ assigned: false, active: false });
  });

  it('reactivates a matched inactive user within the PUT that merges the profile', async () => {
    const h = await aiw();
    const id = await existingUser(h, 'test.user@okta.local', { active: false });
    const sent = await h.run({ type: 'assignUser', user: 'test' });
    expect(requestLines(sent)).toEqual([
      'GET /Users?filter=userName%20eq%20%22test.user%40okta.local%22&startIndex=1&count=100',
      `GET /Users/${id}`,
      `PUT /Users/${id}`,
    ]);
    expect(json(sent[2]!.request.body)).toMatchObject({ id, active: true, name: { givenName: 'Test', familyName: 'User', middleName: 'Kept' } });
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body).toMatchObject({ active: true, displayName: 'Test User' });
  });

  it('updates a profile with GET then PUT, as OIN apps do', async () => {
    const h = await aiw();
    await h.run({ type: 'assignUser', user: 'test' });
    const id = h.context.links.users['test']!.id;
    const sent = await h.run({ type: 'updateUser', user: 'test', changes: { familyName: 'Renamed' } });
    expect(requestLines(sent)).toEqual([`GET /Users/${id}`, `PUT /Users/${id}`]);
    expect((await providerRequest(h, 'GET', `/Users/${id}`)).body['name']).toEqual({ givenName: 'Test', familyName: 'Renamed' });
  });

  it('never deletes a user', async () => {
    const h = await aiw();
    await expect(h.run({ type: 'deleteUser', user: 'test' })).rejects.toBeInstanceOf(UnsupportedByIdp);
    expect(h.exchanges).toHaveLength(0);
  });
});

describe('okta-aiw groups', () => {
  async function withGroup(members: string[]) {
    const h = await aiw([TEST_USER, OTHER], [{ key: 'scim', displayName: 'SCIM_test1', members }]);
    await h.run({ type: 'assignUser', user: 'test' });
    await h.run({ type: 'assignUser', user: 'other' });
    return { h, test: h.context.links.users['test']!.id, other: h.context.links.users['other']!.id };
  }

  it('pushes a group as lookup by displayName, POST, GET, then PUT with the full member list', async () => {
    const { h, test, other } = await withGroup(['test', 'other']);
    const sent = await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;
    expect(requestLines(sent)).toEqual([
      'GET /Groups?filter=displayName%20eq%20%22SCIM_test1%22&startIndex=1&count=100',
      'POST /Groups',
      `GET /Groups/${gid}`,
      `PUT /Groups/${gid}`,
    ]);
    expect(json(sent[1]!.request.body)).toEqual({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'SCIM_test1', members: [] });
    const documentedPut = documentedRequest('put_group');
    expect(sent[3]!.request.headers).toEqual(
      Object.entries(documentedPut.headers!)
        .filter(([name]) => !['Host', 'Connection'].includes(name))
        .map(([name, value]) => [name, name === 'Authorization' ? AUTHORIZATION : value]),
    );
    expectDocumentedBody(sent[3]!, documentedPut, {
      [gid]: '{id}',
      [test]: '978dc5c3d4aa4014a3678e9d30ef093a',
      'test.user@okta.local': 'bob@ad.oktatest.com',
      [other]: '54c76a50f48c42e38c10f350f8e6055e',
      'other.user@okta.local': 'pete@ad.oktatest.com',
    });
    const members = (await providerRequest(h, 'GET', `/Groups/${gid}`)).body['members'] as { value: string }[];
    expect(members.map((m) => m.value).sort()).toEqual([test, other].sort());
  });

  it('links a group the lookup finds instead of creating it', async () => {
    const { h } = await withGroup([]);
    const existing = await providerRequest(h, 'POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName: 'SCIM_test1' });
    const sent = await h.run({ type: 'pushGroup', group: 'scim' });
    expect(sent.map((e) => e.request.method)).toEqual(['GET', 'GET', 'PUT']);
    expect(h.context.links.groups['scim']!.id).toBe(existing.body['id']);
    expect(json(sent[2]!.request.body)['members']).toEqual([]);
  });

  it('sends renames and membership changes as one PUT of the whole group', async () => {
    const { h, test } = await withGroup(['test', 'other']);
    await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;

    const renamed = await h.run({ type: 'renameGroup', group: 'scim', displayName: 'Renamed' });
    expect(requestLines(renamed)).toEqual([`PUT /Groups/${gid}`]);
    expect(json(renamed[0]!.request.body)['displayName']).toBe('Renamed');

    const removed = await h.run({ type: 'removeMembers', group: 'scim', users: ['other'] });
    expect(requestLines(removed)).toEqual([`PUT /Groups/${gid}`]);
    expect(json(removed[0]!.request.body)['members']).toEqual([{ value: test, display: 'test.user@okta.local' }]);
    const stored = (await providerRequest(h, 'GET', `/Groups/${gid}`)).body;
    expect(stored['displayName']).toBe('Renamed');
    expect((stored['members'] as { value: string }[]).map((m) => m.value)).toEqual([test]);

    const added = await h.run({ type: 'addMembers', group: 'scim', users: ['other'] });
    expect((json(added[0]!.request.body)['members'] as unknown[]).length).toBe(2);

    expect(h.exchanges.some((e) => e.request.method === 'PATCH')).toBe(false);
  });

  it('deletes the group with DELETE', async () => {
    const { h } = await withGroup([]);
    await h.run({ type: 'pushGroup', group: 'scim' });
    const gid = h.context.links.groups['scim']!.id;
    expect(requestLines(await h.run({ type: 'deleteGroup', group: 'scim' }))).toEqual([`DELETE /Groups/${gid}`]);
    expect((await providerRequest(h, 'GET', `/Groups/${gid}`)).status).toBe(404);
  });
});
