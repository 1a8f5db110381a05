import type { Change } from '../../../../src-main/diffs/diff';
import { sideBySide, type JsonLine } from '../../model/side-by-side';
import './diff.css';

export interface ValueDiffProps {
  readonly a: unknown;
  readonly b: unknown;
  readonly labels: { readonly a: string; readonly b: string };
  /** A RunDiff's changes (on normalised values); without them lines are compared as text. */
  readonly changes?: readonly Change[];
}

/**
 * One side of a row. The indentation becomes padding (set from JS, which the CSP allows), so a long
 * value that wraps stays under its key instead of falling back to the left edge.
 */
function Cell({ line, side }: { line: JsonLine | undefined; side: 'a' | 'b' }) {
  if (!line) return <code role="cell" className={`vd-${side} vd-gap`} />;
  const text = line.text.trimStart();
  const indent = line.text.length - text.length;
  return (
    <code role="cell" className={`vd-${side}`} style={{ paddingLeft: `calc(${indent}ch + 8px)` }}>
      {text}
    </code>
  );
}

/** Two values side by side, the lines that differ highlighted. */
export function ValueDiff({ a, b, labels, changes }: ValueDiffProps) {
  const { rows, differences } = sideBySide(a, b, changes);
  return (
    <div className="vd" role="table" aria-label={`${labels.a} vs ${labels.b}: ${differences} line(s) differ`} data-testid="value-diff">
      <div className="vd-row vd-labels" role="row">
        <span role="columnheader">{labels.a}</span>
        <span role="columnheader">{labels.b}</span>
      </div>
      {/* A rowgroup, so the table's rows stay its children for assistive tech; focusable so a long diff scrolls from the keyboard. */}
      <div className="vd-body" role="rowgroup" tabIndex={0}>
        {rows.map((row, i) => (
          <div key={i} className={`vd-row k-${row.kind}`} role="row">
            <Cell line={row.a} side="a" />
            <Cell line={row.b} side="b" />
          </div>
        ))}
      </div>
    </div>
  );
}
