/**
 * The whole directory as one JSON document (`scimulator db export` / `db import`), and the
 * checks an imported document must pass: the same ones the server applies to every write
 * (attribute types, required attributes, one primary value, unique userName and group
 * displayName, members that exist), so an import can never produce a directory the server
 * itself would have refused.
 */
import { ScimError } from './errors.js';
import { type ScimObject, type StoredMember, type StoredResource, isObject } from './resource.js';
import { finishResource, readResourceBody, schemasOf } from './resource-input.js';
import { type ResourceTypeDef, groupResourceType, userResourceType } from './schema/resource-types.js';
import type { Notes } from './values.js';
import type { DirectoryDocument } from '../store/directory-store.js';

export const DIRECTORY_DOCUMENT_SCHEMA = 'urn:scimulator:directory:1';


export class DirectoryDocumentError extends Error {
  constructor(message: string) {
    super(`Cannot import the directory document: ${message}`);
    this.name = 'DirectoryDocumentError';
  }
}

const isDateTime = (value: unknown): value is string => typeof value === 'string' && !Number.isNaN(Date.parse(value));

function readResource(type: ResourceTypeDef, raw: unknown, where: string, notes: Notes): StoredResource {
  if (!isObject(raw)) throw new DirectoryDocumentError(`${where} is not an object`);
  if (typeof raw.id !== 'string' || raw.id === '') throw new DirectoryDocumentError(`${where} has no "id"`);
  const meta = isObject(raw.meta) ? raw.meta : {};
  const now = new Date().toISOString();
  const created = isDateTime(meta.created) ? meta.created : now;
  const revision = typeof meta.revision === 'number' && Number.isInteger(meta.revision) && meta.revision > 0 ? meta.revision : 1;
  try {
    const attributes = readResourceBody(type, raw, notes);
    const resource: ScimObject = { schemas: [], id: raw.id, ...attributes };
    resource.schemas = schemasOf(type, resource);
    finishResource(type, resource);
    resource.meta = {
      resourceType: type.name,
      created,
      lastModified: isDateTime(meta.lastModified) ? meta.lastModified : created,
      revision,
    };
    return resource as StoredResource;
  } catch (error) {
    if (error instanceof ScimError) throw new DirectoryDocumentError(`${where} (id ${raw.id}): ${error.detail}`);
    throw error;
  }
}

/** Records that `where` holds `name` (case-insensitively); a second holder is an error naming the first. */
function claim(names: Map<string, string>, name: unknown, where: string, what: string): void {
  if (typeof name !== 'string') return;
  const key = name.toLowerCase();
  const holder = names.get(key);
  if (holder !== undefined) throw new DirectoryDocumentError(`${where} repeats the ${what} "${name}" of ${holder}`);
  names.set(key, where);
}

/** Validates and canonicalizes a document; throws DirectoryDocumentError naming the first problem. */
export function readDirectoryDocument(document: unknown): DirectoryDocument {
  if (!isObject(document)) throw new DirectoryDocumentError('it is not a JSON object');
  const { users: rawUsers, groups: rawGroups = [] } = document;
  if (!Array.isArray(rawUsers)) throw new DirectoryDocumentError('"users" must be an array');
  if (!Array.isArray(rawGroups)) throw new DirectoryDocumentError('"groups" must be an array');
  const notes: Notes = [];
  const ids = new Map<string, 'User' | 'Group'>();
  /** Reads one collection: ids unique across the document, names unique within the type. */
  const readAll = (type: ResourceTypeDef, raws: unknown[], label: string, nameAttribute: string): StoredResource[] => {
    const names = new Map<string, string>();
    return raws.map((raw, index) => {
      const where = `${label}[${index}]`;
      const resource = readResource(type, raw, where, notes);
      if (ids.has(resource.id)) throw new DirectoryDocumentError(`${where} repeats the id "${resource.id}"`);
      ids.set(resource.id, type.name);
      claim(names, resource[nameAttribute], where, nameAttribute);
      return resource;
    });
  };
  const users = readAll(userResourceType, rawUsers, 'users', 'userName');
  const groups = readAll(groupResourceType, rawGroups, 'groups', 'displayName');
  const byId = new Map([...users, ...groups].map((resource) => [resource.id, resource]));
  for (const [index, group] of groups.entries()) {
    if (!Array.isArray(group.members)) continue;
    group.members = group.members.map((member): StoredMember => {
      const value = isObject(member) ? member.value : undefined;
      const type = typeof value === 'string' ? ids.get(value) : undefined;
      if (typeof value !== 'string' || type === undefined || value === group.id) {
        throw new DirectoryDocumentError(
          `groups[${index}] (id ${group.id}): member ${JSON.stringify(value)} is not another User or Group in the document`,
        );
      }
      const target = byId.get(value)!;
      const display = isObject(member) && typeof member.display === 'string' ? member.display : (target.displayName ?? target.userName);
      return { value, type, ...(typeof display === 'string' ? { display } : {}) };
    });
  }
  return { users, groups };
}
