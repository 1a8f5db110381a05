/**
 * Stored resource → the representation a client receives: absolute `meta.location` and `$ref`s
 * built from the request's origin, the User's read-only `groups` derived from memberships
 * (direct and indirect, RFC 7643 §4.1.2), the manager's `displayName`, and the weak ETag.
 */
import type { AttributeDef } from './schema/definitions.js';
import { ENTERPRISE_USER_SCHEMA, commonAttributes, schemasAttribute } from './schema/definitions.js';
import type { ResourceTypeDef, ResourceTypeName } from './schema/resource-types.js';
import { type ScimObject, type StoredResource, isObject } from './resource.js';

/** The read side of the directory that rendering needs; the store implements it. */
export interface DirectoryView {
  get(type: ResourceTypeName, id: string): StoredResource | undefined;
  groupIdsOf(memberId: string): ReadonlySet<string>;
  /** groupIdsOf for a member that is a Group. */
  parentGroupIdsOf(groupId: string): ReadonlySet<string>;
}

const ENDPOINT: Record<ResourceTypeName, string> = { User: 'Users', Group: 'Groups' };

export const resourceUrl = (baseUrl: string, type: ResourceTypeName, id: string) =>
  `${baseUrl}/${ENDPOINT[type]}/${encodeURIComponent(id)}`;

const topLevelCache = new WeakMap<ResourceTypeDef, readonly AttributeDef[]>();

/** Attributes that live at the top level of a representation: common ones, then the core schema's. */
export function topLevelAttributes(resourceType: ResourceTypeDef): readonly AttributeDef[] {
  let attributes = topLevelCache.get(resourceType);
  if (!attributes) {
    attributes = [schemasAttribute, ...commonAttributes, ...resourceType.schema.attributes];
    topLevelCache.set(resourceType, attributes);
  }
  return attributes;
}

const FNV_OFFSET = 0x811c9dc5;

/**
 * FNV-1a over `text` and a NUL terminator, continuing from `hash`: a cheap, stable fingerprint
 * of derived data, fed piece by piece so no string has to be built for it.
 */
function fnv(hash: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return Math.imul(hash, 0x01000193);
}

/**
 * The weak ETag (RFC 7644 §3.14). The stored revision changes on every write to the resource;
 * a User's representation also changes when its groups or its manager's name change, so their
 * fingerprint (undefined when it has neither) is part of its version: the ETag then changes
 * exactly when the body does.
 */
export function versionOf(stored: StoredResource, derived?: number): string {
  return derived === undefined ? `W/"${stored.meta.revision}"` : `W/"${stored.meta.revision}-${(derived >>> 0).toString(36)}"`;
}

interface GroupRef {
  value: string;
  display: string | undefined;
  type: 'direct' | 'indirect';
}

/** Direct groups first, then groups reached through nested groups, each once. */
export function groupsOf(view: DirectoryView, memberId: string): GroupRef[] {
  const result: GroupRef[] = [];
  let frontier: string[] | undefined;
  // The direct level needs no de-duplication (a Set); most directories have no nesting at all.
  for (const groupId of view.groupIdsOf(memberId)) {
    const group = view.get('Group', groupId);
    if (!group) continue;
    result.push({ value: groupId, display: group.displayName as string | undefined, type: 'direct' });
    const parents = view.parentGroupIdsOf(groupId);
    if (parents.size > 0) (frontier ??= []).push(...parents);
  }
  if (frontier === undefined) return result;
  const seen = new Set<string>([memberId]);
  for (const ref of result) seen.add(ref.value);
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const groupId of frontier) {
      if (seen.has(groupId)) continue;
      seen.add(groupId);
      const group = view.get('Group', groupId);
      if (!group) continue;
      result.push({ value: groupId, display: group.displayName as string | undefined, type: 'indirect' });
      for (const parent of view.parentGroupIdsOf(groupId)) if (!seen.has(parent)) next.push(parent);
    }
    frontier = next;
  }
  return result;
}

/** The manager's id and derived display name, when the User has a manager. */
function managerOf(view: DirectoryView, stored: StoredResource): { id: string; displayName: string | undefined } | undefined {
  const enterprise = stored[ENTERPRISE_USER_SCHEMA];
  if (!isObject(enterprise) || !isObject(enterprise.manager) || typeof enterprise.manager.value !== 'string') return undefined;
  const id = enterprise.manager.value;
  const manager = view.get('User', id);
  return { id, displayName: (manager?.displayName ?? manager?.userName) as string | undefined };
}

/** Fingerprint of a User's derived parts; undefined when it has none. */
function derivedFingerprint(groups: readonly GroupRef[], manager: { displayName: string | undefined } | undefined): number | undefined {
  if (groups.length === 0 && manager === undefined) return undefined;
  let hash = FNV_OFFSET;
  for (const { value, display, type } of groups) hash = fnv(fnv(fnv(hash, value), display ?? '\u0001'), type);
  if (manager !== undefined) hash = fnv(fnv(hash, '\u0002'), manager.displayName ?? '\u0001');
  return hash;
}

/** The current version (ETag) of a resource, without rendering it: for preconditions and 204s. */
export function currentVersion(resourceType: ResourceTypeDef, stored: StoredResource, view: DirectoryView): string {
  if (resourceType.name !== 'User') return versionOf(stored);
  return versionOf(stored, derivedFingerprint(groupsOf(view, stored.id), managerOf(view, stored)));
}

export function renderResource(
  resourceType: ResourceTypeDef,
  stored: StoredResource,
  view: DirectoryView,
  baseUrl: string,
): ScimObject {
  const rendered: ScimObject = {};
  for (const key of Object.keys(stored)) {
    if (key !== 'meta') rendered[key] = stored[key];
  }
  let derived: number | undefined;
  if (resourceType.name === 'User') {
    const groups = groupsOf(view, stored.id);
    if (groups.length > 0) {
      const values: ScimObject[] = new Array(groups.length);
      for (let i = 0; i < groups.length; i++) {
        const { value, display, type } = groups[i]!;
        values[i] =
          display === undefined
            ? { value, $ref: resourceUrl(baseUrl, 'Group', value), type }
            : { value, $ref: resourceUrl(baseUrl, 'Group', value), display, type };
      }
      rendered.groups = values;
    }
    const manager = managerOf(view, stored);
    if (manager !== undefined) {
      const { id, displayName } = manager;
      // Built field by field: spreading objects of many shapes and then adding to them sends
      // V8 to its slow path on every request (measured with perf at 100k users).
      const renderedManager: ScimObject =
        displayName === undefined
          ? { value: id, $ref: resourceUrl(baseUrl, 'User', id) }
          : { value: id, $ref: resourceUrl(baseUrl, 'User', id), displayName };
      const enterprise = stored[ENTERPRISE_USER_SCHEMA] as ScimObject;
      const renderedEnterprise: ScimObject = {};
      for (const key of Object.keys(enterprise)) renderedEnterprise[key] = key === 'manager' ? renderedManager : enterprise[key];
      rendered[ENTERPRISE_USER_SCHEMA] = renderedEnterprise;
    }
    derived = derivedFingerprint(groups, manager);
  } else if (Array.isArray(stored.members)) {
    rendered.members = stored.members.map((member) => {
      if (!isObject(member) || typeof member.value !== 'string') return member;
      const type = member.type === 'Group' ? 'Group' : 'User';
      return { ...member, $ref: resourceUrl(baseUrl, type, member.value) };
    });
  }
  rendered.meta = {
    resourceType: stored.meta.resourceType,
    created: stored.meta.created,
    lastModified: stored.meta.lastModified,
    location: resourceUrl(baseUrl, resourceType.name, stored.id),
    version: versionOf(stored, derived),
  };
  return rendered;
}
