/**
 * The filter AST (RFC 7644 §3.4.2.2) shared by the filter evaluator, PATCH value paths,
 * the query planner and anything that prints a filter back.
 * Paths keep the client's casing; they are resolved against a resource type when compiled.
 */
import type { AttrPath } from '../schema/resource-types.js';

export type CompareOp = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le';
export type CompValue = string | number | boolean | null;

export type Filter =
  | { readonly kind: 'compare'; readonly path: AttrPath; readonly op: CompareOp; readonly value: CompValue }
  | { readonly kind: 'present'; readonly path: AttrPath }
  | { readonly kind: 'and'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'or'; readonly left: Filter; readonly right: Filter }
  | { readonly kind: 'not'; readonly filter: Filter }
  /**
   * `emails[type eq "work"]`: true when one element of the multi-valued attribute satisfies the
   * inner filter, whose paths name sub-attributes of that element. Entra's matching filter
   * `emails[type eq "work"].value eq "x"` is parsed into this node with the trailing comparison
   * folded into the inner filter, so both conditions bind to the same element.
   */
  | { readonly kind: 'valuePath'; readonly path: AttrPath; readonly filter: Filter };

/** A PATCH operation's target (RFC 7644 §3.5.2: `PATH = attrPath / valuePath [subAttr]`). */
export interface PatchPath {
  /** The attribute, with an optional schema URI; `subAttr` set only when there is no value filter. */
  readonly attribute: AttrPath;
  /** The `[...]` selection of elements of a multi-valued attribute. */
  readonly valueFilter?: Filter;
  /** The sub-attribute after `]`, as in `emails[type eq "work"].value`. */
  readonly subAttr?: string;
}
