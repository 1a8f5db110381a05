/**
 * The shape limits every parsed request body must keep before any module walks it.
 *
 * JSON.parse accepts any nesting depth, but the server's own walkers (Bulk's bulkId
 * substitution, JSON.stringify of Bulk sub-requests, value comparison) recurse, so a body nested
 * a few thousand levels deep would exhaust the stack and answer 500. SCIM bodies are shallow:
 * the deepest legitimate one, a Bulk PATCH operation, is about ten levels
 * (BulkRequest → Operations → data → Operations → value → extension → attribute → element).
 *
 * Member names that address the object machinery (`__proto__`, `constructor`, `prototype`) are
 * no SCIM attribute, and a body carrying one is refused outright, so that no lookup by a
 * client-supplied name can ever reach Object.prototype, whichever module does it.
 */
import { invalidSyntax } from './errors.js';

/** Levels of arrays and objects a request body may nest; the top-level object is level 1. */
export const MAX_JSON_DEPTH = 64;

const FORBIDDEN_MEMBERS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Throws 400 invalidSyntax when `body` nests deeper than MAX_JSON_DEPTH or has a member named
 * `__proto__`, `constructor` or `prototype` (in any case) at any level. Iterative, so the check
 * itself cannot overflow.
 */
export function checkJsonBounds(body: unknown): void {
  const pending: Node[] = [{ value: body, depth: 1, key: '' }];
  while (pending.length > 0) {
    const node = pending.pop()!;
    const { value, depth } = node;
    if (typeof value !== 'object' || value === null) continue;
    if (depth > MAX_JSON_DEPTH) {
      throw invalidSyntax(
        `The request body nests arrays and objects deeper than ${MAX_JSON_DEPTH} levels (at ${pathOf(node)}); SCIM bodies need about ten`,
      );
    }
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) pending.push({ value: value[i], depth: depth + 1, key: i, parent: node });
      continue;
    }
    for (const key of Object.keys(value)) {
      if (FORBIDDEN_MEMBERS.has(key.toLowerCase())) {
        const where = pathOf({ value: undefined, depth, key, parent: node });
        throw invalidSyntax(`The request body has a member named "${key}" (at ${where}); that name is not a SCIM attribute and is refused`);
      }
      pending.push({ value: (value as Record<string, unknown>)[key], depth: depth + 1, key, parent: node });
    }
  }
}

/** A value waiting to be checked; the parent chain names its place only when an error needs it. */
interface Node {
  readonly value: unknown;
  readonly depth: number;
  readonly key: string | number;
  readonly parent?: Node;
}

/** `Operations[0].data.name`, shortened from the left when very deep. */
function pathOf(node: Node): string {
  const parts: string[] = [];
  for (let at: Node | undefined = node; at?.parent; at = at.parent) {
    parts.push(typeof at.key === 'number' ? `[${at.key}]` : `.${at.key}`);
  }
  const text = parts.reverse().join('').replace(/^\./, '') || 'the top level';
  return text.length > 120 ? `…${text.slice(-119)}` : text;
}
