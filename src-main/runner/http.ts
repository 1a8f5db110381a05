/**
 * The requests the mock IdP sends and the responses it gets, as plain data. Headers keep their
 * order and their case as the IdP writes them (a real IdP's exact header set is part of what a
 * profile reproduces); the query string is kept raw, in the IdP's own encoding (`+` or `%20`).
 */

export type HeaderList = readonly (readonly [name: string, value: string])[];

export interface OutgoingRequest {
  readonly method: string;
  /** Path below the target's SCIM base URL, e.g. `/Users/2819c223`; may end with `?` (OneLogin does). */
  readonly path: string;
  /** The raw query string without its `?`, exactly as sent. */
  readonly query?: string;
  readonly headers: HeaderList;
  /** The body exactly as sent. */
  readonly body?: string;
}

export interface ReceivedResponse {
  readonly status: number;
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** The URL of a request below a base URL; the path and query are appended verbatim. */
export function requestUrl(baseUrl: string, request: Pick<OutgoingRequest, 'path' | 'query'>): string {
  const base = baseUrl.replace(/\/+$/, '');
  return `${base}${request.path}${request.query === undefined ? '' : `?${request.query}`}`;
}

/** The value of a header, matched case-insensitively. */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of headers) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The response body as JSON, or undefined when it is empty or not JSON. */
export function jsonBody(response: ReceivedResponse): unknown {
  if (response.body === undefined || response.body.trim() === '') return undefined;
  try {
    return JSON.parse(response.body) as unknown;
  } catch {
    return undefined;
  }
}
