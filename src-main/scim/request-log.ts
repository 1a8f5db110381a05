/**
 * A bounded in-memory ring of recent exchanges that other parts of the app subscribe to
 * (traffic inspector, "turn captured traffic into a scenario"). Kept out of the directory file
 * on purpose: lowdb rewrites whole files, and traffic is not directory data.
 */
export interface RequestLogEntry {
  readonly seq: number;
  readonly startedAt: string;
  readonly method: string;
  readonly url: string;
  /** Request headers with Authorization redacted. */
  readonly requestHeaders: Readonly<Record<string, string>>;
  readonly requestBody?: string;
  readonly status: number;
  readonly responseHeaders: Readonly<Record<string, string>>;
  readonly responseBody?: string;
  readonly durationMs: number;
  /** Non-fatal remarks: ignored attributes, coerced "False" strings, missing schemas... */
  readonly notes: readonly string[];
}

export type RequestLogListener = (entry: RequestLogEntry) => void;

/** Bodies larger than this are truncated in the log (the exchange itself is unaffected). */
const MAX_LOGGED_BODY = 64 * 1024;

export function redactHeaders(headers: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name] = name === 'authorization' ? value.replace(/^(\S+)\s.*$/s, '$1 [redacted]') : value;
  }
  return result;
}

export function truncateBody(body: string | undefined): string | undefined {
  if (body === undefined || body.length <= MAX_LOGGED_BODY) return body;
  // Copy the prefix: a V8 slice would keep the whole large body alive for as long as the entry.
  const prefix = new TextDecoder().decode(new TextEncoder().encode(body.slice(0, MAX_LOGGED_BODY)));
  return `${prefix}… [truncated ${body.length - MAX_LOGGED_BODY} characters]`;
}

export class RequestLog {
  private readonly ring: (RequestLogEntry | undefined)[];
  private next = 0;
  private size = 0;
  private seq = 0;
  private readonly listeners = new Set<RequestLogListener>();

  constructor(readonly capacity = 1000) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError('RequestLog capacity must be a positive integer');
    this.ring = new Array<RequestLogEntry | undefined>(capacity);
  }

  /** Records an exchange; `seq` is assigned here so subscribers can detect gaps. */
  record(entry: Omit<RequestLogEntry, 'seq'>): RequestLogEntry {
    const full: RequestLogEntry = { seq: ++this.seq, ...entry };
    this.ring[this.next] = full;
    this.next = (this.next + 1) % this.capacity;
    this.size = Math.min(this.size + 1, this.capacity);
    for (const listener of this.listeners) {
      try {
        listener(full);
      } catch {
        // A faulty subscriber must not break request handling.
      }
    }
    return full;
  }

  /** Oldest first. */
  entries(): RequestLogEntry[] {
    const result: RequestLogEntry[] = [];
    const start = (this.next - this.size + this.capacity) % this.capacity;
    for (let i = 0; i < this.size; i++) {
      const entry = this.ring[(start + i) % this.capacity];
      if (entry) result.push(entry);
    }
    return result;
  }

  get hasSubscribers(): boolean {
    return this.listeners.size > 0;
  }

  subscribe(listener: RequestLogListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  clear(): void {
    this.ring.fill(undefined);
    this.next = 0;
    this.size = 0;
  }
}
