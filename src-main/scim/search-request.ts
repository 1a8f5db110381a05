/**
 * Reading a query (RFC 7644 §3.4.2) from URL parameters or a SearchRequest body (§3.4.3) into
 * one shape, and turning it into list parameters within the server's limits.
 */
import { invalidSyntax, invalidValue } from './errors.js';
import type { Filter } from './filter/ast.js';
import type { ServerLimits } from './discovery.js';
import type { ListParams } from './query.js';
import { parseProjection } from './projection.js';
import { resourceTypes } from './schema/resource-types.js';
import { isObject } from './resource.js';
import { checkJsonBounds } from './json-bounds.js';
import { type Notes, note } from './leniency.js';

export const SEARCH_REQUEST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

const NO_QUERY: ReadonlyMap<string, string> = new Map();

export function parseQuery(text: string): ReadonlyMap<string, string> {
  if (text === '') return NO_QUERY;
  const query = new Map<string, string>();
  // URLSearchParams decodes `+` as a space, which is what Entra and OneLogin send
  // (`filter=userName+eq+%22…%22`, idp-traffic.md §1.2, §3); a trailing `&` or `?` is harmless.
  for (const [name, value] of new URLSearchParams(text)) {
    if (name) query.set(name.toLowerCase(), value);
  }
  return query;
}

function parseInteger(query: ReadonlyMap<string, string>, name: string): number | undefined {
  const raw = query.get(name.toLowerCase());
  if (raw === undefined || raw.trim() === '') return undefined;
  if (!/^-?\d+$/.test(raw.trim())) throw invalidValue(`"${name}" must be an integer, got ${JSON.stringify(raw)}`);
  return Number.parseInt(raw, 10);
}

export interface SearchInput {
  filter?: string;
  sortBy?: string;
  sortOrder?: string;
  startIndex?: number;
  count?: number;
  attributes?: string;
  excludedAttributes?: string;
}

/** `query` holds parameter names in lower case (RFC 7644 does not fix their case in practice). */
export function searchFromQuery(query: ReadonlyMap<string, string>): SearchInput {
  return {
    filter: query.get('filter'),
    sortBy: query.get('sortby'),
    sortOrder: query.get('sortorder'),
    startIndex: parseInteger(query, 'startIndex'),
    count: parseInteger(query, 'count'),
    attributes: query.get('attributes'),
    excludedAttributes: query.get('excludedattributes'),
  };
}

export function searchFromBody(body: unknown, notes: Notes): SearchInput {
  if (!isObject(body)) throw invalidSyntax('A search request body must be a JSON object (RFC 7644 §3.4.3)');
  checkJsonBounds(body);
  const schemas = body.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(SEARCH_REQUEST_SCHEMA)) {
    notes.push(note('search-request-schema-missing', `"schemas" should be ["${SEARCH_REQUEST_SCHEMA}"]`));
  }
  const text = (name: string): string | undefined => {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.join(',');
    if (typeof value === 'string') return value;
    throw invalidValue(`"${name}" must be a string${name.endsWith('ttributes') ? ' or an array of strings' : ''}`);
  };
  const integer = (name: string): number | undefined => {
    const value = body[name];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw invalidValue(`"${name}" must be an integer`);
    return value;
  };
  return {
    filter: text('filter'),
    sortBy: text('sortBy'),
    sortOrder: text('sortOrder'),
    startIndex: integer('startIndex'),
    count: integer('count'),
    attributes: text('attributes'),
    excludedAttributes: text('excludedAttributes'),
  };
}

export function listParams(input: SearchInput, filter: Filter | undefined, limits: ServerLimits): ListParams {
  const sortOrder = input.sortOrder?.toLowerCase();
  if (sortOrder !== undefined && sortOrder !== 'ascending' && sortOrder !== 'descending') {
    throw invalidValue(`"sortOrder" must be "ascending" or "descending", got ${JSON.stringify(input.sortOrder)}`);
  }
  // Checked here, before any resource is read, so that an unknown name fails even a search
  // that matches nothing (the lists are applied per resource type when the page is rendered).
  for (const type of resourceTypes) parseProjection(type, input.attributes, input.excludedAttributes);
  // RFC 7644 §3.4.2.4: startIndex < 1 is read as 1; a negative count as 0. A startIndex past
  // every result yields an empty page; one past 2^53 is clamped so that the ListResponse echoes
  // an exact JSON integer (JSON.stringify would print an unsafe one rounded, and NaN as null).
  const startIndex = Math.min(Math.max(1, input.startIndex ?? 1), Number.MAX_SAFE_INTEGER);
  const count = Math.min(Math.max(0, input.count ?? limits.defaultCount), limits.maxResults);
  return {
    ...(filter ? { filter } : {}),
    ...(input.sortBy ? { sortBy: input.sortBy } : {}),
    ...(sortOrder ? { sortOrder: sortOrder as 'ascending' | 'descending' } : {}),
    startIndex,
    count,
  };
}
