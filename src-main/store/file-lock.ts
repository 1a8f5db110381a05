/**
 * One process per directory file. Two processes appending to the same journal and compacting
 * over each other would corrupt it, so the store holds `<file>.lock` while open. A lock left
 * behind by a process that died (kill -9, power loss, a container restart) is taken over.
 *
 * Who holds it: the lock file names its holder as `{"pid":…,"instance":"<random>","start":"…"}`.
 * A PID alone is not an identity: PIDs are reused, and in a container the server is PID 1 after
 * every restart, so the PID in a lock left by the previous PID 1 is alive — it is this process.
 * So the holder is: for this process's own PID, this process's random instance id; for another
 * PID, the process with that PID and that start time (Linux: /proc/PID/stat field 22, clock
 * ticks since boot). Where start times cannot be read (macOS, Windows) a lock whose PID is alive
 * counts as held, which errs on the safe side: the operator deletes it, as the message says.
 *
 * Creating: the content is written to a private temp file first and hard-linked to the lock
 * name, which fails if the name exists, so nobody ever reads a lock file that is empty or half
 * written (reading one as "stale" is how two processes used to open the same file).
 *
 * Taking over a stale lock must leave exactly one winner when several servers start at once.
 * Deleting the stale file and creating a new one is not enough: a slow contender deletes the
 * winner's fresh lock. Instead a contender first claims the stale lock by creating
 * `<file>.lock.takeover-<key of the stale lock>` exclusively. Only the claimant re-reads the lock
 * and, if it still is the stale one, renames its own lock file over it (an atomic replace). The
 * claim is named after the lock it replaces, so each stale lock can be claimed once; a contender
 * that gets the claim only after the replacement finds the lock changed and backs off. A claimant
 * that died mid-takeover left a claim naming itself; the next contender claims that claim
 * (`takeover-<its key>`) and carries on.
 */
import { randomBytes } from 'node:crypto';
import { link, mkdir, open, readdir, readFile, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { PRIVATE_FILE_MODE } from './durable-fs.js';
import { adviceFor, describeFsError, isErrnoCode, StoreOpenError } from './store-errors.js';

interface Holder {
  pid: number;
  /** Random per process; absent in locks written by older versions (a bare PID). */
  instance?: string;
  /** Process start time as /proc/PID/stat shows it (Linux only). */
  start?: string;
}

interface LockState {
  /**
   * Names this lock file (not its holder's PID): the holder's instance id, or, for a lock
   * without one, the file's inode and modification time. Two different lock files never share it.
   */
  key: string;
  /** undefined when the content is not a holder (being written without hard links, or damaged). */
  holder: Holder | undefined;
  ageMs: number;
}

/** This process, as lock files name it. */
const INSTANCE = randomBytes(12).toString('hex');
/** How long an unreadable lock file may be one that is still being written. */
const WRITING_GRACE_MS = 2_000;
const RETRY_MS = 20;
const MAX_ATTEMPTS = 200;
/** Claims of dead claimants followed before giving up (each one is a crash mid-takeover). */
const MAX_CLAIM_DEPTH = 16;

let ownStartTime: Promise<string | undefined> | undefined;

/** Start time of a process, from /proc/PID/stat field 22 (Linux); undefined where unknown. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  if (process.platform !== 'linux') return undefined;
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    // Field 2 (the command name) is in parentheses and may itself hold spaces and ')'; field 3
    // starts two characters after the last ')'.
    const start = text.slice(text.lastIndexOf(')') + 2).split(' ')[22 - 3];
    return start !== undefined && /^\d+$/.test(start) ? start : undefined;
  } catch {
    return undefined;
  }
}

/** Whether the process a lock names is still running (and still the same process). */
async function isRunning(holder: Holder): Promise<boolean> {
  if (holder.pid === process.pid) return holder.instance === INSTANCE;
  try {
    process.kill(holder.pid, 0);
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    if (!isErrnoCode(error, 'EPERM')) return false;
  }
  if (holder.start === undefined) return true;
  const start = await processStartTime(holder.pid);
  return start === undefined || start === holder.start;
}

function parseHolder(text: string): Holder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  // Older versions wrote the bare PID.
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? { pid: value } : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  const { pid, instance, start } = value as Record<string, unknown>;
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0) return undefined;
  // The instance becomes part of a file name (the takeover claim): nothing but safe characters.
  if (typeof instance !== 'string' || !/^[\w-]{1,64}$/.test(instance)) return undefined;
  return { pid, instance, ...(typeof start === 'string' ? { start } : {}) };
}

/** The lock (or claim) file at `path`, or undefined when there is none. */
async function readLock(path: string): Promise<LockState | undefined> {
  try {
    const [text, info] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    const holder = parseHolder(text);
    return {
      key: holder?.instance ?? `file-${info.ino}-${Math.round(info.mtimeMs)}`,
      holder,
      ageMs: Date.now() - info.mtimeMs,
    };
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return undefined;
    throw error;
  }
}

/** Creates `target` holding `content` unless it exists; false if it does. */
async function createExclusive(temporary: string, target: string, content: string): Promise<boolean> {
  try {
    await link(temporary, target);
    return true;
  } catch (error) {
    if (isErrnoCode(error, 'EEXIST')) return false;
    // File systems without hard links (FAT, some network mounts): create and write, accepting
    // that readers may briefly see it empty (they wait WRITING_GRACE_MS before calling it stale).
    if (!['EPERM', 'ENOTSUP', 'ENOSYS', 'EXDEV', 'EOPNOTSUPP'].some((code) => isErrnoCode(error, code))) throw error;
  }
  let handle: FileHandle;
  try {
    handle = await open(target, 'wx', PRIVATE_FILE_MODE);
  } catch (error) {
    if (isErrnoCode(error, 'EEXIST')) return false;
    throw error;
  }
  try {
    await handle.writeFile(content);
  } finally {
    await handle.close();
  }
  return true;
}

const delay = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Takes the lock for `file`; resolves to the function that releases it. Rejects with a
 * StoreOpenError when another live process holds it or the folder cannot be written.
 */
export async function acquireFileLock(file: string): Promise<() => Promise<void>> {
  const lockPath = `${file}.lock`;
  const folder = dirname(file);
  try {
    await mkdir(folder, { recursive: true });
  } catch (error) {
    throw new StoreOpenError(folder, `the folder cannot be created: ${describeFsError(error)}${adviceFor(error)}`, undefined, { cause: error });
  }
  ownStartTime ??= processStartTime(process.pid);
  const start = await ownStartTime;
  const content = JSON.stringify({ pid: process.pid, instance: INSTANCE, ...(start === undefined ? {} : { start }) });
  const temporary = `${lockPath}.${randomBytes(6).toString('hex')}.tmp`;
  try {
    const handle = await open(temporary, 'wx', PRIVATE_FILE_MODE);
    try {
      await handle.writeFile(content);
    } finally {
      await handle.close();
    }
  } catch (error) {
    throw new StoreOpenError(folder, `cannot create files in this folder: ${describeFsError(error)}${adviceFor(error)}`, undefined, { cause: error });
  }
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      if (await createExclusive(temporary, lockPath, content)) return releaser(lockPath);
      const current = await readLock(lockPath);
      if (current === undefined) continue; // released meanwhile: try again
      if (current.holder === undefined && current.ageMs < WRITING_GRACE_MS) {
        await delay(RETRY_MS);
        continue;
      }
      if (current.holder !== undefined && (await isRunning(current.holder))) throw inUse(file, lockPath, current.holder);
      if (await takeOver(lockPath, current.key, temporary, content)) {
        await removeClaims(lockPath);
        return releaser(lockPath);
      }
      await delay(RETRY_MS);
    }
  } catch (error) {
    if (error instanceof StoreOpenError) throw error;
    throw new StoreOpenError(lockPath, `the lock file cannot be used: ${describeFsError(error)}${adviceFor(error)}`, undefined, { cause: error });
  } finally {
    await rm(temporary, { force: true }).catch(() => undefined);
  }
  throw new StoreOpenError(file, `other processes kept changing its lock file ${lockPath}; stop them, or delete the lock file if none is running`);
}

/**
 * Replaces the stale lock `staleKey` with ours if this contender wins the claim on it. False
 * when someone else is taking over or already has: the caller looks at the lock again.
 */
async function takeOver(lockPath: string, staleKey: string, temporary: string, content: string): Promise<boolean> {
  let blocker = staleKey;
  for (let depth = 0; depth < MAX_CLAIM_DEPTH; depth++) {
    const claim = `${lockPath}.takeover-${blocker}`;
    if (await createExclusive(temporary, claim, content)) {
      try {
        // Holding the claim, nobody else can replace this stale lock; but it may already have
        // been replaced (or released) before we got the claim.
        if ((await readLock(lockPath))?.key !== staleKey) return false;
        await rename(temporary, lockPath);
        return true;
      } finally {
        // The lock no longer names `staleKey` either way, so nobody needs this claim again.
        await rm(claim, { force: true });
      }
    }
    const claimant = await readLock(claim);
    if (claimant === undefined) continue; // the claimant finished meanwhile: claim again
    if (claimant.holder === undefined ? claimant.ageMs < WRITING_GRACE_MS : await isRunning(claimant.holder)) return false;
    // The claimant died mid-takeover: claim its claim.
    blocker = claimant.key;
  }
  return false;
}

/**
 * Claims and temp files left by contenders that died mid-takeover: harmless, but litter. Called
 * only by the winner: the lock now names it, so no claim on an older lock matters any more.
 */
async function removeClaims(lockPath: string): Promise<void> {
  const folder = dirname(lockPath);
  const claimPrefix = `${basename(lockPath)}.takeover-`;
  const names = await readdir(folder).catch(() => [] as string[]);
  for (const name of names) {
    const path = join(folder, name);
    if (name.startsWith(claimPrefix)) await rm(path, { force: true }).catch(() => undefined);
    else if (/\.lock\.[0-9a-f]{12}\.tmp$/.test(name) && name.startsWith(basename(lockPath))) {
      // Another contender's temp file is in use for milliseconds; one a minute old is a crash's.
      const info = await stat(path).catch(() => undefined);
      if (info !== undefined && Date.now() - info.mtimeMs > 60_000) await rm(path, { force: true }).catch(() => undefined);
    }
  }
}

function releaser(lockPath: string): () => Promise<void> {
  return async () => {
    // Never delete a lock that is not ours (had it been taken over, it names its new holder).
    const current = await readLock(lockPath).catch(() => undefined);
    if (current?.holder?.instance === INSTANCE && current.holder.pid === process.pid) await rm(lockPath, { force: true });
  };
}

function inUse(file: string, lockPath: string, holder: Holder): StoreOpenError {
  if (holder.pid === process.pid) return new StoreOpenError(file, `it is already open in this process (pid ${holder.pid}); close it first`);
  return new StoreOpenError(
    file,
    `it is in use by another Scimulator process (pid ${holder.pid}); stop that process or choose another database file ` +
      `(if no such process is running, delete ${lockPath})`,
  );
}
