/**
 * The append-only journal next to the snapshot (`<db>.journal`): one line per committed
 * transaction (the record format is journal-record.ts).
 *
 * One line per transaction makes a commit atomic on disk: a crash leaves either the whole
 * line or a torn tail that replay ignores, never half of a delete and its cascade. Appending
 * costs O(size of the change), independent of the directory size.
 *
 * Group commit: callers append records; one writer at a time takes everything pending, writes
 * it with one write() and one fdatasync(), then acknowledges all of it. Records that arrive
 * while an fdatasync is in flight wait for the next round, so N concurrent commits cost far
 * fewer than N fsyncs.
 */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { PRIVATE_FILE_MODE, syncDirectory, writeFully } from './durable-fs.js';
import { decodeLine, decodeRun, recordProblem, type JournalRecord } from './journal-record.js';
import { readLines, type LineSink } from './line-reader.js';
import {
  asOpenError,
  errorMessage,
  isErrnoCode,
  StoreClosedError,
  StoreCompactionError,
  StoreFailedError,
  StoreOpenError,
} from './store-errors.js';

export interface JournalScan {
  exists: boolean;
  fileBytes: number;
  /** Bytes up to the end of the last complete line; the rest is a torn tail. */
  validBytes: number;
  /** 1-based line number of the torn tail, when there is one. */
  tornLine?: number;
}

/**
 * Reads the journal and hands every record, in order, to `onRecord`. A final line without its
 * newline is a write the crash cut short, never acknowledged (the newline is written with the
 * line, and the commit resolves only after fdatasync), so it is skipped. Every complete line must
 * be a valid record: anything else, including a complete but unparsable last line, is damage to
 * acknowledged data and stops with a StoreOpenError naming the line, as does `onRecord` throwing.
 * Never writes.
 */
export async function scanJournal(
  path: string,
  onRecord: (record: JournalRecord, line: number) => void,
  readChunk?: number,
): Promise<JournalScan> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if (isErrnoCode(error, 'ENOENT')) return { exists: false, fileBytes: 0, validBytes: 0 };
    throw asOpenError(error, path);
  }
  try {
    const { size } = await handle.stat();
    const scanner = new JournalScanner(path, size, onRecord);
    const tail = await readLines(handle, size, scanner, readChunk);
    if (tail !== undefined && tail.length > 0) {
      return { exists: true, fileBytes: size, validBytes: scanner.validBytes, tornLine: scanner.line };
    }
    return { exists: true, fileBytes: size, validBytes: size };
  } catch (error) {
    throw asOpenError(error, path);
  } finally {
    await handle.close();
  }
}

class JournalScanner implements LineSink {
  /** Line number of the next line. */
  line = 1;
  /** File offset just past the last good line. */
  validBytes = 0;

  constructor(
    private readonly path: string,
    private readonly size: number,
    private readonly onRecord: (record: JournalRecord, line: number) => void,
  ) {}

  lines(buffer: Buffer, start: number, end: number, offset: number): boolean {
    const newlines: number[] = [];
    for (let at = buffer.indexOf(0x0a, start); at >= 0 && at < end; at = buffer.indexOf(0x0a, at + 1)) newlines.push(at);
    const records = decodeRun(buffer, start, end, newlines);
    if (records !== undefined) {
      for (let index = 0; index < records.length; index++) {
        this.accept(records[index]);
        this.validBytes = offset + newlines[index] + 1 - start;
      }
      return true;
    }
    // Something is off in this run: go line by line to find and name the bad line.
    let lineStart = start;
    for (const at of newlines) {
      this.one(buffer.subarray(lineStart, at), offset + at + 1 - start);
      lineStart = at + 1;
    }
    return true;
  }

  single(bytes: Buffer, offset: number): boolean {
    this.one(bytes, offset + bytes.length + 1);
    return true;
  }

  /** One complete line; `endOffset` is the file offset just past its newline. */
  private one(bytes: Buffer, endOffset: number): void {
    let record: unknown;
    try {
      record = decodeLine(bytes);
    } catch (error) {
      const advice =
        endOffset === this.size
          ? 'the line is complete (it ends with a newline), so it is damage, not a write cut short by a crash: ' +
            'restore the journal from a backup, or delete this last line to give up that one record'
          : 'restore the journal from a backup';
      throw new StoreOpenError(this.path, `not valid JSON: ${errorMessage(error)}; ${advice}`, this.line, { cause: error });
    }
    this.accept(record);
    this.validBytes = endOffset;
  }

  private accept(record: unknown): void {
    const problem = recordProblem(record);
    if (problem !== undefined) throw new StoreOpenError(this.path, problem, this.line);
    try {
      this.onRecord(record as JournalRecord, this.line);
    } catch (error) {
      if (error instanceof StoreOpenError) throw error;
      throw new StoreOpenError(this.path, errorMessage(error), this.line, { cause: error });
    }
    this.line++;
  }
}

interface Pending {
  readonly seq: number;
  /** undefined for a barrier: resolves when everything appended before it is durable. */
  readonly line: string | undefined;
  readonly resolve: () => void;
  readonly reject: (error: Error) => void;
}

export interface JournalCounters {
  /** fdatasync calls made for appends (the group-commit measure). */
  fsyncs: number;
  /** write rounds (one write() of a batch each). */
  writes: number;
  /** records acknowledged. */
  records: number;
}

/** What the journal tells its owner. */
export interface JournalEvents {
  /** After each durable round, so the store can decide to compact. */
  durable(): void;
  /** Once, when the journal becomes unusable; nobody may be awaiting a commit to see it. */
  failed(error: StoreFailedError): void;
}

export class Journal {
  readonly counters: JournalCounters = { fsyncs: 0, writes: 0, records: 0 };
  private pending: Pending[] = [];
  private flushQueued = false;
  /** Serializes all file work: flush rounds and the compaction swap never overlap. */
  private chain: Promise<void> = Promise.resolve();
  private failure: StoreFailedError | undefined;
  private closed = false;
  /** While a compaction runs: the lines with seq > afterSeq written to this journal meanwhile. */
  private capture: { afterSeq: number; lines: string[] } | undefined;

  private constructor(
    readonly path: string,
    private handle: FileHandle,
    private size: number,
    private readonly events: JournalEvents,
  ) {}

  /**
   * Opens for appending after a successful scan: cuts a torn tail away first (so new records do
   * not follow garbage), and makes a newly created journal's directory entry durable. Failures
   * are StoreOpenErrors.
   */
  static async open(path: string, scan: JournalScan, events: JournalEvents): Promise<Journal> {
    let handle: FileHandle;
    try {
      handle = await open(path, 'a', PRIVATE_FILE_MODE);
    } catch (error) {
      throw asOpenError(error, path);
    }
    try {
      if (scan.exists && scan.fileBytes > scan.validBytes) {
        await handle.truncate(scan.validBytes);
        await handle.sync();
      }
      if (!scan.exists) await syncDirectory(dirname(path));
    } catch (error) {
      await handle.close().catch(() => undefined);
      throw asOpenError(error, path);
    }
    return new Journal(path, handle, scan.validBytes, events);
  }

  get bytes(): number {
    return this.size;
  }

  get failed(): StoreFailedError | undefined {
    return this.failure;
  }

  /** Queues one record line; resolves once it is on disk (written and fdatasync'ed). */
  append(seq: number, line: string): Promise<void> {
    return this.enqueue(seq, line);
  }

  /** Resolves once everything appended so far is on disk. */
  sync(): Promise<void> {
    return this.enqueue(0, undefined);
  }

  private enqueue(seq: number, line: string | undefined): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    if (this.closed) return Promise.reject(new StoreClosedError());
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ seq, line, resolve, reject });
      if (!this.flushQueued) {
        this.flushQueued = true;
        // Runs after the current synchronous work, so a burst of commits made in one tick
        // shares a round even when the journal is idle.
        this.chain = this.chain.then(() => this.flush());
      }
    });
  }

  /** One group-commit round. Never rejects: failures go to the waiting callers. */
  private async flush(): Promise<void> {
    this.flushQueued = false;
    const batch = this.pending;
    this.pending = [];
    if (batch.length === 0) return;
    if (this.failure) {
      for (const item of batch) item.reject(this.failure);
      return;
    }
    const lines: string[] = [];
    for (const item of batch) {
      if (item.line === undefined) continue;
      lines.push(item.line);
      if (this.capture && item.seq > this.capture.afterSeq) this.capture.lines.push(item.line);
    }
    const records = lines.length;
    if (records > 0) {
      try {
        // Encoded line by line: one string for a whole batch could pass V8's string limit.
        const data = records === 1 ? Buffer.from(lines[0]) : Buffer.concat(lines.map((line) => Buffer.from(line)));
        await writeFully(this.handle, data);
        this.size += data.length;
        this.counters.writes++;
        await this.handle.datasync();
        this.counters.fsyncs++;
        this.counters.records += records;
      } catch (error) {
        this.fail(error);
        for (const item of batch) item.reject(this.failure ?? new StoreFailedError(this.path, error));
        return;
      }
    }
    for (const item of batch) item.resolve();
    this.events.durable();
  }

  /**
   * Marks the journal unusable. The bytes of the failed round may be partly on disk (a torn
   * line, ignored at the next open) or even wholly (then the "failed" commits reappear after a
   * restart: a rejected commit's outcome is unknown, as with any database).
   */
  fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error instanceof StoreFailedError ? error : new StoreFailedError(this.path, error);
    const waiting = this.pending;
    this.pending = [];
    for (const item of waiting) item.reject(this.failure);
    this.events.failed(this.failure);
  }

  /** Starts remembering lines with seq > afterSeq (records the snapshot being written lacks). */
  startCapture(afterSeq: number): void {
    this.capture = { afterSeq, lines: [] };
  }

  stopCapture(): void {
    this.capture = undefined;
  }

  /**
   * After a snapshot including every record <= afterSeq is durable: replaces the journal with
   * one holding only the captured later records. Runs between flush rounds, so no record is
   * lost or duplicated; commits arriving meanwhile wait for the next round and go to the new
   * file. A crash before the rename leaves the old journal (its records <= afterSeq are skipped
   * at replay); after it, the new one.
   */
  swap(): Promise<void> {
    const run = this.chain.then(async () => {
      const capture = this.capture;
      this.capture = undefined;
      if (this.failure) throw this.failure;
      if (capture === undefined) throw new Error('journal swap without a capture');
      const data = Buffer.concat(capture.lines.map((line) => Buffer.from(line)));
      const temporary = `${this.path}.tmp`;
      try {
        const handle = await open(temporary, 'w', PRIVATE_FILE_MODE);
        try {
          // A leftover temp file keeps its old mode through open(): set it.
          await handle.chmod(PRIVATE_FILE_MODE);
          await writeFully(handle, data);
          await handle.sync();
        } finally {
          await handle.close();
        }
      } catch (error) {
        // The old journal is intact and still complete: the compaction simply did not finish.
        await rm(temporary, { force: true }).catch(() => undefined);
        throw new StoreCompactionError(temporary, error);
      }
      // Closed before the rename: Windows refuses to replace a file that is open.
      await this.handle.close().catch(() => undefined);
      try {
        await rename(temporary, this.path);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => undefined);
        await this.reopen(error);
        throw new StoreCompactionError(this.path, error);
      }
      try {
        await syncDirectory(dirname(this.path));
        this.handle = await open(this.path, 'a');
        this.size = data.length;
      } catch (error) {
        // The name now points at the new file but we cannot make that durable or write to it.
        this.fail(error);
        throw this.failure;
      }
    });
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** After a failed rename the old journal is still in place: keep appending to it. */
  private async reopen(cause: unknown): Promise<void> {
    try {
      this.handle = await open(this.path, 'a');
    } catch {
      this.fail(cause);
    }
  }

  /** Flushes everything pending and releases the file. Later appends are refused. */
  async close(): Promise<void> {
    if (this.closed) return;
    await this.sync().catch(() => undefined);
    this.closed = true;
    await this.chain;
    // Already closed if a failed journal swap could not reopen it.
    await this.handle.close().catch(() => undefined);
  }
}
