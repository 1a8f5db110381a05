/**
 * Errors the directory store reports to its host.
 *
 * They are distinct classes because the host reacts differently: a `StoreOpenError` means the
 * files on disk need an operator (the store refused to start and touched nothing), a
 * `StoreFailedError` means this process can no longer make writes durable (report 500, restart).
 */

/**
 * The snapshot or journal cannot be read as a directory. Opening stops and neither file is
 * written, truncated or replaced, so the operator can inspect or repair exactly what was there.
 */
export class StoreOpenError extends Error {
  override readonly name = 'StoreOpenError';

  constructor(
    /** Absolute path of the damaged file. */
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
export class StoreFailedError extends Error {
  override readonly name = 'StoreFailedError';

  constructor(file: string, cause: unknown) {
    super(
      `The directory store cannot write ${file}: ${cause instanceof Error ? cause.message : String(cause)}. ` +
        'Writes acknowledged before this are on disk; the store refuses further writes until it is reopened.',
      { cause },
    );
  }
}

/** The store was closed; the host kept a reference and used it afterwards. */
export class StoreClosedError extends Error {
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
