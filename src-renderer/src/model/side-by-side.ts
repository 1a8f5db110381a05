/**
 * Two JSON values laid out side by side, line against line, with what differs marked: the view
 * model of every diff the run view draws (expected vs actual, target A vs target B, a run vs its
 * baseline). Each pretty-printed line knows the JSON path it shows, in the notation of
 * src-main/diffs/diff.ts (`$.emails[0].value`, `$["urn:…:User"]`), so the RunDiff's changes —
 * computed on normalised values, where server ids and timestamps do not count — mark the lines,
 * and lines are paired by path rather than by text.
 */
import type { Change } from '../../../src-main/diffs/diff.js';

export interface JsonLine {
  readonly path: string;
  /** The line as shown, indented. */
  readonly text: string;
  /** Closing brackets share their container's path; they never carry a change of their own. */
  readonly closing: boolean;
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/;

function childPath(path: string, key: string): string {
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`;
}

/** The value pretty-printed (two-space indent), one entry per line. A string that is JSON text is parsed first. */
export function jsonLines(value: unknown): JsonLine[] {
  const lines: JsonLine[] = [];
  const walk = (node: unknown, path: string, indent: string, prefix: string, comma: string): void => {
    if (Array.isArray(node) && node.length > 0) {
      lines.push({ path, text: `${indent}${prefix}[`, closing: false });
      node.forEach((item, i) => walk(item, `${path}[${i}]`, `${indent}  `, '', i < node.length - 1 ? ',' : ''));
      lines.push({ path, text: `${indent}]${comma}`, closing: true });
    } else if (node !== null && typeof node === 'object' && !Array.isArray(node) && Object.keys(node).length > 0) {
      const entries = Object.entries(node as Record<string, unknown>);
      lines.push({ path, text: `${indent}${prefix}{`, closing: false });
      entries.forEach(([key, item], i) =>
        walk(item, childPath(path, key), `${indent}  `, `${JSON.stringify(key)}: `, i < entries.length - 1 ? ',' : ''),
      );
      lines.push({ path, text: `${indent}}${comma}`, closing: true });
    } else {
      lines.push({ path, text: `${indent}${prefix}${node === undefined ? 'undefined' : JSON.stringify(node)}${comma}`, closing: false });
    }
  };
  walk(value, '$', '', '', '');
  return lines;
}

/** A body as JSON when it is JSON, else its text (a string value prints as one line). */
export function parseBody(body: string | undefined): unknown {
  if (body === undefined || body === '') return undefined;
  try {
    return JSON.parse(body) as unknown;
  } catch {
    return body;
  }
}

export type RowKind = 'same' | 'changed' | 'added' | 'removed';

export interface SideBySideRow {
  readonly a?: JsonLine;
  readonly b?: JsonLine;
  readonly kind: RowKind;
}

export interface SideBySide {
  readonly rows: readonly SideBySideRow[];
  /** Rows that are not `same`. */
  readonly differences: number;
}

function lineKey(line: JsonLine): string {
  return `${line.closing ? '/' : ''}${line.path}`;
}

/** Is `path` the changed path itself or inside it (a changed object marks all of its lines)? */
function within(path: string, changed: string): boolean {
  return path === changed || path.startsWith(`${changed}.`) || path.startsWith(`${changed}[`);
}

/** Longest common subsequence of the two key lists, as pairs of indexes; bodies past a size are paired in order. */
function pairByKey(a: readonly string[], b: readonly string[]): Array<[number | undefined, number | undefined]> {
  const MAX_CELLS = 4_000_000;
  if (a.length * b.length > MAX_CELLS) {
    return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [i < a.length ? i : undefined, i < b.length ? i : undefined]);
  }
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = a[i] === b[j] ? table[(i + 1) * width + j + 1] + 1 : Math.max(table[(i + 1) * width + j], table[i * width + j + 1]);
    }
  }
  const pairs: Array<[number | undefined, number | undefined]> = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (table[(i + 1) * width + j] >= table[i * width + j + 1]) pairs.push([i++, undefined]);
    else pairs.push([undefined, j++]);
  }
  while (i < a.length) pairs.push([i++, undefined]);
  while (j < b.length) pairs.push([undefined, j++]);
  return pairs;
}

/**
 * A and B side by side. With `changes` (a RunDiff's, on normalised values) only the lines at those
 * paths are marked, so an id the server chose differently is not a difference; without, lines are
 * compared as text (expected vs actual, where nothing needs normalising).
 */
export function sideBySide(a: unknown, b: unknown, changes?: readonly Change[]): SideBySide {
  const linesA = jsonLines(a);
  const linesB = jsonLines(b);
  const pairs = pairByKey(linesA.map(lineKey), linesB.map(lineKey));
  const changeKind = (path: string): RowKind | undefined => {
    if (!changes) return undefined;
    let found: Change | undefined;
    for (const change of changes) if (within(path, change.path) && (!found || change.path.length > found.path.length)) found = change;
    return found?.kind;
  };
  const rows: SideBySideRow[] = [];
  let differences = 0;
  for (const [i, j] of pairs) {
    const lineA = i === undefined ? undefined : linesA[i];
    const lineB = j === undefined ? undefined : linesB[j];
    let kind: RowKind;
    if (lineA && lineB) {
      if (changes) kind = lineA.closing ? 'same' : (changeKind(lineA.path) ?? 'same');
      else kind = lineA.text.trim().replace(/,$/, '') === lineB.text.trim().replace(/,$/, '') ? 'same' : 'changed';
      if (kind === 'added' || kind === 'removed') kind = 'changed';
    } else {
      kind = lineA ? 'removed' : 'added';
    }
    if (kind !== 'same') differences++;
    rows.push({ ...(lineA ? { a: lineA } : {}), ...(lineB ? { b: lineB } : {}), kind });
  }
  return { rows, differences };
}
