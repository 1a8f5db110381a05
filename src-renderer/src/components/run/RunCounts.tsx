import { counted } from '../../model/counted';
import { refusedStatus, type RunState } from '../../model/runs';
import { SeverityBadges } from '../findings/FindingList';
import './run.css';

const STATUS_LABEL: Record<RunState['status'], string> = {
  pending: 'Starting',
  running: 'Running',
  passed: 'Passed',
  failed: 'Failed',
  error: 'Error',
  cancelled: 'Cancelled',
};

/** The run's outcome (or progress) and its live counts. */
export function RunCounts({ state }: { state: RunState }) {
  const { counts } = state;
  const done = counts.passed + counts.failed + counts.skipped;
  const refused = refusedStatus(state);
  return (
    <div className="rc" role="status" aria-live="polite" data-testid="run-counts" data-status={state.status}>
      <span className={`rc-status rs-${state.status}`}>{STATUS_LABEL[state.status]}</span>
      <span className="rc-n passed" title="Steps passed">
        <strong data-testid="count-passed">{counts.passed}</strong> passed
      </span>
      <span className={`rc-n ${counts.failed > 0 ? 'failed' : ''}`} title="Steps failed or errored">
        <strong data-testid="count-failed">{counts.failed}</strong> failed
      </span>
      {counts.skipped > 0 && <span className="rc-n">{counts.skipped} skipped</span>}
      <span className="rc-n muted">
        {counts.total > 0 ? `${done}/${counts.total} steps` : `${counted(done, 'step')} done`} · {counted(counts.exchanges, 'request')}
      </span>
      <SeverityBadges counts={counts.findings} />
      {state.summary?.unreachable && <span className="rc-unreachable">Target unreachable: {state.summary.unreachable}</span>}
      {refused !== undefined && (
        <span className="rc-unreachable" data-testid="run-refused">
          The target refused every request with {refused} {refused === 401 ? 'Unauthorized' : 'Forbidden'}: check its credentials in Targets.
        </span>
      )}
    </div>
  );
}
