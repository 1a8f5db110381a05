/**
 * The few file-system moves the store relies on for durability.
 *
 * A write is durable only when its bytes are flushed (fsync/fdatasync on the file) AND the
 * directory entry that names the file is flushed (fsync on the directory) when the name is new
 * or was changed by rename. Node's `writeFile` and lowdb's steno do neither.
 *
 * Every file the store creates is private to its user (PRIVATE_FILE_MODE): the snapshot holds
 * the bearer token and the directory's people.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isErrnoCode } from './store-errors.js';

/** rw------- : the snapshot, journal, lock and their temp files. (Windows honours only the read-only bit.) */
export const PRIVATE_FILE_MODE = 0o600;

/** `FileHandle.write` may write less than asked (large buffers, signals); loop until done. */
export async function writeFully(handle: FileHandle, data: Uint8Array): Promise<void> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset);
    offset += bytesWritten;
  }
}

/** Makes a just-created or just-renamed name in `directory` survive a crash. */
export async function syncDirectory(directory: string): Promise<void> {
  // Windows cannot open a directory as a file; NTFS logs the rename's metadata itself.
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some file systems (certain network and FUSE mounts) do not implement fsync on a
    // directory; there is nothing stronger we can do there, and refusing to run would be worse.
    if (!isErrnoCode(error, 'EINVAL') && !isErrnoCode(error, 'ENOTSUP')) throw error;
  } finally {
    await handle.close();
  }
}

export interface ReplaceOptions {
  /** The new file's mode; default PRIVATE_FILE_MODE, whatever the old one's mode was. */
  readonly mode?: number;
  /**
   * A temporary name of its own for this write (`<path>.<pid>.<random>.tmp`), for files that two
   * writers may save at once; by default `<path>.tmp`, which a lock-holding writer may reuse.
   */
  readonly uniqueTemporary?: boolean;
}

/**
 * Replaces `path` atomically: `produce` writes the new content into a temporary file beside it,
 * which is fsynced, renamed over `path`, and the directory fsynced. A crash at any point leaves
 * either the old complete file or the new complete file under `path` (a stale `.tmp` at worst).
 * Returns the number of bytes `produce` reported.
 */
export async function replaceFileDurably(
  path: string,
  produce: (handle: FileHandle) => Promise<number>,
  options: ReplaceOptions = {},
): Promise<number> {
  const mode = options.mode ?? PRIVATE_FILE_MODE;
  const temporary = options.uniqueTemporary ? `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp` : `${path}.tmp`;
  const handle = await open(temporary, options.uniqueTemporary ? 'wx' : 'w', mode);
  let bytes: number;
  try {
    // open() applies the mode only when it creates the file; a leftover temp file keeps its own.
    await handle.chmod(mode);
    bytes = await produce(handle);
    // Full fsync, not fdatasync: the rename must never expose a file whose size or blocks are
    // not yet on disk.
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await handle.close();
  try {
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncDirectory(dirname(path));
  return bytes;
}
