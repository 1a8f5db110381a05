/**
 * Which operation answers a request: the resource endpoints, `.search`, Bulk, `/Me` and the
 * discovery documents (RFC 7644 §3.2, §4), with 404 for unknown paths and 405 with `Allow` for
 * known paths asked with the wrong method.
 */
import { runBulk } from './bulk.js';
import {
  allResourceTypeDocuments,
  allSchemaDocuments,
  listOf,
  resourceTypeDocument,
  schemaDocument,
  serviceProviderConfig,
} from './discovery.js';
import { ScimError, notFound } from './errors.js';
import { type Exchange, type HandlerContext, parseBody } from './exchange.js';
import type { ScimResponse } from './http-types.js';
import type { ScimObject } from './resource.js';
import { createResource, deleteResource, patchResource, readResource, replaceResource } from './resources.js';
import { errorResponse, respond } from './responses.js';
import { allSchemas, resourceTypeByEndpoint, resourceTypes } from './schema/resource-types.js';
import { search } from './search.js';
import { parseQuery, searchFromBody, searchFromQuery } from './search-request.js';

/** A 405 that carries the methods the path does allow, for the `Allow` header. */
export class MethodNotAllowed extends ScimError {
  constructor(
    method: string,
    readonly allow: readonly string[],
  ) {
    super(405, undefined, `${method} is not allowed here; allowed: ${allow.join(', ')}`);
  }
}

function methodNotAllowed(method: string, allowed: string[]): never {
  throw new MethodNotAllowed(method, allowed);
}

function discovery(ex: Exchange, document: () => ScimObject | undefined, what: string): ScimResponse {
  if (ex.query.has('filter')) {
    // RFC 7644 §4: filtering discovery endpoints is not supported and SHOULD be refused with 403.
    throw new ScimError(403, undefined, `Filtering is not supported on ${what}`);
  }
  const body = document();
  if (!body) throw notFound(`${what} not found`);
  return respond(200, body);
}

export async function route(ctx: HandlerContext, ex: Exchange): Promise<ScimResponse> {
  const [first, second, third] = ex.segments;
  const method = ex.method;
  if (first === undefined) throw notFound(`Nothing at ${ctx.basePath}; try ${ctx.basePath}/Users`);
  const lowerFirst = first.toLowerCase();
  const type = resourceTypeByEndpoint('/' + first);
  if (type) {
    if (second === undefined) {
      if (method === 'GET') return search(ctx, [type], searchFromQuery(ex.query), ex);
      if (method === 'POST') return createResource(ctx, type, ex);
      methodNotAllowed(method, ['GET', 'POST']);
    }
    if (third !== undefined) throw notFound(`Nothing at ${type.endpoint}/${second}/${third}`);
    if (second === '.search') {
      if (method === 'POST') return search(ctx, [type], searchFromBody(parseBody(ex), ex.notes), ex);
      methodNotAllowed(method, ['POST']);
    }
    switch (method) {
      case 'GET':
        return readResource(ctx, type, second, ex);
      case 'PUT':
        return replaceResource(ctx, type, second, ex);
      case 'PATCH':
        return patchResource(ctx, type, second, ex);
      case 'DELETE':
        return deleteResource(ctx, type, second, ex);
      default:
        methodNotAllowed(method, ['GET', 'PUT', 'PATCH', 'DELETE']);
    }
  }
  if (lowerFirst === '.search' && second === undefined) {
    if (method === 'POST') return search(ctx, resourceTypes, searchFromBody(parseBody(ex), ex.notes), ex);
    methodNotAllowed(method, ['POST']);
  }
  if (lowerFirst === 'bulk' && second === undefined) {
    if (method !== 'POST') methodNotAllowed(method, ['POST']);
    const body = parseBody(ex);
    const result = await runBulk(body, ctx.limits, (request) => routeBulkOperation(ctx, request, ex));
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
    return discovery(ex, () => serviceProviderConfig(ex.baseUrl, ctx.limits), 'ServiceProviderConfig');
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
  throw notFound(`No SCIM endpoint at ${ctx.basePath}/${ex.segments.join('/')}`);
}

/** Runs one Bulk operation through the same routes, as part of its Bulk request's exchange. */
async function routeBulkOperation(
  ctx: HandlerContext,
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
    seq: parent.seq,
  };
  try {
    return await route(ctx, ex);
  } catch (error) {
    if (error instanceof ScimError) return errorResponse(error);
    throw error;
  }
}
