/**
 * The checks every write passes before it is committed, whichever verb produced it (POST, PUT,
 * PATCH, Bulk): canonical `schemas`, required attributes and one primary value, unique userName
 * and group displayName (409), and group members that exist (400 invalidValue).
 */
import { invalidValue, uniqueness } from './errors.js';
import { type ScimObject, type StoredMember, isObject } from './resource.js';
import { finishResource, schemasOf } from './resource-input.js';
import { ENTERPRISE_USER_SCHEMA } from './schema/definitions.js';
import type { ResourceTypeDef, ResourceTypeName } from './schema/resource-types.js';
import type { DirectoryIndex } from './query.js';
import { type Notes, note } from './leniency.js';

function checkUniqueness(store: DirectoryIndex, type: ResourceTypeDef, resource: ScimObject, id: string): void {
  if (type.name === 'User') {
    const holder = store.findUserByUserName(resource.userName as string);
    if (holder && holder.id !== id) {
      throw uniqueness(
        `userName "${resource.userName}" is already taken by User "${holder.id}" ("${holder.userName}"); userNames are unique, compared case-insensitively`,
      );
    }
  } else {
    const holder = store.findGroupByDisplayName(resource.displayName as string);
    if (holder && holder.id !== id) {
      throw uniqueness(
        `displayName "${resource.displayName}" is already taken by Group "${holder.id}" ("${holder.displayName}"); group names are unique, compared case-insensitively`,
      );
    }
  }
}

/** Members must reference existing Users or Groups; `type` and a missing `display` are filled in. */
function resolveMembers(store: DirectoryIndex, group: ScimObject, groupId: string): void {
  if (!Array.isArray(group.members)) return;
  const seen = new Set<string>();
  const members: StoredMember[] = [];
  for (const member of group.members) {
    if (!isObject(member) || typeof member.value !== 'string' || member.value === '') {
      throw invalidValue('Every group member needs a "value" holding the id of a User or Group');
    }
    const id = member.value;
    if (id === groupId) throw invalidValue(`A group cannot be a member of itself ("${id}")`);
    if (seen.has(id)) continue;
    seen.add(id);
    const user = store.get('User', id);
    const target = user ?? store.get('Group', id);
    if (!target) throw invalidValue(`Group member "${id}" is not an existing User or Group`);
    const actualType: ResourceTypeName = user ? 'User' : 'Group';
    if (typeof member.type === 'string' && member.type.toLowerCase() !== actualType.toLowerCase()) {
      throw invalidValue(`Group member "${id}" is a ${actualType}, not a ${member.type}`);
    }
    const display = typeof member.display === 'string' ? member.display : ((target.displayName ?? target.userName) as string | undefined);
    members.push({ value: id, type: actualType, ...(display !== undefined ? { display } : {}) });
  }
  if (members.length === 0) delete group.members;
  else group.members = members;
}

function noteUnknownManager(store: DirectoryIndex, resource: ScimObject, notes: Notes): void {
  const extension = resource[ENTERPRISE_USER_SCHEMA];
  if (isObject(extension) && isObject(extension.manager) && typeof extension.manager.value === 'string') {
    if (!store.get('User', extension.manager.value)) {
      notes.push(note('manager-not-found', `manager "${extension.manager.value}" is not an existing User (kept as given)`));
    }
  }
}

/** The checks every write passes before it is committed, whichever verb produced it. */
export function prepareWrite(store: DirectoryIndex, type: ResourceTypeDef, resource: ScimObject, id: string, notes: Notes): void {
  resource.schemas = schemasOf(type, resource);
  finishResource(type, resource);
  if (type.name === 'Group') resolveMembers(store, resource, id);
  else noteUnknownManager(store, resource, notes);
  checkUniqueness(store, type, resource, id);
}
