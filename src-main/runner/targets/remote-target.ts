/**
 * A remote target: any SCIM base URL, reached over HTTP(S) with the IdP's bytes on the wire.
 *
 * Transport: undici's dispatcher API (`Agent.request`), the engine under Node's `fetch`, not `fetch`
 * itself. `fetch` cannot send an IdP's request as the IdP does (checked on Node 20.20, both the
 * global fetch and undici 7's): it adds `user-agent: node` when the profile sends none (Entra sends
 * none), `accept-language: *`, `sec-fetch-mode: cors` and `accept-encoding: gzip, deflate`; it joins
 * repeated headers into one; and URL parsing rewrites the request target (the global fetch drops a
 * trailing `?`, which OneLogin sends; both resolve `/../` and percent-encode spaces and quotes).
 * `Agent.request` takes the path verbatim and the headers as an ordered list.
 *
 * What reaches the server, then: the request line `METHOD <base path><path>[?<query>] HTTP/1.1`
 * byte for byte; the profile's headers in its order, with its name case, repeats kept as separate
 * lines; then the transport's own `host`, `connection: keep-alive` and, with a body,
 * `content-length` (a header the profile sets itself is sent instead of the transport's).
 */
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Agent } from 'undici';
import type { HeaderList, OutgoingRequest, ReceivedResponse } from '../http.js';
import { requestUrl } from '../http.js';
import { TargetUnreachable, type RemoteTargetOptions, type Target, type TargetAuth } from '../target.js';
import { basicCredential, bearerCredential, withCredential, wantsCredential, type Credential } from './credentials.js';
import { OAuthTokenSource } from './oauth.js';
import { assertSendable } from './sendable.js';
import { dispatchOnce } from './dispatch.js';

/**
 * Entra waits 60 s for a SCIM response, so a run waits as long by default
 * (https://learn.microsoft.com/answers/questions/1151866).
 */
export const DEFAULT_TIMEOUT_MS = 60_000;

export interface RemoteTargetInternals {
  /** Clock for OAuth token expiry, in ms; default Date.now. */
  readonly now?: () => number;
}

/** A base URL's parts; throws a TypeError unless it is an absolute http(s) URL without query or fragment. */
export function parseBaseUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`not a URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${baseUrl}`);
  if (url.search !== '' || url.hash !== '' || baseUrl.includes('?') || baseUrl.includes('#')) {
    throw new TypeError(`a SCIM base URL has no query or fragment: ${baseUrl}`);
  }
  if (url.username !== '' || url.password !== '') throw new TypeError(`put credentials in the auth options, not in the URL: ${url.origin}`);
  return url;
}

export function createRemoteTarget(options: RemoteTargetOptions, internals: RemoteTargetInternals = {}): Target {
  const base = parseBaseUrl(options.baseUrl);
  const basePath = base.pathname.replace(/\/+$/, '');
  const baseUrl = `${base.origin}${basePath}`;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!(timeoutMs > 0)) throw new RangeError(`the timeout must be a positive number of milliseconds, got ${timeoutMs}`);
  const agent = new Agent({
    // TLS verification stays on unless the user asked for `insecure` for this target.
    connect: { rejectUnauthorized: options.insecure !== true, timeout: timeoutMs },
    // dispatchOnce's timer is the one deadline; undici's own timers would only race it.
    headersTimeout: 0,
    bodyTimeout: 0,
  });

  /** One request on the wire; `path` is the request-target exactly as sent. */
  async function wire(
    method: string,
    origin: string,
    path: string,
    headers: HeaderList,
    body: string | undefined,
    signal: AbortSignal | undefined,
  ): Promise<ReceivedResponse> {
    const flat: string[] = [];
    for (const [name, value] of headers) flat.push(name, value);
    const response = await dispatchOnce(agent, { origin, path, method, headers: flat, ...(body === undefined ? {} : { body }) }, timeoutMs, signal);
    const received = responseHeaders(response.headers);
    // The IdPs ask for compression (Okta sends Accept-Encoding: gzip,deflate) and the transport,
    // unlike fetch, does not undo it: the body is decoded here, as the IdP's HTTP client does.
    const text = decodeBody(response.bytes, received['content-encoding'], `${origin}${path}`);
    return {
      status: response.status,
      headers: received,
      ...(text === '' ? {} : { body: text }),
    };
  }

  const oauth = options.auth.kind === 'oauth-client-credentials'
    ? new OAuthTokenSource(
        options.auth,
        (url, headers, body, signal) => {
          const tokenUrl = new URL(url);
          return wire('POST', tokenUrl.origin, `${tokenUrl.pathname}${tokenUrl.search}`, headers, body, signal);
        },
        internals.now,
      )
    : undefined;

  let closed = false;
  return {
    key: baseUrl,
    baseUrl,
    async send(request: OutgoingRequest, signal?: AbortSignal): Promise<ReceivedResponse> {
      assertSendable(request);
      if (closed) throw new TargetUnreachable(`the target ${baseUrl} is closed`);
      // The request-target exactly as the profile built it; the base URL's origin picks the connection.
      const path = requestUrl(basePath, request) || '/';
      const send = (credential: Credential) =>
        wire(request.method, base.origin, path, withCredential(request.headers, credential), request.body, signal);
      if (!wantsCredential(request.headers)) return send({ kind: 'none' });
      if (oauth === undefined) return send(staticCredential(options.auth));
      const token = await oauth.token(signal);
      const response = await send(bearerCredential(token.value));
      if (response.status !== 401 || token.fresh) return response;
      // A cached token the server no longer accepts (revoked, or expired early): one new token, one retry.
      oauth.invalidate(token.value);
      const renewed = await oauth.token(signal);
      return send(bearerCredential(renewed.value));
    },
    async close() {
      closed = true;
      await agent.close();
    },
  };
}

/** The body as text, undoing the Content-Encoding the server applied (RFC 9110 §8.4), outermost last. */
export function decodeBody(bytes: Buffer, contentEncoding: string | undefined, url: string): string {
  let decoded = bytes;
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((coding) => coding.trim().toLowerCase())
    .filter((coding) => coding !== '' && coding !== 'identity');
  for (const coding of codings.reverse()) {
    try {
      if (coding === 'gzip' || coding === 'x-gzip') decoded = gunzipSync(decoded);
      else if (coding === 'deflate') decoded = inflateSync(decoded);
      else if (coding === 'br') decoded = brotliDecompressSync(decoded);
      else throw new Error(`unsupported Content-Encoding "${coding}"`);
    } catch (error) {
      throw new TargetUnreachable(`the response body from ${url} could not be decoded (${coding}): ${(error as Error).message}`, { cause: error });
    }
  }
  return decoded.toString('utf8');
}

function staticCredential(auth: TargetAuth): Credential {
  switch (auth.kind) {
    case 'none':
      return { kind: 'none' };
    case 'bearer':
      return bearerCredential(auth.token);
    case 'basic':
      return basicCredential(auth.username, auth.password);
    case 'header':
      return { kind: 'header', name: auth.name, value: auth.value };
    case 'oauth-client-credentials':
      throw new Error('OAuth credentials come from the token source');
  }
}

/** undici gives repeated response headers as arrays; the record joins them as a server would. */
function responseHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value !== undefined) record[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return record;
}
