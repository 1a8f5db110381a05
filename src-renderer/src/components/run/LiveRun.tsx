import { useState } from 'react';
import type { ConsoleBridge, ServerInfo } from '../../../../src-main/api/contract';
import { failedAssertions, isFinished } from '../../model/runs';
import { describeFailure } from '../../model/run-errors';
import { useShortcut } from '../../shell/use-shortcuts';
import { Button } from '../ui';
import { ExchangeView } from '../exchange/ExchangeView';
import { RunCounts } from './RunCounts';
import { RunTimeline } from './RunTimeline';
import { useRun } from './use-run';
import type { Connection } from '../../transport/connection';
import './run.css';

export interface LiveRunProps {
  readonly bridge: ConsoleBridge;
  readonly runId: string;
  /** For "Copy as curl" with the local token. */
  readonly server?: ServerInfo;
  /** The heading shown above the counts (e.g. the action that started the run). */
  readonly title?: string;
  /** ViewProps.connection: after a reconnect the run is read again (events sent meanwhile are lost). */
  readonly connection?: Connection;
}

/**
 * One run, live, compact enough to sit inside another view (Connect's and Targets' "Test
 * connection", the IdP's actions): counts, the step timeline, and the chosen exchange below it,
 * with a link to the full run view.
 */
export function LiveRun({ bridge, runId, server, title, connection }: LiveRunProps) {
  const live = useRun(bridge, runId, connection);
  const [selected, setSelected] = useState<number | undefined>(undefined);
  const [cancelFailure, setCancelFailure] = useState<string | undefined>(undefined);
  const running = live !== undefined && !isFinished(live.state);
  const cancel = () => {
    bridge.cancelRun(runId).catch((error: unknown) => setCancelFailure(describeFailure(error, 'cancel the run')));
  };
  useShortcut('cancel', cancel, running);
  if (!live) return null;
  const { state, failure } = live;
  const exchange = selected === undefined ? undefined : state.exchanges.get(selected);
  const step = exchange ? state.steps[exchange.step] : undefined;
  return (
    <section className="live-run" aria-label={title ?? `Run ${state.scenario ?? runId}`} data-testid="live-run" data-run-id={runId}>
      <div className="live-run-head">
        <span className="live-run-title">{title ?? state.scenario ?? 'Run'}</span>
        <RunCounts state={state} />
        {running && (
          <Button size="sm" variant="danger" onClick={cancel} aria-keyshortcuts="Control+. Meta+." title="Cancel (Ctrl/⌘ + .)">
            Cancel
          </Button>
        )}
        <a className="live-run-open" href={`#/run?run=${encodeURIComponent(runId)}`}>
          Open in Run view
        </a>
      </div>
      {(failure ?? cancelFailure) && (
        <p className="run-failure" role="alert">
          {failure ?? cancelFailure}
        </p>
      )}
      <RunTimeline state={state} compact selected={selected} onSelect={(index) => setSelected(index === selected ? undefined : index)} />
      {exchange && (
        <div className="live-run-exchange">
          <ExchangeView
            exchange={exchange}
            findings={state.findingsByExchange.get(exchange.index) ?? []}
            {...(state.target === undefined ? {} : { target: state.target })}
            {...(server ? { server } : {})}
            assertions={step ? failedAssertions(step) : []}
          />
        </div>
      )}
    </section>
  );
}
