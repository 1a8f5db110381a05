import type { Finding } from '../../../../src-main/verdicts/finding';
import { ValueDiff } from '../diff/ValueDiff';
import './findings.css';

/** Findings with their severity, what happened, what was expected and the reference that says why. */
export function FindingList({ findings }: { findings: readonly Finding[] }) {
  return (
    <ul className="fl" aria-label="Findings">
      {findings.map((finding, i) => (
        <li key={`${finding.id}-${i}`} className={`fl-item sev-${finding.severity}`} data-testid="finding">
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
