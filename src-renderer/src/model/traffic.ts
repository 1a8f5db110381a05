/** Pure logic of the traffic panel: merging the live stream with history, labelling exchanges. */
import { CONSOLE_USER_AGENT, type RequestLogEntry } from '../../../src-main/api/contract';

/** The panel keeps at most this many exchanges; the server's own log is the source of truth. */
export const TRAFFIC_CAPACITY = 500;

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
  const bySeq = new Map<number, RequestLogEntry>();
  for (const entry of current) bySeq.set(entry.seq, entry);
  for (const entry of incoming) bySeq.set(entry.seq, entry);
  return [...bySeq.values()].sort((a, b) => b.seq - a.seq).slice(0, capacity);
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
