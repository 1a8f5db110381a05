/**
 * The directory model: indexes, cascade, events, import/export/reset. Each test runs in memory
 * and on real files in a temp dir, where it also checks the state survives a reopen: after a
 * clean close (state from the compacted snapshot) and from a copy of the files taken while the
 * store was still open (state replayed from the journal, as after a crash).
 */
import { copyFile, mkdir, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredMember, StoredResource } from '../../../src-main/scim/resource.js';
import { type CommitEvent, DirectoryStore, type StoreOptions } from '../../../src-main/store/directory-store.js';

const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const CREATED = '2025-01-01T00:00:00.000Z';

function user(id: string, userName: string, extra: Record<string, string | boolean> = {}, revision = 1): StoredResource {
  return {
    schemas: [USER_SCHEMA],
    id,
    userName,
    ...extra,
    meta: { resourceType: 'User', created: CREATED, lastModified: CREATED, revision },
  };
}

function group(id: string, displayName: string, members: string[], extra: Record<string, string> = {}, revision = 1): StoredResource {
  const resource: StoredResource = {
    schemas: [GROUP_SCHEMA],
    id,
    displayName,
    ...extra,
    meta: { resourceType: 'Group', created: CREATED, lastModified: CREATED, revision },
  };
  if (members.length > 0) resource.members = members.map((value): StoredMember => ({ value, type: value.startsWith('g') ? 'Group' : 'User' }));
  return resource;
}

const memberValues = (resource: StoredResource | undefined): string[] =>
  Array.isArray(resource?.members) ? resource.members.map((member) => (member as StoredMember).value) : [];

const ids = (resources: Iterable<StoredResource>): string[] => [...resources].map((resource) => resource.id);

const modes = ['memory', 'file', 'journal'] as const;

describe.each(modes)('DirectoryStore (%s)', (mode) => {
  let dir: string;
  let store: DirectoryStore;
  const fixedNow = new Date('2025-06-01T12:00:00.000Z');

  let file: string;
  const options = (): StoreOptions => (mode === 'memory' ? { now: () => fixedNow } : { file, now: () => fixedNow });

  let copies = 0;

  /** For file modes: reopen, so every assertion after it is about what was on disk. */
  async function reopened(): Promise<DirectoryStore> {
    if (mode === 'memory') return store;
    if (mode === 'file') {
      await store.close();
      store = await DirectoryStore.open(options());
      return store;
    }
    // 'journal': copy the files of the open store (what a crash would leave) and open the copy.
    const from = dirname(file);
    const copy = join(dir, `copy-${++copies}`);
    await mkdir(copy);
    for (const name of await readdir(from)) {
      if (name.startsWith('scimulator.json') && !name.endsWith('.lock')) await copyFile(join(from, name), join(copy, name));
    }
    await store.close();
    file = join(copy, 'scimulator.json');
    // Tiny reads: every line straddles reads, exercising the streaming parser's seams.
    store = await DirectoryStore.open({ ...options(), readBufferBytes: 61 });
    return store;
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-store-'));
    file = join(dir, 'scimulator.json');
    store = await DirectoryStore.open(options());
  });

  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('gets, counts and iterates in creation order; a replace keeps its place', async () => {
    await store.commit([{ op: 'put', resource: user('u1', 'alice') }]);
    await store.commit([{ op: 'put', resource: user('u2', 'bob') }, { op: 'put', resource: user('u3', 'carol') }]);
    await store.commit([{ op: 'put', resource: user('u1', 'alice', { title: 'Boss' }, 2) }]);
    await store.commit([{ op: 'delete', type: 'User', id: 'u2' }]);
    await store.commit([{ op: 'put', resource: user('u2', 'bob') }]);
    for (const current of [store, await reopened()]) {
      expect(ids(current.all('User'))).toEqual(['u1', 'u3', 'u2']);
      expect(current.count('User')).toBe(3);
      expect(current.count('Group')).toBe(0);
      expect(current.get('User', 'u1')?.title).toBe('Boss');
      expect(current.get('User', 'u1')?.meta.revision).toBe(2);
      expect(current.get('Group', 'u1')).toBeUndefined();
    }
  });

  it('makes a commit visible as soon as commit() returns, before it is durable', () => {
    const durable = store.commit([{ op: 'put', resource: user('u1', 'alice') }]);
    expect(store.get('User', 'u1')?.userName).toBe('alice');
    return durable;
  });

  it('keeps the userName index case-insensitive and correct across renames and deletes', async () => {
    await store.commit([{ op: 'put', resource: user('u1', 'Alice@Example.com') }, { op: 'put', resource: user('u2', 'bob') }]);
    expect(store.findUserByUserName('alice@example.COM')?.id).toBe('u1');
    await store.commit([{ op: 'put', resource: user('u1', 'alice.smith@example.com', {}, 2) }]);
    for (const current of [store, await reopened()]) {
      expect(current.findUserByUserName('Alice@Example.com')).toBeUndefined();
      expect(current.findUserByUserName('ALICE.SMITH@example.com')?.id).toBe('u1');
      expect(current.findUserByUserName('BOB')?.id).toBe('u2');
    }
    await store.commit([{ op: 'delete', type: 'User', id: 'u2' }]);
    expect(store.findUserByUserName('bob')).toBeUndefined();
    // The name is free again for a new user.
    await store.commit([{ op: 'put', resource: user('u9', 'Bob') }]);
    expect((await reopened()).findUserByUserName('bob')?.id).toBe('u9');
  });

  it('indexes externalId per type, case-exact, returning every holder', async () => {
    await store.commit([
      { op: 'put', resource: user('u1', 'a', { externalId: 'X-1' }) },
      { op: 'put', resource: user('u2', 'b', { externalId: 'X-1' }) },
      { op: 'put', resource: user('u3', 'c', { externalId: 'x-1' }) },
      { op: 'put', resource: group('g1', 'G', [], { externalId: 'X-1' }) },
    ]);
    expect(ids(store.findByExternalId('User', 'X-1'))).toEqual(['u1', 'u2']);
    expect(ids(store.findByExternalId('User', 'x-1'))).toEqual(['u3']);
    expect(ids(store.findByExternalId('Group', 'X-1'))).toEqual(['g1']);
    await store.commit([{ op: 'put', resource: user('u1', 'a', { externalId: 'Y' }, 2) }]);
    await store.commit([{ op: 'put', resource: user('u2', 'b', {}, 2) }]);
    for (const current of [store, await reopened()]) {
      expect(current.findByExternalId('User', 'X-1')).toEqual([]);
      expect(ids(current.findByExternalId('User', 'Y'))).toEqual(['u1']);
      expect(ids(current.findByExternalId('Group', 'X-1'))).toEqual(['g1']);
    }
  });

  it('indexes group displayName case-insensitively and membership in both directions', async () => {
    await store.commit([
      { op: 'put', resource: user('u1', 'a') },
      { op: 'put', resource: user('u2', 'b') },
      { op: 'put', resource: group('g1', 'Engineering', ['u1', 'u2']) },
      { op: 'put', resource: group('g2', 'All Staff', ['u1', 'g1']) },
    ]);
    expect(store.findGroupByDisplayName('engineering')?.id).toBe('g1');
    expect([...store.groupIdsOf('u1')].sort()).toEqual(['g1', 'g2']);
    expect([...store.groupIdsOf('g1')]).toEqual(['g2']);
    // Rename g1, and move u2 out of g1 and into g2.
    await store.commit([{ op: 'put', resource: group('g1', 'R&D', ['u1'], {}, 2) }]);
    await store.commit([{ op: 'put', resource: group('g2', 'All Staff', ['u1', 'g1', 'u2'], {}, 2) }]);
    for (const current of [store, await reopened()]) {
      expect(current.findGroupByDisplayName('Engineering')).toBeUndefined();
      expect(current.findGroupByDisplayName('r&d')?.id).toBe('g1');
      expect([...current.groupIdsOf('u2')]).toEqual(['g2']);
      expect([...current.groupIdsOf('u1')].sort()).toEqual(['g1', 'g2']);
      expect(current.groupIdsOf('nobody').size).toBe(0);
    }
  });

  it("answers a group's parents from its own index, also for a group listed before it existed", async () => {
    // g1 lists g2 before g2 is stored (as a file being loaded can); g3 lists g2 afterwards.
    await store.commit([{ op: 'put', resource: group('g1', 'Parent', ['g2']) }]);
    await store.commit([{ op: 'put', resource: group('g2', 'Child', []) }]);
    await store.commit([{ op: 'put', resource: group('g3', 'Other parent', ['g2']) }]);
    for (const current of [store, await reopened()]) {
      expect([...current.parentGroupIdsOf('g2')].sort()).toEqual(['g1', 'g3']);
      expect(current.parentGroupIdsOf('g1').size).toBe(0);
    }
    await store.commit([{ op: 'delete', type: 'Group', id: 'g1' }]);
    expect([...store.parentGroupIdsOf('g2')]).toEqual(['g3']);
    await store.commit([{ op: 'delete', type: 'Group', id: 'g2' }]);
    expect(store.parentGroupIdsOf('g2').size).toBe(0);
  });

  it('cascades a user delete into every group that lists it, as new revisions', async () => {
    await store.commit([
      { op: 'put', resource: user('u1', 'a') },
      { op: 'put', resource: user('u2', 'b') },
      { op: 'put', resource: group('g1', 'One', ['u1', 'u2']) },
      { op: 'put', resource: group('g2', 'Two', ['u1']) },
      { op: 'put', resource: group('g3', 'Three', ['u2']) },
    ]);
    const events: CommitEvent[] = [];
    store.subscribe((event) => events.push(event));
    await store.commit([{ op: 'delete', type: 'User', id: 'u1' }], { exchange: 41 });
    // One event for the commit, naming the cascade's groups too, and what caused it.
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ seq: store.stats.seq, exchange: 41 });
    expect(events[0]!.changes.map((change) => `${change.op} ${change.type} ${change.id}`).sort()).toEqual([
      'delete User u1',
      'put Group g1',
      'put Group g2',
    ]);
    for (const current of [store, await reopened()]) {
      expect(current.get('User', 'u1')).toBeUndefined();
      expect(memberValues(current.get('Group', 'g1'))).toEqual(['u2']);
      expect(current.get('Group', 'g1')?.meta).toMatchObject({ revision: 2, lastModified: fixedNow.toISOString() });
      // The last member gone: the attribute is unassigned, not an empty array.
      expect(current.get('Group', 'g2')?.members).toBeUndefined();
      expect(current.get('Group', 'g2')?.meta.revision).toBe(2);
      expect(current.get('Group', 'g3')?.meta.revision).toBe(1);
      expect(current.groupIdsOf('u1').size).toBe(0);
      expect([...current.groupIdsOf('u2')].sort()).toEqual(['g1', 'g3']);
    }
  });

  it('cascades a group delete into its parent groups and forgets its own memberships', async () => {
    await store.commit([
      { op: 'put', resource: user('u1', 'a') },
      { op: 'put', resource: group('g1', 'Child', ['u1']) },
      { op: 'put', resource: group('g2', 'Parent', ['g1', 'u1']) },
    ]);
    await store.commit([{ op: 'delete', type: 'Group', id: 'g1' }]);
    for (const current of [store, await reopened()]) {
      expect(memberValues(current.get('Group', 'g2'))).toEqual(['u1']);
      expect([...current.groupIdsOf('u1')]).toEqual(['g2']);
      expect(current.groupIdsOf('g1').size).toBe(0);
      expect(current.findGroupByDisplayName('child')).toBeUndefined();
    }
  });

  it('ignores a delete of a resource that is not there', async () => {
    const events: CommitEvent[] = [];
    store.subscribe((event) => events.push(event));
    await store.commit([{ op: 'delete', type: 'User', id: 'ghost' }]);
    expect(events).toEqual([]);
  });

  it('rejects a malformed change and changes nothing', async () => {
    await store.commit([{ op: 'put', resource: user('u1', 'a') }]);
    const broken = { ...user('u2', 'b'), meta: { resourceType: 'Widget' } } as unknown as StoredResource;
    await expect(store.commit([{ op: 'put', resource: user('u3', 'c') }, { op: 'put', resource: broken }])).rejects.toThrow(
      /resourceType/,
    );
    expect(store.count('User')).toBe(1);
    // The store keeps working.
    await store.commit([{ op: 'put', resource: user('u4', 'd') }]);
    expect(ids((await reopened()).all('User'))).toEqual(['u1', 'u4']);
  });

  it('emits one event per commit once durable; a listener that throws does not fail the commit; unsubscribe works', async () => {
    const errors: Error[] = [];
    await store.close();
    store = await DirectoryStore.open({ ...options(), onError: (error) => errors.push(error) });
    const events: CommitEvent[] = [];
    const stop = store.subscribe((event) => events.push(event));
    store.subscribe(() => {
      throw new Error('listener bug');
    });
    const alice = user('u1', 'a');
    const committed = store.commit([{ op: 'put', resource: alice }, { op: 'put', resource: user('u2', 'b') }]);
    // Visible to reads at once, but not announced before it is on disk.
    expect(store.get('User', 'u1')).toBeDefined();
    expect(events).toEqual([]);
    await committed;
    expect(events).toEqual([
      {
        seq: store.stats.seq,
        changes: [
          { op: 'put', type: 'User', id: 'u1' },
          { op: 'put', type: 'User', id: 'u2' },
        ],
      },
    ]);
    expect(errors.map((error) => error.message)).toEqual(['listener bug']);
    stop();
    await store.commit([{ op: 'delete', type: 'User', id: 'u1' }]);
    expect(events).toHaveLength(1);
  });

  it('keeps settings across reset and reopen', async () => {
    await store.setSetting('strictness', 'rfc');
    await store.setSetting('strictness', 'lenient');
    await store.setSetting('baseUrl', 'http://localhost:8080');
    expect(store.settings).toEqual({ strictness: 'lenient', baseUrl: 'http://localhost:8080' });
    expect(Object.isFrozen(store.settings)).toBe(true);
    await store.commit([{ op: 'put', resource: user('u1', 'a') }]);
    await store.reset();
    for (const current of [store, await reopened()]) {
      expect(current.count('User')).toBe(0);
      expect(current.findUserByUserName('a')).toBeUndefined();
      expect(current.settings).toEqual({ strictness: 'lenient', baseUrl: 'http://localhost:8080' });
    }
  });

  it('exports and imports the whole directory, replacing what was there', async () => {
    await store.commit([{ op: 'put', resource: user('old', 'old') }, { op: 'put', resource: group('gold', 'Old', ['old']) }]);
    const document = {
      users: [user('u1', 'alice', { externalId: 'E1' }), user('u2', 'bob')],
      groups: [group('g1', 'Admins', ['u1', 'u2'])],
    };
    const events: CommitEvent[] = [];
    store.subscribe((event) => events.push(event));
    await store.importDocument(document);
    // One event: the directory was cleared, then these were put.
    expect(events).toEqual([
      {
        seq: store.stats.seq,
        cleared: true,
        changes: [
          { op: 'put', type: 'User', id: 'u1' },
          { op: 'put', type: 'User', id: 'u2' },
          { op: 'put', type: 'Group', id: 'g1' },
        ],
      },
    ]);
    // The store copied the document: the caller may keep using its objects.
    document.users[0].userName = 'mallory';
    for (const current of [store, await reopened()]) {
      expect(current.exportDocument()).toEqual({
        users: [user('u1', 'alice', { externalId: 'E1' }), user('u2', 'bob')],
        groups: [group('g1', 'Admins', ['u1', 'u2'])],
      });
      expect(current.get('User', 'old')).toBeUndefined();
      expect(current.findUserByUserName('ALICE')?.id).toBe('u1');
      expect(ids(current.findByExternalId('User', 'E1'))).toEqual(['u1']);
      expect([...current.groupIdsOf('u2')]).toEqual(['g1']);
      expect(current.groupIdsOf('old').size).toBe(0);
    }
  });

  it('refuses a bad import document with a clear error and changes nothing', async () => {
    await store.commit([{ op: 'put', resource: user('u1', 'alice') }]);
    const bad: unknown[] = [
      null,
      { users: 'nope', groups: [] },
      { users: [user('u1', 'a'), user('u1', 'b')], groups: [] },
      { users: [group('g1', 'G', [])], groups: [] },
      { users: [], groups: [{ ...group('g1', 'G', []), members: [{ type: 'User' }] }] },
      { users: [{ id: 'x' }], groups: [] },
    ];
    for (const document of bad) {
      await expect(store.importDocument(document as never)).rejects.toThrow(/Cannot import the directory document/);
    }
    expect(ids((await reopened()).all('User'))).toEqual(['u1']);
  });
});
