/**
 * The directory snapshot: a lowdb JSON file, read and written through a lowdb `Adapter` of our own.
 *
 * Why not lowdb's `JSONFile`: steno writes a temp file and renames it but never fsyncs the file or
 * the directory, so a crash can leave an empty or truncated snapshot; and it stringifies the
 * whole document in one synchronous call, which blocks the event loop for ~1 s and fails outright
 * past V8's ~512 MB string limit. This adapter writes the same JSON, one resource per line,
 * in 256 KiB chunks (the event loop keeps serving requests in between) and durably
 * (temp + fsync + rename + fsync dir).
 *
 * Layout (valid JSON; any JSON reader, including lowdb's JSONFile, reads it):
 *
 *   {"format":"scimulator-directory","version":1,"journalSeq":42,"settings":{...},"users":[
 *   {...user...},
 *   {...user...}
 *   ],"groups":[
 *   {...group...}
 *   ]}
 *
 * Reading recognises this layout and parses it in chunks, overlapping disk reads with parsing;
 * a file in any other valid JSON layout (hand-edited, pretty-printed) is parsed as a whole.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import { isObject, type StoredResource } from '../scim/resource.js';
import { replaceFileDurably, writeFully } from './durable-fs.js';
import { decode, readLines, type LineSink } from './line-reader.js';
import { collectionProblem } from './resource-shape.js';
import { errorMessage, isErrnoCode, StoreOpenError } from './store-errors.js';

export const SNAPSHOT_FORMAT = 'scimulator-directory';
export const SNAPSHOT_VERSION = 1;

export interface DirectorySnapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** The last journal record whose effect this snapshot includes; replay skips seq <= this. */
  journalSeq: number;
  settings: Record<string, string>;
  users: StoredResource[];
  groups: StoredResource[];
}

export function emptySnapshot(): DirectorySnapshot {
  return { format: SNAPSHOT_FORMAT, version: SNAPSHOT_VERSION, journalSeq: 0, settings: {}, users: [], groups: [] };
}

/**
 * Output gathered before one write. Serializing a chunk blocks the event loop, and commits made
 * during a compaction wait for it: 256 KiB keeps that to a few ms (p50 commit latency during a
 * 140 MB compaction: 4 ms, against 36 ms with 4 MiB chunks) for a negligible syscall cost.
 */
const WRITE_CHUNK = 256 * 1024;

const USERS_OPEN = ',"users":[';
const GROUPS_LINE = '],"groups":[';
const END_LINE = ']}';

export class SnapshotFile implements Adapter<DirectorySnapshot> {
  /** Size of the file as last read or written; the compaction threshold is relative to it. */
  bytes = 0;

  constructor(
    readonly path: string,
    /** Bytes per read while parsing (tests make it tiny so lines straddle reads). */
    private readonly readChunk?: number,
  ) {}

  async read(): Promise<DirectorySnapshot | null> {
    let handle: FileHandle;
    try {
      handle = await open(this.path, 'r');
    } catch (error) {
      if (isErrnoCode(error, 'ENOENT')) return null;
      throw new StoreOpenError(this.path, `cannot be read (${errorMessage(error)})`, undefined, { cause: error });
    }
    try {
      const { size } = await handle.stat();
      this.bytes = size;
      if (size === 0) throw new StoreOpenError(this.path, 'the file is empty, expected a scimulator-directory JSON document');
      const fast = await readLayout(handle, size, this.readChunk);
      let value: unknown;
      if (fast.ok) value = fast.value;
      else {
        // Not our line layout (or damaged): let the JSON parser judge the whole text.
        let text: string | undefined;
        try {
          text = await readText(handle, size);
          value = JSON.parse(text);
        } catch (error) {
          if (fast.line !== undefined) throw new StoreOpenError(this.path, fast.problem, fast.line, { cause: error });
          throw new StoreOpenError(this.path, describeJsonError(error, text), undefined, { cause: error });
        }
      }
      const problem = snapshotProblem(value);
      if (problem !== undefined) throw new StoreOpenError(this.path, problem);
      return value as DirectorySnapshot;
    } finally {
      await handle.close();
    }
  }

  async write(data: DirectorySnapshot): Promise<void> {
    this.bytes = await replaceFileDurably(this.path, async (handle) => {
      let written = 0;
      let parts: string[] = [];
      let gathered = 0;
      const flush = async (): Promise<void> => {
        const chunk = Buffer.from(parts.join(''));
        parts = [];
        gathered = 0;
        await writeFully(handle, chunk);
        written += chunk.length;
      };
      const push = async (text: string): Promise<void> => {
        parts.push(text);
        gathered += text.length;
        // Awaiting the write also yields to the event loop between chunks.
        if (gathered >= WRITE_CHUNK) await flush();
      };
      const header = JSON.stringify({
        format: data.format,
        version: data.version,
        journalSeq: data.journalSeq,
        settings: data.settings,
      });
      await push(`${header.slice(0, -1)}${USERS_OPEN}\n`);
      for (let index = 0; index < data.users.length; index++) {
        await push(`${JSON.stringify(data.users[index])}${index < data.users.length - 1 ? ',\n' : '\n'}`);
      }
      await push(`${GROUPS_LINE}\n`);
      for (let index = 0; index < data.groups.length; index++) {
        await push(`${JSON.stringify(data.groups[index])}${index < data.groups.length - 1 ? ',\n' : '\n'}`);
      }
      await push(`${END_LINE}\n`);
      await flush();
      return written;
    });
  }
}

type LayoutResult =
  | { ok: true; value: unknown }
  | { ok: false; problem: string; line?: number };

/**
 * Reads a snapshot in the line layout `SnapshotFile.write` produces, streaming, and parses each
 * run of resource lines with a single JSON.parse (the `[` `]` written into the read buffer
 * itself, to avoid copying). On any mismatch it reports where, so the caller can fall back to a
 * whole-file parse.
 */
async function readLayout(handle: FileHandle, size: number, chunk: number | undefined): Promise<LayoutResult> {
  const reader = new LayoutReader();
  const tail = await readLines(handle, size, reader, chunk);
  if (tail === undefined) return reader.failure();
  if (tail.length > 0 && !reader.single(tail)) return reader.failure();
  return reader.finish();
}

/**
 * Resource lines are parsed in runs of about this many bytes. Kept below V8's large-object size,
 * a run's text is allocated in the young generation, whose pages are already mapped; the
 * multi-megabyte runs of a whole read were fresh large-object pages each time, and faulting them
 * in cost a sixth of start-up at 100k users.
 */
const RUN_BYTES = 64 * 1024;

class LayoutReader implements LineSink {
  state: 'header' | 'users' | 'groups' | 'end' = 'header';
  private header: Record<string, unknown> | undefined;
  private readonly users: unknown[] = [];
  private readonly groups: unknown[] = [];
  /** Line number of the next line to process. */
  private line = 1;
  /** The previous resource line ended with ',', so another resource must follow. */
  private expectMore = false;
  private problem: { problem: string; line?: number } | undefined;

  longLine(length: number): boolean {
    // A first line this long is not our header: some other JSON layout, parse it whole.
    if (this.state === 'header' && length > 1024 * 1024) {
      this.problem = { problem: 'not in the snapshot line layout' };
      return false;
    }
    return true;
  }

  failure(): LayoutResult {
    return { ok: false, problem: this.problem?.problem ?? 'unreadable', line: this.problem?.line };
  }

  finish(): LayoutResult {
    if (this.state !== 'end' || this.header === undefined) {
      this.fail('the file ends before the closing "]}"');
      return this.failure();
    }
    return { ok: true, value: { ...this.header, users: this.users, groups: this.groups } };
  }

  /** Complete lines buffer[start, end), end just past a newline. May overwrite buffer[start - 1]. */
  lines(buffer: Buffer, start: number, end: number): boolean {
    let at = start;
    while (at < end) {
      if ((this.state === 'users' || this.state === 'groups') && buffer[at] === 0x7b /* { */) {
        const runStart = at;
        let count = 0;
        while (at < end && buffer[at] === 0x7b && at - runStart < RUN_BYTES) {
          at = buffer.indexOf(0x0a, at) + 1;
          count++;
        }
        if (!this.run(buffer, runStart, at, count)) return false;
        continue;
      }
      const newline = buffer.indexOf(0x0a, at);
      if (!this.structural(buffer.toString('utf8', at, newline))) return false;
      this.line++;
      at = newline + 1;
    }
    return true;
  }

  /** One complete line on its own (it spanned two reads, or ends the file without a newline). */
  single(bytes: Buffer): boolean {
    if ((this.state === 'users' || this.state === 'groups') && bytes[0] === 0x7b) {
      let text = decode(bytes).trimEnd();
      this.expectMore = text.endsWith(',');
      if (this.expectMore) text = text.slice(0, -1);
      try {
        (this.state === 'users' ? this.users : this.groups).push(JSON.parse(text));
      } catch (error) {
        return this.fail(`not valid JSON: ${errorMessage(error)}`);
      }
      this.line++;
      return true;
    }
    if (!this.structural(decode(bytes))) return false;
    this.line++;
    return true;
  }

  /** Resource lines buffer[start, end): parsed as one JSON array, brackets written in place. */
  private run(buffer: Buffer, start: number, end: number, count: number): boolean {
    buffer[start - 1] = 0x5b; // [
    this.expectMore = end - start >= 2 && buffer[end - 2] === 0x2c; // ,
    if (this.expectMore) buffer[end - 2] = 0x20;
    buffer[end - 1] = 0x5d; // ]
    const text = decode(buffer.subarray(start - 1, end));
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      // Name the offending line: parse them one by one.
      const texts = text.slice(1, -1).split('\n');
      for (let index = 0; index < texts.length; index++) {
        const trimmed = texts[index].trimEnd();
        try {
          JSON.parse(trimmed.endsWith(',') ? trimmed.slice(0, -1) : trimmed);
        } catch (error) {
          this.line += index;
          return this.fail(`not valid JSON: ${errorMessage(error)}`);
        }
      }
      return this.fail('resource lines are not valid JSON together');
    }
    const target = this.state === 'users' ? this.users : this.groups;
    for (const item of parsed as unknown[]) target.push(item);
    this.line += count;
    return true;
  }

  private structural(text: string): boolean {
    if (this.state === 'header') {
      if (!text.startsWith(`{"format":"${SNAPSHOT_FORMAT}"`) || !text.endsWith(USERS_OPEN)) {
        // No line number: this is not a damaged snapshot of ours but some other JSON layout.
        this.problem = { problem: 'not in the snapshot line layout' };
        return false;
      }
      try {
        const parsed: unknown = JSON.parse(`${text.slice(0, -USERS_OPEN.length)}}`);
        if (!isObject(parsed)) return this.fail('the header is not a JSON object');
        this.header = parsed;
      } catch (error) {
        return this.fail(`the header is not valid JSON: ${errorMessage(error)}`);
      }
      this.state = 'users';
      return true;
    }
    if (this.expectMore) return this.fail('a resource line ends with "," but no resource follows');
    if (this.state === 'users' && text === GROUPS_LINE) this.state = 'groups';
    else if (this.state === 'groups' && text === END_LINE) this.state = 'end';
    else if (!(this.state === 'end' && text.trim() === '')) return this.fail(`unexpected line ${JSON.stringify(text.slice(0, 80))}`);
    return true;
  }

  /** Records a problem at the current line; false, for `return this.fail(...)`. */
  private fail(problem: string): false {
    this.problem = { problem, line: this.line };
    return false;
  }
}

async function readText(handle: FileHandle, size: number): Promise<string> {
  const buffer = Buffer.allocUnsafe(size);
  let filled = 0;
  while (filled < size) {
    const { bytesRead } = await handle.read(buffer, filled, size - filled, filled);
    if (bytesRead === 0) break;
    filled += bytesRead;
  }
  return buffer.toString('utf8', 0, filled);
}

/** JSON.parse reports a character position; operators want a line. */
function describeJsonError(error: unknown, text: string | undefined): string {
  const message = errorMessage(error);
  const match = /position (\d+)/.exec(message);
  if (match && text !== undefined) {
    const position = Number(match[1]);
    let line = 1;
    for (let index = 0; index < position && index < text.length; index++) if (text.charCodeAt(index) === 10) line++;
    return `not valid JSON (line ${line}): ${message}`;
  }
  return `not valid JSON: ${message}`;
}

/** What makes `value` not a snapshot this build can load, or undefined. */
export function snapshotProblem(value: unknown): string | undefined {
  if (!isObject(value)) return 'the document is not a JSON object';
  if (value.format !== SNAPSHOT_FORMAT) return `"format" is ${JSON.stringify(value.format)}, expected "${SNAPSHOT_FORMAT}"`;
  if (value.version !== SNAPSHOT_VERSION) return `"version" is ${JSON.stringify(value.version)}; this build reads version ${SNAPSHOT_VERSION}`;
  if (typeof value.journalSeq !== 'number' || !Number.isSafeInteger(value.journalSeq) || value.journalSeq < 0) return '"journalSeq" is not a non-negative integer';
  const settings = value.settings;
  if (!isObject(settings) || !Object.values(settings).every((item) => typeof item === 'string')) return '"settings" is not an object of strings';
  return collectionProblem(value.users, 'User') ?? collectionProblem(value.groups, 'Group');
}
