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

/** FNV-1a: a cheap, stable fingerprint of derived data for the ETag. */
function fingerprint(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return (hash >>> 0).toString(36);
}

/**
 * The weak ETag (RFC 7644 §3.14). The stored revision changes on every write to the resource;
 * a User's representation also changes when its groups or its manager's name change, so their
 * fingerprint is part of its version — the ETag then changes exactly when the body does.
 */
export function versionOf(stored: StoredResource, derived = ''): string {
  return derived ? `W/"${stored.meta.revision}-${fingerprint(derived)}"` : `W/"${stored.meta.revision}"`;
}

interface GroupRef {
  value: string;
  display: string | undefined;
  type: 'direct' | 'indirect';
}

/** Direct groups first, then groups reached through nested groups, each once. */
export function groupsOf(view: DirectoryView, memberId: string): GroupRef[] {
  const result: GroupRef[] = [];
  const seen = new Set<string>([memberId]);
  let frontier = [...view.groupIdsOf(memberId)];
  let type: 'direct' | 'indirect' = 'direct';
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const groupId of frontier) {
      if (seen.has(groupId)) continue;
      seen.add(groupId);
      const group = view.get('Group', groupId);
      if (!group) continue;
      result.push({ value: groupId, display: group.displayName as string | undefined, type });
      for (const parent of view.groupIdsOf(groupId)) if (!seen.has(parent)) next.push(parent);
    }
    frontier = next;
    type = 'indirect';
  }
  return result;
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
  let derived = '';
  if (resourceType.name === 'User') {
    const groups = groupsOf(view, stored.id);
    if (groups.length > 0) {
      rendered.groups = groups.map((group) => ({
        value: group.value,
        $ref: resourceUrl(baseUrl, 'Group', group.value),
        ...(group.display !== undefined ? { display: group.display } : {}),
        type: group.type,
      }));
      derived += groups.map((group) => `${group.value}\u0000${group.display ?? ''}\u0000${group.type}`).join('\u0001');
    }
    const enterprise = stored[ENTERPRISE_USER_SCHEMA];
    if (isObject(enterprise) && isObject(enterprise.manager) && typeof enterprise.manager.value === 'string') {
      const managerId = enterprise.manager.value;
      const manager = view.get('User', managerId);
      const displayName = (manager?.displayName ?? manager?.userName) as string | undefined;
      rendered[ENTERPRISE_USER_SCHEMA] = {
        ...enterprise,
        manager: {
          ...enterprise.manager,
          $ref: resourceUrl(baseUrl, 'User', managerId),
          ...(displayName !== undefined ? { displayName } : {}),
        },
      };
      derived += `\u0002${displayName ?? ''}`;
    }
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
