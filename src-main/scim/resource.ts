/**
 * The in-memory shape of a stored resource: the SCIM JSON representation with canonical
 * attribute names (as in the schema definitions), extension attributes under their schema URI,
 * and `meta` without `location` (which depends on the host a request arrived on).
 * Derived attributes (a User's `groups`, `$ref`s) are not stored; they are added when rendered.
 */
export type ScimValue = string | number | boolean | null | ScimValue[] | ScimObject;
export interface ScimObject {
  [key: string]: ScimValue | undefined;
}

export interface StoredMeta {
  resourceType: 'User' | 'Group';
  created: string;
  lastModified: string;
  /** Monotonic per-resource revision; the weak ETag is derived from it. */
  revision: number;
}

export interface StoredResource extends ScimObject {
  id: string;
  schemas: string[];
  meta: StoredMeta & ScimObject;
}

export interface StoredMember extends ScimObject {
  value: string;
  type: 'User' | 'Group';
  display?: string;
}

export function isObject(value: unknown): value is ScimObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structured clone for plain JSON data; faster than structuredClone for small objects. */
export function cloneJson<T>(value: T): T {
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  if (isObject(value)) {
    const copy: ScimObject = {};
    for (const key of Object.keys(value)) {
      const item = value[key];
      if (item !== undefined) copy[key] = cloneJson(item);
    }
    return copy as T;
  }
  return value;
}
