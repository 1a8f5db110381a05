/**
 * The SCIM 2.0 service provider as a function: ScimRequest → ScimResponse (RFC 7644 §3).
 * Routing, authentication, content negotiation, preconditions and error mapping live here;
 * the semantics live in the modules it calls (filter, PATCH, projection, query, bulk).
 */
import { randomUUID, timingSafeEqual } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { ScimError, invalidSyntax, notFound } from './errors.js';
import type { ScimHandler, ScimRequest, ScimResponse } from './http-types.js';
import { type RequestLog, type RequestLogEntry, redactHeaders, truncateBody } from './request-log.js';
import {
  type ResourceTypeDef,
  allSchemas,
  resourceTypeByEndpoint,
  resourceTypes,
} from './schema/resource-types.js';
import { type ScimObject, type StoredResource, isObject } from './resource.js';
import { readResourceBody } from './resource-input.js';
import { prepareWrite } from './integrity.js';
import { type SearchInput, listParams, parseQuery, searchFromBody, searchFromQuery } from './search-request.js';
import { currentVersion, renderResource, topLevelAttributes } from './render.js';
import { type Projection, applyProjection, isProjecting, parseProjection } from './projection.js';
import { type DirectoryIndex, listResources, narrowFilter } from './query.js';
import { parseFilter } from './filter/parser.js';
import { compileFilter } from './filter/evaluate.js';
import { applyPatch } from './patch.js';
import { runBulk } from './bulk.js';
import type { Notes } from './values.js';
import {
  DEFAULT_LIMITS,
  LIST_RESPONSE_SCHEMA,
  type ServerLimits,
  allResourceTypeDocuments,
  allSchemaDocuments,
  listOf,
  resourceTypeDocument,
  schemaDocument,
  serviceProviderConfig,
} from './discovery.js';
import type { Change } from '../store/directory-store.js';

export const SCIM_CONTENT_TYPE = 'application/scim+json';
export const DEFAULT_BASE_PATH = '/scim/v2';

/** The store as the handler sees it: indexed reads plus durable commits. */
export interface DirectoryPort extends DirectoryIndex {
  commit(changes: Change[]): Promise<void>;
}

export interface ScimServerOptions {
  readonly store: DirectoryPort;
  readonly token: string;
  readonly log?: RequestLog;
  readonly limits?: Partial<ServerLimits>;
  /** Where the SCIM API is mounted; default `/scim/v2`. */
  readonly basePath?: string;
}

/** What one request is working with; passed down instead of closures so helpers stay small. */
interface Exchange {
  readonly method: string;
  readonly segments: string[];
  readonly query: ReadonlyMap<string, string>;
  readonly headers: ScimRequest['headers'];
  readonly body: string | undefined;
  readonly baseUrl: string;
  readonly notes: Notes;
}

const JSON_TYPES = /^application\/(scim\+)?json\s*(;|$)/i;

/** `headers` must be a fresh object: the response takes it over. */
function respond(status: number, body?: unknown, headers: Record<string, string> = {}): ScimResponse {
  headers['content-type'] = SCIM_CONTENT_TYPE;
  return body === undefined ? { status, headers } : { status, headers, body: JSON.stringify(body) };
}

function errorResponse(error: ScimError, headers: Record<string, string> = {}): ScimResponse {
  return respond(error.status, error.toBody(), headers);
}

/** Weak comparison of entity tags (RFC 9110 §8.8.3.2): `W/` is ignored, the opaque tag must match. */
function etagMatches(header: string, current: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const target = opaque(current);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === target);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) {
    return Array.isArray(b) && a.length === b.length && a.every((item, i) => sameJson(item, b[i]));
  }
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a).filter((key) => a[key] !== undefined);
    const otherKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return keys.length === otherKeys.length && keys.every((key) => sameJson(a[key], b[key]));
  }
  return false;
}

function withoutMeta(resource: ScimObject): ScimObject {
  const { meta: _meta, ...rest } = resource;
  return rest;
}

let isoMillis = -1;
let isoText = '';

/** The current time as ISO 8601; formatted once per millisecond, not once per request. */
function isoNow(): string {
  const millis = Date.now();
  if (millis !== isoMillis) {
    isoMillis = millis;
    isoText = new Date(millis).toISOString();
  }
  return isoText;
}

export function createScimHandler(options: ScimServerOptions): ScimHandler {
  const { store, log } = options;
  const limits: ServerLimits = { ...DEFAULT_LIMITS, ...options.limits };
  const basePath = (options.basePath ?? DEFAULT_BASE_PATH).replace(/\/+$/, '');
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

  // ---- rendering -------------------------------------------------------------------------

  function render(type: ResourceTypeDef, stored: StoredResource, ex: Exchange, projection: Projection): ScimObject {
    const rendered = renderResource(type, stored, store, ex.baseUrl);
    return isProjecting(projection) ? applyProjection(type, rendered, projection, topLevelAttributes(type)) : rendered;
  }

  function projectionFrom(type: ResourceTypeDef, ex: Exchange): Projection {
    return parseProjection(type, ex.query.get('attributes'), ex.query.get('excludedattributes'));
  }

  function resourceResponse(
    status: number,
    type: ResourceTypeDef,
    stored: StoredResource,
    ex: Exchange,
    location?: string,
  ): ScimResponse {
    const full = renderResource(type, stored, store, ex.baseUrl);
    const version = (full.meta as ScimObject).version as string;
    const projection = projectionFrom(type, ex);
    const body = isProjecting(projection) ? applyProjection(type, full, projection, topLevelAttributes(type)) : full;
    return respond(status, body, location === undefined ? { etag: version } : { etag: version, location });
  }



  // ---- preconditions and integrity --------------------------------------------------------

  function requireExisting(type: ResourceTypeDef, id: string): StoredResource {
    const stored = store.get(type.name, id);
    if (!stored) throw notFound(`${type.name} "${id}" not found`);
    return stored;
  }

  function checkIfMatch(type: ResourceTypeDef, stored: StoredResource, ex: Exchange): void {
    const header = ex.headers['if-match'];
    if (header === undefined) return;
    const current = currentVersion(type, stored, store);
    if (!etagMatches(header, current)) {
      throw new ScimError(
        412,
        undefined,
        `If-Match ${header} does not match the current version ${current} of ${type.name} "${stored.id}"; fetch it again and retry`,
      );
    }
  }

  // ---- resource endpoints ----------------------------------------------------------------

  function parseBody(ex: Exchange): unknown {
    if (ex.body === undefined || ex.body.trim() === '') throw invalidSyntax('The request needs a JSON body');
    try {
      return JSON.parse(ex.body);
    } catch (error) {
      throw invalidSyntax(`The request body is not valid JSON: ${(error as Error).message}`);
    }
  }

  async function create(type: ResourceTypeDef, ex: Exchange): Promise<ScimResponse> {
    const attributes = readResourceBody(type, parseBody(ex), ex.notes);
    const id = randomUUID();
    const now = new Date().toISOString();
    const resource: ScimObject = { schemas: [], id, ...attributes };
    prepareWrite(store, type, resource, id, ex.notes);
    resource.meta = { resourceType: type.name, created: now, lastModified: now, revision: 1 };
    const stored = resource as StoredResource;
    await store.commit([{ op: 'put', resource: stored }]);
    const location = `${ex.baseUrl}${type.endpoint}/${id}`;
    return resourceResponse(201, type, stored, ex, location);
  }

  /** Commits `next` as the new state of `existing` unless nothing changed (then the version stays). */
  async function update(type: ResourceTypeDef, existing: StoredResource, next: ScimObject): Promise<StoredResource> {
    if (sameJson(withoutMeta(existing), withoutMeta(next))) return existing;
    next.meta = {
      resourceType: type.name,
      created: existing.meta.created,
      lastModified: new Date().toISOString(),
      revision: existing.meta.revision + 1,
    };
    const stored = next as StoredResource;
    await store.commit([{ op: 'put', resource: stored }]);
    return stored;
  }

  async function replace(type: ResourceTypeDef, id: string, ex: Exchange): Promise<ScimResponse> {
    const existing = requireExisting(type, id);
    checkIfMatch(type, existing, ex);
    const attributes = readResourceBody(type, parseBody(ex), ex.notes);
    const next: ScimObject = { schemas: [], id, ...attributes };
    for (const def of type.schema.attributes) {
      // RFC 7643 §7: an immutable attribute may be set once, never changed.
      if (def.mutability === 'immutable' && existing[def.name] !== undefined && !sameJson(existing[def.name], next[def.name])) {
        throw new ScimError(400, 'mutability', `"${def.name}" is immutable and cannot be changed`);
      }
    }
    prepareWrite(store, type, next, id, ex.notes);
    const stored = await update(type, existing, next);
    return resourceResponse(200, type, stored, ex);
  }

  async function patch(type: ResourceTypeDef, id: string, ex: Exchange): Promise<ScimResponse> {
    const existing = requireExisting(type, id);
    checkIfMatch(type, existing, ex);
    const result = applyPatch(existing, parseBody(ex), type);
    ex.notes.push(...result.notes);
    const next: ScimObject = { ...result.resource, id };
    prepareWrite(store, type, next, id, ex.notes);
    const stored = await update(type, existing, next);
    // Users come back whole (200). Groups answer 204 unless the client asks for attributes:
    // Entra documents 204 for group PATCH (use-scim-to-provision-users-and-groups.md,
    // "Update Group [Add Members]"), and a large group's member list is costly to echo.
    if (type.name === 'Group' && !isProjecting(projectionFrom(type, ex))) {
      return respond(204, undefined, { etag: currentVersion(type, stored, store) });
    }
    return resourceResponse(200, type, stored, ex);
  }

  async function remove(type: ResourceTypeDef, id: string, ex: Exchange): Promise<ScimResponse> {
    const existing = requireExisting(type, id);
    checkIfMatch(type, existing, ex);
    await store.commit([{ op: 'delete', type: type.name, id }]);
    return respond(204);
  }

  function read(type: ResourceTypeDef, id: string, ex: Exchange): ScimResponse {
    const stored = requireExisting(type, id);
    const ifNoneMatch = ex.headers['if-none-match'];
    if (ifNoneMatch !== undefined) {
      const version = currentVersion(type, stored, store);
      if (etagMatches(ifNoneMatch, version)) return respond(304, undefined, { etag: version });
    }
    return resourceResponse(200, type, stored, ex);
  }

  // ---- queries ---------------------------------------------------------------------------

  function search(types: readonly ResourceTypeDef[], input: SearchInput, ex: Exchange): ScimResponse {
    const filter = input.filter !== undefined && input.filter.trim() !== '' ? parseFilter(input.filter) : undefined;
    const params = listParams(input, filter, limits);
    if (types.length === 1) {
      const type = types[0]!;
      const result = listResources(store, type, params);
      const projection = parseProjection(type, input.attributes, input.excludedAttributes);
      return respond(200, {
        schemas: [LIST_RESPONSE_SCHEMA],
        totalResults: result.totalResults,
        itemsPerPage: result.page.length,
        startIndex: params.startIndex,
        Resources: result.page.map((stored) => render(type, stored, ex, projection)),
      });
    }
    // Root search (RFC 7644 §3.4.3): each type contributes what the filter matches there; a
    // filter naming attributes only one type has is false for the other.
    const matched: { type: ResourceTypeDef; stored: StoredResource }[] = [];
    let decided = 0;
    for (const type of types) {
      const narrowed = filter ? narrowFilter(filter, type) : true;
      if (narrowed === false) continue;
      decided++;
      const everything = { startIndex: 1, count: Number.MAX_SAFE_INTEGER, ...(narrowed === true ? {} : { filter: narrowed }) };
      for (const stored of listResources(store, type, everything).page) matched.push({ type, stored });
    }
    if (filter && decided === 0) {
      // No type defines these attributes: compiling against Users throws the precise invalidFilter.
      compileFilter(filter, types[0]!);
    }
    if (params.sortBy) ex.notes.push({ code: 'root-search-sort-ignored', detail: 'sortBy is not applied across resource types in a root search; results are Users then Groups' });
    const page = params.count > 0 ? matched.slice(params.startIndex - 1, params.startIndex - 1 + params.count) : [];
    return respond(200, {
      schemas: [LIST_RESPONSE_SCHEMA],
      totalResults: matched.length,
      itemsPerPage: page.length,
      startIndex: params.startIndex,
      Resources: page.map(({ type, stored }) =>
        render(type, stored, ex, parseProjection(type, input.attributes, input.excludedAttributes)),
      ),
    });
  }

  // ---- discovery -------------------------------------------------------------------------

  function discovery(ex: Exchange, document: () => ScimObject | undefined, what: string): ScimResponse {
    if (ex.query.has('filter')) {
      // RFC 7644 §4: filtering discovery endpoints is not supported and SHOULD be refused with 403.
      throw new ScimError(403, undefined, `Filtering is not supported on ${what}`);
    }
    const body = document();
    if (!body) throw notFound(`${what} not found`);
    return respond(200, body);
  }

  // ---- routing ---------------------------------------------------------------------------

  function methodNotAllowed(method: string, allowed: string[]): never {
    throw Object.assign(new ScimError(405, undefined, `${method} is not allowed here; allowed: ${allowed.join(', ')}`), {
      allow: allowed.join(', '),
    });
  }

  async function route(ex: Exchange): Promise<ScimResponse> {
    const [first, second, third] = ex.segments;
    const method = ex.method;
    if (first === undefined) throw notFound(`Nothing at ${basePath}; try ${basePath}/Users`);
    const lowerFirst = first.toLowerCase();
    const type = resourceTypeByEndpoint('/' + first);
    if (type) {
      if (second === undefined) {
        if (method === 'GET') return search([type], searchFromQuery(ex.query), ex);
        if (method === 'POST') return create(type, ex);
        methodNotAllowed(method, ['GET', 'POST']);
      }
      if (third !== undefined) throw notFound(`Nothing at ${type.endpoint}/${second}/${third}`);
      if (second === '.search') {
        if (method === 'POST') return search([type], searchFromBody(parseBody(ex), ex.notes), ex);
        methodNotAllowed(method, ['POST']);
      }
      switch (method) {
        case 'GET':
          return read(type, second, ex);
        case 'PUT':
          return replace(type, second, ex);
        case 'PATCH':
          return patch(type, second, ex);
        case 'DELETE':
          return remove(type, second, ex);
        default:
          methodNotAllowed(method, ['GET', 'PUT', 'PATCH', 'DELETE']);
      }
    }
    if (lowerFirst === '.search' && second === undefined) {
      if (method === 'POST') return search(resourceTypes, searchFromBody(parseBody(ex), ex.notes), ex);
      methodNotAllowed(method, ['POST']);
    }
    if (lowerFirst === 'bulk' && second === undefined) {
      if (method !== 'POST') methodNotAllowed(method, ['POST']);
      const body = parseBody(ex);
      const result = await runBulk(body, limits, (request) => dispatchInternal(request, ex));
      return respond(200, result);
    }
    if (lowerFirst === 'me') {
      // RFC 7644 §3.11: a provider that does not map the authenticated subject to a User says 501.
      throw new ScimError(501, undefined, '/Me is not supported: the bearer token does not identify a User');
    }
    if (method !== 'GET' && ['serviceproviderconfig', 'resourcetypes', 'schemas'].includes(lowerFirst)) {
      methodNotAllowed(method, ['GET']);
    }
    if (lowerFirst === 'serviceproviderconfig' && second === undefined) {
      return discovery(ex, () => serviceProviderConfig(ex.baseUrl, limits), 'ServiceProviderConfig');
    }
    if (lowerFirst === 'resourcetypes' && third === undefined) {
      return discovery(
        ex,
        () => {
          if (second === undefined) return listOf(allResourceTypeDocuments(ex.baseUrl));
          const wanted = resourceTypes.find((candidate) => candidate.name.toLowerCase() === second.toLowerCase());
          return wanted && resourceTypeDocument(wanted, ex.baseUrl);
        },
        second === undefined ? 'ResourceTypes' : `ResourceType "${second}"`,
      );
    }
    if (lowerFirst === 'schemas' && third === undefined) {
      return discovery(
        ex,
        () => {
          if (second === undefined) return listOf(allSchemaDocuments(ex.baseUrl));
          const wanted = allSchemas.find((schema) => schema.id.toLowerCase() === second.toLowerCase());
          return wanted && schemaDocument(wanted, ex.baseUrl);
        },
        second === undefined ? 'Schemas' : `Schema "${second}"`,
      );
    }
    throw notFound(`No SCIM endpoint at ${basePath}/${ex.segments.join('/')}`);
  }

  /** Runs one Bulk operation through the same routes, without logging it as its own exchange. */
  async function dispatchInternal(
    request: { method: string; path: string; body?: unknown; headers?: Record<string, string> },
    parent: Exchange,
  ): Promise<ScimResponse> {
    const [pathPart = '', queryPart = ''] = request.path.split('?', 2);
    const ex: Exchange = {
      method: request.method.toUpperCase(),
      segments: pathPart.split('/').filter(Boolean).map(decodeURIComponent),
      query: parseQuery(queryPart),
      headers: { ...request.headers },
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      baseUrl: parent.baseUrl,
      notes: parent.notes,
    };
    try {
      return await route(ex);
    } catch (error) {
      if (error instanceof ScimError) return errorResponse(error);
      throw error;
    }
  }

  async function dispatch(request: ScimRequest, notes: Notes): Promise<ScimResponse> {
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
    return route({
      method,
      segments,
      query: parseQuery(queryStart === -1 ? '' : request.url.slice(queryStart + 1)),
      headers: request.headers,
      body,
      baseUrl: request.origin + basePath,
      notes,
    });
  }

  return async function handle(request: ScimRequest): Promise<ScimResponse> {
    const started = performance.now();
    const startedAt = log ? isoNow() : '';
    const notes: Notes = [];
    let response: ScimResponse;
    try {
      response = await dispatch(request, notes);
    } catch (error) {
      if (error instanceof ScimError) {
        const allow = (error as ScimError & { allow?: string }).allow;
        response = errorResponse(error, allow ? { allow } : {});
      } else {
        const message = error instanceof Error ? error.message : String(error);
        response = respond(500, new ScimError(500, undefined, `Internal server error: ${message}`).toBody());
      }
    }
    if (log) {
      const entry: Omit<RequestLogEntry, 'seq'> = {
        startedAt,
        method: request.method.toUpperCase(),
        url: request.url,
        requestHeaders: redactHeaders(request.headers),
        status: response.status,
        responseHeaders: response.headers,
        durationMs: performance.now() - started,
        notes,
      };
      if (request.body !== undefined) entry.requestBody = truncateBody(request.body);
      if (response.body !== undefined) entry.responseBody = truncateBody(response.body);
      log.record(entry);
    }
    return response;
  };
}

