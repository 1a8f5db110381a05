/**
 * The check the store makes on its snapshot and journal before reading them: that it will be
 * able to write them later. Failing at open, with the file named, beats failing at the first
 * commit; and a file its owner made read-only must be refused, not replaced.
 */
import { constants } from 'node:fs';
import { access, stat } from 'node:fs/promises';
import { asOpenError, isErrnoCode, StoreOpenError } from './store-errors.js';

/**
 * Resolves if `path` is missing (the store creates it) or is a file this process may rewrite;
 * rejects with a StoreOpenError otherwise.
 *
 * The read-only test reads the mode bits itself instead of trusting `access(W_OK)`: for root
 * (the usual user in a container) `access` succeeds whatever the mode, and a compaction replaces
 * the snapshot by renaming a new file over it, which never consults the old file's mode. So a
 * snapshot marked read-only (chmod 444, or the Windows read-only attribute, which Node reports as
 * 0o444) would be silently replaced. `access` still catches the non-root cases the bits do not
 * show, such as a file owned by another user.
 */
export async function checkUsable(path: string): Promise<void> {
  let mode: number;
  let isDirectory: boolean;
  try {
    const info = await stat(path);
    mode = info.mode;
    isDirectory = info.isDirectory();
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return;
    throw asOpenError(error, path);
  }
  if (isDirectory) {
    throw new StoreOpenError(path, 'it is a directory, not a file; move it away or choose another database file');
  }
  if ((mode & 0o200) === 0) {
    throw new StoreOpenError(
      path,
      `it is read-only (mode ${(mode & 0o777).toString(8)}) and the store must rewrite it; ` +
        'make it writable (chmod u+w) to use it, or open a copy',
    );
  }
  try {
    await access(path, constants.R_OK | constants.W_OK);
  } catch (error) {
    throw asOpenError(error, path);
  }
}
