/**
 * One process per directory file. Two processes appending to the same journal and compacting
 * over each other would corrupt it, so the store holds `<file>.lock` (containing its pid) while
 * open. A lock left behind by a process that died (kill -9, power loss) is taken over.
 */
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { StoreOpenError } from './store-errors.js';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock for `file`; resolves to the function that releases it. */
export async function acquireFileLock(file: string): Promise<() => Promise<void>> {
  const lockPath = `${file}.lock`;
  await mkdir(dirname(file), { recursive: true });
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(String(process.pid));
      await handle.close();
      return () => rm(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(await readFile(lockPath, 'utf8').catch(() => ''), 10);
    if (Number.isInteger(holder) && holder > 0 && alive(holder)) {
      throw new StoreOpenError(
        file,
        `it is in use by another Scimulator process (pid ${holder}); stop that process or choose another database file ` +
          `(if no such process is running, delete ${lockPath})`,
      );
    }
    // Stale: its process is gone. Remove it and try once more (another starter may win the race).
    await rm(lockPath, { force: true });
  }
  throw new StoreOpenError(file, 'another process took its lock file while this one was starting');
}
