import { useCallback, useEffect, useMemo, useState } from 'react';
import type { ReportFormat, RunDiff, RunListItem } from '../../../../src-main/api/contract';
import type { RunExchange } from '../../../../src-main/runner/exchange';
import type { ViewProps } from '../../shell/view-props';
import { RunCounts } from '../../components/run/RunCounts';
import { RunTimeline } from '../../components/run/RunTimeline';
import { Button, Tabs, TabPanel, download } from '../../components/ui';
import { useRun } from '../../components/run/use-run';
import { ExchangeView } from '../../components/exchange/ExchangeView';
import { RunDiffView } from '../../components/diff/RunDiffView';
import { failedAssertions, firstFailingExchange, isFinished, type ExchangeFilter } from '../../model/runs';
import { describeFailure } from '../../model/run-errors';
import { rerunArgs } from '../../model/history';
import { useShortcut } from '../../shell/use-shortcuts';
import './run.css';

type Pane = 'exchange' | 'compare' | 'baseline';

const FORMATS: readonly { id: ReportFormat; label: string }[] = [
  { id: 'html', label: 'HTML report' },
  { id: 'junit', label: 'JUnit XML' },
  { id: 'json', label: 'JSON record' },
  { id: 'har', label: 'HAR' },
];

/** A diff loaded on demand: idle until asked, then the diff, null (nothing to compare with) or why it failed. */
type DiffState = { readonly status: 'loading' } | { readonly status: 'done'; readonly diff: RunDiff | null } | { readonly status: 'failed'; readonly message: string };

function useDiff(load: (() => Promise<RunDiff | null>) | undefined, key: string): DiffState | undefined {
  const [state, setState] = useState<{ key: string; value: DiffState } | undefined>(undefined);
  useEffect(() => {
    if (!load) return;
    let active = true;
    setState({ key, value: { status: 'loading' } });
    load().then(
      (diff) => active && setState({ key, value: { status: 'done', diff } }),
      (error: unknown) => active && setState({ key, value: { status: 'failed', message: describeFailure(error, 'compute the diff') } }),
    );
    return () => {
      active = false;
    };
  }, [load, key]);
  return state?.key === key ? state.value : undefined;
}

export function RunView(props: ViewProps) {
  const runId = props.route.params.run;
  if (!runId) return <RunEmpty navigate={props.navigate} />;
  return <RunDetail key={runId} {...props} runId={runId} />;
}

function RunEmpty({ navigate }: Pick<ViewProps, 'navigate'>) {
  return (
    <section className="rv-empty" aria-labelledby="rv-empty-title">
      <h2 id="rv-empty-title">No run open</h2>
      <p>Start a run from a scenario, or reopen one you ran before.</p>
      <div className="rv-empty-actions">
        <Button size="sm" variant="primary" onClick={() => navigate('scenarios')}>
          Go to Scenarios
        </Button>
        <Button size="sm" onClick={() => navigate('history')}>
          Open History
        </Button>
      </div>
    </section>
  );
}

function RunDetail({ bridge, connection, server, route, setParams, navigate, runId }: ViewProps & { runId: string }) {
  const compareId = route.params.compare;
  const live = useRun(bridge, runId, connection);
  const compare = useRun(bridge, compareId, connection);
  const [notice, setNotice] = useState('');
  const [format, setFormat] = useState<ReportFormat>('html');
  const [busy, setBusy] = useState(false);
  const [baselineRevision, setBaselineRevision] = useState(0);

  const filter = useMemo<ExchangeFilter>(
    () => ({
      ...(route.params.errors === '1' ? { errorsOnly: true } : {}),
      ...(route.params.step !== undefined && route.params.step !== '' ? { step: Number(route.params.step) } : {}),
    }),
    [route.params.errors, route.params.step],
  );
  const pane: Pane = route.params.pane === 'compare' && compareId ? 'compare' : route.params.pane === 'baseline' ? 'baseline' : 'exchange';
  const state = live?.state;
  const finished = state ? isFinished(state) : false;
  const bothFinished = finished && (!compareId || (compare ? isFinished(compare.state) : false));

  // The first failing exchange opens by itself when nothing is chosen: that is what one came to see.
  const selectedParam = route.params.x === undefined ? undefined : Number(route.params.x);
  const fallback = state && finished && selectedParam === undefined ? firstFailingExchange(state)?.index : undefined;
  const selected = selectedParam ?? fallback;
  const exchange = selected === undefined ? undefined : state?.exchanges.get(selected);

  const cancel = useCallback(() => {
    if (!state || finished) return;
    bridge.cancelRun(runId).then(
      () => setNotice('Cancelling the run…'),
      (error: unknown) => setNotice(describeFailure(error, 'cancel the run')),
    );
    if (compareId) void bridge.cancelRun(compareId).catch(() => undefined);
  }, [bridge, runId, compareId, state, finished]);

  useShortcut('cancel', () => cancel(), Boolean(state) && !finished);

  // What this run and its pair are in the history: their targets' names, whether this run is the
  // baseline, and how to run it again. (A run's events name its target by URL or id, not by name.)
  const [item, setItem] = useState<RunListItem | undefined>(undefined);
  const [compareItem, setCompareItem] = useState<RunListItem | undefined>(undefined);
  useEffect(() => {
    let active = true;
    const load = () =>
      bridge.listRuns().then(
        (runs) => {
          if (!active) return;
          setItem(runs.find((run) => run.id === runId));
          setCompareItem(compareId === undefined ? undefined : runs.find((run) => run.id === compareId));
        },
        () => undefined,
      );
    void load();
    const stop = bridge.on('history', () => void load());
    return () => {
      active = false;
      stop();
    };
  }, [bridge, runId, compareId]);
  const again = item ? rerunArgs(item) : undefined;
  /** Runs it again and opens the new run on the same detail tab: a pair's diff, or the new run against the baseline. */
  const runAgain = useCallback((openPane?: Pane) => {
    if (!again) return;
    bridge.startRun({ ...again, ...(compareItem ? { compareTarget: compareItem.target.id } : {}) }).then(
      (started) =>
        navigate('run', {
          run: started.runId,
          ...(started.compareRunId ? { compare: started.compareRunId } : {}),
          ...(openPane && openPane !== 'exchange' ? { pane: openPane } : {}),
        }),
      (error: unknown) => setNotice(describeFailure(error, 'run it again')),
    );
  }, [again, bridge, navigate, compareItem]);
  useShortcut('run', () => runAgain(pane), Boolean(again) && finished);

  const loadCompare = useMemo(() => (pane === 'compare' && compareId && bothFinished ? () => bridge.diffRuns(runId, compareId) : undefined), [pane, compareId, bothFinished, bridge, runId]);
  const loadBaseline = useMemo(() => (pane === 'baseline' && finished ? () => bridge.diffWithBaseline(runId) : undefined), [pane, finished, bridge, runId]);
  const compareDiff = useDiff(loadCompare, `${runId}:${compareId ?? ''}`);
  const baselineDiff = useDiff(loadBaseline, `${runId}:baseline:${baselineRevision}`);
  const [baselineRecord, setBaselineRecord] = useState<ReadonlyMap<number, RunExchange> | undefined>(undefined);

  const saveBaseline = async () => {
    setBusy(true);
    try {
      await bridge.setBaseline(runId);
      setNotice('Saved as the baseline of this scenario on this target. The next run can be diffed against it.');
      setBaselineRevision((n) => n + 1);
    } catch (error) {
      setNotice(describeFailure(error, 'save the baseline'));
    } finally {
      setBusy(false);
    }
  };

  const exportReport = async () => {
    setBusy(true);
    try {
      const report = await bridge.exportRun(runId, format);
      download(report);
      setNotice(`Exported ${report.fileName}`);
    } catch (error) {
      setNotice(describeFailure(error, 'export the report'));
    } finally {
      setBusy(false);
    }
  };

  // The baseline diff draws bodies from the baseline run's own exchanges.
  useEffect(() => {
    if (pane !== 'baseline' || baselineDiff?.status !== 'done' || !baselineDiff.diff) return;
    let active = true;
    void bridge.listRuns().then(async (runs) => {
      const run = runs.find((item) => item.id === runId);
      const base = runs.find((item) => item.baseline && item.id !== runId && run && item.scenario === run.scenario && item.target.id === run.target.id);
      if (!base) return;
      const record = await bridge.getRun(base.id);
      if (active) setBaselineRecord(new Map(record.exchanges.map((x) => [x.index, x])));
    }).catch(() => undefined);
    return () => {
      active = false;
    };
  }, [pane, baselineDiff, bridge, runId]);

  if (!live || !state) return <div className="rv-loading">Loading run…</div>;

  const step = exchange ? state.steps[exchange.step] : undefined;
  const tabs = [
    { id: 'exchange' as const, label: 'Exchange' },
    ...(compareId ? [{ id: 'compare' as const, label: 'Target A vs B' }] : []),
    { id: 'baseline' as const, label: 'vs baseline' },
  ];

  return (
    <section className="rv" aria-labelledby="rv-title">
      <header className="rv-head">
        <div className="rv-title-line">
          <h2 id="rv-title" className="rv-title">
            {state.scenario ?? 'Run'}
          </h2>
          <span className="rv-sub">
            <span title="Profile">{state.profile ?? '…'}</span> →{' '}
            <span title={item?.target.baseUrl ?? state.target}>{item?.target.name ?? state.target ?? '…'}</span>
          </span>
          <div className="rv-actions">
            {!finished && (
              <Button size="sm" variant="danger" onClick={cancel} aria-keyshortcuts="Control+. Meta+." title="Cancel (Ctrl/⌘ + .)">
                Cancel
              </Button>
            )}
            <Button size="sm" disabled={!finished || !again} onClick={() => runAgain(pane)} aria-keyshortcuts="Control+Enter Meta+Enter" title="Run again (Ctrl/⌘ + Enter)">
              Run again
            </Button>
            {item?.baseline ? (
              <span className="rv-baseline" title="This run is the baseline of its scenario on its target">
                Baseline
              </span>
            ) : (
              <Button size="sm" disabled={!finished || busy} onClick={() => void saveBaseline()}>
                Save as baseline
              </Button>
            )}
            <span className="rv-export">
              <label className="offscreen" htmlFor="rv-format">
                Report format
              </label>
              <select id="rv-format" value={format} onChange={(event) => setFormat(event.target.value as ReportFormat)}>
                {FORMATS.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.label}
                  </option>
                ))}
              </select>
              <Button size="sm" disabled={!finished || busy} onClick={() => void exportReport()}>
                Export
              </Button>
            </span>
          </div>
        </div>
        <div className="rv-counts-line">
          <RunCounts state={state} />
          {compare && (
            <span className="rv-compare-counts">
              <span className="muted" title={compareItem?.target.baseUrl ?? compare.state.target}>
                B: {compareItem?.target.name ?? compare.state.target ?? compareId}
              </span>
              <RunCounts state={compare.state} />
              {compareId && (
                <Button
                  size="sm"
                  title="Put B's run in front (its steps, exchanges and findings), this one as B"
                  onClick={() => navigate('run', { run: compareId, compare: runId, ...(pane === 'exchange' ? {} : { pane }) })}
                >
                  Show B's steps
                </Button>
              )}
            </span>
          )}
        </div>
        {(live.failure || notice) && (
          <p className={`rv-notice ${live.failure ? 'bad' : ''}`} role="status">
            {live.failure ?? notice}
          </p>
        )}
      </header>
      <div className="rv-body">
        <div className="rv-left">
          <div className="rv-filters" role="group" aria-label="Filter exchanges">
            <label className="rv-check">
              <input type="checkbox" checked={filter.errorsOnly === true} onChange={(event) => setParams({ errors: event.target.checked ? '1' : undefined })} />
              Errors only
            </label>
            <label className="rv-step-filter">
              <span className="offscreen">Step</span>
              <select aria-label="Step" value={filter.step === undefined ? '' : String(filter.step)} onChange={(event) => setParams({ step: event.target.value })}>
                <option value="">All steps</option>
                {state.steps.map((item) => (
                  <option key={item.index} value={item.index}>
                    {item.index + 1}. {item.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
          <RunTimeline state={state} filter={filter} selected={selected} onSelect={(index) => setParams({ x: String(index), pane: undefined })} />
        </div>
        <div className="rv-right">
          <Tabs className="small rv-tabs" tabs={tabs} selected={pane} onSelect={(id) => setParams({ pane: id === 'exchange' ? undefined : id })} label="Detail" idPrefix="rv" />
          <TabPanel className="rv-panel" idPrefix="rv" id={pane}>
            {pane === 'exchange' &&
              (exchange ? (
                <ExchangeView
                  exchange={exchange}
                  findings={state.findingsByExchange.get(exchange.index) ?? []}
                  {...(state.target === undefined ? {} : { target: state.target })}
                  {...(server ? { server } : {})}
                  assertions={step ? failedAssertions(step) : []}
                />
              ) : (
                <p className="rv-hint">{state.exchanges.size === 0 ? 'No exchanges yet.' : 'Choose an exchange on the left (↑/↓ in the timeline) to see its request, response and findings.'}</p>
              ))}
            {pane === 'compare' && <DiffPane state={compareDiff} waiting={!bothFinished} exchangesA={state.exchanges} exchangesB={compare?.state.exchanges} empty="" />}
            {pane === 'baseline' && item?.baseline && (
              <div className="rv-baseline-self" data-testid="baseline-self">
                <p className="rv-hint">
                  This run is the baseline for {item.scenario} on {item.target.name}. Run again to compare a new run against it.
                </p>
                <Button size="sm" variant="primary" disabled={!finished || !again} onClick={() => runAgain('baseline')}>
                  Run again
                </Button>
              </div>
            )}
            {pane === 'baseline' && !item?.baseline && (
              <DiffPane
                state={baselineDiff}
                waiting={!finished}
                exchangesA={baselineRecord}
                exchangesB={state.exchanges}
                empty="No baseline yet for this scenario on this target. Save a run as baseline, then run again to see what changed."
              />
            )}
          </TabPanel>
        </div>
      </div>
    </section>
  );
}

function DiffPane({ state, waiting, exchangesA, exchangesB, empty }: { state: DiffState | undefined; waiting: boolean; exchangesA?: ReadonlyMap<number, RunExchange>; exchangesB?: ReadonlyMap<number, RunExchange>; empty: string }) {
  if (waiting) return <p className="rv-hint">The diff is ready when the run has finished.</p>;
  if (!state || state.status === 'loading') return <p className="rv-hint">Comparing…</p>;
  if (state.status === 'failed') return <p className="rv-notice bad">{state.message}</p>;
  if (!state.diff) return <p className="rv-hint">{empty}</p>;
  return <RunDiffView diff={state.diff} {...(exchangesA ? { exchangesA } : {})} {...(exchangesB ? { exchangesB } : {})} />;
}
