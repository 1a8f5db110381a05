/**
 * Durability on real files in a temp dir: the file format, replay, torn and corrupt files,
 * group commit, member deltas, compaction (including writes during it) and write failures.
 *
 * "Crash images" are copies of the store's files taken while it is open: everything a commit
 * acknowledged is in them (it was fdatasync'ed), and opening the copy is what a restart after
 * kill -9 does. The real kill -9 test is test/integration/store-crash.test.ts.
 */
import { existsSync } from 'node:fs';
import { appendFile, copyFile, mkdir, mkdtemp, readFile, readdir, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import fc from 'fast-check';
import { JSONFile } from 'lowdb/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { StoredMember, StoredResource } from '../../../src-main/scim/resource.js';
import {
  type CompactionPhase,
  DirectoryStore,
  type StoreOptions,
  StoreFailedError,
  StoreOpenError,
} from '../../../src-main/store/directory-store.js';

const CREATED = '2025-01-01T00:00:00.000Z';

function user(id: string, extra: Record<string, string> = {}, revision = 1): StoredResource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id,
    userName: `${id}@example.com`,
    displayName: `User ${id}`,
    ...extra,
    meta: { resourceType: 'User', created: CREATED, lastModified: CREATED, revision },
  };
}

function group(id: string, members: readonly string[], revision = 1): StoredResource {
  return {
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'],
    id,
    displayName: `Group ${id}`,
    members: members.map((value): StoredMember => ({ value, type: 'User', display: `User ${value}` })),
    meta: { resourceType: 'Group', created: CREATED, lastModified: CREATED, revision },
  };
}

const memberValues = (resource: StoredResource | undefined): string[] =>
  Array.isArray(resource?.members) ? resource.members.map((member) => (member as StoredMember).value) : [];

let dir: string;
let file: string;
let journalPath: string;
const open: DirectoryStore[] = [];

async function openStore(options: Partial<StoreOptions> = {}, at = file): Promise<DirectoryStore> {
  const store = await DirectoryStore.open({ file: at, ...options });
  open.push(store);
  return store;
}

let images = 0;
/** Copies the files of an open store, as a crash would leave them; returns the copy's path. */
async function crashImage(of = file): Promise<string> {
  const copy = join(dir, `image-${++images}`);
  await mkdir(copy);
  for (const entry of await readdir(dirname(of), { withFileTypes: true })) {
    // The lock names this (live) process; after a real crash it would name a dead one.
    if (entry.isFile() && entry.name.startsWith(basename(of)) && !entry.name.endsWith('.lock')) await copyFile(join(dirname(of), entry.name), join(copy, entry.name));
  }
  return join(copy, basename(of));
}

async function bytesOf(path: string): Promise<Buffer | undefined> {
  return existsSync(path) ? readFile(path) : undefined;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-durability-'));
  file = join(dir, 'scimulator.json');
  journalPath = `${file}.journal`;
});

afterEach(async () => {
  for (const store of open.splice(0)) await store.close().catch(() => undefined);
  await rm(dir, { recursive: true, force: true });
});

describe('file format', () => {
  it('creates a lowdb JSON snapshot and an empty journal when missing', async () => {
    await openStore();
    const snapshot = await new JSONFile<Record<string, unknown>>(file).read();
    expect(snapshot).toEqual({ format: 'scimulator-directory', version: 1, journalSeq: 0, settings: {}, users: [], groups: [] });
    expect((await stat(journalPath)).size).toBe(0);
  });

  it('journals one JSON line per commit with consecutive seqs, and a reopen replays them', async () => {
    const store = await openStore();
    await store.commit([{ op: 'put', resource: user('u1') }, { op: 'put', resource: user('u2') }]);
    await store.commit([{ op: 'delete', type: 'User', id: 'u1' }]);
    await store.setSetting('mode', 'strict');
    const lines = (await readFile(journalPath, 'utf8')).split('\n');
    expect(lines.pop()).toBe('');
    const records = lines.map((line) => JSON.parse(line) as { seq: number; ops: { op: string }[] });
    expect(records.map((record) => record.seq)).toEqual([1, 2, 3]);
    expect(records.map((record) => record.ops.map((op) => op.op))).toEqual([['put', 'put'], ['delete'], ['setting']]);

    const reopened = await openStore({}, await crashImage());
    expect([...reopened.all('User')].map((resource) => resource.id)).toEqual(['u2']);
    expect(reopened.settings).toEqual({ mode: 'strict' });
    expect(reopened.stats.seq).toBe(3);
  });

  it('writes a snapshot any JSON reader can load, and reads a pretty-printed one back', async () => {
    const store = await openStore();
    await store.importDocument({ users: [user('u1'), user('u2')], groups: [group('g1', ['u1'])] });
    await store.setSetting('k', 'v');
    await store.close();
    const lowdb = (await new JSONFile<Record<string, unknown>>(file).read()) as Record<string, unknown>;
    expect(lowdb).toMatchObject({ format: 'scimulator-directory', version: 1, journalSeq: 2, settings: { k: 'v' } });
    expect(lowdb.users).toEqual([user('u1'), user('u2')]);
    // A hand-edited, indented file (lowdb's own JSONFile layout) opens too.
    await writeFile(file, JSON.stringify(lowdb, null, 2));
    const reopened = await openStore();
    expect(reopened.exportDocument()).toEqual({ users: [user('u1'), user('u2')], groups: [group('g1', ['u1'])] });
  });
});

describe('damaged files', () => {
  /**
   * Leaves u1-u3 in the snapshot and u4-u6 in the journal (seq 4-6), as a crash would, and
   * points `file` at those files.
   */
  async function populated(): Promise<void> {
    const store = await openStore();
    for (const id of ['u1', 'u2', 'u3']) await store.commit([{ op: 'put', resource: user(id) }]);
    await store.compact();
    for (const id of ['u4', 'u5', 'u6']) await store.commit([{ op: 'put', resource: user(id) }]);
    file = await crashImage();
    journalPath = `${file}.journal`;
  }

  it('ignores a torn final line, cuts it off, and appends after it', async () => {
    await populated();
    await appendFile(journalPath, '{"seq":7,"ops":[{"op":"put","type":"User","resource":{"id":"u7"');
    const store = await openStore();
    expect(store.count('User')).toBe(6);
    expect(store.get('User', 'u7')).toBeUndefined();
    expect(store.stats.tornBytesDropped).toBeGreaterThan(40);
    await store.commit([{ op: 'put', resource: user('u7') }]);
    const text = await readFile(journalPath, 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { seq: number }).seq)).toEqual([4, 5, 6, 7]);
    const reopened = await openStore({}, await crashImage());
    expect(reopened.get('User', 'u7')?.id).toBe('u7');
  });

  it('ignores an unterminated final line whatever it holds (zeros from a crash while the file grew)', async () => {
    await populated();
    await appendFile(journalPath, Buffer.alloc(40));
    const store = await openStore();
    expect(store.count('User')).toBe(6);
    expect(store.stats.seq).toBe(6);
    expect(store.stats.tornBytesDropped).toBe(40);
  });

  it.each([
    ['garbage', (last: string) => last.slice(0, 30)],
    ['zeros', (last: string) => '\0'.repeat(last.length)],
    ['a record missing its ops', () => '{"seq":6}'],
  ])('refuses a complete last line that is %s: an acknowledged record is never dropped silently', async (_name, damage) => {
    await populated();
    const lines = (await readFile(journalPath, 'utf8')).split('\n');
    expect(lines.at(-1)).toBe('');
    lines[2] = damage(lines[2]);
    await writeFile(journalPath, lines.join('\n'));
    const before = [await bytesOf(file), await bytesOf(journalPath)];
    // Default reads see the line in a run of lines; 16-byte reads see it spanning two reads.
    for (const readBufferBytes of [undefined, 16]) {
      const error = await DirectoryStore.open({ file, readBufferBytes }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreOpenError);
      expect(error).toMatchObject({ file: journalPath, line: 3 });
      expect((error as Error).message).toContain(`${journalPath} line 3: `);
    }
    expect([await bytesOf(file), await bytesOf(journalPath)]).toEqual(before);
  });

  it('refuses a corrupt line that is not the last, naming the file and line, and leaves both files unchanged', async () => {
    await populated();
    const lines = (await readFile(journalPath, 'utf8')).split('\n');
    lines[1] = lines[1].slice(0, 40);
    await writeFile(journalPath, lines.join('\n'));
    const before = [await bytesOf(file), await bytesOf(journalPath)];
    const error = await DirectoryStore.open({ file }).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error).toMatchObject({ file: journalPath, line: 2 });
    expect((error as Error).message).toContain(journalPath);
    expect((error as Error).message).toMatch(/line 2: not valid JSON/);
    expect([await bytesOf(file), await bytesOf(journalPath)]).toEqual(before);
  });

  it('refuses a corrupt snapshot, naming the file and line, and leaves both files unchanged', async () => {
    await populated();
    const text = await readFile(file, 'utf8');
    // Damage the second user line of the snapshot (line 3 of the file).
    const lines = text.split('\n');
    lines[2] = lines[2].replace('"id"', '"id');
    await writeFile(file, lines.join('\n'));
    const before = [await bytesOf(file), await bytesOf(journalPath)];
    const error = await DirectoryStore.open({ file }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error).toMatchObject({ file, line: 3 });
    expect((error as Error).message).toMatch(/not valid JSON/);
    expect([await bytesOf(file), await bytesOf(journalPath)]).toEqual(before);
  });

  it('names the exact line of damage deep in a large snapshot, read in many runs of lines', async () => {
    const store = await openStore();
    // ~1.2 MB of resource lines: many parse runs (about 64 KB each) inside one 8 MB read.
    const users = Array.from({ length: 4000 }, (_, index) => user(`u${index}`, { title: 'y'.repeat(250) }));
    await store.importDocument({ users, groups: [] });
    await store.close();
    const intact = await openStore({}, file);
    expect(intact.count('User')).toBe(4000);
    expect(intact.get('User', 'u3999')?.title).toBe('y'.repeat(250));
    await intact.close();
    const lines = (await readFile(file, 'utf8')).split('\n');
    const damaged = lines.findIndex((line) => line.includes('"id":"u3210"'));
    lines[damaged] = lines[damaged]!.replace('"id"', '"id');
    await writeFile(file, lines.join('\n'));
    const error = await DirectoryStore.open({ file }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error).toMatchObject({ file, line: damaged + 1 });
  });

  it.each([
    ['a truncated snapshot', (text: string) => text.slice(0, text.length / 2), /not valid JSON|ends before/],
    ['an empty snapshot', () => '', /empty/],
    ['another format', () => JSON.stringify({ format: 'other', users: [] }), /"format" is "other"/],
    ['a newer version', (text: string) => text.replace('"version":1', '"version":2'), /"version" is 2; this build reads version 1/],
    ['a duplicate id', (text: string) => text.replace('"id":"u2"', '"id":"u1"'), /users\[1\] repeats id u1/],
  ])('refuses %s without touching it', async (_name, damage, message) => {
    await populated();
    await writeFile(file, damage(await readFile(file, 'utf8')));
    const before = [await bytesOf(file), await bytesOf(journalPath)];
    const error = await DirectoryStore.open({ file }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).toMatch(message);
    expect([await bytesOf(file), await bytesOf(journalPath)]).toEqual(before);
  });

  it('refuses a journal whose records do not follow the snapshot (missing records)', async () => {
    await populated();
    // The snapshot is lost: the journal starts at seq 4, so records 1-3 are nowhere.
    await rm(file);
    const before = await bytesOf(journalPath);
    const error = await DirectoryStore.open({ file }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(/line 1: seq 4 follows seq 0: records are missing/);
    expect(await bytesOf(journalPath)).toEqual(before);
    expect(existsSync(file)).toBe(false);
  });
});

describe('group commit', () => {
  it('acknowledges 200 concurrent commits with far fewer fsyncs, all durable', async () => {
    const store = await openStore();
    const before = store.stats.fsyncs;
    await Promise.all(Array.from({ length: 200 }, (_, index) => store.commit([{ op: 'put', resource: user(`u${index}`) }])));
    const fsyncs = store.stats.fsyncs - before;
    expect(store.stats.records).toBe(200);
    expect(fsyncs).toBeGreaterThanOrEqual(1);
    expect(fsyncs).toBeLessThanOrEqual(5);
    const reopened = await openStore({}, await crashImage());
    expect(reopened.count('User')).toBe(200);
  });

  it('batches commits that arrive while an fsync is in flight', async () => {
    const store = await openStore();
    const commits: Promise<void>[] = [];
    // One commit per macrotask: no two share a tick, so only the in-flight fsync can batch them.
    for (let index = 0; index < 200; index++) {
      commits.push(store.commit([{ op: 'put', resource: user(`u${index}`) }]));
      await new Promise((resolve) => setImmediate(resolve));
    }
    await Promise.all(commits);
    expect(store.stats.records).toBe(200);
    expect(store.stats.fsyncs).toBeLessThan(200);
    expect((await openStore({}, await crashImage())).count('User')).toBe(200);
  });

  it('resolves an empty commit only after earlier commits are durable', async () => {
    const store = await openStore();
    const order: string[] = [];
    const first = store.commit([{ op: 'put', resource: user('u1') }]).then(() => order.push('put'));
    const barrier = store.commit([]).then(() => order.push('barrier'));
    await Promise.all([first, barrier]);
    expect(order).toEqual(['put', 'barrier']);
  });
});

describe('group member deltas', () => {
  it('journals a one-member change to a 5,000-member group in a few hundred bytes', async () => {
    const store = await openStore();
    const ids = Array.from({ length: 5000 }, (_, index) => `user-${String(index).padStart(5, '0')}`);
    await store.commit([{ op: 'put', resource: group('big', ids) }]);
    const fullBytes = store.stats.journalBytes;
    expect(fullBytes).toBeGreaterThan(200_000);

    const measure = async (next: StoredResource): Promise<number> => {
      const start = store.stats.journalBytes;
      await store.commit([{ op: 'put', resource: next }]);
      return store.stats.journalBytes - start;
    };
    const current = store.get('Group', 'big') as StoredResource;
    const members = current.members as StoredMember[];
    // Add one (as a PATCH add does: same member objects plus one new).
    const added = { ...current, members: [...members, { value: 'newcomer', type: 'User' }], meta: { ...current.meta, revision: 2 } };
    expect(await measure(added)).toBeLessThan(600);
    // Remove one.
    const removed = { ...added, members: added.members.filter((member) => member.value !== 'user-02500'), meta: { ...current.meta, revision: 3 } };
    expect(await measure(removed)).toBeLessThan(600);
    // Rename the group without touching members (a new but equal list, as a PUT would send).
    const renamed = { ...removed, displayName: 'Renamed', members: removed.members.map((member) => ({ ...member })), meta: { ...current.meta, revision: 4 } };
    expect(await measure(renamed)).toBeLessThan(600);
    // Edit one member's display in place.
    const edited = {
      ...renamed,
      members: renamed.members.map((member) => (member.value === 'user-00007' ? { ...member, display: 'Seven' } : member)),
      meta: { ...current.meta, revision: 5 },
    };
    expect(await measure(edited)).toBeLessThan(600);
    // Deleting a member cascades as a delta as well.
    await store.commit([{ op: 'put', resource: user('user-00001') }]);
    const beforeDelete = store.stats.journalBytes;
    await store.commit([{ op: 'delete', type: 'User', id: 'user-00001' }]);
    expect(store.stats.journalBytes - beforeDelete).toBeLessThan(600);

    for (const reopened of [await openStore({}, await crashImage()), store]) {
      const big = reopened.get('Group', 'big');
      expect(big).toMatchObject({ displayName: 'Renamed', meta: { revision: 6 } });
      const expected = ids.filter((id) => id !== 'user-02500' && id !== 'user-00001').concat('newcomer');
      expect(memberValues(big)).toEqual(expected);
      expect((big?.members as StoredMember[]).find((member) => member.value === 'user-00007')?.display).toBe('Seven');
      expect([...reopened.groupIdsOf('newcomer')]).toEqual(['big']);
      expect(reopened.groupIdsOf('user-02500').size).toBe(0);
      expect(reopened.findGroupByDisplayName('renamed')?.id).toBe('big');
      // Key order survives the delta replay.
      expect(Object.keys(big as StoredResource)).toEqual(['schemas', 'id', 'displayName', 'members', 'meta']);
    }
  });

  it('journals a reorder as a full put and still replays it exactly', async () => {
    const store = await openStore();
    await store.commit([{ op: 'put', resource: group('g', ['a', 'b', 'c']) }]);
    await store.commit([{ op: 'put', resource: group('g', ['c', 'b', 'a'], 2) }]);
    expect(memberValues((await openStore({}, await crashImage())).get('Group', 'g'))).toEqual(['c', 'b', 'a']);
  });
});

describe('compaction', () => {
  /** Resolves at the next time the store reports `phase`. */
  function phaseWaiter(): { options: Partial<StoreOptions>; next: (phase: CompactionPhase) => Promise<void> } {
    const waiting: { phase: CompactionPhase; resolve: () => void }[] = [];
    return {
      options: {
        onCompaction: (phase) => {
          for (const entry of waiting.filter((item) => item.phase === phase)) {
            waiting.splice(waiting.indexOf(entry), 1);
            entry.resolve();
          }
        },
      },
      next: (phase) => new Promise<void>((resolve) => waiting.push({ phase, resolve })),
    };
  }

  it('compacts once the journal outgrows max(minimum, snapshot) and keeps everything', async () => {
    const waiter = phaseWaiter();
    const store = await openStore({ compactionMinBytes: 8 * 1024, ...waiter.options });
    const finished = waiter.next('finished');
    for (let index = 0; index < 100; index++) {
      await store.commit([{ op: 'put', resource: user(`u${index}`, { title: 'x'.repeat(100) }) }]);
    }
    await finished;
    const stats = store.stats;
    expect(stats.compactions).toBeGreaterThanOrEqual(1);
    expect(stats.journalBytes).toBeLessThan(Math.max(8 * 1024, stats.snapshotBytes));
    const snapshot = JSON.parse(await readFile(file, 'utf8')) as { journalSeq: number; users: unknown[] };
    expect(snapshot.journalSeq).toBeGreaterThan(0);
    expect(snapshot.users.length).toBe(snapshot.journalSeq);
    const reopened = await openStore({}, await crashImage());
    expect(reopened.count('User')).toBe(100);
    expect([...reopened.all('User')].map((resource) => resource.id)).toEqual(Array.from({ length: 100 }, (_, index) => `u${index}`));
  });

  it('keeps acknowledging writes during a compaction, and a crash at either step loses none of them', async () => {
    let release: () => void = () => undefined;
    const held = new Set<CompactionPhase>(['started', 'snapshot-written']);
    const reached: CompactionPhase[] = [];
    const store = await openStore({
      compactionMinBytes: 1 << 30,
      onCompaction: (phase) => {
        reached.push(phase);
        // Hold each phase once (the compaction close() runs must not wait).
        if (!held.delete(phase)) return undefined;
        return new Promise<void>((resolve) => {
          release = resolve;
        });
      },
    });
    for (let index = 0; index < 50; index++) await store.commit([{ op: 'put', resource: user(`before-${index}`) }]);
    await store.commit([{ op: 'put', resource: group('g', ['before-0']) }]);

    const compaction = store.compact();
    await waitFor(() => reached.includes('started'));
    // Paused before the snapshot is written: commits still become durable (in the old journal).
    for (let index = 0; index < 20; index++) await store.commit([{ op: 'put', resource: user(`during-a-${index}`) }]);
    await store.commit([{ op: 'put', resource: group('g', ['before-0', 'during-a-0'], 2) }]);
    const imageBeforeSnapshot = await crashImage();
    release();
    await waitFor(() => reached.includes('snapshot-written'));
    // Paused between the two steps: the new snapshot is in place, the old journal not yet replaced.
    for (let index = 0; index < 20; index++) await store.commit([{ op: 'put', resource: user(`during-b-${index}`) }]);
    await store.commit([{ op: 'delete', type: 'User', id: 'before-0' }]);
    const imageBetweenSteps = await crashImage();
    release();
    await compaction;
    await store.commit([{ op: 'put', resource: user('after') }]);
    const imageAfter = await crashImage();

    const snapshot = JSON.parse(await readFile(file, 'utf8')) as { journalSeq: number; users: { id: string }[] };
    expect(snapshot.users.some((resource) => resource.id === 'during-a-0')).toBe(false);
    const journalSeqs = (await readFile(journalPath, 'utf8')).split('\n').filter(Boolean).map((line) => (JSON.parse(line) as { seq: number }).seq);
    // The fresh journal starts right after the snapshot's last record.
    expect(journalSeqs[0]).toBe(snapshot.journalSeq + 1);

    const expectUsers = (current: DirectoryStore, groups: string[], ...prefixes: [string, number][]): void => {
      for (const [prefix, count] of prefixes) {
        for (let index = 0; index < count; index++) expect(current.get('User', `${prefix}-${index}`), `${prefix}-${index}`).toBeDefined();
      }
      expect(memberValues(current.get('Group', 'g'))).toEqual(groups);
    };
    expectUsers(await openStore({}, imageBeforeSnapshot), ['before-0', 'during-a-0'], ['before', 50], ['during-a', 20]);
    const between = await openStore({}, imageBetweenSteps);
    expectUsers(between, ['during-a-0'], ['during-a', 20], ['during-b', 20]);
    expect(between.get('User', 'before-0')).toBeUndefined();
    expect(between.get('User', 'before-49')).toBeDefined();
    expect(between.count('User')).toBe(89);
    const after = await openStore({}, imageAfter);
    expect(after.count('User')).toBe(90);
    expect(after.get('User', 'after')).toBeDefined();
    expect(memberValues(after.get('Group', 'g'))).toEqual(['during-a-0']);
  });

  it('imports a large document and compacts it in the background without losing later writes', async () => {
    const store = await openStore({ compactionMinBytes: 64 * 1024 });
    const users = Array.from({ length: 3000 }, (_, index) => user(`u${index}`, { title: 'y'.repeat(200) }));
    await store.importDocument({ users, groups: [group('all', users.map((resource) => resource.id))] });
    const writes = Array.from({ length: 100 }, (_, index) => store.commit([{ op: 'put', resource: user(`late-${index}`) }]));
    await Promise.all(writes);
    await waitFor(() => store.stats.compactions >= 1 && !store.stats.compacting);
    const reopened = await openStore({}, await crashImage());
    expect(reopened.count('User')).toBe(3100);
    expect(memberValues(reopened.get('Group', 'all'))).toHaveLength(3000);
    expect([...reopened.all('User')].at(-1)?.id).toBe('late-99');
  });

  it('survives a failed compaction: nothing lost, the error reported, a later compaction succeeds', async () => {
    const errors: Error[] = [];
    const store = await openStore({ compactionMinBytes: 4096, onError: (error) => errors.push(error) });
    // A directory where the snapshot's temp file goes: every snapshot write fails.
    await mkdir(`${file}.tmp`);
    for (let index = 0; index < 40; index++) await store.commit([{ op: 'put', resource: user(`u${index}`, { title: 'z'.repeat(100) }) }]);
    await waitFor(() => errors.length > 0 && !store.stats.compacting);
    expect(errors[0].message).toMatch(/EISDIR|illegal operation on a directory/);
    expect(store.stats.compactions).toBe(0);
    expect(store.stats.failed).toBe(false);
    expect((await openStore({}, await crashImage())).count('User')).toBe(40);
    await rm(`${file}.tmp`, { recursive: true });
    for (let index = 40; index < 120; index++) await store.commit([{ op: 'put', resource: user(`u${index}`, { title: 'z'.repeat(100) }) }]);
    await waitFor(() => store.stats.compactions > 0 && !store.stats.compacting);
    expect((await openStore({}, await crashImage())).count('User')).toBe(120);
  });

  it('removes temp files a crash left behind', async () => {
    await writeFile(`${file}.tmp`, 'half a snapshot');
    await writeFile(`${journalPath}.tmp`, 'half a journal');
    await openStore();
    expect(existsSync(`${file}.tmp`)).toBe(false);
    expect(existsSync(`${journalPath}.tmp`)).toBe(false);
  });
});

describe('write failures', () => {
  it.skipIf(process.platform !== 'linux' || !existsSync('/dev/full'))(
    'rejects the commit whose fsync or write failed and every later one, keeping reads',
    async () => {
      // /dev/full fails every write with ENOSPC: a real disk-full, no mocks.
      await symlink('/dev/full', journalPath);
      const errors: Error[] = [];
      const store = await openStore({ onError: (error) => errors.push(error) });
      const failed = store.commit([{ op: 'put', resource: user('u1') }]);
      await expect(failed).rejects.toBeInstanceOf(StoreFailedError);
      await expect(failed).rejects.toThrow(/ENOSPC/);
      expect(store.stats.failed).toBe(true);
      // Memory is ahead of the disk, and says so by refusing further writes.
      expect(store.get('User', 'u1')).toBeDefined();
      await expect(store.commit([{ op: 'put', resource: user('u2') }])).rejects.toBeInstanceOf(StoreFailedError);
      await expect(store.setSetting('a', 'b')).rejects.toBeInstanceOf(StoreFailedError);
      await expect(store.reset()).rejects.toBeInstanceOf(StoreFailedError);
      expect(store.get('User', 'u2')).toBeUndefined();
    },
  );

  it('refuses writes after close', async () => {
    const store = await openStore();
    await store.close();
    await expect(store.commit([{ op: 'put', resource: user('u1') }])).rejects.toThrow(/closed/);
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for a condition');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('replay equals the live state (property)', () => {
  type Step =
    | { kind: 'user'; id: number; name: number; external: number }
    | { kind: 'group'; id: number; name: number; members: number[] }
    | { kind: 'join'; group: number; member: number }
    | { kind: 'leave'; group: number; member: number }
    | { kind: 'nest'; group: number; child: number }
    | { kind: 'delete'; type: 'User' | 'Group'; id: number }
    | { kind: 'setting'; key: number; value: string }
    | { kind: 'reset' }
    | { kind: 'compact' };

  const small = fc.integer({ min: 0, max: 7 });
  const step: fc.Arbitrary<Step> = fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('user' as const), id: small, name: small, external: small }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('group' as const), id: small, name: small, members: fc.array(small, { maxLength: 6 }) }) },
    { weight: 3, arbitrary: fc.record({ kind: fc.constant('join' as const), group: small, member: small }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('leave' as const), group: small, member: small }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('nest' as const), group: small, child: small }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete' as const), type: fc.constantFrom('User' as const, 'Group' as const), id: small }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('setting' as const), key: small, value: fc.string({ maxLength: 6 }) }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'reset' as const }) },
    { weight: 1, arbitrary: fc.constant({ kind: 'compact' as const }) },
  );
  // Non-ASCII names exercise the UTF-8 decode path, including characters split across reads.
  const names = ['alice', 'Bob', 'ÇA', 'dävid', 'Eve', '漢字', 'frank', 'g😀'];

  async function apply(store: DirectoryStore, item: Step): Promise<void> {
    const revision = (type: 'User' | 'Group', id: string): number => (store.get(type, id)?.meta.revision ?? 0) + 1;
    switch (item.kind) {
      case 'user':
        return store.commit([
          { op: 'put', resource: user(`u${item.id}`, { userName: names[item.name], externalId: `x${item.external}` }, revision('User', `u${item.id}`)) },
        ]);
      case 'group': {
        const resource = group(`g${item.id}`, [...new Set(item.members)].map((member) => `u${member}`), revision('Group', `g${item.id}`));
        resource.displayName = names[item.name];
        return store.commit([{ op: 'put', resource }]);
      }
      case 'join':
      case 'nest':
      case 'leave': {
        const current = store.get('Group', `g${item.group}`);
        if (!current) return;
        const members = (current.members ?? []) as StoredMember[];
        const value = item.kind === 'nest' ? `g${item.child}` : `u${item.member}`;
        if (value === current.id) return;
        const next =
          item.kind !== 'leave'
            ? members.some((member) => member.value === value)
              ? members
              : [...members, { value, type: item.kind === 'nest' ? ('Group' as const) : ('User' as const) }]
            : members.filter((member) => member.value !== value);
        return store.commit([{ op: 'put', resource: { ...current, members: next, meta: { ...current.meta, revision: current.meta.revision + 1 } } }]);
      }
      case 'delete':
        return store.commit([{ op: 'delete', type: item.type, id: `${item.type === 'User' ? 'u' : 'g'}${item.id}` }]);
      case 'setting':
        return store.setSetting(`k${item.key}`, item.value);
      case 'reset':
        return store.reset();
      case 'compact':
        return store.compact();
    }
  }

  function observe(store: DirectoryStore): unknown {
    const document = store.exportDocument();
    return {
      document,
      settings: store.settings,
      byName: names.map((name) => [store.findUserByUserName(name.toUpperCase())?.id, store.findGroupByDisplayName(name)?.id]),
      byExternal: Array.from({ length: 8 }, (_, index) => store.findByExternalId('User', `x${index}`).map((resource) => resource.id)),
      membership: Array.from({ length: 8 }, (_, index) => [...store.groupIdsOf(`u${index}`)].sort()),
      parents: Array.from({ length: 8 }, (_, index) => {
        const id = `g${index}`;
        const parents = [...store.parentGroupIdsOf(id)].sort();
        // The small index of groups' parents agrees with the full membership index.
        expect(parents).toEqual(store.get('Group', id) ? [...store.groupIdsOf(id)].sort() : []);
        return parents;
      }),
    };
  }

  it('a crash image reopened with any read size shows exactly what the live store and an in-memory twin show', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 40 }),
        fc.integer({ min: 1, max: 300 }),
        // Compacting constantly, or never (so replay sees every record).
        fc.constantFrom(1024, 1 << 30),
        async (steps, readBufferBytes, compactionMinBytes) => {
        const at = join(dir, `prop-${++run}`, 'scimulator.json');
        const live = await DirectoryStore.open({ file: at, compactionMinBytes, now: () => new Date(0) });
        const twin = await DirectoryStore.open({ now: () => new Date(0) });
        try {
          for (const item of steps) {
            await apply(live, item);
            await apply(twin, item);
          }
          // A crash is one instant; a copy is not. Copy while no compaction is swapping files.
          await waitFor(() => !live.stats.compacting);
          const reopened = await DirectoryStore.open({ file: await crashImage(at), readBufferBytes });
          try {
            expect(observe(reopened)).toEqual(observe(live));
            expect(observe(live)).toEqual(observe(twin));
          } finally {
            await reopened.close();
          }
        } finally {
          await live.close();
          await twin.close();
        }
      },
      ),
      { numRuns: 60 },
    );
  });
});
