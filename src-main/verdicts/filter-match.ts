/**
 * Whether a list answered to an IdP's `attr eq "value"` lookup holds only what the filter asked
 * for. IdPs look a user up by userName (a group by displayName) before they create it and link
 * the first match; a target that ignores the filter and lists everyone makes them link the wrong
 * account. Only the single `eq` comparisons IdPs send are understood; anything else is not judged.
 */

type JsonObject = Record<string, unknown>;

export interface EqFilter {
  readonly attribute: string;
  readonly value: string;
}

/** Attributes whose comparison ignores case (RFC 7643 §4.1.1, §4.2: caseExact false). */
const CASE_INSENSITIVE = new Set(['username', 'displayname', 'emails.value']);

/** `userName eq "x"` from a raw query (`filter=userName+eq+%22x%22` or `%20`-encoded). */
export function eqFilterOf(query: string | undefined): EqFilter | undefined {
  if (query === undefined) return undefined;
  const filter = new URLSearchParams(query).get('filter');
  if (filter === null) return undefined;
  const match = /^\s*([A-Za-z][\w.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!match) return undefined;
  return { attribute: match[1]!, value: match[2]!.replace(/\\(.)/g, '$1') };
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The values a resource holds for the attribute, or undefined when it does not say (left out). */
function valuesOf(resource: JsonObject, attribute: string): string[] | undefined {
  const lower = attribute.toLowerCase();
  if (lower === 'emails.value') {
    const emails = resource.emails;
    return Array.isArray(emails) ? emails.filter(isObject).map((email) => String(email.value)) : undefined;
  }
  const key = Object.keys(resource).find((name) => name.toLowerCase() === lower);
  const value = key === undefined ? undefined : resource[key];
  return typeof value === 'string' ? [value] : undefined;
}

export interface FilterMismatch {
  /** The resources that came back. */
  readonly returned: number;
  /** The values of the resources that do not match, as they came back. */
  readonly others: readonly string[];
}

/** The resources that do not match the filter; undefined when every one that can be judged does. */
export function filterMismatch(filter: EqFilter, resources: readonly unknown[]): FilterMismatch | undefined {
  const caseInsensitive = CASE_INSENSITIVE.has(filter.attribute.toLowerCase());
  const same = (value: string) => (caseInsensitive ? value.toLowerCase() === filter.value.toLowerCase() : value === filter.value);
  const others = resources.filter(isObject).flatMap((resource) => {
    const values = valuesOf(resource, filter.attribute);
    if (values === undefined || values.some(same)) return [];
    return [values[0] ?? `(a resource without ${filter.attribute}, id ${String(resource.id)})`];
  });
  return others.length === 0 ? undefined : { returned: resources.length, others };
}

/** `3 users came back for userName eq "a@x" (2 with another userName: "b@x", "c@x")`. */
export function describeMismatch(filter: EqFilter, mismatch: FilterMismatch, type: 'Users' | 'Groups'): string {
  const noun = type === 'Users' ? (mismatch.returned === 1 ? 'user' : 'users') : mismatch.returned === 1 ? 'group' : 'groups';
  const shown = mismatch.others.slice(0, 3).map((value) => JSON.stringify(value)).join(', ');
  const more = mismatch.others.length > 3 ? `, … ${mismatch.others.length - 3} more` : '';
  return `the filter was ignored: ${mismatch.returned} ${noun} came back for ${filter.attribute} eq ${JSON.stringify(filter.value)} (${mismatch.others.length} with another ${filter.attribute}: ${shown}${more})`;
}
