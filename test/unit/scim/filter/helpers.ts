import { expect } from 'vitest';
import { ScimError, type ScimErrorType } from '../../../../src-main/scim/errors.js';
import type { CompValue, CompareOp, Filter } from '../../../../src-main/scim/filter/ast.js';
import type { AttrPath } from '../../../../src-main/scim/schema/resource-types.js';

/** `a.b` / `urn:…:name.sub` → AttrPath, only for writing expected ASTs compactly. */
export function path(uri: string | undefined, name: string, subAttr?: string): AttrPath {
  return {
    ...(uri !== undefined ? { uri } : {}),
    name,
    ...(subAttr !== undefined ? { subAttr } : {}),
  };
}

export const attr = (name: string, subAttr?: string): AttrPath => path(undefined, name, subAttr);

export const cmp = (p: AttrPath, op: CompareOp, value: CompValue): Filter => ({ kind: 'compare', path: p, op, value });
export const pr = (p: AttrPath): Filter => ({ kind: 'present', path: p });
export const and = (left: Filter, right: Filter): Filter => ({ kind: 'and', left, right });
export const or = (left: Filter, right: Filter): Filter => ({ kind: 'or', left, right });
export const not = (filter: Filter): Filter => ({ kind: 'not', filter });
export const vp = (p: AttrPath, filter: Filter): Filter => ({ kind: 'valuePath', path: p, filter });

/** Runs `action`, asserts it throws a 400 ScimError of `scimType`, and returns the error's detail. */
export function scimErrorOf(action: () => unknown, scimType: ScimErrorType): string {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown, 'expected a ScimError to be thrown').toBeInstanceOf(ScimError);
  const error = thrown as ScimError;
  expect(error.status).toBe(400);
  expect(error.scimType).toBe(scimType);
  return error.detail;
}

export const ENTERPRISE = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const CORE_USER = 'urn:ietf:params:scim:schemas:core:2.0:User';
