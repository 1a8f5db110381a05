/**
 * The SCIM 2.0 service provider as a function: ScimRequest → ScimResponse (RFC 7644 §3).
 * This module is the entry: it checks the base path, the bearer token and the body's media type,
 * maps errors to the RFC's Error schema and records the exchange. What answers a request is in
 * routes.ts (which operation), resources.ts and search.ts (the operations) and preconditions.ts.
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ScimError, invalidSyntax, notFound } from './errors.js';
import type { ScimHandler, ScimRequest, ScimResponse } from './http-types.js';
import { type RequestLog, type RequestLogEntry, redactHeaders, redactBody, truncateBody } from '../traffic/request-log.js';
import { parseQuery } from './search-request.js';
import type { Notes } from './values.js';
import { DEFAULT_LIMITS, type ServerLimits } from './discovery.js';
import type { DirectoryPort } from './directory-port.js';
import type { HandlerContext } from './exchange.js';
import { MethodNotAllowed, route } from './routes.js';
import { SCIM_CONTENT_TYPE, errorResponse, respond } from './responses.js';

export { SCIM_CONTENT_TYPE };
export type { DirectoryPort };
export const DEFAULT_BASE_PATH = '/scim/v2';

export interface ScimServerOptions {
  readonly store: DirectoryPort;
  readonly token: string;
  readonly log?: RequestLog;
  readonly limits?: Partial<ServerLimits>;
  /** Where the SCIM API is mounted; default `/scim/v2`. */
  readonly basePath?: string;
  /** Clock for `meta` timestamps and the request log; default the system clock. */
  readonly now?: () => Date;
  /** Ids of created resources; default random UUIDs. Inject both to make runs reproducible. */
  readonly newId?: () => string;
  /** Told of every error answered as a 500 (a full disk, a bug), so the operator sees it too. */
  readonly onInternalError?: (error: Error) => void;
}

const JSON_TYPES = /^application\/(scim\+)?json\s*(;|$)/i;

let isoMillis = -1;
let isoText = '';

/** The system time as ISO 8601; formatted once per millisecond, not once per request. */
function isoNow(): string {
  const millis = Date.now();
  if (millis !== isoMillis) {
    isoMillis = millis;
    isoText = new Date(millis).toISOString();
  }
  return isoText;
}

export function createScimHandler(options: ScimServerOptions): ScimHandler {
  const { log } = options;
  const ctx: HandlerContext = {
    store: options.store,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    basePath: (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, ''),
    now: options.now ?? (() => new Date()),
    newId: options.newId ?? randomUUID,
  };
  const startedAt = options.now ? () => options.now!().toISOString() : isoNow;
  const { basePath, limits } = ctx;
  const expectedToken = Buffer.from(options.token);
  const presentedToken = Buffer.alloc(expectedToken.length);

  function authorized(header: string | undefined): boolean {
    const match = header ? /^Bearer\s+(.+)$/i.exec(header.trim()) : null;
    if (!match) return false;
    // Constant time in the token's content: the presented token is copied into a buffer of the
    // expected length (truncated or zero-padded) and compared whole; its length is checked after.
    presentedToken.fill(0);
    const length = presentedToken.write(match[1]!);
    const byteLength = Buffer.byteLength(match[1]!);
    return timingSafeEqual(presentedToken, expectedToken) && length === byteLength && byteLength === expectedToken.length;
  }

  async function dispatch(request: ScimRequest, notes: Notes, seq: number | undefined): Promise<ScimResponse> {
    const method = request.method.toUpperCase();
    const queryStart = request.url.indexOf('?');
    const pathname = queryStart === -1 ? request.url : request.url.slice(0, queryStart);
    if (pathname !== basePath && !pathname.startsWith(basePath + '/')) {
      throw notFound(`No SCIM endpoint at ${pathname}; the SCIM base URL is ${request.origin}${basePath}`);
    }
    if (!authorized(request.headers.authorization)) {
      const error = new ScimError(401, undefined, 'Authentication required: send "Authorization: Bearer <token>" with the token printed by scimulator serve');
      return errorResponse(error, { 'www-authenticate': 'Bearer realm="scimulator"' });
    }
    let segments: string[];
    try {
      segments = pathname.slice(basePath.length).split('/').filter(Boolean).map(decodeURIComponent);
    } catch {
      throw invalidSyntax(`The path ${pathname} is not validly percent-encoded`);
    }
    const body = request.body;
    if (body !== undefined && body.length > 0) {
      if (Buffer.byteLength(body) > limits.maxPayloadSize) {
        throw new ScimError(413, undefined, `The request body exceeds maxPayloadSize (${limits.maxPayloadSize} bytes)`);
      }
      const contentType = request.headers['content-type'];
      if (contentType === undefined) notes.push({ code: 'missing-content-type', detail: 'no Content-Type header; body read as application/scim+json' });
      else if (!JSON_TYPES.test(contentType)) {
        throw new ScimError(415, undefined, `Content-Type ${contentType} is not supported; send application/scim+json or application/json`);
      }
    }
    return route(ctx, {
      method,
      segments,
      query: parseQuery(queryStart === -1 ? '' : request.url.slice(queryStart + 1)),
      headers: request.headers,
      body,
      baseUrl: request.origin + basePath,
      notes,
      seq,
    });
  }

  return async function handle(request: ScimRequest): Promise<ScimResponse> {
    const started = performance.now();
    const seq = log?.begin();
    const begun = log ? startedAt() : '';
    const notes: Notes = [];
    let response: ScimResponse;
    try {
      response = await dispatch(request, notes, seq);
    } catch (error) {
      if (error instanceof MethodNotAllowed) response = errorResponse(error, { allow: error.allow.join(', ') });
      else if (error instanceof ScimError) response = errorResponse(error);
      else {
        const failure = error instanceof Error ? error : new Error(String(error));
        options.onInternalError?.(failure);
        response = respond(500, new ScimError(500, undefined, `Internal server error: ${failure.message}`).toBody());
      }
    }
    if (log && seq !== undefined) {
      const entry: RequestLogEntry = {
        seq,
        startedAt: begun,
        method: request.method.toUpperCase(),
        url: request.url,
        requestHeaders: redactHeaders(request.headers),
        status: response.status,
        responseHeaders: response.headers,
        durationMs: performance.now() - started,
        notes,
      };
      // An unauthenticated request's body is not kept: anyone who can reach the port could
      // otherwise fill the log (and every console subscriber's queue) with it.
      if (request.body !== undefined && response.status !== 401) entry.requestBody = truncateBody(redactBody(request.body));
      if (response.body !== undefined) entry.responseBody = truncateBody(response.body);
      log.record(entry);
    }
    return response;
  };
}
