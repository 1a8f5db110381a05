import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { RunDiff, RunListItem } from '../../../../src-main/api/contract';
import type { RunExchange } from '../../../../src-main/runner/exchange';
import type { ViewProps } from '../../shell/view-props';
import { RunDiffView } from '../../components/diff/RunDiffView';
import { Button } from '../../components/ui';
import { SeverityBadges } from '../../components/findings/FindingList';
import { formatMs } from '../../components/exchange/format';
import { formatStarted, matchRuns, newestFirst, outcomeOf, rerunArgs, toggleSelection } from '../../model/history';
import { describeFailure } from '../../model/run-errors';
import './history.css';

const ROW_HEIGHT = 40;
const NO_FINDINGS = { error: 0, warning: 0, info: 0 } as const;

interface Loaded {
  readonly runs?: readonly RunListItem[];
  readonly failure?: string;
}

/** Every run, newest first; follows `history` events and reloads after a reconnect. */
function useRunList(bridge: ViewProps['bridge'], connection: ViewProps['connection']): Loaded & { reload: () => void } {
  const [loaded, setLoaded] = useState<Loaded>({});
  const reload = useCallback(() => {
    bridge.listRuns().then(
      (runs) => setLoaded({ runs: newestFirst(runs) }),
      (error: unknown) => setLoaded((current) => ({ ...current, failure: describeFailure(error, 'list the runs') })),
    );
  }, [bridge]);
  useEffect(() => {
    reload();
    let frame: number | undefined;
    // A burst of history events (a pair of runs starting) reloads once.
    const stop = bridge.on('history', () => {
      frame ??= requestAnimationFrame(() => {
        frame = undefined;
        reload();
      });
    });
    const stopConnection = connection.onChange((state) => {
      if (state === 'live') reload();
    });
    return () => {
      if (frame !== undefined) cancelAnimationFrame(frame);
      stop();
      stopConnection();
    };
  }, [bridge, connection, reload]);
  return { ...loaded, reload };
}

type DiffState = { status: 'loading' } | { status: 'done'; diff: RunDiff; a: ReadonlyMap<number, RunExchange>; b: ReadonlyMap<number, RunExchange> } | { status: 'failed'; message: string };

export function HistoryView({ bridge, connection, navigate, route, setParams }: ViewProps) {
  const { runs, failure, reload } = useRunList(bridge, connection);
  const query = route.params.q ?? '';
  const [selection, setSelection] = useState<string[]>([]);
  const [notice, setNotice] = useState('');
  const [diff, setDiff] = useState<DiffState | undefined>(undefined);
  const [active, setActive] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const shown = useMemo(() => matchRuns(runs ?? [], query), [runs, query]);

  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
  });

  const open = (run: RunListItem) => navigate('run', { run: run.id, ...(run.pairedWith ? { compare: run.pairedWith } : {}) });

  const rerun = async (run: RunListItem) => {
    const args = rerunArgs(run);
    if (!args) return;
    try {
      const started = await bridge.startRun(args);
      navigate('run', { run: started.runId });
    } catch (error) {
      setNotice(describeFailure(error, `run ${run.scenario} again`));
    }
  };

  const remove = async (run: RunListItem) => {
    try {
      await bridge.deleteRun(run.id);
      setSelection((current) => current.filter((id) => id !== run.id));
      setNotice(`Deleted the run of ${run.scenario} from ${formatStarted(run.startedAt)}.`);
      reload();
    } catch (error) {
      setNotice(describeFailure(error, 'delete the run'));
    }
  };

  const diffSelected = async () => {
    if (selection.length !== 2 || !runs) return;
    // Older run on the left: A is "before", B is "after".
    const [a, b] = newestFirst(runs.filter((run) => selection.includes(run.id))).reverse();
    setDiff({ status: 'loading' });
    try {
      const [result, recordA, recordB] = await Promise.all([bridge.diffRuns(a.id, b.id), bridge.getRun(a.id), bridge.getRun(b.id)]);
      setDiff({
        status: 'done',
        diff: result,
        a: new Map(recordA.exchanges.map((x) => [x.index, x])),
        b: new Map(recordB.exchanges.map((x) => [x.index, x])),
      });
    } catch (error) {
      setDiff({ status: 'failed', message: describeFailure(error, 'diff the two runs') });
    }
  };

  // Arrow keys move focus from row to row; the row that gets it is focused once it is rendered.
  const focusActive = useRef(false);
  useEffect(() => {
    if (!focusActive.current) return;
    focusActive.current = false;
    const run = shown[active];
    const frame = requestAnimationFrame(() => {
      if (run) document.getElementById(`hv-run-${run.id}`)?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [active, shown]);

  const onListKey = (event: KeyboardEvent<HTMLDivElement>) => {
    // Keys typed in a row's checkbox or buttons are theirs.
    if (!(event.target instanceof HTMLElement) || event.target.getAttribute('role') !== 'listitem') return;
    const run = shown[active];
    let next = active;
    if (event.key === 'ArrowDown') next = Math.min(shown.length - 1, active + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, active - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = shown.length - 1;
    else if (event.key === 'Enter' && run) open(run);
    else if (event.key === ' ' && run) setSelection((current) => toggleSelection(current, run.id));
    else return;
    event.preventDefault();
    focusActive.current = next !== active;
    setActive(next);
    virtualizer.scrollToIndex(next);
  };

  return (
    <section className="hv" aria-labelledby="hv-title">
      <header className="hv-head">
        <h2 id="hv-title">History</h2>
        <span className="muted">{runs ? `${runs.length} run${runs.length === 1 ? '' : 's'}` : ''}</span>
        <input
          data-shortcut="filter"
          className="hv-filter"
          type="search"
          placeholder="Filter by scenario, target, outcome…  ( / )"
          aria-label="Filter runs"
          value={query}
          onChange={(event) => setParams({ q: event.target.value })}
        />
        <Button size="sm" variant="primary" disabled={selection.length !== 2} onClick={() => void diffSelected()}>
          Diff selected ({selection.length}/2)
        </Button>
      </header>
      {(failure || notice) && (
        <p className={`hv-notice ${failure ? 'bad' : ''}`} role="status">
          {failure ?? notice}
        </p>
      )}
      <div className={`hv-body ${diff ? 'with-diff' : ''}`}>
        {runs && runs.length === 0 ? (
          <div className="hv-empty">
            <h3>No runs yet</h3>
            <p>Every run you start is kept here, to reopen, run again or diff against another.</p>
            <Button size="sm" variant="primary" onClick={() => navigate('scenarios')}>
              Run a scenario
            </Button>
          </div>
        ) : (
          <div
            ref={scrollRef}
            className="hv-list"
            role="list"
            aria-label="Runs, newest first"
            onKeyDown={onListKey}
            data-testid="history-list"
          >
            <div className="hv-inner" style={{ height: virtualizer.getTotalSize() }}>
              {virtualizer.getVirtualItems().map((item) => {
                const run = shown[item.index];
                const outcome = outcomeOf(run);
                const checked = selection.includes(run.id);
                // A list of rows with roving focus, not a listbox: an option may not hold the row's
                // checkbox and buttons. One Tab stop (the active row), then its own controls.
                const stop = item.index === active ? 0 : -1;
                return (
                  <div
                    key={run.id}
                    id={`hv-run-${run.id}`}
                    role="listitem"
                    tabIndex={stop}
                    className={`hv-row ${item.index === active ? 'active' : ''} ${checked ? 'checked' : ''}`}
                    style={{ transform: `translateY(${item.start}px)` }}
                    onClick={() => setActive(item.index)}
                    onFocus={(event) => {
                      if (event.target === event.currentTarget) setActive(item.index);
                    }}
                    onDoubleClick={() => open(run)}
                    data-testid="history-run"
                    data-run-id={run.id}
                  >
                    <input
                      type="checkbox"
                      tabIndex={stop}
                      aria-label={`Select ${run.scenario} ${formatStarted(run.startedAt)} for diff`}
                      checked={checked}
                      onChange={() => setSelection((current) => toggleSelection(current, run.id))}
                    />
                    <span className={`hv-outcome o-${outcome}`}>{outcome}</span>
                    <span className="hv-main">
                      <span className="hv-scenario">
                        {run.scenario}
                        {run.baseline && (
                          <span className="hv-baseline" title="Baseline of this scenario on this target">
                            baseline
                          </span>
                        )}
                        {run.pairedWith && (
                          <span className="hv-paired" title={`Run side by side with ${run.pairedWith}`}>
                            ⇄ paired
                          </span>
                        )}
                        {run.kind === 'action' && <span className="hv-paired">action</span>}
                      </span>
                      <span className="hv-meta">
                        {run.profile} → {run.target.name}
                      </span>
                    </span>
                    <span className="hv-steps">
                      {run.summary ? (
                        <>
                          <span className="ok">{run.summary.steps.passed}</span>/<span className={run.summary.steps.failed + run.summary.steps.error > 0 ? 'bad' : ''}>{run.summary.steps.failed + run.summary.steps.error}</span>
                        </>
                      ) : (
                        '…'
                      )}
                    </span>
                    <span className="hv-findings">
                      <SeverityBadges counts={run.summary?.findings ?? NO_FINDINGS} />
                    </span>
                    <span className="hv-time" data-started={run.startedAt} data-volatile>
                      {formatStarted(run.startedAt)}
                      {run.summary && <span className="muted"> · {formatMs(run.summary.durationMs)}</span>}
                    </span>
                    <span className="hv-actions">
                      <Button size="sm" tabIndex={stop} onClick={() => open(run)}>
                        Open
                      </Button>
                      <Button size="sm" tabIndex={stop} disabled={!rerunArgs(run)} onClick={() => void rerun(run)}>
                        Re-run
                      </Button>
                      <Button size="sm" variant="ghost" tabIndex={stop} aria-label={`Delete run of ${run.scenario} ${formatStarted(run.startedAt)}`} onClick={() => void remove(run)}>
                        Delete
                      </Button>
                    </span>
                  </div>
                );
              })}
            </div>
          </div>
        )}
        {diff && (
          <section className="hv-diff" aria-label="Diff of two runs">
            <div className="hv-diff-head">
              <h3>Diff</h3>
              <Button size="sm" variant="ghost" onClick={() => setDiff(undefined)} aria-label="Close diff">
                Close
              </Button>
            </div>
            {diff.status === 'loading' && <p className="muted">Comparing…</p>}
            {diff.status === 'failed' && <p className="hv-notice bad">{diff.message}</p>}
            {diff.status === 'done' && <RunDiffView diff={diff.diff} exchangesA={diff.a} exchangesB={diff.b} />}
          </section>
        )}
      </div>
    </section>
  );
}
