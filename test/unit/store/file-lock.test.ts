import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DirectoryStore, StoreOpenError } from '../../../src-main/store/directory-store.js';
import { processStartTime } from '../../../src-main/store/file-lock.js';

let file: string;
let lockPath: string;
beforeEach(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'scimulator-lock-')), 'directory.json');
  lockPath = `${file}.lock`;
});

interface LockContent {
  pid: number;
  instance: string;
  start?: string;
}

const readLock = async (): Promise<LockContent> => JSON.parse(await readFile(lockPath, 'utf8')) as LockContent;
const deadPid = (): number => spawnSync(process.execPath, ['-e', '0']).pid as number;
const openError = (): Promise<unknown> => DirectoryStore.open({ file }).then(
  async (store) => {
    await store.close();
    return undefined;
  },
  (error: unknown) => error,
);
const isLinux = process.platform === 'linux';

describe('one process per directory file', () => {
  it('names its holder by pid, a random instance id and (on Linux) its start time, in a private file', async () => {
    const store = await DirectoryStore.open({ file });
    const content = await readLock();
    expect(content.pid).toBe(process.pid);
    expect(content.instance).toMatch(/^[0-9a-f]{24}$/);
    if (isLinux) expect(content.start).toBe(await processStartTime(process.pid));
    if (process.platform !== 'win32') expect((await stat(lockPath)).mode & 0o777).toBe(0o600);
    await store.close();
  });

  it('refuses a second open while the first is open, and allows it after close', async () => {
    const first = await DirectoryStore.open({ file });
    const second = DirectoryStore.open({ file });
    await expect(second).rejects.toBeInstanceOf(StoreOpenError);
    await expect(second).rejects.toThrow(`${file}: it is already open in this process (pid ${process.pid})`);
    await first.close();
    expect(existsSync(lockPath)).toBe(false);
    const third = await DirectoryStore.open({ file });
    await third.close();
  });

  it('refuses while another live process holds it, naming that pid and the lock file', async () => {
    const holder = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const pid = holder.pid as number;
      await writeFile(lockPath, JSON.stringify({ pid, instance: 'holder', start: await processStartTime(pid) }));
      const error = await openError();
      expect(error).toBeInstanceOf(StoreOpenError);
      expect((error as Error).message).toContain(`it is in use by another Scimulator process (pid ${pid})`);
      expect((error as Error).message).toContain(`delete ${lockPath}`);
      expect(await readFile(lockPath, 'utf8')).toContain('"holder"');
    } finally {
      holder.kill();
    }
  });

  it.each([
    ['with an instance id', (pid: number) => JSON.stringify({ pid, instance: 'gone', start: '1' })],
    ['as a bare pid (older versions)', (pid: number) => String(pid)],
  ])('takes over a lock left by a process that died, written %s', async (_name, content) => {
    await writeFile(lockPath, content(deadPid()));
    const store = await DirectoryStore.open({ file });
    expect(await readLock()).toMatchObject({ pid: process.pid });
    await store.close();
    expect(existsSync(lockPath)).toBe(false);
  });

  it('takes over a lock naming its own pid from an earlier life (PID 1 in a restarted container)', async () => {
    // The pid is alive — it is this process — but the instance and start time are another's.
    await writeFile(lockPath, JSON.stringify({ pid: process.pid, instance: 'previous-life', start: '1' }));
    const store = await DirectoryStore.open({ file });
    const content = await readLock();
    expect(content.pid).toBe(process.pid);
    expect(content.instance).not.toBe('previous-life');
    await store.close();
  });

  it.skipIf(!isLinux)('takes over a lock whose pid now belongs to another process (start time differs)', async () => {
    const other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const pid = other.pid as number;
      const start = await processStartTime(pid);
      expect(start).toMatch(/^\d+$/);
      await writeFile(lockPath, JSON.stringify({ pid, instance: 'recycled', start: `${Number(start) - 1}` }));
      const store = await DirectoryStore.open({ file });
      expect((await readLock()).pid).toBe(process.pid);
      await store.close();
    } finally {
      other.kill();
    }
  });

  it('finishes a takeover that a contender died in the middle of, and removes the claims', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: deadPid(), instance: 'dead-holder' }));
    await writeFile(`${lockPath}.takeover-dead-holder`, JSON.stringify({ pid: deadPid(), instance: 'dead-claimant' }));
    await writeFile(`${lockPath}.takeover-dead-claimant`, JSON.stringify({ pid: deadPid(), instance: 'dead-again' }));
    const store = await DirectoryStore.open({ file });
    expect((await readLock()).pid).toBe(process.pid);
    expect((await readdir(dirname(file))).filter((name) => name.includes('takeover'))).toEqual([]);
    await store.close();
  });

  it('waits for a contender that is taking over, then finds the lock held', async () => {
    await writeFile(lockPath, JSON.stringify({ pid: deadPid(), instance: 'dead-holder' }));
    // A live contender has claimed the stale lock; 100 ms later it completes the takeover.
    const contender = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    try {
      const pid = contender.pid as number;
      const identity = JSON.stringify({ pid, instance: 'contender', start: await processStartTime(pid) });
      await writeFile(`${lockPath}.takeover-dead-holder`, identity);
      const opening = openError();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await writeFile(lockPath, identity);
      const error = await opening;
      expect(error).toBeInstanceOf(StoreOpenError);
      expect((error as Error).message).toContain(`in use by another Scimulator process (pid ${pid})`);
    } finally {
      contender.kill();
    }
  });

  it('never removes a lock that is no longer its own when it closes', async () => {
    const store = await DirectoryStore.open({ file });
    const foreign = JSON.stringify({ pid: deadPid(), instance: 'someone-else' });
    await writeFile(lockPath, foreign);
    await store.close();
    expect(await readFile(lockPath, 'utf8')).toBe(foreign);
  });

  it('releases the lock when opening fails', async () => {
    await writeFile(file, '{"format": ');
    await expect(DirectoryStore.open({ file })).rejects.toBeInstanceOf(StoreOpenError);
    expect(existsSync(lockPath)).toBe(false);
  });
});
