/**
 * The few file-system moves the store relies on for durability.
 *
 * A write is durable only when its bytes are flushed (fsync/fdatasync on the file) AND the
 * directory entry that names the file is flushed (fsync on the directory) when the name is new
 * or was changed by rename. Node's `writeFile` and lowdb's steno do neither.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { isErrnoCode } from './store-errors.js';

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

/**
 * Replaces `path` atomically: `produce` writes the new content into `<path>.tmp`, which is
 * fsynced, renamed over `path`, and the directory fsynced. A crash at any point leaves either
 * the old complete file or the new complete file under `path` (a stale `.tmp` at worst).
 * Returns the number of bytes `produce` reported.
 */
export async function replaceFileDurably(
  path: string,
  produce: (handle: FileHandle) => Promise<number>,
): Promise<number> {
  const temporary = `${path}.tmp`;
  const handle = await open(temporary, 'w');
  let bytes: number;
  try {
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
