/**
 * Positions in a scenario file for a path into its data (`['steps', 2, 'user']`), so a problem
 * found in the data (by the schema or a cross-reference check) is reported where it is written.
 * JSON files are parsed with the same YAML parser (JSON is YAML 1.2) for their positions.
 */
import { type Document, isMap, isScalar, type LineCounter, type Node } from 'yaml';
import type { SourcePosition } from './scenario.js';

export type DataPath = readonly (string | number)[];

/** A problem found at a path into the data, before it is given a line and column. */
export interface PathIssue {
  readonly path: DataPath;
  /** Point at the key of the entry at `path` (an unknown field) or at its value. */
  readonly at: 'key' | 'value';
  /** For a problem inside a string value: where in the string. */
  readonly offset?: number;
  readonly message: string;
}

export class SourceMap {
  constructor(
    private readonly document: Document,
    private readonly lines: LineCounter,
    private readonly text: string,
  ) {}

  private at(offset: number): SourcePosition {
    const { line, col } = this.lines.linePos(offset);
    return { line, column: col };
  }

  private node(path: DataPath): Node | undefined {
    const found: unknown = path.length === 0 ? this.document.contents : this.document.getIn(path, true);
    return found && typeof found === 'object' && 'range' in found ? (found as Node) : undefined;
  }

  /** Where the value at `path` starts; the nearest written ancestor when it is not written. */
  value(path: DataPath): SourcePosition {
    for (let length = path.length; length >= 0; length--) {
      const range = this.node(path.slice(0, length))?.range;
      if (range) return this.at(range[0]);
    }
    return { line: 1, column: 1 };
  }

  /** Where the key of the mapping entry at `path` starts (`user:` in `user: alice`). */
  key(path: DataPath): SourcePosition {
    const parent = this.node(path.slice(0, -1));
    const name = path.at(-1);
    if (isMap(parent)) {
      const pair = parent.items.find((item) => isScalar(item.key) && String(item.key.value) === String(name));
      if (isScalar(pair?.key) && pair.key.range) return this.at(pair.key.range[0]);
    }
    return this.value(path);
  }

  /**
   * Where character `offset` of the string at `path` is, when the string is written on one line
   * as is (plain or quoted without escapes); otherwise where the string starts.
   */
  inString(path: DataPath, offset: number): SourcePosition {
    const node = this.node(path);
    if (isScalar(node) && typeof node.value === 'string' && node.range) {
      const start = node.range[0];
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE' ? 1 : 0;
      if (!node.value.includes('\n') && this.text.startsWith(node.value, start + quoted)) return this.at(start + quoted + offset);
    }
    return this.value(path);
  }

  positionOf(issue: PathIssue): SourcePosition {
    if (issue.at === 'key') return this.key(issue.path);
    return issue.offset === undefined ? this.value(issue.path) : this.inString(issue.path, issue.offset);
  }
}
