/**
 * Where a scenario problem goes in the editor. The loader reports 1-based lines and columns; the
 * editor wants character offsets into its document, and the text may have changed (or the
 * problem may point past the end) by the time the answer comes back, so every position is
 * clamped into the document rather than trusted.
 */
import type { Text } from '@codemirror/state';
import type { ScenarioProblem } from '../../../../src-main/api/contract';

export interface ProblemRange {
  readonly from: number;
  readonly to: number;
}

/**
 * The range a problem underlines: from its column to the end of the word there (a key, a value),
 * or the rest of the line when the column sits on a space; the first line when it has no place.
 */
export function problemRange(doc: Text, problem: ScenarioProblem): ProblemRange {
  const lineNumber = clamp(problem.line ?? 1, 1, doc.lines);
  const line = doc.line(lineNumber);
  if (problem.line === undefined || problem.column === undefined) {
    // No column: the whole line, from its first non-blank character.
    const indent = line.text.length - line.text.trimStart().length;
    return { from: line.from + indent, to: line.to };
  }
  const offset = clamp(problem.column - 1, 0, line.length);
  const rest = line.text.slice(offset);
  const word = /^\S+/.exec(rest)?.[0];
  const to = word ? offset + word.length : line.length;
  return { from: line.from + offset, to: line.from + to };
}

export interface EditorDiagnostic extends ProblemRange {
  readonly severity: 'error';
  readonly message: string;
}

/** The loader's problems as editor diagnostics (the loader only reports errors). */
export function problemsToDiagnostics(doc: Text, problems: readonly ScenarioProblem[]): EditorDiagnostic[] {
  return problems.map((problem) => ({ ...problemRange(doc, problem), severity: 'error', message: problem.message }));
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(Math.max(Math.trunc(value), min), max);
}
