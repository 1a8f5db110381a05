/**
 * Listing resources (RFC 7644 §3.4.2): filter, sort, page.
 *
 * A small planner keeps the common IdP lookups O(1): an `eq` on an indexed attribute (id,
 * userName, externalId, group displayName, members.value) anywhere in the top-level `and` chain
 * selects candidates from the store's indexes, and the full filter is then evaluated on those
 * candidates only. Everything else is a scan with a predicate compiled once per request.
 *
 * The walkers below recurse down and/or chains; the parser's MAX_FILTER_TERMS and
 * MAX_FILTER_DEPTH bound every parsed filter to about a thousand levels, well within the stack.
 */
import type { Filter } from './filter/ast.js';
import { compileFilter } from './filter/evaluate.js';
import { invalidValue } from './errors.js';
import type { AttributeDef } from './schema/definitions.js';
import { type ResourceTypeDef, parseAttrPath, resolvePath } from './schema/resource-types.js';
import { type ScimObject, type StoredResource, isObject } from './resource.js';
import { type DirectoryView, groupsOf } from './render.js';

/** What the query needs from the store beyond rendering. */
export interface DirectoryIndex extends DirectoryView {
  all(type: 'User' | 'Group'): IterableIterator<StoredResource>;
  count(type: 'User' | 'Group'): number;
  findUserByUserName(userName: string): StoredResource | undefined;
  findByExternalId(type: 'User' | 'Group', externalId: string): StoredResource[];
  findGroupByDisplayName(displayName: string): StoredResource | undefined;
}

export interface ListParams {
  readonly filter?: Filter;
  readonly sortBy?: string;
  readonly sortOrder?: 'ascending' | 'descending';
  /** 1-based. */
  readonly startIndex: number;
  readonly count: number;
}

export interface ListResult {
  readonly totalResults: number;
  readonly page: StoredResource[];
}

/** Resources whose `eq` lookup on an indexed attribute selects the candidates; undefined means "scan". */
function candidatesFor(store: DirectoryIndex, resourceType: ResourceTypeDef, filter: Filter): StoredResource[] | undefined {
  if (filter.kind === 'and') {
    return candidatesFor(store, resourceType, filter.left) ?? candidatesFor(store, resourceType, filter.right);
  }
  if (filter.kind !== 'compare' || filter.op !== 'eq' || typeof filter.value !== 'string') return undefined;
  const resolved = resolvePath(resourceType, filter.path);
  if (!resolved || resolved.extension) return undefined;
  const name = resolved.attribute.name;
  const value = filter.value;
  const type = resourceType.name;
  const one = (resource: StoredResource | undefined) => (resource ? [resource] : []);
  if (!resolved.subAttribute) {
    if (name === 'id') return one(store.get(type, value));
    if (name === 'externalId') return store.findByExternalId(type, value);
    if (type === 'User' && name === 'userName') return one(store.findUserByUserName(value));
    if (type === 'Group' && name === 'displayName') return one(store.findGroupByDisplayName(value));
  }
  if (type === 'Group' && name === 'members' && (!resolved.subAttribute || resolved.subAttribute.name === 'value')) {
    const groups: StoredResource[] = [];
    for (const groupId of store.groupIdsOf(value)) {
      const group = store.get('Group', groupId);
      if (group) groups.push(group);
    }
    return groups;
  }
  return undefined;
}

function mentions(filter: Filter, name: string): boolean {
  switch (filter.kind) {
    case 'and':
    case 'or':
      return mentions(filter.left, name) || mentions(filter.right, name);
    case 'not':
      return mentions(filter.filter, name);
    default:
      return filter.path.name.toLowerCase() === name;
  }
}

/**
 * Builds the predicate for a filter. A User's `groups` is derived, not stored, so a filter that
 * reads it is evaluated against a view with `groups` filled in.
 */
export function matcherFor(
  store: DirectoryIndex,
  resourceType: ResourceTypeDef,
  filter: Filter,
): (resource: StoredResource) => boolean {
  const predicate = compileFilter(filter, resourceType);
  if (resourceType.name === 'User' && mentions(filter, 'groups')) {
    return (resource) => predicate({ ...resource, groups: groupsOf(store, resource.id) as unknown as ScimObject[] });
  }
  return predicate;
}

/**
 * Narrows a filter to one resource type for a root search (RFC 7644 §3.4.3): a comparison on an
 * attribute the type does not define is false there, so `displayName eq "x" or userName eq "y"`
 * finds Groups by name and Users by userName. Returns true/false when the filter is decided.
 */
export function narrowFilter(filter: Filter, resourceType: ResourceTypeDef): Filter | boolean {
  switch (filter.kind) {
    case 'and': {
      const left = narrowFilter(filter.left, resourceType);
      const right = narrowFilter(filter.right, resourceType);
      if (left === false || right === false) return false;
      if (left === true) return right;
      if (right === true) return left;
      return { kind: 'and', left, right };
    }
    case 'or': {
      const left = narrowFilter(filter.left, resourceType);
      const right = narrowFilter(filter.right, resourceType);
      if (left === true || right === true) return true;
      if (left === false) return right;
      if (right === false) return left;
      return { kind: 'or', left, right };
    }
    case 'not': {
      const inner = narrowFilter(filter.filter, resourceType);
      return typeof inner === 'boolean' ? !inner : { kind: 'not', filter: inner };
    }
    default:
      return resolvePath(resourceType, { ...(filter.path.uri ? { uri: filter.path.uri } : {}), name: filter.path.name }) ? filter : false;
  }
}

function sortKey(resource: StoredResource, def: AttributeDef, sub: AttributeDef | undefined, container: string | undefined) {
  const holder = container ? resource[container] : resource;
  if (!isObject(holder)) return undefined;
  let value: unknown = holder[def.name];
  if (Array.isArray(value)) {
    // RFC 7644 §3.4.2.3: multi-valued attributes sort by their primary value, if any.
    const primary = value.find((item) => isObject(item) && item.primary === true) ?? value[0];
    value = primary;
  }
  if (isObject(value)) value = value[sub?.name ?? 'value'];
  if (value === undefined || value === null) return undefined;
  const caseExact = (sub ?? def).caseExact;
  if (typeof value === 'string') {
    if ((sub ?? def).type === 'dateTime') return Date.parse(value);
    return caseExact ? value : value.toLowerCase();
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  return typeof value === 'number' ? value : undefined;
}

function sortResources(resourceType: ResourceTypeDef, resources: StoredResource[], sortBy: string, descending: boolean) {
  const resolved = resolvePath(resourceType, parseAttrPath(sortBy));
  if (!resolved) {
    throw invalidValue(`Cannot sort by "${sortBy}": ${resourceType.name} has no such attribute`);
  }
  if (resolved.attribute.type === 'complex' && !resolved.subAttribute && !resolved.attribute.subAttributes?.some((s) => s.name === 'value')) {
    throw invalidValue(`Cannot sort by "${sortBy}": name a sub-attribute, e.g. "${resolved.attribute.name}.${resolved.attribute.subAttributes?.[0]?.name}"`);
  }
  const container = resolved.extension ? resolved.schema.id : undefined;
  const keyed = resources.map((resource, position) => ({
    resource,
    position,
    key: sortKey(resource, resolved.attribute, resolved.subAttribute, container) as string | number | undefined,
  }));
  const direction = descending ? -1 : 1;
  keyed.sort((a, b) => {
    // Resources without a value sort last in either order (RFC 7644 §3.4.2.3).
    if (a.key === undefined || b.key === undefined) {
      if (a.key === b.key) return a.position - b.position;
      return a.key === undefined ? 1 : -1;
    }
    if (a.key < b.key) return -direction;
    if (a.key > b.key) return direction;
    return a.position - b.position;
  });
  return keyed.map((entry) => entry.resource);
}

export function listResources(store: DirectoryIndex, resourceType: ResourceTypeDef, params: ListParams): ListResult {
  const { filter, sortBy, startIndex, count } = params;
  const type = resourceType.name;
  const from = startIndex - 1;
  if (!filter && !sortBy) {
    // The common import path (`startIndex=1&count=100`): walk only as far as the page needs.
    const page: StoredResource[] = [];
    if (count > 0) {
      let index = 0;
      for (const resource of store.all(type)) {
        if (index >= from) page.push(resource);
        index++;
        if (page.length >= count) break;
      }
    }
    return { totalResults: store.count(type), page };
  }
  let matches: StoredResource[];
  if (filter) {
    const matcher = matcherFor(store, resourceType, filter);
    const candidates = candidatesFor(store, resourceType, filter);
    matches = [];
    for (const resource of candidates ?? store.all(type)) if (matcher(resource)) matches.push(resource);
  } else {
    matches = [...store.all(type)];
  }
  if (sortBy) matches = sortResources(resourceType, matches, sortBy, params.sortOrder === 'descending');
  return { totalResults: matches.length, page: count > 0 ? matches.slice(from, from + count) : [] };
}
