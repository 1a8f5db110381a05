/**
 * PLACEHOLDER for ui-run's <LiveRun runId/> (components/run/LiveRun.tsx): the exchanges of one
 * run as they happen, one line each. Swapped for the real component once it is on main.
 */
import type { ConsoleBridge } from '../../../../src-main/api/contract';
import { useRunProgress } from '../demo/use-run-progress';

export function LiveRun({ bridge, runId }: { bridge: ConsoleBridge; runId: string }) {
  const { progress, failure } = useRunProgress(bridge, runId);
  const exchanges = [...progress.exchanges.values()].sort((a, b) => a.index - b.index);
  return (
    <div className="idp-liverun" data-testid="live-run" data-run-id={runId}>
      {failure && <p className="sc-warning">{failure}</p>}
      <p className="idp-liverun-head">
        {progress.summary ? (
          <span className={`pill ${progress.summary.outcome === 'passed' ? 'success' : 'client-error'}`} data-testid="run-outcome">
            {progress.summary.outcome}
          </span>
        ) : (
          <span className="pill neutral">running…</span>
        )}
        <span className="muted">
          {exchanges.length} {exchanges.length === 1 ? 'exchange' : 'exchanges'} · {progress.findings.length} findings
        </span>
      </p>
      <ol className="idp-exchanges">
        {exchanges.map((exchange) => (
          <li key={exchange.index} className="idp-exchange">
            <span className="mono idp-exchange-method">{exchange.request.method}</span>
            <span className="mono idp-exchange-path" title={exchange.request.url}>
              {pathOf(exchange.request.url)}
            </span>
            <span className={`pill ${statusClass(exchange.response?.status)}`}>{exchange.response?.status ?? 'no answer'}</span>
            <span className="idp-exchange-purpose muted">{exchange.purpose}</span>
          </li>
        ))}
      </ol>
      {progress.findings.map((finding, index) => (
        <p key={index} className={`idp-finding ${finding.severity}`}>
          <strong>{finding.title}</strong> {finding.message}
        </p>
      ))}
    </div>
  );
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url);
    return decodeURIComponent(parsed.pathname + parsed.search);
  } catch {
    return url;
  }
}

export function statusClass(status: number | undefined): string {
  if (status === undefined) return 'server-error';
  if (status >= 500) return 'server-error';
  if (status >= 400) return 'client-error';
  if (status >= 300) return 'redirect';
  return 'success';
}
