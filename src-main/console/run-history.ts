/**
 * The console's run history: every finished run (its list entry and its full record) in its own
 * lowdb file, `runs.json`, apart from the provider's directory. A retention limit keeps the file
 * from growing without end: past it, the oldest runs that are not a baseline go first. One run per
 * scenario and target can be the baseline later runs are compared with.
 *
 * A file that cannot be read as a run history is an error that names it, and it is never
 * overwritten: the user may want what is in it. Each write replaces the file whole (temporary file,
 * flush, rename), so a crash leaves the previous history or the new one.
 */
import { Low, type Adapter } from 'lowdb';
import { Memory } from 'lowdb';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { RunListItem } from '../api/contract.js';
import type { RunRecord } from '../runner/run-record.js';
import { writeFileAtomically } from './atomic-write.js';

export const RUN_HISTORY_FORMAT = 'scimulator-run-history';
export const RUN_HISTORY_VERSION = 1;
export const DEFAULT_MAX_RUNS = 50;

/** A run as the history keeps it. */
export interface StoredRun {
  readonly item: RunListItem;
  readonly record: RunRecord;
}

interface RunHistoryFile {
  format: typeof RUN_HISTORY_FORMAT;
  version: typeof RUN_HISTORY_VERSION;
  /** Oldest first. */
  runs: StoredRun[];
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
  get(id: string): StoredRun | undefined;
  /** Keeps a finished run; returns the ids the retention limit dropped to make room. */
  add(run: StoredRun): Promise<string[]>;
  /** False when there was no such run. */
  delete(id: string): Promise<boolean>;
  /** Makes the run the baseline of its scenario on its target, in place of the previous one. */
  setBaseline(id: string): Promise<void>;
  baselineFor(scenario: string, targetId: string): StoredRun | undefined;
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
    const stored = run as Partial<StoredRun> | null;
    return (
      typeof stored !== 'object' ||
      stored === null ||
      typeof stored.item?.id !== 'string' ||
      typeof stored.item.scenario !== 'string' ||
      typeof stored.item.target?.id !== 'string' ||
      typeof stored.record !== 'object' ||
      stored.record === null ||
      !Array.isArray(stored.record.exchanges)
    );
  });
  return at === -1 ? undefined : `has a damaged run at runs[${at}]`;
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
  const runs = db.data.runs;
  // Writes one at a time: lowdb's write is a whole-file replace, and two at once would race.
  let writing: Promise<void> = Promise.resolve();
  const persist = (): Promise<void> => {
    const next = writing.then(() => db.write());
    writing = next.catch(() => undefined);
    return next;
  };
  const indexOf = (id: string) => runs.findIndex((run) => run.item.id === id);
  const sameBaselineSlot = (a: RunListItem, b: RunListItem) => a.scenario === b.scenario && a.target.id === b.target.id;

  /** A run whose partner is gone is no longer half of a pair (the console would open a run that does not exist). */
  function unpair(goneId: string): void {
    for (const [i, run] of runs.entries()) {
      if (run.item.pairedWith !== goneId) continue;
      const { pairedWith: _gone, ...item } = run.item;
      runs[i] = { ...run, item };
    }
  }

  /** Drops runs past the limit: the oldest non-baseline first, then (only if baselines alone exceed it) the oldest baseline. */
  function applyRetention(): string[] {
    const dropped: string[] = [];
    while (runs.length > maxRuns) {
      let at = runs.findIndex((run) => !run.item.baseline);
      if (at === -1) at = 0;
      dropped.push(runs[at]!.item.id);
      runs.splice(at, 1);
    }
    for (const id of dropped) unpair(id);
    return dropped;
  }

  return {
    file,
    maxRuns,
    get size() {
      return runs.length;
    },
    list() {
      return runs.map((run) => run.item).reverse();
    },
    get(id) {
      return runs.find((run) => run.item.id === id);
    },
    async add(run) {
      if (indexOf(run.item.id) !== -1) throw new Error(`The history already has a run "${run.item.id}"`);
      runs.push({ item: { ...run.item, baseline: false }, record: run.record });
      const dropped = applyRetention();
      await persist();
      return dropped;
    },
    async delete(id) {
      const at = indexOf(id);
      if (at === -1) return false;
      runs.splice(at, 1);
      unpair(id);
      await persist();
      return true;
    },
    async setBaseline(id) {
      const at = indexOf(id);
      if (at === -1) throw new UnknownRun(id);
      const chosen = runs[at]!.item;
      for (const [i, run] of runs.entries()) {
        const baseline = i === at;
        if (run.item.baseline !== baseline && (baseline || sameBaselineSlot(run.item, chosen))) runs[i] = { ...run, item: { ...run.item, baseline } };
      }
      await persist();
    },
    baselineFor(scenario, targetId) {
      return runs.find((run) => run.item.baseline && run.item.scenario === scenario && run.item.target.id === targetId);
    },
  };
}
