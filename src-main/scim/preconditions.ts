/** Conditional requests (RFC 7644 §3.14, RFC 9110 §13): If-Match on writes, If-None-Match on reads. */
import { ScimError } from './errors.js';
import type { Exchange } from './exchange.js';
import { currentVersion } from './render.js';
import type { DirectoryView } from './render.js';
import type { StoredResource } from './resource.js';
import type { ResourceTypeDef } from './schema/resource-types.js';

/** Weak comparison of entity tags (RFC 9110 §8.8.3.2): `W/` is ignored, the opaque tag must match. */
export function etagMatches(header: string, current: string): boolean {
  const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
  const target = opaque(current);
  return header.split(',').some((tag) => tag.trim() === '*' || opaque(tag) === target);
}

/** Throws 412 when the client's If-Match names another version than the current one. */
export function checkIfMatch(type: ResourceTypeDef, stored: StoredResource, ex: Exchange, store: DirectoryView): void {
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

/** The version to answer 304 with, when the client's If-None-Match already names the current one. */
export function notModifiedVersion(type: ResourceTypeDef, stored: StoredResource, ex: Exchange, store: DirectoryView): string | undefined {
  const header = ex.headers['if-none-match'];
  if (header === undefined) return undefined;
  const version = currentVersion(type, stored, store);
  return etagMatches(header, version) ? version : undefined;
}
