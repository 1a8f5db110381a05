import type { Finding } from '../../../../src-main/verdicts/finding';
import { ValueDiff } from '../diff/ValueDiff';
import './findings.css';

/** Findings with their severity, what happened, what was expected and the reference that says why. */
const RANK: Readonly<Record<Finding['severity'], number>> = { error: 0, warning: 1, info: 2 };

export function FindingList({ findings }: { findings: readonly Finding[] }) {
  // The worst first: an error is what one opened the exchange for.
  const sorted = [...findings].sort((a, b) => RANK[a.severity] - RANK[b.severity]);
  return (
    <ul className="fl" aria-label="Findings">
      {sorted.map((finding, i) => (
        <li key={`${finding.id}-${i}`} className={`fl-item sev-${finding.severity}`} data-testid="finding" data-severity={finding.severity}>
          <div className="fl-head">
            <span className={`sev sev-${finding.severity}`}>{finding.severity}</span>
            <span className="fl-title">{finding.title}</span>
            <code className="fl-id">{finding.id}</code>
          </div>
          <p className="fl-message">{finding.message}</p>
          {(finding.expected !== undefined || finding.actual !== undefined) && (
            <ValueDiff a={finding.expected} b={finding.actual} labels={{ a: 'Expected', b: 'Actual' }} />
          )}
          <a className="fl-ref" href={finding.reference.url} target="_blank" rel="noreferrer">
            {finding.reference.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** Severity counts as small badges, nothing when there are none. */
export function SeverityBadges({ counts }: { counts: Readonly<Record<'error' | 'warning' | 'info', number>> }) {
  return (
    <>
      {(['error', 'warning', 'info'] as const)
        .filter((severity) => counts[severity] > 0)
        .map((severity) => (
          <span key={severity} className={`sev sev-${severity}`} title={`${counts[severity]} ${severity} finding(s)`}>
            {counts[severity]} {severity === 'error' ? 'err' : severity === 'warning' ? 'warn' : 'info'}
          </span>
        ))}
    </>
  );
}
