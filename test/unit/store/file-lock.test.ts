import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { DirectoryStore, StoreOpenError } from '../../../src-main/store/directory-store.js';

let file: string;
beforeEach(async () => {
  file = join(await mkdtemp(join(tmpdir(), 'scimulator-lock-')), 'directory.json');
});

describe('one process per directory file', () => {
  it('refuses a second open while the first is open, and allows it after close', async () => {
    const first = await DirectoryStore.open({ file });
    expect(await readFile(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    const second = DirectoryStore.open({ file });
    await expect(second).rejects.toBeInstanceOf(StoreOpenError);
    await expect(second).rejects.toThrow(`in use by another Scimulator process (pid ${process.pid})`);
    await first.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
    const third = await DirectoryStore.open({ file });
    await third.close();
  });

  it('takes over a lock left by a process that died', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid;
    await writeFile(`${file}.lock`, String(dead));
    const store = await DirectoryStore.open({ file });
    expect(await readFile(`${file}.lock`, 'utf8')).toBe(String(process.pid));
    await store.close();
  });

  it('releases the lock when opening fails', async () => {
    await writeFile(file, '{"format": ');
    await expect(DirectoryStore.open({ file })).rejects.toBeInstanceOf(StoreOpenError);
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
