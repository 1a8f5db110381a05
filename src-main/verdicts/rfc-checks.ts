/**
 * The RFC 7643/7644 rules, applied to one exchange as it is recorded: the status code for what
 * the request did, the media type, the Error and ListResponse shapes, and every resource returned
 * (id, schemas, meta, password, attributes/excludedAttributes). Pure: the exchange in, findings out.
 *
 * What the request was for decides what is judged. A step that tells an IdP event is the IdP's
 * own flow, so its success codes are held to the RFC; a raw step's statuses are its scenario's
 * business (it may expect a 404 on purpose), so only the shapes of its responses are judged.
 * Error statuses (a 404 on a read-back after a delete, a 409 on a duplicate) are never judged as
 * such: only their bodies are.
 */
import { headerValue } from '../runner/http.js';
import type { RunExchange } from '../runner/exchange.js';
import { findingOf } from './catalog.js';
import { describeErrorBody } from './error-body.js';
import type { RfcFindingId } from './catalog-rfc.js';
import type { Finding } from './finding.js';
import type { ExchangeUnderJudgement } from './judge.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_RESPONSE_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const CORE_SCHEMA: Record<ResourceTypeName, string> = {
  User: 'urn:ietf:params:scim:schemas:core:2.0:User',
  Group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
};
/** RFC 7644 §3.12, Table 9. */
const SCIM_TYPES = new Set([
  'invalidFilter',
  'tooMany',
  'uniqueness',
  'mutability',
  'invalidSyntax',
  'invalidPath',
  'noTarget',
  'invalidValue',
  'invalidVers',
  'sensitive',
]);
/** Attributes returned "always" on every resource (RFC 7643 §3.1, §3). */
const ALWAYS_RETURNED = new Set(['id', 'schemas']);
/** xsd:dateTime with both a date and a time (RFC 7643 §2.3.5). */
const DATE_TIME = /^-?\d{4,}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:([0-5]\d)(\.\d+)?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)?$/;

type ResourceTypeName = 'User' | 'Group';
type Json = unknown;
type JsonObject = Record<string, unknown>;

/** What the request addressed, read from its method and URL. */
interface Endpoint {
  readonly method: string;
  /** Path and query below the base URL, for messages. */
  readonly shown: string;
  /** `/Users` → collection, `/Users/{id}` → resource, `/.search` → search, `/Schemas` → discovery list. */
  readonly kind: 'collection' | 'resource' | 'search' | 'discovery-list' | 'other';
  readonly type?: ResourceTypeName;
  /** The id in `/Users/{id}`. */
  readonly id?: string;
  readonly query: URLSearchParams;
}

function isObject(value: Json): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isInteger(value: Json): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function parseJson(text: string | undefined): { ok: true; value: Json } | { ok: false } {
  if (text === undefined || text.trim() === '') return { ok: false };
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch {
    return { ok: false };
  }
}

/** The first characters of a body, for a message. */
function excerpt(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return '(no body)';
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}…` : flat;
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function typeOfSegment(segment: string | undefined): ResourceTypeName | undefined {
  const lower = segment?.toLowerCase();
  return lower === 'users' ? 'User' : lower === 'groups' ? 'Group' : undefined;
}

export function endpointOf(exchange: RunExchange, baseUrl: string): Endpoint {
  const base = baseUrl.replace(/\/+$/, '');
  const url = exchange.request.url;
  const below = url.startsWith(base) ? url.slice(base.length) : (() => {
    try {
      const parsed = new URL(url);
      return parsed.pathname + parsed.search;
    } catch {
      return url;
    }
  })();
  const queryAt = below.indexOf('?');
  const path = queryAt === -1 ? below : below.slice(0, queryAt);
  const query = new URLSearchParams(queryAt === -1 ? '' : below.slice(queryAt + 1));
  const segments = path.split('/').filter((segment) => segment !== '').map(decode);
  const method = exchange.request.method.toUpperCase();
  const shown = below.length > 120 ? `${below.slice(0, 117)}…` : below || '/';
  const last = segments[segments.length - 1];
  const type = typeOfSegment(segments[0]);
  let kind: Endpoint['kind'] = 'other';
  let id: string | undefined;
  if (last === '.search') kind = 'search';
  else if (type && segments.length === 1) kind = 'collection';
  else if (type && segments.length === 2) {
    kind = 'resource';
    id = segments[1];
  } else if (segments.length === 1 && /^(schemas|resourcetypes)$/i.test(segments[0]!)) kind = 'discovery-list';
  // `/Users/.search` searches users; a root `/.search` mixes types.
  const typed = kind === 'collection' || kind === 'resource' || (kind === 'search' && segments.length === 2);
  return { method, shown, kind, ...(typed && type ? { type } : {}), ...(id === undefined ? {} : { id }), query };
}

/** `attributes`/`excludedAttributes`/`count`/`startIndex` as the request gave them (query, or a /.search body). */
interface ListRequest {
  readonly attributes?: readonly string[];
  readonly excludedAttributes?: readonly string[];
  readonly count?: number;
  readonly startIndex?: number;
}

function listRequestOf(endpoint: Endpoint, exchange: RunExchange): ListRequest {
  const names = (value: Json): string[] | undefined => {
    if (typeof value === 'string') return value.split(',').map((name) => name.trim()).filter((name) => name !== '');
    if (Array.isArray(value)) return value.filter((name): name is string => typeof name === 'string').map((name) => name.trim());
    return undefined;
  };
  const integer = (value: Json): number | undefined => {
    const number = typeof value === 'string' && /^-?\d+$/.test(value.trim()) ? Number(value) : value;
    return isInteger(number) ? number : undefined;
  };
  let source: JsonObject = {};
  if (endpoint.kind === 'search') {
    const body = parseJson(exchange.request.body);
    if (body.ok && isObject(body.value)) source = body.value;
  } else {
    for (const key of ['attributes', 'excludedAttributes', 'count', 'startIndex']) {
      const value = endpoint.query.get(key);
      if (value !== null) source[key] = value;
    }
  }
  const attributes = names(source.attributes);
  const excludedAttributes = names(source.excludedAttributes);
  const count = integer(source.count);
  const startIndex = integer(source.startIndex);
  return {
    ...(attributes && attributes.length > 0 ? { attributes } : {}),
    ...(excludedAttributes && excludedAttributes.length > 0 ? { excludedAttributes } : {}),
    ...(count === undefined ? {} : { count }),
    ...(startIndex === undefined ? {} : { startIndex }),
  };
}

/** An attribute path split into the resource key that holds it and the name below it. */
interface AttributePath {
  /** The top-level key of the resource: a core attribute or an extension's schema URI. */
  readonly key: string;
  /** The attribute inside an extension, or the sub-attribute of a core attribute. */
  readonly below?: string;
}

function pathOf(requested: string, resource: JsonObject, type: ResourceTypeName | undefined): AttributePath {
  const lower = requested.toLowerCase();
  if (lower.startsWith('urn:')) {
    const extension = Object.keys(resource).find((key) => key.toLowerCase().startsWith('urn:') && (lower === key.toLowerCase() || lower.startsWith(`${key.toLowerCase()}:`)));
    if (extension) {
      const rest = requested.slice(extension.length + 1);
      return rest === '' ? { key: extension } : { key: extension, below: rest };
    }
    const core = type ? CORE_SCHEMA[type].toLowerCase() : undefined;
    if (core && lower.startsWith(`${core}:`)) return pathOf(requested.slice(core.length + 1), resource, type);
    return { key: requested };
  }
  const dot = requested.indexOf('.');
  return dot === -1 ? { key: requested } : { key: requested.slice(0, dot), below: requested.slice(dot + 1) };
}

/** The resource's own key for a name, matched case-insensitively (RFC 7643 §2.1). */
function keyIn(object: JsonObject, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(object).find((key) => key.toLowerCase() === lower);
}

function present(value: Json): boolean {
  if (value === undefined || value === null) return false;
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

/** Collects findings for one exchange; list items of one kind are folded into one finding. */
class Findings {
  readonly list: Finding[] = [];
  constructor(private readonly exchange: RunExchange) {}

  add(id: RfcFindingId, message: string, expected?: unknown, actual?: unknown): void {
    this.list.push(
      findingOf(id, {
        message,
        step: this.exchange.step,
        exchange: this.exchange.index,
        ...(expected === undefined ? {} : { expected }),
        ...(actual === undefined ? {} : { actual }),
      }),
    );
  }
}

interface ResourceContext {
  readonly endpoint: Endpoint;
  readonly exchange: RunExchange;
  readonly type?: ResourceTypeName;
  readonly projection: ListRequest;
  /** Where in the response: `the response` or `Resources[3]`. */
  readonly where: string;
  /** A single resource (not a list item): its ETag header is compared with meta.version. */
  readonly single: boolean;
}

type Add = (id: RfcFindingId, message: string, expected?: unknown, actual?: unknown) => void;

function checkResource(resource: JsonObject, ctx: ResourceContext, add: Add): void {
  const { endpoint, exchange, type, where, projection } = ctx;
  const response = exchange.response!;
  const id = resource.id;
  const hasId = typeof id === 'string' && id.trim() !== '';
  if (!hasId) {
    add('rfc.resource-id-missing', `${where} has no "id" (got ${JSON.stringify(id) ?? 'nothing'}); return the id the server issued on every representation.`, 'a non-empty string', id);
  }
  if (hasId) {
    const sent = endpoint.kind === 'collection' && endpoint.method === 'POST' ? parseJson(exchange.request.body) : { ok: false as const };
    const clientValues: [string, Json][] = [
      ['externalId', resource.externalId],
      ['userName', resource.userName],
      ...(sent.ok && isObject(sent.value) ? ([['externalId', sent.value.externalId], ['userName', sent.value.userName]] as [string, Json][]) : []),
    ];
    const copied = clientValues.find(([, value]) => typeof value === 'string' && value === id);
    if (copied) {
      add(
        'rfc.resource-id-from-client',
        `${where} has "id" ${JSON.stringify(id)}, the ${copied[0]} the client sent; issue an id of the server's own that never changes (a UUID), and keep ${copied[0]} as its own attribute.`,
        `an id issued by the server, not the ${copied[0]}`,
        id,
      );
    }
  }
  if (type) {
    const schemas = resource.schemas;
    const core = CORE_SCHEMA[type];
    if (!Array.isArray(schemas) || !schemas.some((uri) => typeof uri === 'string' && uri.toLowerCase() === core.toLowerCase())) {
      add('rfc.resource-schemas-missing-core', `${where}'s "schemas" is ${JSON.stringify(schemas) ?? 'missing'}; list "${core}" (and each extension the resource holds).`, [core], schemas);
    }
  }
  const password = keyIn(resource, 'password');
  if (password !== undefined && resource[password] !== undefined && resource[password] !== null) {
    add('rfc.password-returned', `${where} returns "password"; password is "returned": "never". Leave it out of every response.`, 'no password attribute', '(a password value, not shown)');
  }

  let metaProjectedAway = false;
  if (projection.attributes) {
    const allowed = new Set([...ALWAYS_RETURNED, ...projection.attributes.map((name) => pathOf(name, resource, type).key.toLowerCase())]);
    const extra = Object.keys(resource).filter((key) => !allowed.has(key.toLowerCase()) && present(resource[key]));
    metaProjectedAway = !allowed.has('meta');
    if (extra.length > 0) {
      add(
        'rfc.attributes-not-honoured',
        `${endpoint.method} ${endpoint.shown} asked for attributes=${projection.attributes.join(',')}, but ${where} also holds ${extra.join(', ')}; return only the requested attributes and id/schemas.`,
        [...ALWAYS_RETURNED, ...projection.attributes],
        Object.keys(resource),
      );
    }
  }
  if (projection.excludedAttributes) {
    const returned: string[] = [];
    for (const name of projection.excludedAttributes) {
      const path = pathOf(name, resource, type);
      if (ALWAYS_RETURNED.has(path.key.toLowerCase())) continue;
      if (path.key.toLowerCase() === 'meta' && path.below === undefined) metaProjectedAway = true;
      const key = keyIn(resource, path.key);
      if (key === undefined) continue;
      const value = resource[key];
      if (path.below === undefined) {
        if (present(value)) returned.push(name);
        continue;
      }
      const holders = Array.isArray(value) ? value : [value];
      const inside = holders.some((holder) => {
        if (!isObject(holder)) return false;
        const sub = keyIn(holder, path.below!.split('.')[0]!);
        return sub !== undefined && present(holder[sub]);
      });
      if (inside) returned.push(name);
    }
    if (returned.length > 0) {
      add(
        'rfc.excluded-attributes-returned',
        `${endpoint.method} ${endpoint.shown} excluded ${projection.excludedAttributes.join(',')}, but ${where} still holds ${returned.join(', ')}; leave excluded attributes out.`,
        `no ${returned.join(', ')}`,
        returned,
      );
    }
  }

  const metaKey = keyIn(resource, 'meta');
  const meta = metaKey === undefined ? undefined : resource[metaKey];
  if (!isObject(meta)) {
    if (!metaProjectedAway && type) {
      add('rfc.meta-missing', `${where} has no "meta"; return meta.resourceType, created, lastModified and location (and version with ETags).`, 'a meta object', meta);
    }
    return;
  }
  if (type && meta.resourceType !== undefined && meta.resourceType !== type) {
    add('rfc.meta-resource-type', `${where} has meta.resourceType ${JSON.stringify(meta.resourceType)}; a resource at /${type}s is of type "${type}".`, type, meta.resourceType);
  }
  for (const field of ['created', 'lastModified'] as const) {
    const value = meta[field];
    if (value !== undefined && (typeof value !== 'string' || !DATE_TIME.test(value))) {
      add('rfc.meta-datetime', `${where} has meta.${field} ${JSON.stringify(value)}; write an xsd:dateTime such as "2008-01-23T04:56:22Z".`, 'an xsd:dateTime', value);
    }
  }
  const location = meta.location;
  if (location !== undefined) {
    let absolute: URL | undefined;
    try {
      absolute = typeof location === 'string' ? new URL(location) : undefined;
    } catch {
      absolute = undefined;
    }
    if (!absolute) {
      add('rfc.meta-location-not-absolute', `${where} has meta.location ${JSON.stringify(location)}; write the resource's absolute URI (https://host/scim/v2/Users/{id}).`, 'an absolute URI', location);
    } else if (hasId) {
      const last = absolute.pathname.split('/').filter((segment) => segment !== '').pop();
      if (last === undefined || decode(last) !== id) {
        add('rfc.meta-location-wrong-resource', `${where} has id ${JSON.stringify(id)} but meta.location ${location}; point meta.location at this resource (…/${id}).`, `a URI ending in /${id}`, location);
      }
    }
  }
  const etag = response.headers.etag;
  if (ctx.single && etag !== undefined && meta.version !== undefined && meta.version !== etag) {
    add('rfc.meta-version-etag-mismatch', `${where} has meta.version ${JSON.stringify(meta.version)} but the ETag header is ${etag}; give both the same entity tag.`, etag, meta.version);
  }
}

/** Status codes of successful operations, for the IdP's own flows only (see the top of the file). */
function checkSuccessStatus(endpoint: Endpoint, status: number, add: Add): void {
  const request = `${endpoint.method} ${endpoint.shown}`;
  switch (endpoint.method) {
    case 'POST':
      if (endpoint.kind === 'collection' && status !== 201) {
        add('rfc.create-status', `${request} created a resource but answered ${status}; answer 201 Created with the resource and a Location header.`, 201, status);
      } else if (endpoint.kind === 'search' && status !== 200) {
        add('rfc.read-status', `${request} answered ${status}; a search answers 200 OK with a ListResponse.`, 200, status);
      }
      return;
    case 'GET':
      if (status !== 200) add('rfc.read-status', `${request} answered ${status}; a successful GET answers 200 OK with the resource or a ListResponse.`, 200, status);
      return;
    case 'PUT':
      if (status !== 200) add('rfc.replace-status', `${request} answered ${status}; a successful PUT answers 200 OK with the entire resource.`, 200, status);
      return;
    case 'PATCH':
      if (status !== 200 && status !== 204) {
        add('rfc.patch-status', `${request} answered ${status}; a successful PATCH answers 200 OK with the entire resource, or 204 No Content.`, [200, 204], status);
      }
      return;
    case 'DELETE':
      if (status !== 204) add('rfc.delete-status', `${request} answered ${status}; a successful DELETE answers 204 No Content.`, 204, status);
      return;
  }
}

function checkContentType(exchange: RunExchange, endpoint: Endpoint, add: Add): void {
  const response = exchange.response!;
  if (response.body === undefined || response.body.trim() === '') return;
  const declared = response.headers['content-type'];
  const mediaType = declared?.split(';')[0]!.trim().toLowerCase();
  const request = `${endpoint.method} ${endpoint.shown}`;
  if (mediaType === 'application/scim+json') return;
  if (mediaType === 'application/json') {
    const accept = headerValue(exchange.request.headers, 'accept')?.toLowerCase();
    const askedForJsonOnly = accept !== undefined && accept.includes('application/json') && !accept.includes('application/scim+json');
    if (!askedForJsonOnly) {
      add(
        'rfc.content-type-not-scim',
        `${request} answered ${response.status} with Content-Type ${declared} to a client that accepts ${accept ?? 'anything'}; send Content-Type: application/scim+json.`,
        'application/scim+json',
        declared,
      );
    }
    return;
  }
  add(
    'rfc.content-type-not-json',
    `${request} answered ${response.status} with a body labelled ${declared === undefined ? '(no Content-Type)' : `Content-Type ${declared}`}; send Content-Type: application/scim+json.`,
    'application/scim+json',
    declared ?? null,
  );
}

function checkError(exchange: RunExchange, endpoint: Endpoint, add: Add): void {
  const response = exchange.response!;
  const request = `${endpoint.method} ${endpoint.shown}`;
  const body = parseJson(response.body);
  const schemas = body.ok && isObject(body.value) ? body.value.schemas : undefined;
  const isScimError = Array.isArray(schemas) && schemas.includes(ERROR_SCHEMA);
  if (endpoint.method === 'POST' && endpoint.kind === 'collection' && response.status === 409) {
    const scimType = body.ok && isObject(body.value) ? body.value.scimType : undefined;
    if (scimType !== 'uniqueness') {
      add('rfc.conflict-without-uniqueness', `${request} answered 409 with scimType ${JSON.stringify(scimType) ?? '(none)'}; a create that conflicts answers 409 with "scimType": "uniqueness".`, 'uniqueness', scimType ?? null);
    }
  }
  if (!isScimError || !body.ok || !isObject(body.value)) {
    // Name the shape as its framework's developers know it (FastAPI's {"detail": …} …).
    const { shape } = describeErrorBody(response.body);
    add(
      'rfc.error-not-scim',
      `${request} answered ${response.status} with ${shape}, not the SCIM Error schema: ${excerpt(response.body)}; answer errors with {"schemas": ["${ERROR_SCHEMA}"], "status": "${response.status}", "detail": "…"}.`,
      { schemas: [ERROR_SCHEMA], status: String(response.status) },
      body.ok ? body.value : (response.body ?? null),
    );
    return;
  }
  const error = body.value;
  if (error.status === undefined) {
    add('rfc.error-status-missing', `${request} answered ${response.status} with a SCIM Error without "status"; add "status": "${response.status}".`, String(response.status), undefined);
  } else if (typeof error.status !== 'string') {
    add('rfc.error-status-not-string', `${request} answered a SCIM Error with "status": ${JSON.stringify(error.status)}; write it as a string: "${response.status}".`, String(response.status), error.status);
  } else if (error.status.trim() !== String(response.status)) {
    add('rfc.error-status-mismatch', `${request} answered HTTP ${response.status} with a SCIM Error saying "status": "${error.status}"; make them agree.`, String(response.status), error.status);
  }
  if (error.scimType !== undefined && !(typeof error.scimType === 'string' && SCIM_TYPES.has(error.scimType))) {
    add('rfc.error-scim-type-unknown', `${request} answered a SCIM Error with "scimType": ${JSON.stringify(error.scimType)}; use one of ${[...SCIM_TYPES].join(', ')}, or leave it out.`, [...SCIM_TYPES], error.scimType);
  }
}

/** A ListResponse and each resource in it; findings about the resources are folded per id. */
function checkList(exchange: RunExchange, endpoint: Endpoint, add: Add): void {
  const response = exchange.response!;
  const request = `${endpoint.method} ${endpoint.shown}`;
  const body = parseJson(response.body);
  const list = body.ok ? body.value : undefined;
  if (!isObject(list) || !Array.isArray(list.schemas) || !list.schemas.includes(LIST_RESPONSE_SCHEMA)) {
    add(
      'rfc.list-not-list-response',
      `${request} answered ${Array.isArray(list) ? `a bare JSON array of ${list.length} item(s), not a ListResponse object: ` : ''}${excerpt(response.body)}; answer a query with {"schemas": ["${LIST_RESPONSE_SCHEMA}"], "totalResults": …, "Resources": […]}.`,
      { schemas: [LIST_RESPONSE_SCHEMA] },
      body.ok ? (Array.isArray(list) ? `a JSON array of ${list.length}` : list) : excerpt(response.body),
    );
    return;
  }
  const asked = listRequestOf(endpoint, exchange);
  const total = list.totalResults;
  const totalOk = isInteger(total) && total >= 0;
  if (!totalOk) {
    add('rfc.list-total-results', `${request} answered "totalResults": ${JSON.stringify(total) ?? '(missing)'}; give the number of all results as an integer.`, 'a non-negative integer', total);
  }
  const resources = list.Resources;
  if (resources !== undefined && !Array.isArray(resources)) {
    add('rfc.list-resources', `${request} answered "Resources": ${excerpt(JSON.stringify(resources))}; give the page's resources as an array.`, 'an array', resources);
  } else if (resources === undefined && totalOk && total > 0 && asked.count !== 0) {
    add('rfc.list-resources', `${request} answered "totalResults": ${total} without "Resources"; list the page's resources in "Resources".`, 'an array', undefined);
  }
  const page = Array.isArray(resources) ? resources : [];
  for (const field of ['startIndex', 'itemsPerPage'] as const) {
    const value = list[field];
    if (value !== undefined && !isInteger(value)) {
      add('rfc.list-paging-fields', `${request} answered "${field}": ${JSON.stringify(value)}; write it as an integer.`, 'an integer', value);
    } else if (value === undefined && totalOk && page.length < total) {
      add('rfc.list-paging-fields', `${request} answered ${page.length} of ${total} results without "${field}"; a partial page says where it starts and how many it holds.`, 'an integer', undefined);
    }
  }
  if (asked.count !== undefined && page.length > Math.max(0, asked.count)) {
    add('rfc.list-count-exceeded', `${request} asked for count=${asked.count} and got ${page.length} resources; return at most "count".`, `at most ${Math.max(0, asked.count)}`, page.length);
  }
  const startIndex = Math.max(1, asked.startIndex ?? 1);
  if (isInteger(list.startIndex) && list.startIndex !== startIndex) {
    add(
      'rfc.list-start-index',
      `${request} ${asked.startIndex === undefined ? 'gave no startIndex (so 1)' : `asked for startIndex=${asked.startIndex}`} and got a page starting at ${list.startIndex}; start the page where asked (1-based).`,
      startIndex,
      list.startIndex,
    );
  }
  if (totalOk && page.length > total) {
    add('rfc.list-counts-inconsistent', `${request} answered "totalResults": ${total} with ${page.length} resources in the page; count every result in totalResults.`, `totalResults ≥ ${page.length}`, total);
  }
  if (isInteger(list.itemsPerPage) && Array.isArray(resources) && list.itemsPerPage !== page.length) {
    add('rfc.list-counts-inconsistent', `${request} answered "itemsPerPage": ${list.itemsPerPage} with ${page.length} resources in the page; itemsPerPage is the page's size.`, page.length, list.itemsPerPage);
  }
  if (endpoint.kind === 'discovery-list') return;

  // One finding per kind for the whole page, naming the first resource and how many more.
  const folded = new Map<RfcFindingId, { message: string; expected: unknown; actual: unknown; count: number }>();
  page.forEach((item, index) => {
    const where = `Resources[${index}]`;
    if (!isObject(item)) {
      const entry = folded.get('rfc.resource-id-missing');
      if (entry) entry.count++;
      else folded.set('rfc.resource-id-missing', { message: `${request}: ${where} is ${excerpt(JSON.stringify(item))}, not a resource.`, expected: 'a resource object', actual: item, count: 1 });
      return;
    }
    checkResource(item, { endpoint, exchange, ...(endpoint.type ? { type: endpoint.type } : {}), projection: asked, where: `${request}: ${where}`, single: false }, (id, message, expected, actual) => {
      const entry = folded.get(id);
      if (entry) entry.count++;
      else folded.set(id, { message, expected, actual, count: 1 });
    });
  });
  for (const [id, entry] of folded) {
    add(id, entry.count > 1 ? `${entry.message} (and ${entry.count - 1} more resources in this page)` : entry.message, entry.expected, entry.actual);
  }
}

/** A response that returns one resource: a create, a read by id, a PUT, a PATCH answered 200. */
function checkSingleResource(exchange: RunExchange, endpoint: Endpoint, add: Add): void {
  const response = exchange.response!;
  const request = `${endpoint.method} ${endpoint.shown}`;
  const body = parseJson(response.body);
  if (!body.ok || !isObject(body.value)) {
    add(
      'rfc.resource-body-missing',
      `${request} answered ${response.status} with ${body.ok ? JSON.stringify(body.value) : excerpt(response.body)}; return the ${endpoint.type === 'Group' ? 'group' : endpoint.type === 'User' ? 'user' : 'resource'} as a JSON object.`,
      'the resource as a JSON object',
      body.ok ? body.value : (response.body ?? null),
    );
    return;
  }
  const resource = body.value;
  const projection = endpoint.method === 'GET' ? listRequestOf(endpoint, exchange) : {};
  checkResource(resource, { endpoint, exchange, ...(endpoint.type ? { type: endpoint.type } : {}), projection, where: `${request}: the response`, single: true }, add);
  if (endpoint.method === 'POST' && endpoint.kind === 'collection') {
    const location = response.headers.location;
    const meta = isObject(resource.meta) ? resource.meta : undefined;
    if (location === undefined || location.trim() === '') {
      add('rfc.create-location-missing', `${request} answered ${response.status} without a Location header; send Location: the created resource's URI (the same as meta.location).`, meta?.location ?? 'the resource URI', undefined);
    } else if (typeof meta?.location === 'string' && meta.location !== location) {
      add('rfc.create-location-mismatch', `${request} answered Location ${location} but meta.location ${meta.location}; send the same URI in both.`, meta.location, location);
    }
  }
}

/** Findings about one exchange under RFC 7643/7644. */
export function rfcExchangeFindings(subject: ExchangeUnderJudgement): Finding[] {
  const { exchange } = subject;
  const response = exchange.response;
  if (!response) return [];
  const endpoint = endpointOf(exchange, subject.baseUrl);
  const findings = new Findings(exchange);
  const add: Add = (id, message, expected, actual) => findings.add(id, message, expected, actual);
  const status = response.status;
  // The IdP's own flows (event steps) are held to the RFC's success codes; raw steps are not.
  const idpFlow = subject.event !== undefined;

  checkContentType(exchange, endpoint, add);
  if (status >= 400) {
    if (idpFlow && status === 404 && endpoint.method === 'GET' && endpoint.kind === 'collection') {
      add('rfc.empty-query-not-found', `GET ${endpoint.shown} answered 404; a query that matches nothing answers 200 with {"totalResults": 0, "Resources": []}.`, 200, 404);
    }
    checkError(exchange, endpoint, add);
    return findings.list;
  }
  if (status < 200 || status >= 300) return findings.list;
  if (idpFlow) checkSuccessStatus(endpoint, status, add);

  const isList = (endpoint.method === 'GET' && (endpoint.kind === 'collection' || endpoint.kind === 'discovery-list')) || (endpoint.method === 'POST' && endpoint.kind === 'search');
  if (isList) {
    if (status === 200) checkList(exchange, endpoint, add);
    return findings.list;
  }
  const returnsResource =
    endpoint.type !== undefined &&
    ((endpoint.method === 'POST' && endpoint.kind === 'collection') ||
      (endpoint.kind === 'resource' && (endpoint.method === 'GET' || endpoint.method === 'PUT' || (endpoint.method === 'PATCH' && status === 200))));
  if (returnsResource && status !== 204) checkSingleResource(exchange, endpoint, add);
  return findings.list;
}
