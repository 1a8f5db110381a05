import type { Change } from '../../../../src-main/diffs/diff';
import { sideBySide } from '../../model/side-by-side';
import './diff.css';

export interface ValueDiffProps {
  readonly a: unknown;
  readonly b: unknown;
  readonly labels: { readonly a: string; readonly b: string };
  /** A RunDiff's changes (on normalised values); without them lines are compared as text. */
  readonly changes?: readonly Change[];
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
      <div className="vd-body" tabIndex={0}>
        {rows.map((row, i) => (
          <div key={i} className={`vd-row k-${row.kind}`} role="row">
            <code role="cell" className={row.a ? 'vd-a' : 'vd-a vd-gap'}>
              {row.a?.text ?? ''}
            </code>
            <code role="cell" className={row.b ? 'vd-b' : 'vd-b vd-gap'}>
              {row.b?.text ?? ''}
            </code>
          </div>
        ))}
      </div>
    </div>
  );
}
