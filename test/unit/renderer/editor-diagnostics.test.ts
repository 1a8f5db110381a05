/**
 * The scenario editor puts the loader's problems (1-based line and column) at the right place in
 * CodeMirror's document, even when the text changed or the place is out of range.
 */
import { Text } from '@codemirror/state';
import { describe, expect, it } from 'vitest';
import { problemRange, problemsToDiagnostics } from '../../../src-renderer/src/components/editor/diagnostics';

const doc = Text.of(['name: demo', 'steps:', '  - name: assign', '    event: asignUser', '']);

const text = (range: { from: number; to: number }) => doc.sliceString(range.from, range.to);

describe('problemRange', () => {
  it('underlines the word at the line and column the loader reports', () => {
    const range = problemRange(doc, { line: 4, column: 12, message: 'unknown event' });
    expect(text(range)).toBe('asignUser');
    expect(doc.lineAt(range.from).number).toBe(4);
  });

  it('underlines a key at its column', () => {
    expect(text(problemRange(doc, { line: 3, column: 5, message: 'x' }))).toBe('name:');
  });

  it('takes the rest of the line when the column sits on a space', () => {
    const range = problemRange(doc, { line: 3, column: 1, message: 'x' });
    expect(text(range)).toBe('  - name: assign');
  });

  it('underlines the whole line, without its indentation, when there is no column', () => {
    expect(text(problemRange(doc, { line: 4, message: 'x' }))).toBe('event: asignUser');
  });

  it('puts a problem without a place on the first line', () => {
    expect(text(problemRange(doc, { message: 'x' }))).toBe('name: demo');
  });

  it('clamps a line past the end to the last line and a column past the end of the line to its end', () => {
    const pastEnd = problemRange(doc, { line: 99, column: 4, message: 'x' });
    expect(doc.lineAt(pastEnd.from).number).toBe(doc.lines);
    const longColumn = problemRange(doc, { line: 1, column: 80, message: 'x' });
    expect(longColumn).toEqual({ from: doc.line(1).to, to: doc.line(1).to });
  });

  it('clamps a line or column below 1', () => {
    expect(problemRange(doc, { line: 0, column: 0, message: 'x' })).toEqual({ from: 0, to: 'name:'.length });
  });
});

describe('problemsToDiagnostics', () => {
  it('keeps every problem as an error with its message', () => {
    const diagnostics = problemsToDiagnostics(doc, [
      { line: 4, column: 12, message: 'event must be one of …' },
      { message: 'no steps' },
    ]);
    expect(diagnostics).toHaveLength(2);
    expect(diagnostics[0]).toMatchObject({ severity: 'error', message: 'event must be one of …' });
    expect(doc.sliceString(diagnostics[0].from, diagnostics[0].to)).toBe('asignUser');
  });
});
