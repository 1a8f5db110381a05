/**
 * What the store does with files it cannot use, and the files it makes: every failure is a
 * StoreError whose one-line message names the file and says what to do, a file marked read-only
 * is refused (never replaced), a full disk is reported where the operator sees it, and the
 * files holding the token are private to their user.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { StoredResource } from '../../../src-main/scim/resource.js';
import {
  DirectoryStore,
  StoreCompactionError,
  StoreError,
  StoreFailedError,
  StoreOpenError,
} from '../../../src-main/store/directory-store.js';

const CREATED = '2025-01-01T00:00:00.000Z';
const user = (id: string, title = ''): StoredResource => ({
  schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
  id,
  userName: `${id}@example.com`,
  title,
  meta: { resourceType: 'User', created: CREATED, lastModified: CREATED, revision: 1 },
});

let dir: string;
let file: string;
let journalPath: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-file-errors-'));
  file = join(dir, 'scimulator.json');
  journalPath = `${file}.journal`;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const openError = (options: { file: string } = { file }): Promise<unknown> =>
  DirectoryStore.open(options).then(
    async (store) => {
      await store.close();
      return undefined;
    },
    (error: unknown) => error,
  );

const modeOf = async (path: string): Promise<number> => (await stat(path)).mode & 0o777;
const posix = process.platform !== 'win32';

/** A store with u1 in the snapshot and u2 in the journal, closed. */
async function populated(): Promise<void> {
  const store = await DirectoryStore.open({ file });
  await store.commit([{ op: 'put', resource: user('u1') }]);
  await store.compact();
  await store.commit([{ op: 'put', resource: user('u2') }]);
  // Closing would compact the journal away; a copy of the open files is what a crash leaves.
  const copy = join(dir, 'copy');
  await mkdir(copy);
  for (const name of ['scimulator.json', 'scimulator.json.journal']) await copyFile(join(dir, name), join(copy, name));
  await store.close();
  for (const name of ['scimulator.json', 'scimulator.json.journal']) await copyFile(join(copy, name), join(dir, name));
}

describe('files the store cannot use are refused at open, named, and left alone', () => {
  it.each([
    ['the snapshot', () => file],
    ['the journal', () => journalPath],
  ])('%s path is a directory', async (_name, path) => {
    await mkdir(path());
    const error = await openError();
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toBe(
      `Cannot open the directory store: ${path()}: it is a directory, not a file; move it away or choose another database file. The file was left unchanged.`,
    );
    expect((await readdir(dir)).sort()).toEqual([path() === file ? 'scimulator.json' : 'scimulator.json.journal']);
  });

  it.skipIf(!posix).each([
    ['snapshot', () => file],
    ['journal', () => journalPath],
  ])('a read-only (444) %s, even for root, whom the mode does not stop', async (_name, path) => {
    await populated();
    await chmod(path(), 0o444);
    const before = [await readFile(file), await readFile(journalPath)];
    const error = await openError();
    expect(error).toBeInstanceOf(StoreOpenError);
    expect(error).toMatchObject({ file: path() });
    expect((error as Error).message).toContain(`${path()}: it is read-only (mode 444)`);
    expect((error as Error).message).toContain('chmod u+w');
    expect([await readFile(file), await readFile(journalPath)]).toEqual(before);
    expect(await modeOf(path())).toBe(0o444);
    // Made writable again, it opens with everything in it.
    await chmod(path(), 0o600);
    const store = await DirectoryStore.open({ file });
    expect(store.count('User')).toBe(2);
    await store.close();
  });

  it('a database path below a file', async () => {
    await writeFile(join(dir, 'plain'), 'x');
    const error = await openError({ file: join(dir, 'plain', 'scimulator.json') });
    expect(error).toBeInstanceOf(StoreOpenError);
    expect((error as Error).message).toMatch(/a part of the path is not a directory \(ENOTDIR\)|EEXIST/);
  });
});

describe('write failures are StoreErrors, reported as well as rejected', () => {
  it.skipIf(process.platform !== 'linux' || !existsSync('/dev/full'))(
    'a full disk rejects the commit naming the journal and the cause, and reports it once',
    async () => {
      // /dev/full fails every write with ENOSPC.
      await import('node:fs/promises').then(({ symlink }) => symlink('/dev/full', journalPath));
      const reported: Error[] = [];
      const store = await DirectoryStore.open({ file, onError: (error) => reported.push(error) });
      const failed = store.commit([{ op: 'put', resource: user('u1') }]);
      await expect(failed).rejects.toBeInstanceOf(StoreFailedError);
      await expect(failed).rejects.toThrow(`The directory store cannot write ${journalPath}: the disk is full (ENOSPC); free some disk space, then restart.`);
      await expect(store.commit([{ op: 'put', resource: user('u2') }])).rejects.toBeInstanceOf(StoreFailedError);
      expect(reported).toHaveLength(1);
      expect(reported[0]).toBeInstanceOf(StoreFailedError);
      expect(reported[0].message).not.toContain('\n');
      await store.close();
    },
  );

  it.skipIf(process.platform !== 'linux' || !existsSync('/dev/full'))(
    'by default it goes to stderr as one line',
    async () => {
      await import('node:fs/promises').then(({ symlink }) => symlink('/dev/full', journalPath));
      const printed = vi.spyOn(console, 'error').mockImplementation(() => undefined);
      try {
        const store = await DirectoryStore.open({ file });
        await expect(store.commit([{ op: 'put', resource: user('u1') }])).rejects.toBeInstanceOf(StoreFailedError);
        expect(printed.mock.calls).toEqual([[expect.stringMatching(/^\[scimulator store\] The directory store cannot write .* \(ENOSPC\)/)]]);
        await store.close();
      } finally {
        printed.mockRestore();
      }
    },
  );

  it('a compaction that cannot write reports a StoreCompactionError and loses nothing', async () => {
    const reported: Error[] = [];
    const store = await DirectoryStore.open({ file, compactionMinBytes: 1024, onError: (error) => reported.push(error) });
    await mkdir(`${file}.tmp`);
    await store.commit([{ op: 'put', resource: user('u1', 'x'.repeat(2000)) }]);
    await expect(store.compact()).rejects.toBeInstanceOf(StoreCompactionError);
    await expect(store.compact()).rejects.toThrow(`could not write ${file}.tmp while compacting: it is a directory (EISDIR)`);
    await store.commit([{ op: 'put', resource: user('u2') }]);
    expect(reported.every((error) => error instanceof StoreError)).toBe(true);
    await rm(`${file}.tmp`, { recursive: true });
    await store.close();
    const reopened = await DirectoryStore.open({ file });
    expect(reopened.count('User')).toBe(2);
    await reopened.close();
  });
});

/** Mounts a tmpfs of `size` at a new directory, or returns undefined where that is not allowed. */
function tinyDisk(size: string): string | undefined {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return undefined;
  const mountPoint = join(dir, 'disk');
  try {
    execFileSync('mkdir', [mountPoint]);
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', mountPoint], { stdio: 'ignore' });
    return mountPoint;
  } catch {
    return undefined;
  }
}

describe('a disk that really fills up', () => {
  it('rejects the commit that no longer fits, keeps every acknowledged one, and says so', async (context) => {
    const disk = tinyDisk('256k');
    if (disk === undefined) return context.skip();
    try {
      const reported: Error[] = [];
      const at = join(disk, 'scimulator.json');
      // No compaction: the journal alone fills the disk.
      const store = await DirectoryStore.open({ file: at, compactionMinBytes: 1 << 30, onError: (error) => reported.push(error) });
      const acknowledged: string[] = [];
      let failure: unknown;
      for (let index = 0; index < 1000 && failure === undefined; index++) {
        await store.commit([{ op: 'put', resource: user(`u${index}`, 'y'.repeat(1000)) }]).then(
          () => acknowledged.push(`u${index}`),
          (error: unknown) => {
            failure = error;
          },
        );
      }
      expect(failure).toBeInstanceOf(StoreFailedError);
      expect((failure as Error).message).toContain(`cannot write ${at}.journal: the disk is full (ENOSPC)`);
      expect(reported).toEqual([failure]);
      expect(acknowledged.length).toBeGreaterThan(50);
      await store.close();
      // What a restart finds: everything acknowledged (a copy, on a disk with room).
      const copy = join(dir, 'after');
      await mkdir(copy);
      for (const name of ['scimulator.json', 'scimulator.json.journal']) await copyFile(join(disk, name), join(copy, name));
      const reopened = await DirectoryStore.open({ file: join(copy, 'scimulator.json') });
      for (const id of acknowledged) expect(reopened.get('User', id), id).toBeDefined();
      await reopened.close();
    } finally {
      execFileSync('umount', [disk]);
    }
  });
});

describe.skipIf(!posix)('the files are private to their user (they hold the bearer token)', () => {
  it('creates the snapshot and journal with mode 600, and rewrites keep it', async () => {
    const store = await DirectoryStore.open({ file });
    await store.setSetting('token', 'secret');
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(journalPath)).toBe(0o600);
    await store.compact();
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(journalPath)).toBe(0o600);
    await store.close();
  });

  it('tightens a world-readable snapshot and journal when it rewrites them', async () => {
    await populated();
    await chmod(file, 0o644);
    await chmod(journalPath, 0o644);
    // A leftover temp file keeps its mode through open(); the rewrite must not inherit it.
    const store = await DirectoryStore.open({ file });
    await writeFile(`${file}.tmp`, 'left over', { mode: 0o666 });
    await chmod(`${file}.tmp`, 0o666);
    await store.compact();
    expect(await modeOf(file)).toBe(0o600);
    expect(await modeOf(journalPath)).toBe(0o600);
    await store.close();
  });
});
