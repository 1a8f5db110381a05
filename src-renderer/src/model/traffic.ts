/** Pure logic of the traffic panel: merging the live stream with history, labelling exchanges. */
import { CONSOLE_USER_AGENT, type RequestLogEntry } from '../../../src-main/api/contract';

/** The panel keeps at most this many exchanges (more than the server's ring of 1,000); the list is virtualized. */
export const TRAFFIC_CAPACITY = 2000;

/**
 * Adds entries, dropping duplicates by `seq` (the history fetch and the live stream overlap on
 * purpose: subscribing first, then fetching, means nothing falls in between). Newest first.
 */
export function mergeTraffic(
  current: readonly RequestLogEntry[],
  incoming: readonly RequestLogEntry[],
  capacity = TRAFFIC_CAPACITY,
): RequestLogEntry[] {
  if (incoming.length === 0) return current as RequestLogEntry[];
  // The live case, many times a second: everything new is newer than all that is shown.
  const newestShown = current[0]?.seq ?? 0;
  if (incoming.every((entry) => entry.seq > newestShown)) {
    const fresh = dedupeNewestFirst(incoming);
    return fresh.length >= capacity ? fresh.slice(0, capacity) : fresh.concat(current.slice(0, capacity - fresh.length));
  }
  const bySeq = new Map<number, RequestLogEntry>();
  for (const entry of current) bySeq.set(entry.seq, entry);
  for (const entry of incoming) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, capacity);
}

function dedupeNewestFirst(entries: readonly RequestLogEntry[]): RequestLogEntry[] {
  const bySeq = new Map<number, RequestLogEntry>();
  for (const entry of entries) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq);
}

export function isConsoleTraffic(entry: RequestLogEntry): boolean {
  return (entry.requestHeaders['user-agent'] ?? '').startsWith(CONSOLE_USER_AGENT.split('/')[0]);
}

/** `/scim/v2/Users?filter=...` → `/Users?filter=userName eq "x"`: the base is in the header already. */
export function displayPath(url: string, basePath: string): string {
  let path = url;
  try {
    // Entries may carry a path or an absolute URL; only path and query matter here.
    const parsed = new URL(url, 'http://scimulator.invalid');
    path = parsed.pathname + parsed.search;
  } catch {
    // Keep the raw text: an unparseable URL is itself worth seeing.
  }
  if (basePath && path.startsWith(basePath)) path = path.slice(basePath.length) || '/';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

export type StatusTone = 'success' | 'redirect' | 'client-error' | 'server-error';

export function statusTone(status: number): StatusTone {
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  return 'success';
}

export function formatDuration(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 100) return `${ms.toFixed(1)} ms`;
  if (ms < 10_000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** Pretty-prints JSON bodies; anything else is shown verbatim. */
export function formatBody(body: string | undefined): string {
  if (body === undefined || body === '') return '';
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}

export function sortedHeaders(headers: Readonly<Record<string, string>>): [string, string][] {
  return Object.entries(headers).sort(([a], [b]) => a.localeCompare(b));
}

export type StatusClass = '2xx' | '3xx' | '4xx' | '5xx';
export const STATUS_CLASSES: readonly StatusClass[] = ['2xx', '3xx', '4xx', '5xx'];
export const TRAFFIC_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;

export function statusClass(status: number): StatusClass | undefined {
  const hundreds = Math.floor(status / 100);
  return hundreds >= 2 && hundreds <= 5 ? (`${hundreds}xx` as StatusClass) : undefined;
}

/** What the traffic panel's filter bar asks for; empty fields match everything. */
export interface TrafficFilter {
  readonly method: string;
  readonly status: StatusClass | '';
  /** Case-insensitive text looked for in the displayed path (and query). */
  readonly path: string;
  readonly notesOnly: boolean;
  readonly showConsole: boolean;
}

export const NO_TRAFFIC_FILTER: TrafficFilter = { method: '', status: '', path: '', notesOnly: false, showConsole: false };

export function isTrafficFilterActive(filter: TrafficFilter): boolean {
  return filter.method !== '' || filter.status !== '' || filter.path.trim() !== '' || filter.notesOnly;
}

export function filterTraffic(entries: readonly RequestLogEntry[], filter: TrafficFilter, basePath: string): readonly RequestLogEntry[] {
  const needle = filter.path.trim().toLowerCase();
  if (!isTrafficFilterActive(filter) && filter.showConsole) return entries;
  return entries.filter(
    (entry) =>
      (filter.showConsole || !isConsoleTraffic(entry)) &&
      (filter.method === '' || entry.method === filter.method) &&
      (filter.status === '' || statusClass(entry.status) === filter.status) &&
      (!filter.notesOnly || entry.notes.length > 0) &&
      (needle === '' || displayPath(entry.url, basePath).toLowerCase().includes(needle)),
  );
}

/** "last 1,000 of 12,345": shown when the server's ring (or the panel) dropped older exchanges. */
export function wrapSummary(shown: number, total: number, wrapped: boolean): string | undefined {
  if (!wrapped || total <= shown) return undefined;
  return `last ${shown.toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`;
}

/** One operation of a SCIM Bulk response (RFC 7644 §3.7), with its own status. */
export interface BulkOperationResult {
  readonly method: string;
  readonly bulkId?: string;
  readonly path?: string;
  readonly location?: string;
  readonly status: number;
  /** The operation's own error detail, when it failed. */
  readonly detail?: string;
}

/** The operations of a Bulk exchange, pairing the response's statuses with the request's paths; undefined for other exchanges. */
export function bulkOperations(entry: RequestLogEntry): BulkOperationResult[] | undefined {
  if (entry.method !== 'POST' || !/\/Bulk(\?|$)/.test(entry.url)) return undefined;
  const response = parseObject(entry.responseBody);
  const responseOps = Array.isArray(response?.Operations) ? (response.Operations as unknown[]) : undefined;
  if (!responseOps) return undefined;
  const request = parseObject(entry.requestBody);
  const requestOps = Array.isArray(request?.Operations) ? (request.Operations as unknown[]) : [];
  return responseOps.map((raw, index) => {
    const op = isObject(raw) ? raw : {};
    const bulkId = typeof op.bulkId === 'string' ? op.bulkId : undefined;
    const sent = requestOps.map((item) => (isObject(item) ? item : {})).find((item, position) =>
      bulkId !== undefined ? item.bulkId === bulkId : position === index,
    );
    const opResponse = isObject(op.response) ? op.response : undefined;
    return {
      method: typeof op.method === 'string' ? op.method.toUpperCase() : '?',
      ...(bulkId === undefined ? {} : { bulkId }),
      ...(typeof sent?.path === 'string' ? { path: sent.path } : {}),
      ...(typeof op.location === 'string' ? { location: op.location } : {}),
      status: Number(op.status) || 0,
      ...(typeof opResponse?.detail === 'string' ? { detail: opResponse.detail } : {}),
    };
  });
}

/** The exchanges that touched a resource: its id in the path or either body. Newest first, as given. */
export function exchangesMentioning(entries: readonly RequestLogEntry[], id: string): RequestLogEntry[] {
  if (id === '') return [];
  return entries.filter(
    (entry) =>
      !isConsoleTraffic(entry) &&
      (entry.url.includes(id) || (entry.requestBody?.includes(id) ?? false) || (entry.responseBody?.includes(id) ?? false)),
  );
}

type JsonObject = Record<string, unknown>;
const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseObject(text: string | undefined): JsonObject | undefined {
  if (!text) return undefined;
  try {
    const value: unknown = JSON.parse(text);
    return isObject(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
