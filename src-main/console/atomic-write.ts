/**
 * Replaces a text file whole (store/durable-fs.ts does the durable part): a crash leaves the old
 * file or the new one, never half of either, and a write the caller was told succeeded is on disk.
 */
import { stat, type FileHandle } from 'node:fs/promises';
import { replaceFileDurably, writeFully } from '../store/durable-fs.js';

export interface AtomicWriteOptions {
  /** The new file's mode; default: the old file's mode, or 0o644 for a new file (scenario files live in git). */
  readonly mode?: number;
}

export async function writeFileAtomically(path: string, text: string, options: AtomicWriteOptions = {}): Promise<void> {
  const mode = options.mode ?? (await existingMode(path)) ?? 0o644;
  const bytes = Buffer.from(text, 'utf8');
  // A unique temporary name: two saves of one file at once must not write into each other's.
  const produce = async (handle: FileHandle): Promise<number> => {
    await writeFully(handle, bytes);
    return bytes.length;
  };
  await replaceFileDurably(path, produce, { mode, uniqueTemporary: true });
}

async function existingMode(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mode & 0o777;
  } catch {
    return undefined;
  }
}
