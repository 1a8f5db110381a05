/**
 * The resources one commit touched, each once with its last operation: a cascade that rewrites
 * the same group for every deleted member is still one entry for that group.
 */
import type { ResourceTypeName } from '../scim/schema/resource-types.js';
import type { ResourceChange } from './directory-store.js';

export class ChangeSet {
  private readonly byKey = new Map<string, ResourceChange>();

  /** `cleared`: the commit emptied the directory before applying what is added here. */
  constructor(readonly cleared = false) {}

  add(op: ResourceChange['op'], type: ResourceTypeName, id: string): void {
    const key = `${type}/${id}`;
    // Deleted and re-put keys move to the end, so the list follows the order of the last writes.
    this.byKey.delete(key);
    this.byKey.set(key, { op, type, id });
  }

  list(): ResourceChange[] {
    return [...this.byKey.values()];
  }
}
