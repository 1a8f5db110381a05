/**
 * The run's exchanges as an HTTP Archive (HAR 1.2, http://www.softwareishard.com/blog/har-12-spec/),
 * the format browser devtools (Network → Import HAR), proxies and HTTP tools load. One page per
 * step, so HAR viewers group the exchanges the way the run did; Scimulator's own fields start with
 * `_`, as the spec asks of custom fields.
 */
import { STATUS_CODES } from 'node:http';
import type { RunExchange } from '../runner/exchange.js';
import type { RunRecord } from '../runner/run-record.js';
import { SCIMULATOR_VERSION } from '../version.js';

export interface HarNameValue {
  readonly name: string;
  readonly value: string;
}

export interface HarRequest {
  readonly method: string;
  readonly url: string;
  readonly httpVersion: string;
  readonly cookies: readonly HarNameValue[];
  readonly headers: readonly HarNameValue[];
  readonly queryString: readonly HarNameValue[];
  readonly postData?: { readonly mimeType: string; readonly text: string };
  readonly headersSize: number;
  readonly bodySize: number;
}

export interface HarResponse {
  readonly status: number;
  readonly statusText: string;
  readonly httpVersion: string;
  readonly cookies: readonly HarNameValue[];
  readonly headers: readonly HarNameValue[];
  readonly content: { readonly size: number; readonly mimeType: string; readonly text?: string };
  readonly redirectURL: string;
  readonly headersSize: number;
  readonly bodySize: number;
  /** Why no response came (connection refused, timeout), as Chromium's own HAR export names it. */
  readonly _error?: string;
}

export interface HarTimings {
  readonly blocked: number;
  readonly dns: number;
  readonly connect: number;
  readonly ssl: number;
  readonly send: number;
  readonly wait: number;
  readonly receive: number;
}

export interface HarEntry {
  readonly pageref?: string;
  readonly startedDateTime: string;
  readonly time: number;
  readonly request: HarRequest;
  readonly response: HarResponse;
  readonly cache: Record<string, never>;
  readonly timings: HarTimings;
  /** What the exchange was for: "lookup by userName". */
  readonly comment: string;
  /** The exchange's index in the run record, from 1. */
  readonly _index: number;
  readonly _step: number;
  /** `idp` for the IdP's own traffic, `scimulator` for a read-back Scimulator added. */
  readonly _source: RunExchange['source'];
  /** Ids of the findings about this exchange. */
  readonly _findings?: readonly string[];
}

export interface HarPage {
  readonly startedDateTime: string;
  readonly id: string;
  readonly title: string;
  readonly pageTimings: Record<string, never>;
}

export interface Har {
  readonly log: {
    readonly version: '1.2';
    readonly creator: { readonly name: string; readonly version: string };
    readonly pages: readonly HarPage[];
    readonly entries: readonly HarEntry[];
    readonly comment: string;
  };
}

/** The exchanges are recorded as undici sends them; the record does not keep the wire version. */
const HTTP_VERSION = 'HTTP/1.1';

function pageId(step: number): string {
  return `step-${step + 1}`;
}

function byteLength(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, 'utf8');
}

function queryString(url: string): HarNameValue[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    // A URL the WHATWG parser rejects was still sent as it is; it simply has no parsed query.
    return [];
  }
}

function requestOf(exchange: RunExchange): HarRequest {
  const { request } = exchange;
  const contentType = request.headers.find(([name]) => name.toLowerCase() === 'content-type')?.[1];
  return {
    method: request.method,
    url: request.url,
    httpVersion: HTTP_VERSION,
    cookies: [],
    headers: request.headers.map(([name, value]) => ({ name, value })),
    queryString: queryString(request.url),
    ...(request.body === undefined ? {} : { postData: { mimeType: contentType ?? '', text: request.body } }),
    headersSize: -1,
    bodySize: byteLength(request.body),
  };
}

function responseOf(exchange: RunExchange): HarResponse {
  const { response } = exchange;
  if (!response) {
    // HAR has no entry without a response: status 0 is how browsers record a request that got none.
    return {
      status: 0,
      statusText: '',
      httpVersion: HTTP_VERSION,
      cookies: [],
      headers: [],
      content: { size: 0, mimeType: 'x-unknown' },
      redirectURL: '',
      headersSize: -1,
      bodySize: -1,
      ...(exchange.error === undefined ? {} : { _error: exchange.error }),
    };
  }
  const redirect = response.status >= 300 && response.status < 400 ? (response.headers.location ?? '') : '';
  return {
    status: response.status,
    statusText: STATUS_CODES[response.status] ?? '',
    httpVersion: HTTP_VERSION,
    cookies: [],
    headers: Object.entries(response.headers).map(([name, value]) => ({ name, value })),
    content: {
      size: byteLength(response.body),
      mimeType: response.headers['content-type'] ?? 'x-unknown',
      ...(response.body === undefined ? {} : { text: response.body }),
    },
    redirectURL: redirect,
    headersSize: -1,
    bodySize: byteLength(response.body),
  };
}

function entryOf(exchange: RunExchange, findings: readonly string[]): HarEntry {
  const wait = Math.max(0, exchange.durationMs);
  return {
    pageref: pageId(exchange.step),
    startedDateTime: exchange.startedAt,
    time: wait,
    request: requestOf(exchange),
    response: responseOf(exchange),
    cache: {},
    // The runner times each exchange as a whole; HAR's phases it cannot tell apart are -1 ("does
    // not apply") and the whole time is the wait for the response.
    timings: { blocked: -1, dns: -1, connect: -1, ssl: -1, send: 0, wait, receive: 0 },
    comment: exchange.purpose,
    _index: exchange.index,
    _step: exchange.step,
    _source: exchange.source,
    ...(findings.length === 0 ? {} : { _findings: findings }),
  };
}

/** The HAR log of a run. */
export function harOf(record: RunRecord): Har {
  const pages: HarPage[] = [];
  for (const step of record.steps) {
    const first = record.exchanges.find((exchange) => exchange.step === step.index);
    if (first) pages.push({ startedDateTime: first.startedAt, id: pageId(step.index), title: `${step.index + 1}. ${step.name}`, pageTimings: {} });
  }
  // Exchanges of a step the record has no summary for (a cancelled run) still get a page to refer to.
  for (const exchange of record.exchanges) {
    if (!pages.some((page) => page.id === pageId(exchange.step))) {
      pages.push({ startedDateTime: exchange.startedAt, id: pageId(exchange.step), title: `Step ${exchange.step + 1}`, pageTimings: {} });
    }
  }
  const findingsOf = (index: number) => record.findings.filter((finding) => finding.exchange === index).map((finding) => finding.id);
  return {
    log: {
      version: '1.2',
      creator: { name: 'Scimulator', version: SCIMULATOR_VERSION },
      pages,
      entries: record.exchanges.map((exchange) => entryOf(exchange, findingsOf(exchange.index))),
      comment: `${record.scenario.name} · profile ${record.profile} · ${record.target.baseUrl} · seed ${record.seed}`,
    },
  };
}

/** The HAR file of a run: JSON, 2-space indented, with a trailing newline. */
export function harReport(record: RunRecord): string {
  return `${JSON.stringify(harOf(record), null, 2)}\n`;
}
