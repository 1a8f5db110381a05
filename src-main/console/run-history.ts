/**
 * The console's run history, apart from the provider's directory: `runs.json`, a lowdb file listing
 * every kept run (what the History view shows), and beside it `runs/<id>.json`, each run's full
 * record. Records are kept out of the list because they are large (a load run is megabytes of
 * exchanges): keeping a run writes its own record and a small list, never the whole history, and a
 * record is read only when the console opens it. A retention limit keeps the history from growing
 * without end: past it, the oldest runs that are not a baseline go first. One run per scenario and
 * target can be the baseline later runs are compared with.
 *
 * A file that cannot be read as a run history is an error that names it, and it is never
 * overwritten: the user may want what is in it. Each write replaces its file whole (temporary file,
 * flush, rename), and a record is written before the list names it, so a crash leaves at worst a
 * record file no list names.
 */
import { Low, type Adapter } from 'lowdb';
import { Memory } from 'lowdb';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { RunListItem } from '../api/contract.js';
import type { RunRecord } from '../runner/run-record.js';
import { writeFileAtomically } from './atomic-write.js';

export const RUN_HISTORY_FORMAT = 'scimulator-run-history';
export const RUN_HISTORY_VERSION = 1;
/** How many records the history keeps in memory after writing or reading them: the ones the console is showing. */
const RECORD_CACHE = 8;
/** Run ids name record files: nothing that could leave the records folder. */
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$/;
export const DEFAULT_MAX_RUNS = 50;

/** A run as the history keeps it. */
export interface StoredRun {
  readonly item: RunListItem;
  readonly record: RunRecord;
}

interface RunHistoryFile {
  format: typeof RUN_HISTORY_FORMAT;
  version: typeof RUN_HISTORY_VERSION;
  /** Oldest first; each run's record is in its own file. */
  runs: RunListItem[];
}

export class RunHistoryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RunHistoryError';
  }
}

export class UnknownRun extends Error {
  constructor(readonly runId: string) {
    super(`No run "${runId}" in the history (it may have been deleted, or dropped by the retention limit)`);
    this.name = 'UnknownRun';
  }
}

export interface RunHistory {
  /** The file, or undefined when the history is in memory only. */
  readonly file: string | undefined;
  readonly maxRuns: number;
  readonly size: number;
  /** Newest first. */
  list(): RunListItem[];
  item(id: string): RunListItem | undefined;
  /** The run with its record (read from its file); undefined when the history has no such run. */
  get(id: string): Promise<StoredRun | undefined>;
  /** Keeps a finished run; returns the ids the retention limit dropped to make room. */
  add(run: StoredRun): Promise<string[]>;
  /** False when there was no such run. */
  delete(id: string): Promise<boolean>;
  /** Makes the run the baseline of its scenario on its target, in place of the previous one. */
  setBaseline(id: string): Promise<void>;
  baselineFor(scenario: string, targetId: string): Promise<StoredRun | undefined>;
}

function emptyFile(): RunHistoryFile {
  return { format: RUN_HISTORY_FORMAT, version: RUN_HISTORY_VERSION, runs: [] };
}

/** Reads with a clear error for anything but a run history; writes atomically and durably. */
class RunHistoryFileAdapter implements Adapter<RunHistoryFile> {
  constructor(private readonly path: string) {}

  async read(): Promise<RunHistoryFile | null> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.refuse(`cannot be read (${(error as Error).message})`, error);
    }
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch (error) {
      throw this.refuse(`is not valid JSON (${(error as Error).message})`, error);
    }
    const problem = fileProblem(data);
    if (problem !== undefined) throw this.refuse(problem);
    return data as RunHistoryFile;
  }

  async write(data: RunHistoryFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // Private: the exchanges in a record can carry people's data (credentials are already redacted).
    await writeFileAtomically(this.path, `${JSON.stringify(data)}\n`, { mode: 0o600 });
  }

  private refuse(problem: string, cause?: unknown): RunHistoryError {
    return new RunHistoryError(`Cannot open the run history ${this.path}: it ${problem}. The file was left unchanged; move it away or fix it`, { cause });
  }
}

/** Why the data is not a run history this version reads, or undefined when it is one. */
function fileProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return 'is not a JSON object';
  const file = data as Partial<RunHistoryFile>;
  if (file.format !== RUN_HISTORY_FORMAT) return `is not a Scimulator run history (no "format": "${RUN_HISTORY_FORMAT}")`;
  if (file.version !== RUN_HISTORY_VERSION) return `is a run history of version ${String(file.version)}; this Scimulator reads version ${RUN_HISTORY_VERSION}`;
  if (!Array.isArray(file.runs)) return 'has no "runs" list';
  const at = file.runs.findIndex((run: unknown) => {
    const item = run as Partial<RunListItem> | null;
    return (
      typeof item !== 'object' ||
      item === null ||
      typeof item.id !== 'string' ||
      !RUN_ID.test(item.id) ||
      typeof item.scenario !== 'string' ||
      typeof item.target?.id !== 'string' ||
      typeof item.startedAt !== 'string'
    );
  });
  return at === -1 ? undefined : `has a damaged run at runs[${at}]`;
}

/** Where each run's record is kept: a file per run, or memory. */
interface RecordStore {
  read(id: string): Promise<RunRecord | undefined>;
  write(id: string, record: RunRecord): Promise<void>;
  remove(id: string): Promise<void>;
}

function memoryRecords(): RecordStore {
  const records = new Map<string, RunRecord>();
  return {
    read: async (id) => records.get(id),
    write: async (id, record) => void records.set(id, record),
    remove: async (id) => void records.delete(id),
  };
}

/** `runs/<id>.json` beside the list, with the few most recently used records kept in memory. */
function fileRecords(folder: string): RecordStore {
  const cache = new Map<string, RunRecord>();
  const remember = (id: string, record: RunRecord) => {
    cache.delete(id);
    cache.set(id, record);
    for (const oldest of cache.keys()) {
      if (cache.size <= RECORD_CACHE) break;
      cache.delete(oldest);
    }
  };
  const pathOf = (id: string) => join(folder, `${id}.json`);
  return {
    async read(id) {
      const cached = cache.get(id);
      if (cached) return cached;
      let text: string;
      try {
        text = await readFile(pathOf(id), 'utf8');
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
        throw new RunHistoryError(`Cannot read the run record ${pathOf(id)}: ${(error as Error).message}`, { cause: error });
      }
      let record: RunRecord;
      try {
        record = JSON.parse(text) as RunRecord;
      } catch (error) {
        throw new RunHistoryError(`The run record ${pathOf(id)} is not valid JSON (${(error as Error).message}); it was left unchanged`, { cause: error });
      }
      remember(id, record);
      return record;
    },
    async write(id, record) {
      await mkdir(folder, { recursive: true });
      // Private: the exchanges in a record can carry people's data (credentials are already redacted).
      await writeFileAtomically(pathOf(id), `${JSON.stringify(record)}\n`, { mode: 0o600 });
      remember(id, record);
    },
    async remove(id) {
      cache.delete(id);
      await rm(pathOf(id), { force: true });
    },
  };
}

/** The folder of a history file's records: `runs.json` → `runs/`. */
export function recordsFolder(file: string): string {
  return join(dirname(file), basenameWithoutJson(file));
}

function basenameWithoutJson(file: string): string {
  const name = file.slice(dirname(file).length + 1);
  return name.toLowerCase().endsWith('.json') ? name.slice(0, -'.json'.length) : `${name}.records`;
}

/**
 * Opens the history in `file` (created at the first write when missing), or in memory when `file`
 * is undefined. Throws RunHistoryError for a file that is not a run history.
 */
export async function openRunHistory(file: string | undefined, options: { maxRuns?: number } = {}): Promise<RunHistory> {
  const maxRuns = options.maxRuns ?? DEFAULT_MAX_RUNS;
  if (!Number.isInteger(maxRuns) || maxRuns < 1) throw new RangeError(`maxRuns is a whole number of runs, at least 1; got ${maxRuns}`);
  // Constructed directly rather than with lowdb's node preset, which swaps in memory under NODE_ENV=test.
  const db = new Low<RunHistoryFile>(file === undefined ? new Memory<RunHistoryFile>() : new RunHistoryFileAdapter(file), emptyFile());
  await db.read();
  const records = file === undefined ? memoryRecords() : fileRecords(recordsFolder(file));
  const runs = db.data.runs;
  // Writes one at a time: lowdb's write is a whole-file replace, and two at once would race.
  let writing: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const next = writing.then(() => db.write());
    writing = next.catch(() => undefined);
    return next;
  };
  const indexOf = (id: string) => runs.findIndex((run) => run.id === id);
  const sameBaselineSlot = (a: RunListItem, b: RunListItem) => a.scenario === b.scenario && a.target.id === b.target.id;
  const withRecord = async (item: RunListItem | undefined): Promise<StoredRun | undefined> => {
    if (!item) return undefined;
    const record = await records.read(item.id);
    if (!record) throw new RunHistoryError(`The record of run "${item.id}" is missing from ${file === undefined ? 'memory' : recordsFolder(file)}; delete the run`);
    return { item, record };
  };

  /** A run whose partner is gone is no longer half of a pair (the console would open a run that does not exist). */
  function unpair(goneId: string): void {
    for (const [i, run] of runs.entries()) {
      if (run.pairedWith !== goneId) continue;
      const { pairedWith: _gone, ...item } = run;
      runs[i] = item;
    }
  }

  /** Drops runs past the limit: the oldest non-baseline first, then (only if baselines alone exceed it) the oldest baseline. */
  function applyRetention(): string[] {
    const dropped: string[] = [];
    while (runs.length > maxRuns) {
      let at = runs.findIndex((run) => !run.baseline);
      if (at === -1) at = 0;
      dropped.push(runs[at]!.id);
      runs.splice(at, 1);
    }
    for (const id of dropped) unpair(id);
    return dropped;
  }

  /** Record files go after the list no longer names them: a crash leaves a stray file, never a listed run without its record. */
  async function removeRecords(ids: readonly string[]): Promise<void> {
    for (const id of ids) await records.remove(id);
  }

  return {
    file,
    maxRuns,
    get size() {
      return runs.length;
    },
    list() {
      return [...runs].reverse();
    },
    item(id) {
      return runs.find((run) => run.id === id);
    },
    get(id) {
      return withRecord(runs.find((run) => run.id === id));
    },
    async add(run) {
      if (!RUN_ID.test(run.item.id)) throw new Error(`A run id is letters, digits, "-" and "_"; got ${JSON.stringify(run.item.id)}`);
      if (indexOf(run.item.id) !== -1) throw new Error(`The history already has a run "${run.item.id}"`);
      await records.write(run.item.id, run.record);
      runs.push({ ...run.item, baseline: false });
      const dropped = applyRetention();
      await persist();
      await removeRecords(dropped);
      return dropped;
    },
    async delete(id) {
      const at = indexOf(id);
      if (at === -1) return false;
      runs.splice(at, 1);
      unpair(id);
      await persist();
      await removeRecords([id]);
      return true;
    },
    async setBaseline(id) {
      const at = indexOf(id);
      if (at === -1) throw new UnknownRun(id);
      const chosen = runs[at]!;
      for (const [i, run] of runs.entries()) {
        const baseline = i === at;
        if (run.baseline !== baseline && (baseline || sameBaselineSlot(run, chosen))) runs[i] = { ...run, baseline };
      }
      await persist();
    },
    baselineFor(scenario, targetId) {
      return withRecord(runs.find((run) => run.baseline && run.scenario === scenario && run.target.id === targetId));
    },
  };
}
