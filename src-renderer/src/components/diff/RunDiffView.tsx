import { useState } from 'react';
import type { ExchangeDiff, RunDiff, StepDiff } from '../../../../src-main/diffs/diff';
import type { RunExchange } from '../../../../src-main/runner/exchange';
import { parseBody } from '../../model/side-by-side';
import { ValueDiff } from './ValueDiff';
import './diff.css';

export interface RunDiffViewProps {
  readonly diff: RunDiff;
  /** The two runs' exchanges by index, to draw the bodies (the diff itself carries only the changes). */
  readonly exchangesA?: ReadonlyMap<number, RunExchange>;
  readonly exchangesB?: ReadonlyMap<number, RunExchange>;
}

function statusLabel(status: number | null | undefined): string {
  return status === null || status === undefined ? 'no response' : String(status);
}

function ExchangeDiffView({ item, exchangesA, exchangesB, labels }: { item: ExchangeDiff; labels: { a: string; b: string } } & Pick<RunDiffViewProps, 'exchangesA' | 'exchangesB'>) {
  if (item.kind !== 'pair') {
    return (
      <li className={`rd-x ${item.kind}`} data-testid="diff-exchange">
        <div className="rd-x-head">
          <span className="rd-badge">{item.kind === 'only-in-a' ? `only in ${labels.a}` : `only in ${labels.b}`}</span>
          <code>
            {item.request.method} {item.request.path}
          </code>
          <span className="muted">{item.purpose}</span>
          <span className="rd-status">{statusLabel(item.status)}</span>
        </div>
      </li>
    );
  }
  const a = exchangesA?.get(item.index.a);
  const b = exchangesB?.get(item.index.b);
  return (
    <li className={`rd-x ${item.same ? 'same' : 'differs'}`} data-testid="diff-exchange">
      <div className="rd-x-head">
        <span className={`rd-badge ${item.same ? 'ok' : 'bad'}`}>{item.same ? 'same' : 'differs'}</span>
        <code>
          {item.request.a.method} {item.request.a.path}
        </code>
        <span className="muted">{item.purpose}</span>
        {item.status && (
          <span className="rd-status changed">
            {statusLabel(item.status.a)} → {statusLabel(item.status.b)}
          </span>
        )}
      </div>
      {!item.same && (
        <div className="rd-x-body">
          {item.headerDifferences && item.headerDifferences.length > 0 && (
            <table className="rd-headers">
              <thead>
                <tr>
                  <th scope="col">Header</th>
                  <th scope="col">{labels.a}</th>
                  <th scope="col">{labels.b}</th>
                </tr>
              </thead>
              <tbody>
                {item.headerDifferences.map((header) => (
                  <tr key={header.name}>
                    <th scope="row">{header.name}</th>
                    <td>{header.a ?? 'absent'}</td>
                    <td>{header.b ?? 'absent'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {item.requestChanges && item.requestChanges.length > 0 && (
            <>
              <h5>Request sent</h5>
              <ValueDiff
                a={{ query: item.request.a.query, body: item.request.a.body }}
                b={{ query: item.request.b.query, body: item.request.b.body }}
                labels={labels}
                changes={item.requestChanges}
              />
            </>
          )}
          {item.bodyChanges && item.bodyChanges.length > 0 && (
            <>
              <h5>Response body</h5>
              {a && b ? (
                <ValueDiff a={parseBody(a.response?.body)} b={parseBody(b.response?.body)} labels={labels} changes={item.bodyChanges} />
              ) : (
                <ul className="rd-changes">
                  {item.bodyChanges.map((change, i) => (
                    <li key={i} className={`k-${change.kind}`}>
                      <code>{change.path}</code> {change.kind}: <code>{JSON.stringify(change.a)}</code> → <code>{JSON.stringify(change.b)}</code>
                    </li>
                  ))}
                </ul>
              )}
            </>
          )}
        </div>
      )}
    </li>
  );
}

function StepDiffView({ step, showSame, ...rest }: { step: StepDiff; showSame: boolean; labels: { a: string; b: string } } & Pick<RunDiffViewProps, 'exchangesA' | 'exchangesB'>) {
  const items = showSame ? step.exchanges : step.exchanges.filter((item) => item.kind !== 'pair' || !item.same);
  const outcomesDiffer = step.outcome.a !== step.outcome.b;
  return (
    <li className="rd-step">
      <div className="rd-step-head">
        <span className="rd-step-name">
          {step.index + 1}. {step.name}
        </span>
        <span className={`rd-outcome ${outcomesDiffer ? 'changed' : ''}`}>
          {step.outcome.a ?? '—'} / {step.outcome.b ?? '—'}
        </span>
        <span className="muted">{step.differences === 0 ? 'no differences' : `${step.differences} difference(s)`}</span>
      </div>
      {items.length > 0 && (
        <ul className="rd-xs">
          {items.map((item, i) => (
            <ExchangeDiffView key={i} item={item} {...rest} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** A RunDiff side by side: step by step, each exchange pair with its status, headers and body changes highlighted. */
export function RunDiffView({ diff, exchangesA, exchangesB }: RunDiffViewProps) {
  const [showSame, setShowSame] = useState(false);
  const labels = { a: diff.a.label, b: diff.b.label };
  const steps = showSame ? diff.steps : diff.steps.filter((step) => step.differences > 0);
  return (
    <section className="rd" aria-label={`Diff: ${labels.a} vs ${labels.b}`} data-testid="run-diff">
      <header className="rd-head">
        <div className="rd-sides">
          <div>
            <span className="rd-side-label">A</span> <strong>{diff.a.label}</strong> <span className="muted">{diff.a.baseUrl}</span>
          </div>
          <div>
            <span className="rd-side-label">B</span> <strong>{diff.b.label}</strong> <span className="muted">{diff.b.baseUrl}</span>
          </div>
        </div>
        <div className="rd-counts" role="status">
          {diff.identical ? (
            <span className="rd-badge ok">identical</span>
          ) : (
            <>
              <span className="rd-badge bad">{diff.counts.differing} differing</span>
              <span>{diff.counts.identical} identical</span>
              {diff.counts.onlyInA > 0 && <span>{diff.counts.onlyInA} only in A</span>}
              {diff.counts.onlyInB > 0 && <span>{diff.counts.onlyInB} only in B</span>}
              {diff.counts.stepOutcomesDiffering > 0 && <span>{diff.counts.stepOutcomesDiffering} step outcome(s) differ</span>}
            </>
          )}
          <label className="rd-toggle">
            <input type="checkbox" checked={showSame} onChange={(event) => setShowSame(event.target.checked)} /> Show identical
          </label>
        </div>
      </header>
      {steps.length === 0 ? (
        <p className="rd-empty">{diff.identical ? 'Both runs sent and received the same, once ids and timestamps are set aside.' : 'Only identical steps.'}</p>
      ) : (
        <ol className="rd-steps">
          {steps.map((step) => (
            <StepDiffView key={step.index} step={step} showSame={showSame} labels={labels} exchangesA={exchangesA} exchangesB={exchangesB} />
          ))}
        </ol>
      )}
    </section>
  );
}
