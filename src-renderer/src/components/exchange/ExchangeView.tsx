import type { ServerInfo } from '../../../../src-main/api/contract';
import type { RunExchange } from '../../../../src-main/runner/exchange';
import type { AssertionResult } from '../../../../src-main/runner/run-events';
import type { Finding } from '../../../../src-main/verdicts/finding';
import { curlCommand } from '../../model/curl';
import { CopyCurlButton } from './CopyCurlButton';
import { FindingList } from '../findings/FindingList';
import { ValueDiff } from '../diff/ValueDiff';
import { Body } from './Body';
import { HeaderTable } from './HeaderTable';
import { formatMs, statusTone } from './format';
import './exchange.css';

export interface ExchangeViewProps {
  readonly exchange: RunExchange;
  readonly findings: readonly Finding[];
  /** The run's target id (`local` gets the real token in "Copy as curl"). */
  readonly target?: string;
  readonly server?: ServerInfo;
  /** Failed assertions of the exchange's step, drawn as expected vs actual. */
  readonly assertions?: readonly AssertionResult[];
}

/** One exchange of a run: request and response, its findings, and a curl command that sends it again. */
export function ExchangeView({ exchange, findings, target, server, assertions = [] }: ExchangeViewProps) {
  const { request, response } = exchange;
  const curl = curlCommand(exchange, {
    ...(target === undefined ? {} : { target }),
    ...(server ? { localToken: server.token, localBaseUrl: server.baseUrl } : {}),
  });
  return (
    <article className="xv" aria-label={`Exchange ${exchange.index}: ${request.method} ${request.url}`} data-testid="exchange-view">
      <header className="xv-head">
        <span className={`xv-method m-${request.method.toLowerCase()}`}>{request.method}</span>
        <code className="xv-url" title={request.url}>
          {request.url}
        </code>
        <span className={`pill ${statusTone(response?.status)}`} data-testid="exchange-status">
          {response ? response.status : 'No response'}
        </span>
        <span className="xv-time" data-volatile>{formatMs(exchange.durationMs)}</span>
        <CopyCurlButton command={curl} />
      </header>
      <div className="xv-meta">
        <span>#{exchange.index}</span>
        <span>{exchange.purpose}</span>
        {exchange.source === 'scimulator' && <span className="xv-tag">added by Scimulator</span>}
        {exchange.retryOf !== undefined && <span className="xv-tag">retry {exchange.retryOf}</span>}
      </div>
      {exchange.error && (
        <p className="xv-error" role="note">
          No response: {exchange.error}
        </p>
      )}
      {findings.length > 0 && <FindingList findings={findings} />}
      {assertions.map((assertion, i) => (
        <section key={i} className="xv-assertion" aria-label={`Failed check: ${assertion.check}`}>
          <h4>
            Failed check <code>{assertion.check}</code>
            {assertion.line !== undefined && <span className="muted"> (scenario line {assertion.line})</span>}
          </h4>
          <ValueDiff a={assertion.expected} b={assertion.actual} labels={{ a: 'Expected', b: 'Actual' }} />
        </section>
      ))}
      <div className="xv-sides">
        <section className="xv-side" aria-label="Response">
          <h3 className="xv-side-title">Response</h3>
          {response ? (
            <>
              <Body body={response.body} label="Response body" />
              <HeaderTable title="Response headers" headers={Object.entries(response.headers)} />
            </>
          ) : (
            <div className="xb-empty">No response came.</div>
          )}
        </section>
        <section className="xv-side" aria-label="Request">
          <h3 className="xv-side-title">Request</h3>
          <Body body={request.body} label="Request body" />
          <HeaderTable title="Request headers" headers={request.headers} />
        </section>
      </div>
    </article>
  );
}
