/**
 * Prints filters and PATCH paths back in canonical RFC 7644 syntax: lowercase operators and
 * keywords, JSON-escaped strings, and only the parentheses the tree needs.
 *
 * `parseFilter(formatFilter(f))` deep-equals `f` for every tree the parser produces; that is
 * why a right operand of the same operator keeps its parentheses (`a and (b and c)` is a
 * different tree from `a and b and c`, which the parser builds left-associatively).
 */
import { formatAttrPath } from '../schema/resource-types.js';
import type { CompValue, Filter, PatchPath } from './ast.js';

export function formatValue(value: CompValue): string {
  if (typeof value === 'string') return JSON.stringify(value);
  // String(-0) is "0", which would parse back as +0.
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  return String(value);
}

export function formatFilter(filter: Filter): string {
  switch (filter.kind) {
    case 'compare':
      return `${formatAttrPath(filter.path)} ${filter.op} ${formatValue(filter.value)}`;
    case 'present':
      return `${formatAttrPath(filter.path)} pr`;
    case 'not':
      return `not (${formatFilter(filter.filter)})`;
    case 'valuePath':
      return `${formatAttrPath(filter.path)}[${formatFilter(filter.filter)}]`;
    case 'and':
    case 'or':
      return formatChain(filter);
  }
}

/**
 * A left-leaning chain `((a and b) and c) and d` is printed without recursing down its spine,
 * so very long chains (which need no nesting to write) cannot exhaust the stack.
 */
function formatChain(filter: Extract<Filter, { kind: 'and' | 'or' }>): string {
  const kind = filter.kind;
  const rights: Filter[] = [];
  let node: Filter = filter;
  while (node.kind === kind) {
    rights.push(node.right);
    node = node.left;
  }
  const parts = [formatOperand(node, kind, false)];
  for (let i = rights.length - 1; i >= 0; i--) parts.push(formatOperand(rights[i]!, kind, true));
  return parts.join(` ${kind} `);
}

function formatOperand(operand: Filter, parent: 'and' | 'or', right: boolean): string {
  const text = formatFilter(operand);
  // "or" binds looser than "and"; a right operand of the same operator must keep its grouping.
  const needsParens =
    (operand.kind === 'or' && (parent === 'and' || right)) || (operand.kind === 'and' && parent === 'and' && right);
  return needsParens ? `(${text})` : text;
}

export function formatPatchPath(path: PatchPath): string {
  let text = formatAttrPath(path.attribute);
  if (path.valueFilter) text += `[${formatFilter(path.valueFilter)}]`;
  if (path.subAttr !== undefined) text += `.${path.subAttr}`;
  return text;
}
