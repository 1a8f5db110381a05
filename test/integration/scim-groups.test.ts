import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, GROUP_SCHEMA, patchOp, startTestServer, user, type TestServer } from '../support/provider.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

async function newUser(name: string) {
  const reply = await server.scim('POST', '/Users', user(`${name}@example.com`, { displayName: name }));
  expect(reply.status).toBe(201);
  return reply.body.id as string;
}

async function newGroup(displayName: string, members: string[] = []) {
  const reply = await server.scim('POST', '/Groups', {
    schemas: [GROUP_SCHEMA],
    displayName,
    members: members.map((value) => ({ value })),
  });
  expect(reply.status).toBe(201);
  return reply.body;
}

describe('Groups and membership', () => {
  it('creates a group with members, filling type, display and $ref', async () => {
    const alice = await newUser('alice');
    const group = await newGroup('Engineering', [alice]);
    expect(group.members).toEqual([
      { value: alice, type: 'User', display: 'alice', $ref: `${server.base}/Users/${alice}` },
    ]);
    expect(group.meta.location).toBe(`${server.base}/Groups/${group.id}`);
  });

  it('refuses unknown members with 400 invalidValue and duplicate display names with 409', async () => {
    const unknown = await server.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Ghosts', members: [{ value: 'nobody' }] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.scimType).toBe('invalidValue');
    expect(unknown.body.detail).toContain('nobody');
    await newGroup('Unique Name');
    const dup = await server.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'unique name' });
    expect(dup.status).toBe(409);
    expect(dup.body.scimType).toBe('uniqueness');
  });

  it("derives the user's read-only groups, direct and indirect", async () => {
    const bob = await newUser('bob');
    const team = await newGroup('Team Bob', [bob]);
    const parent = await server.scim('POST', '/Groups', {
      schemas: [GROUP_SCHEMA],
      displayName: 'Division',
      members: [{ value: team.id, type: 'Group' }],
    });
    expect(parent.status).toBe(201);
    const fetched = await server.scim('GET', `/Users/${bob}`);
    expect(fetched.body.groups).toEqual([
      { value: team.id, $ref: `${server.base}/Groups/${team.id}`, display: 'Team Bob', type: 'direct' },
      { value: parent.body.id, $ref: `${server.base}/Groups/${parent.body.id}`, display: 'Division', type: 'indirect' },
    ]);
  });

  it('changes a user\'s ETag when its group membership changes', async () => {
    const carol = await newUser('carol');
    const before = await server.scim('GET', `/Users/${carol}`);
    const group = await newGroup('Carol Fans');
    await server.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: carol }] }));
    const after = await server.scim('GET', `/Users/${carol}`);
    expect(after.body.groups).toHaveLength(1);
    expect(after.headers.get('etag')).not.toBe(before.headers.get('etag'));
  });

  it('preconditions and 204s use the same ETag a GET shows, for users with groups and a manager', async () => {
    const boss = await newUser('version-boss');
    const created = await server.scim('POST', '/Users', user('versioned@example.com', { [ENTERPRISE]: { manager: { value: boss } } }));
    const erin = created.body.id as string;
    const group = await newGroup('Version Team', [erin]);
    const patched = await server.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'replace', path: 'displayName', value: 'Version Crew' }));
    expect(patched.status).toBe(204);
    const groupNow = await server.scim('GET', `/Groups/${group.id}`);
    expect(patched.headers.get('etag')).toBe(groupNow.headers.get('etag'));
    const erinNow = await server.scim('GET', `/Users/${erin}`);
    expect(erinNow.body.groups).toHaveLength(1);
    const etag = erinNow.headers.get('etag')!;
    expect(etag).toBe(erinNow.body.meta.version);
    expect((await server.scim('GET', `/Users/${erin}`, undefined, { 'if-none-match': etag })).status).toBe(304);
    const replace = patchOp({ op: 'replace', path: 'title', value: 'Lead' });
    expect((await server.scim('PATCH', `/Users/${erin}`, replace, { 'if-match': etag })).status).toBe(200);
  });

  it('PATCH on a group answers 204, or 200 with the group when attributes are asked for', async () => {
    const dave = await newUser('dave');
    const group = await newGroup('Dave Team');
    const plain = await server.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'Add', path: 'members', value: [{ $ref: null, value: dave }] }));
    expect(plain.status).toBe(204);
    expect(plain.headers.get('etag')).toMatch(/^W\//);
    const withBody = await server.scim(
      'PATCH',
      `/Groups/${group.id}?attributes=members`,
      patchOp({ op: 'replace', path: 'displayName', value: 'Dave Team 2' }),
    );
    expect(withBody.status).toBe(200);
    expect(withBody.body.members.map((m: { value: string }) => m.value)).toEqual([dave]);
    expect(withBody.body.displayName).toBeUndefined();
  });

  it('deleting a user removes it from every group', async () => {
    const erin = await newUser('erin');
    const frank = await newUser('frank');
    const g1 = await newGroup('Erin 1', [erin, frank]);
    const g2 = await newGroup('Erin 2', [erin]);
    expect((await server.scim('DELETE', `/Users/${erin}`)).status).toBe(204);
    const one = await server.scim('GET', `/Groups/${g1.id}`);
    expect(one.body.members.map((m: { value: string }) => m.value)).toEqual([frank]);
    const two = await server.scim('GET', `/Groups/${g2.id}`);
    expect(two.body.members).toBeUndefined();
    const byMember = await server.scim('GET', `/Groups?filter=${encodeURIComponent(`members.value eq "${erin}"`)}`);
    expect(byMember.body.totalResults).toBe(0);
  });

  it('deleting a group removes it from parent groups and from users\' groups', async () => {
    const gina = await newUser('gina');
    const child = await newGroup('Child', [gina]);
    const parent = await server.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Parent', members: [{ value: child.id }] });
    expect((await server.scim('DELETE', `/Groups/${child.id}`)).status).toBe(204);
    expect((await server.scim('GET', `/Groups/${parent.body.id}`)).body.members).toBeUndefined();
    expect((await server.scim('GET', `/Users/${gina}`)).body.groups).toBeUndefined();
  });

  it('a group cannot contain itself, and a PATCH adding an unknown member changes nothing', async () => {
    const group = await newGroup('Selfish');
    const self = await server.scim('PATCH', `/Groups/${group.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: group.id }] }));
    expect(self.status).toBe(400);
    const hank = await newUser('hank');
    const mixed = await server.scim(
      'PATCH',
      `/Groups/${group.id}`,
      patchOp({ op: 'add', path: 'members', value: [{ value: hank }, { value: 'ghost-id' }] }),
    );
    expect(mixed.status).toBe(400);
    expect(mixed.body.scimType).toBe('invalidValue');
    expect((await server.scim('GET', `/Groups/${group.id}`)).body.members).toBeUndefined();
  });

  it('excludedAttributes=members leaves the member list out', async () => {
    const ivan = await newUser('ivan');
    const group = await newGroup('Ivan Group', [ivan]);
    const reply = await server.scim('GET', `/Groups/${group.id}?excludedAttributes=members`);
    expect(reply.body.members).toBeUndefined();
    expect(reply.body.displayName).toBe('Ivan Group');
    expect(reply.body.id).toBe(group.id);
  });
});
