/**
 * Structural checks for what the store keeps: the minimum every stored resource must have for
 * the store's own bookkeeping (id, meta.resourceType, revision) and for its indexes (string
 * keys, member objects). Schema validation is the SCIM layer's job; these checks guard the
 * files and the import path against documents that would corrupt the indexes.
 */
import { isObject, type ScimValue, type StoredMember, type StoredResource } from '../scim/resource.js';
import type { ResourceTypeName } from '../scim/schema/resource-types.js';

export function isResourceTypeName(value: unknown): value is ResourceTypeName {
  return value === 'User' || value === 'Group';
}

/** Returns what is wrong with `value` as a stored resource of `type`, or undefined if nothing. */
export function resourceProblem(value: unknown, type?: ResourceTypeName): string | undefined {
  if (!isObject(value)) return 'is not a JSON object';
  if (typeof value.id !== 'string' || value.id === '') return 'has no string "id"';
  const meta = value.meta;
  if (!isObject(meta)) return `(id ${value.id}) has no "meta" object`;
  if (!isResourceTypeName(meta.resourceType)) return `(id ${value.id}) has meta.resourceType ${JSON.stringify(meta.resourceType)}, expected "User" or "Group"`;
  if (type !== undefined && meta.resourceType !== type) return `(id ${value.id}) has meta.resourceType "${meta.resourceType}" but is stored as a ${type}`;
  if (typeof meta.revision !== 'number' || !Number.isSafeInteger(meta.revision)) return `(id ${value.id}) has no integer meta.revision`;
  if (typeof meta.created !== 'string' || typeof meta.lastModified !== 'string') return `(id ${value.id}) lacks meta.created / meta.lastModified strings`;
  if (!Array.isArray(value.schemas) || !value.schemas.every((schema) => typeof schema === 'string')) return `(id ${value.id}) has no "schemas" string array`;
  if (meta.resourceType === 'Group' && value.members !== undefined) {
    if (!Array.isArray(value.members)) return `(id ${value.id}) has "members" that is not an array`;
    for (const member of value.members) {
      if (!isObject(member) || typeof member.value !== 'string') return `(id ${value.id}) has a member without a string "value"`;
    }
  }
  return undefined;
}

/**
 * Checks a whole collection: every resource well-formed and ids unique within the type.
 * Returns a description of the first problem, naming the array position.
 */
export function collectionProblem(values: unknown, type: ResourceTypeName): string | undefined {
  const name = type === 'User' ? 'users' : 'groups';
  if (!Array.isArray(values)) return `"${name}" is not an array`;
  const seen = new Set<string>();
  for (let index = 0; index < values.length; index++) {
    const value: unknown = values[index];
    const problem = resourceProblem(value, type);
    if (problem !== undefined) return `${name}[${index}] ${problem}`;
    const id = (value as StoredResource).id;
    if (seen.has(id)) return `${name}[${index}] repeats id ${id}`;
    seen.add(id);
  }
  return undefined;
}

/** The member objects of a group, tolerating a missing attribute. */
export function membersOf(group: StoredResource): readonly ScimValue[] {
  return Array.isArray(group.members) ? group.members : [];
}

export function isMember(value: ScimValue): value is StoredMember {
  return isObject(value) && typeof value.value === 'string';
}

/** Case-insensitive index key (userName, Group displayName: `caseExact: false` in RFC 7643). */
export function caseInsensitiveKey(value: string): string {
  return value.toLowerCase();
}
