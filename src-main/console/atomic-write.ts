/**
 * Replaces a file whole: the text goes to a temporary file beside it, which is flushed, renamed over
 * the file, and the folder flushed. A crash leaves the old file or the new one, never half of
 * either, and a write the caller was told succeeded is on disk.
 */
import { randomBytes } from 'node:crypto';
import { open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { syncDirectory, writeFully } from '../store/durable-fs.js';

export interface AtomicWriteOptions {
  /** The new file's mode; default: the old file's mode, or 0o644 for a new file (scenario files live in git). */
  readonly mode?: number;
}

export async function writeFileAtomically(path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? (await existingMode(path)) ?? 0o644;
  // A unique name: two saves of one file at once must not write into each other's temporary file.
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', mode);
  try {
    await handle.chmod(mode);
    await writeFully(handle, Buffer.from(text, 'utf8'));
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
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}
