/**
 * The local provider's request log as an HTTP Archive (HAR 1.2), for the console's "Export HAR":
 * what reached Scimulator, loadable in browser devtools and HTTP tools. The log already redacts
 * credentials and passwords; they are redacted again here because a HAR file is made to be
 * shared, and redaction is idempotent.
 */
import { STATUS_CODES } from 'node:http';
import type { HarNameValue, HarRequest, HarResponse, HarTimings } from '../reports/har.js';
import type { RequestLogEntry } from '../traffic/exchange-record.js';
import { redactBody, redactHeaders } from '../traffic/redaction.js';
import { SCIMULATOR_VERSION } from '../version.js';

export interface TrafficHarEntry {
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: HarRequest;
  readonly response: HarResponse;
  readonly cache: Record<string, never>;
  readonly timings: HarTimings;
  /** The exchange's sequence number in the request log. */
  readonly _seq: number;
  /** The provider's leniency notes about the exchange (docs/leniencies.md), by code. */
  readonly _notes?: readonly string[];
}

export interface TrafficHar {
  readonly log: {
    readonly version: '1.2';
    readonly creator: { readonly name: string; readonly version: string };
    readonly entries: readonly TrafficHarEntry[];
    readonly comment: string;
  };
}

/** The provider serves HTTP/1.1; the log does not keep the wire version. */
const HTTP_VERSION = 'HTTP/1.1';

const byteLength = (text: string | undefined): number => (text === undefined ? 0 : Buffer.byteLength(text, 'utf8'));

function pairs(headers: Readonly<Record<string, string>>): HarNameValue[] {
  return Object.entries(headers).map(([name, value]) => ({ name, value }));
}

function absoluteUrl(url: string, origin: string): string {
  try {
    return new URL(url, origin).href;
  } catch {
    return url;
  }
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

function entryOf(entry: RequestLogEntry, origin: string): TrafficHarEntry {
  const url = absoluteUrl(entry.url, origin);
  const requestHeaders = redactHeaders(entry.requestHeaders);
  const requestBody = entry.requestBody === undefined ? undefined : redactBody(entry.requestBody);
  const responseBody = entry.responseBody;
  const wait = Math.max(0, entry.durationMs);
  const location = entry.responseHeaders.location ?? '';
  return {
    startedDateTime: entry.startedAt,
    time: wait,
    request: {
      method: entry.method,
      url,
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: pairs(requestHeaders),
      queryString: queryString(url),
      ...(requestBody === undefined ? {} : { postData: { mimeType: requestHeaders['content-type'] ?? '', text: requestBody } }),
      headersSize: -1,
      bodySize: byteLength(requestBody),
    },
    response: {
      status: entry.status,
      statusText: STATUS_CODES[entry.status] ?? '',
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: pairs(redactHeaders(entry.responseHeaders)),
      content: {
        size: byteLength(responseBody),
        mimeType: entry.responseHeaders['content-type'] ?? 'x-unknown',
        ...(responseBody === undefined ? {} : { text: responseBody }),
      },
      redirectURL: entry.status >= 300 && entry.status < 400 ? location : '',
      headersSize: -1,
      bodySize: byteLength(responseBody),
    },
    cache: {},
    // The provider times each exchange as a whole: the phases it cannot tell apart are -1.
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive: 0 },
    _seq: entry.seq,
    ...(entry.notes.length === 0 ? {} : { _notes: entry.notes.map((note) => note.code) }),
  };
}

/** The entries, oldest first by seq, as one HAR log; `origin` makes the logged paths absolute URLs. */
export function trafficHar(entries: readonly RequestLogEntry[], origin: string): TrafficHar {
  const ordered = [...entries].sort((a, b) => a.seq - b.seq);
  return {
    log: {
      version: '1.2',
      creator: { name: 'Scimulator', version: SCIMULATOR_VERSION },
      entries: ordered.map((entry) => entryOf(entry, origin)),
      comment: `Traffic received by the local provider at ${origin} (${ordered.length} exchanges)`,
    },
  };
}
