/**
 * PLACEHOLDER for ui-run's `<LiveRun runId />` (components/run/LiveRun.tsx): the exchanges and
 * findings of one run as a plain list, until LiveRun is on main and replaces this file's uses.
 */
import type { RunEvent } from '../../../../src-main/api/contract';
import { Badge, outcomeTone, severityTone, statusTone } from '../../components/ui';

export function RunPlaceholder({ events }: { events: readonly RunEvent[] }) {
  const finished = events.find((event) => event.type === 'run-finished');
  const exchanges = events.flatMap((event) => (event.type === 'exchange' ? [event.exchange] : []));
  const findings = events.flatMap((event) => (event.type === 'finding' ? [event.finding] : []));
  const failedSteps = events.flatMap((event) =>
    event.type === 'step-finished' && event.step.outcome !== 'passed' && event.step.message ? [event.step] : [],
  );
  return (
    <div className="run-preview" data-testid="run-preview">
      <div className="run-preview-head">
        {finished ? (
          <Badge tone={outcomeTone(finished.summary.outcome)}>{finished.summary.outcome}</Badge>
        ) : (
          <Badge tone="info">running</Badge>
        )}
        <span className="muted">
          {exchanges.length} exchange{exchanges.length === 1 ? '' : 's'}
          {finished ? ` · ${finished.summary.durationMs} ms` : ''}
        </span>
      </div>
      {finished?.summary.unreachable && <p className="run-preview-problem">{finished.summary.unreachable}</p>}
      {failedSteps.map((step) => (
        <p key={step.index} className="run-preview-problem">
          {step.name}: {step.message}
        </p>
      ))}
      {exchanges.length > 0 && (
        <ol className="run-exchanges">
          {exchanges.map((exchange) => (
            <li key={exchange.index}>
              <details>
                <summary className="run-exchange">
                  <span className={`method method-${exchange.request.method.toLowerCase()}`}>{exchange.request.method}</span>
                  <code className="run-exchange-url" title={exchange.request.url}>
                    {pathOf(exchange.request.url)}
                  </code>
                  <Badge tone={statusTone(exchange.response?.status)}>{exchange.response?.status ?? 'no answer'}</Badge>
                  <span className="run-exchange-time">{exchange.durationMs} ms</span>
                </summary>
                <div className="run-exchange-detail">
                  <p className="muted">{exchange.purpose}</p>
                  {exchange.error && <p className="run-preview-problem">{exchange.error}</p>}
                  {exchange.response?.body && (
                    <pre className="code-block" tabIndex={0}>
                      {pretty(exchange.response.body)}
                    </pre>
                  )}
                </div>
              </details>
            </li>
          ))}
        </ol>
      )}
      {findings.length > 0 && (
        <ul className="run-findings">
          {findings.map((finding, index) => (
            <li key={`${finding.id}-${index}`}>
              <Badge tone={severityTone(finding.severity)}>{finding.severity}</Badge> <strong>{finding.title}</strong>
              <p className="muted">{finding.message}</p>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  } catch {
    return url;
  }
}

function pretty(body: string): string {
  try {
    return JSON.stringify(JSON.parse(body), null, 2);
  } catch {
    return body;
  }
}
