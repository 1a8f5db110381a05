/**
 * The console's own data files (targets.json, idp-directory.json, …): one lowdb database each,
 * in the data directory, or in memory when the host has none.
 *
 * Writes replace the file atomically and durably (a temporary file, fsynced, renamed, the
 * directory fsynced: store/durable-fs.ts), so an acknowledged save survives a crash and a crash
 * mid-write leaves the previous file. A file that is not valid JSON or not this kind of file is an
 * error naming it, and the file is left as it is: nothing is written until the caller has read it.
 */
import { readFile } from 'node:fs/promises';
import { Low, Memory, type Adapter } from 'lowdb';
import { replaceFileDurably, writeFully } from '../store/durable-fs.js';
import { isErrnoCode } from '../store/store-errors.js';

export class ConsoleFileError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConsoleFileError';
  }
}

/** A lowdb adapter over one JSON file; `read` answers null when the file does not exist yet. */
export class DurableJsonFile<T> implements Adapter<T> {
  constructor(private readonly file: string) {}

  async read(): Promise<T | null> {
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT')) return null;
      throw new ConsoleFileError(`Cannot read ${this.file}: ${(error as Error).message}`, { cause: error });
    }
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new ConsoleFileError(`${this.file} is not valid JSON (${(error as Error).message}); fix or move it away, Scimulator leaves it untouched`, {
        cause: error,
      });
    }
  }

  async write(data: T): Promise<void> {
    const bytes = Buffer.from(`${JSON.stringify(data, null, 2)}\n`, 'utf8');
    await replaceFileDurably(this.file, async (handle) => {
      await writeFully(handle, bytes);
      return bytes.length;
    });
  }
}

/**
 * Opens a console data file: reads it (null when new), checks it with `problem` (which returns
 * why the value is not this kind of file), and returns the database. In memory when `file` is
 * undefined.
 */
export async function openConsoleFile<T>(
  file: string | undefined,
  what: string,
  problem: (value: unknown) => string | undefined,
): Promise<Low<T | null>> {
  const db = new Low<T | null>(file === undefined ? new Memory<T | null>() : new DurableJsonFile<T | null>(file), null);
  await db.read();
  if (db.data !== null) {
    const wrong = problem(db.data);
    if (wrong !== undefined) {
      throw new ConsoleFileError(`${file ?? 'The in-memory file'} is not ${what}: ${wrong}; move it away, Scimulator leaves it untouched`);
    }
  }
  return db;
}

/** Runs writes one after another, so two saves never interleave their read-modify-write. */
export function createWriteQueue(): <R>(work: () => Promise<R>) => Promise<R> {
  let tail: Promise<unknown> = Promise.resolve();
  return <R>(work: () => Promise<R>): Promise<R> => {
    const result = tail.then(work);
    tail = result.catch(() => undefined);
    return result;
  };
}
