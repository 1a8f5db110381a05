/**
 * A bounded in-memory ring of recent exchanges that other parts of the app subscribe to
 * (traffic inspector, "turn captured traffic into a scenario"). Kept out of the directory file
 * on purpose: lowdb rewrites whole files, and traffic is not directory data.
 */
import type { RequestLogEntry } from './exchange-record.js';

export type { RequestLogEntry };

export type RequestLogListener = (entry: RequestLogEntry) => void;

export { redactBody, redactHeaders } from './redaction.js';

/** Bodies larger than this many UTF-8 bytes are truncated in the log (the exchange itself is unaffected). */
const MAX_LOGGED_BODY = 64 * 1024;

/** The body cut to at most MAX_LOGGED_BODY bytes of UTF-8 (never inside a character), saying how much was cut. */
export function truncateBody(body: string | undefined): string | undefined {
  // Each UTF-16 unit is at most 3 bytes of UTF-8: short bodies need no byte count.
  if (body === undefined || body.length * 3 <= MAX_LOGGED_BODY) return body;
  const bytes = Buffer.from(body, 'utf8');
  if (bytes.length <= MAX_LOGGED_BODY) return body;
  let end = MAX_LOGGED_BODY;
  // Back up to the start of the character the limit falls in (continuation bytes are 10xxxxxx).
  while (end > 0 && (bytes[end]! & 0xc0) === 0x80) end--;
  return `${bytes.toString('utf8', 0, end)}… [truncated ${bytes.length - end} bytes]`;
}

/**
 * Entries are kept serialized, as UTF-8 JSON in one preallocated byte slab, with their offsets
 * in typed arrays: recording an exchange leaves no new object on the JS heap. Every entry
 * outlives several young-generation collections, and at thousands of requests a second keeping
 * them as objects made V8 promote megabytes a second into an old generation that also holds the
 * whole directory, and mark all of it again every second or two.
 */
const DEFAULT_SLAB_BYTES = 16 * 1024 * 1024;

export interface RequestLogOptions {
  /** Most entries kept. */
  readonly capacity?: number;
  /** Bytes of serialized entries kept; older entries make room for newer ones. */
  readonly slabBytes?: number;
}

export class RequestLog {
  readonly capacity: number;
  private readonly slab: Buffer;
  /** Per slot: where the entry starts, its total bytes, and the bytes of each part. */
  private readonly offsets: Int32Array;
  private readonly lengths: Int32Array;
  private readonly metaLengths: Int32Array;
  /** -1 when the exchange had no such body. */
  private readonly requestLengths: Int32Array;
  private readonly responseLengths: Int32Array;
  /** Index (into the slot arrays) of the oldest entry. */
  private first = 0;
  private size = 0;
  /** Where the next entry's bytes go. */
  private head = 0;
  private seq = 0;
  private readonly listeners = new Set<RequestLogListener>();

  constructor(capacityOrOptions: number | RequestLogOptions = {}) {
    const options = typeof capacityOrOptions === 'number' ? { capacity: capacityOrOptions } : capacityOrOptions;
    const capacity = options.capacity ?? 1000;
    const slabBytes = options.slabBytes ?? DEFAULT_SLAB_BYTES;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('RequestLog capacity must be a positive integer');
    if (!Number.isInteger(slabBytes) || slabBytes < 1024) throw new RangeError('RequestLog slabBytes must be an integer of at least 1024');
    this.capacity = capacity;
    this.slab = Buffer.allocUnsafe(slabBytes);
    this.offsets = new Int32Array(capacity);
    this.lengths = new Int32Array(capacity);
    this.metaLengths = new Int32Array(capacity);
    this.requestLengths = new Int32Array(capacity);
    this.responseLengths = new Int32Array(capacity);
  }

  /**
   * Allocates the sequence number of an exchange that has begun, so that what it causes (a
   * directory commit) can name it before the exchange is recorded. Sequence numbers follow the
   * order exchanges began; entries are kept in the order they were recorded (finished).
   */
  begin(): number {
    return ++this.seq;
  }

  /** Records an exchange under the seq from begin(), or a new one. */
  record(entry: Omit<RequestLogEntry, 'seq'> & { readonly seq?: number }): number {
    const seq = entry.seq ?? this.begin();
    // The bodies are stored as they are, beside the rest as JSON: serializing them as JSON
    // strings would escape every quote of every body on every request.
    const meta = JSON.stringify({
      seq,
      startedAt: entry.startedAt,
      method: entry.method,
      url: entry.url,
      requestHeaders: entry.requestHeaders,
      status: entry.status,
      responseHeaders: entry.responseHeaders,
      durationMs: entry.durationMs,
      notes: entry.notes,
    });
    const metaLength = Buffer.byteLength(meta);
    let requestBody = entry.requestBody;
    let responseBody = entry.responseBody;
    let requestLength = requestBody === undefined ? -1 : Buffer.byteLength(requestBody);
    let responseLength = responseBody === undefined ? -1 : Buffer.byteLength(responseBody);
    if (metaLength + Math.max(0, requestLength) + Math.max(0, responseLength) > this.slab.length) {
      // Bodies are already truncated; this only guards a small slab against a huge entry.
      requestBody = undefined;
      requestLength = -1;
      responseBody = '[too large for the request log]';
      responseLength = Buffer.byteLength(responseBody);
    }
    const total = metaLength + Math.max(0, requestLength) + Math.max(0, responseLength);
    if (total <= this.slab.length) {
      const start = this.reserve(total);
      this.put(meta, start, metaLength);
      if (requestBody !== undefined) this.put(requestBody, start + metaLength, requestLength);
      if (responseBody !== undefined) this.put(responseBody, start + metaLength + Math.max(0, requestLength), responseLength);
      const index = (this.first + this.size - 1) % this.capacity;
      this.metaLengths[index] = metaLength;
      this.requestLengths[index] = requestLength;
      this.responseLengths[index] = responseLength;
    }
    if (this.listeners.size > 0) {
      const full: RequestLogEntry = { ...entry, seq };
      for (const listener of this.listeners) {
        try {
          listener(full);
        } catch {
          // A faulty subscriber must not break request handling.
        }
      }
    }
    return seq;
  }

  /**
   * Writes `text` (of UTF-8 length `length`) at `offset`. A text whose UTF-8 length equals its
   * length is ASCII, and then a latin1 write is the same bytes for a plain copy, not an encode.
   */
  private put(text: string, offset: number, length: number): void {
    this.slab.write(text, offset, length, length === text.length ? 'latin1' : 'utf8');
  }

  private evictOldest(): void {
    this.first = (this.first + 1) % this.capacity;
    this.size--;
  }

  /** Makes room for `length` bytes as the newest slot, evicting what they overlap; returns the offset. */
  private reserve(length: number): number {
    if (this.head + length > this.slab.length) {
      // Wrap to the start. What lies between the old head and the end is the oldest data.
      while (this.size > 0 && this.offsets[this.first]! >= this.head) this.evictOldest();
      this.head = 0;
    }
    const start = this.head;
    const end = start + length;
    // Entries lie in the slab in the order they were written, so the ones the new bytes would
    // overwrite are always the oldest.
    while (this.size > 0) {
      const offset = this.offsets[this.first]!;
      const overlaps = offset < end && start < offset + this.lengths[this.first]!;
      if (!overlaps && this.size < this.capacity) break;
      this.evictOldest();
    }
    const index = (this.first + this.size) % this.capacity;
    this.offsets[index] = start;
    this.lengths[index] = length;
    this.size++;
    this.head = end;
    return start;
  }

  /** Oldest first. */
  entries(): RequestLogEntry[] {
    const result: RequestLogEntry[] = [];
    for (let i = 0; i < this.size; i++) {
      const index = (this.first + i) % this.capacity;
      let at = this.offsets[index]!;
      const metaLength = this.metaLengths[index]!;
      const entry = JSON.parse(this.slab.toString('utf8', at, at + metaLength)) as RequestLogEntry;
      at += metaLength;
      const requestLength = this.requestLengths[index]!;
      if (requestLength >= 0) {
        entry.requestBody = this.slab.toString('utf8', at, at + requestLength);
        at += requestLength;
      }
      const responseLength = this.responseLengths[index]!;
      if (responseLength >= 0) entry.responseBody = this.slab.toString('utf8', at, at + responseLength);
      result.push(entry);
    }
    return result;
  }

  subscribe(listener: RequestLogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
