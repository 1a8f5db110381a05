/**
 * The directory as the SCIM handler needs it: indexed reads plus durable commits. Defined here, on
 * the SCIM side, so that dependencies point one way: the store (src-main/store/) implements this
 * port, and nothing under src-main/scim/ imports the store.
 */
import type { StoredResource } from './resource.js';
import type { ResourceTypeName } from './schema/resource-types.js';
import type { DirectoryIndex } from './query.js';

export type { DirectoryIndex };
export type { DirectoryView } from './render.js';

/** One resource written or removed. A put creates or replaces (its type is `meta.resourceType`). */
export type Change =
  | { readonly op: 'put'; readonly resource: StoredResource }
  | { readonly op: 'delete'; readonly type: ResourceTypeName; readonly id: string };

/** The whole directory as one document (export, import, seeding). */
export interface DirectoryDocument {
  users: StoredResource[];
  groups: StoredResource[];
}

/** What caused a commit, carried into the change event it produces. */
export interface CommitCause {
  /** Sequence number (in the request log) of the exchange whose handling made the commit. */
  readonly exchange?: number;
}

export interface DirectoryPort extends DirectoryIndex {
  /**
   * Applies the changes atomically; they are visible to reads at once and the promise resolves
   * once they are durable. Rejects with a ScimError when the changes break an invariant.
   */
  commit(changes: readonly Change[], cause?: CommitCause): Promise<void>;
}
