/**
 * Errors the directory store reports to its host.
 *
 * All are `StoreError`s with a one-line message that names the file and says what to do, so a
 * host can print `error.message` as it is. They are distinct classes because the host reacts
 * differently: a `StoreOpenError` means the files on disk need an operator (the store refused to
 * start and touched nothing), a `StoreFailedError` means this process can no longer make writes
 * durable (report 500, restart), a `StoreCompactionError` is a background failure that lost
 * nothing (worth a line on stderr).
 */

/** Any failure of the directory store's files, or use of a closed store. */
export class StoreError extends Error {
  override readonly name: string = 'StoreError';
}

/**
 * The snapshot or journal cannot be read as a directory, or cannot be used (a directory in its
 * place, read-only, no permission). Opening stops and neither file is written, truncated or
 * replaced, so the operator can inspect or repair exactly what was there.
 */
export class StoreOpenError extends StoreError {
  override readonly name = 'StoreOpenError';

  constructor(
    /** Absolute path of the file (or folder) at fault. */
    readonly file: string,
    /** What is wrong, in words (includes the JSON parser's message when there is one). */
    readonly problem: string,
    /** 1-based line in `file`, when the problem is on one line. */
    readonly line?: number,
    options?: { cause?: unknown },
  ) {
    super(
      `Cannot open the directory store: ${file}${line === undefined ? '' : ` line ${line}`}: ${problem}. ` +
        'The file was left unchanged.',
      options,
    );
  }
}

/**
 * A journal write or fsync failed. Every later write is refused with this error, because the
 * in-memory directory may now be ahead of the disk and the kernel may have dropped the dirty
 * pages along with the error (retrying fsync can report success for data that is gone).
 */
export class StoreFailedError extends StoreError {
  override readonly name = 'StoreFailedError';

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `The directory store cannot write ${file}: ${describeFsError(cause)}${adviceFor(cause)}. ` +
        'Writes acknowledged before this are on disk; the store refuses further writes until it is restarted.',
      { cause },
    );
  }
}

/**
 * A compaction (new snapshot, then a fresh journal) could not write `file`. Nothing is lost: the
 * old snapshot and the journal still hold every acknowledged write, and writes go on.
 */
export class StoreCompactionError extends StoreError {
  override readonly name = 'StoreCompactionError';

  constructor(
    readonly file: string,
    cause: unknown,
  ) {
    super(
      `The directory store could not write ${file} while compacting: ${describeFsError(cause)}${adviceFor(cause)}. ` +
        'Nothing is lost: the journal still holds every write, and the store will try again.',
      { cause },
    );
  }
}

/** The store was closed; the host kept a reference and used it afterwards. */
export class StoreClosedError extends StoreError {
  override readonly name = 'StoreClosedError';

  constructor() {
    super('The directory store is closed.');
  }
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function isErrnoCode(error: unknown, code: string): boolean {
  return error instanceof Error && (error as NodeJS.ErrnoException).code === code;
}

function errnoCode(error: unknown): string | undefined {
  const code = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? code : undefined;
}

const ERRNO_MEANING: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is exhausted',
  EIO: 'input/output error (the disk or file system is failing)',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ENOENT: 'no such file or directory',
  EMFILE: 'this process has too many open files',
  ENFILE: 'the system has too many open files',
  EBUSY: 'the file is busy',
  ENAMETOOLONG: 'the path is too long',
  ELOOP: 'too many symbolic links in the path',
};

/** "the disk is full (ENOSPC)": the errno's meaning in words, with the code to search for. */
export function describeFsError(error: unknown): string {
  const code = errnoCode(error);
  const meaning = code === undefined ? undefined : ERRNO_MEANING[code];
  return meaning === undefined ? errorMessage(error) : `${meaning} (${code})`;
}

const ERRNO_ADVICE: Readonly<Record<string, string>> = {
  EACCES: 'give this user write access to it, or choose another database file',
  EPERM: 'give this user write access to it, or choose another database file',
  EROFS: 'choose a database file on a writable disk',
  ENOSPC: 'free some disk space, then restart',
  EDQUOT: 'free some space or raise the quota, then restart',
  EIO: 'check the disk, then restart',
  EISDIR: 'move the directory away or choose another database file',
  ENOTDIR: 'choose another database file',
};

/** "; free some disk space, then restart", or nothing when there is no useful advice. */
export function adviceFor(error: unknown): string {
  const code = errnoCode(error);
  const advice = code === undefined ? undefined : ERRNO_ADVICE[code];
  return advice === undefined ? '' : `; ${advice}`;
}

/** The path a file-system error happened on, if it says. */
export function pathOf(error: unknown): string | undefined {
  const path = error instanceof Error ? (error as NodeJS.ErrnoException).path : undefined;
  return typeof path === 'string' ? path : undefined;
}

/**
 * An error from opening: a StoreError stays as it is, a file-system error becomes a
 * StoreOpenError naming the path it happened on (or `fallbackFile`).
 */
export function asOpenError(error: unknown, fallbackFile: string): Error {
  if (error instanceof StoreError) return error;
  const code = errnoCode(error);
  if (code === undefined) return error instanceof Error ? error : new Error(String(error));
  return new StoreOpenError(
    pathOf(error) ?? fallbackFile,
    `${describeFsError(error)}${adviceFor(error)}`,
    undefined,
    { cause: error },
  );
}
