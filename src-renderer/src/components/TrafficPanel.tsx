import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ConsoleBridge, RequestLogEntry } from '../../../src-main/api/contract';
import {
  displayPath,
  filterTraffic,
  formatDuration,
  formatTime,
  isTrafficFilterActive,
  NO_TRAFFIC_FILTER,
  STATUS_CLASSES,
  statusTone,
  TRAFFIC_METHODS,
  wrapSummary,
  type StatusClass,
  type TrafficFilter,
} from '../model/traffic';
import type { TrafficFeed, TrafficFeedState } from '../model/traffic-feed';
import { downloadText } from '../views/provider/download';
import { lastScenarioFolder, pageStorage } from '../views/scenarios/last-folder';
import { baseName, copyPath, refParam } from '../views/scenarios/scenario-refs';
import { formatRoute } from '../shell/route';
import { ExchangeDetail } from './ExchangeDetail';

const ROW_HEIGHT = 31;

/**
 * The exchanges that reached the local provider, newest first and live: filters, pause, a
 * selection to export as HAR or save as a scenario, and the exchange opened below the list.
 */
export function TrafficPanel(props: {
  bridge: ConsoleBridge;
  feed: TrafficFeed;
  state: TrafficFeedState;
  basePath: string;
  selectedSeq: number | undefined;
  onSelect: (seq: number | undefined) => void;
  announce: (message: string) => void;
}) {
  const { bridge, feed, state, basePath, selectedSeq, onSelect, announce } = props;
  const [filter, setFilter] = useState<TrafficFilter>(NO_TRAFFIC_FILTER);
  const [checked, setChecked] = useState<ReadonlySet<number>>(() => new Set());
  const [busy, setBusy] = useState<string | undefined>();
  const [error, setError] = useState<string | undefined>();
  /** Where the last "Save as scenario" went: a file to open in Scenarios, or a download. */
  const [saved, setSaved] = useState<{ readonly text: string; readonly href?: string }>();
  const visible = useMemo(() => filterTraffic(state.entries, filter, basePath), [state.entries, filter, basePath]);
  const selected = selectedSeq === undefined ? undefined : state.entries.find((entry) => entry.seq === selectedSeq);
  const wrap = wrapSummary(state.entries.length, state.total, state.wrapped);
  const patch = (change: Partial<TrafficFilter>): void => setFilter((current) => ({ ...current, ...change }));

  const toggleChecked = useCallback(
    (seq: number): void =>
      setChecked((current) => {
        const next = new Set(current);
        if (!next.delete(seq)) next.add(seq);
        return next;
      }),
    [],
  );

  const run = async (label: string, work: () => Promise<void>): Promise<void> => {
    setBusy(label);
    setError(undefined);
    try {
      await work();
    } catch (failure) {
      setError(`${label} failed: ${failure instanceof Error ? failure.message : String(failure)}`);
    } finally {
      setBusy(undefined);
    }
  };

  const exportHar = () =>
    run('Export HAR', async () => {
      // The selection if there is one, else what the filters show.
      const seqs = checked.size > 0 ? [...checked] : visible.map((entry) => entry.seq);
      const report = await bridge.exportTrafficHar(seqs);
      downloadText(report.fileName, report.mimeType, report.content);
      announce(`Exported ${seqs.length} exchange${seqs.length === 1 ? '' : 's'} as ${report.fileName}`);
    });

  // Into the scenario folder last opened in Scenarios, next to the user's other files and one
  // click from running; without one, as a download.
  const saveScenario = () =>
    run('Save as scenario', async () => {
      setSaved(undefined);
      const seqs = [...checked];
      const yaml = await bridge.scenarioFromTraffic(seqs, 'recorded-traffic');
      const exchanges = `${seqs.length} exchange${seqs.length === 1 ? '' : 's'}`;
      const folder = lastScenarioFolder(pageStorage());
      if (folder === undefined) {
        downloadText('recorded-traffic.yaml', 'application/yaml', yaml);
        const text = `Downloaded ${exchanges} as recorded-traffic.yaml. Open a folder in Scenarios to save them there, ready to run.`;
        setSaved({ text });
        announce(text);
        return;
      }
      // Opened again: the host only writes into folders opened since it started.
      const opened = await bridge.openScenarioFolder(folder);
      const path = copyPath(opened.folder, 'recorded-traffic', opened.files.map((file) => (file.ref.kind === 'file' ? file.ref.path : '')));
      await bridge.saveScenarioFile(path, yaml);
      const text = `Saved ${exchanges} as ${baseName(path)} in ${opened.folder}.`;
      setSaved({ text, href: formatRoute({ view: 'scenarios', params: { folder: opened.folder, open: refParam({ kind: 'file', path }) } }) });
      announce(text);
    });

  return (
    <section className="panel traffic" aria-label="Traffic">
      <div className="panel-header">
        <h2 className="panel-title">
          Traffic <span className="tab-count" data-testid="traffic-count">{visible.length}</span>
          {wrap && (
            <span className="wrap-note" data-testid="traffic-wrap" title="The request log keeps the most recent exchanges">
              {wrap}
            </span>
          )}
        </h2>
        <div className="panel-tools">
          <button
            type="button"
            className={`button subtle ${state.paused ? 'paused' : ''}`}
            aria-pressed={state.paused}
            data-testid="traffic-pause"
            onClick={() => (state.paused ? feed.resume() : feed.pause())}
            title={state.paused ? 'Show the exchanges that arrived while paused' : 'Hold new exchanges back while you read'}
          >
            {state.paused ? 'Resume' : 'Pause'}
            {state.paused && state.held > 0 && (
              <span className="tab-count held" data-testid="traffic-held">
                {state.held} new
              </span>
            )}
          </button>
          <button
            type="button"
            className="button subtle"
            onClick={() => {
              onSelect(undefined);
              setChecked(new Set());
              feed.clear();
            }}
          >
            Clear
          </button>
        </div>
      </div>
      <div className="traffic-filters" role="group" aria-label="Traffic filters">
        <select aria-label="Method" value={filter.method} onChange={(event) => patch({ method: event.target.value })}>
          <option value="">All methods</option>
          {TRAFFIC_METHODS.map((method) => (
            <option key={method} value={method}>
              {method}
            </option>
          ))}
        </select>
        <select aria-label="Status" value={filter.status} onChange={(event) => patch({ status: event.target.value as StatusClass | '' })}>
          <option value="">All statuses</option>
          {STATUS_CLASSES.map((status) => (
            <option key={status} value={status}>
              {status}
            </option>
          ))}
        </select>
        <input
          className="traffic-search"
          type="search"
          aria-label="Path contains"
          placeholder="Path contains…"
          spellCheck={false}
          value={filter.path}
          onChange={(event) => patch({ path: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Escape' && filter.path !== '') {
              event.stopPropagation();
              patch({ path: '' });
            }
          }}
        />
        <label className="toggle" title="Exchanges the provider accepted leniently, with a note">
          <input type="checkbox" checked={filter.notesOnly} onChange={(event) => patch({ notesOnly: event.target.checked })} />
          Has notes
        </label>
        <label className="toggle" title="Requests the console makes to fill its own tables">
          <input type="checkbox" checked={filter.showConsole} onChange={(event) => patch({ showConsole: event.target.checked })} />
          Console requests
        </label>
      </div>
      <div className="traffic-actions">
        <span className="muted" data-testid="traffic-selection">
          {checked.size > 0 ? `${checked.size} selected` : 'Tick exchanges to save a scenario'}
        </span>
        {checked.size > 0 && (
          <button type="button" className="button subtle" onClick={() => setChecked(new Set())}>
            Deselect
          </button>
        )}
        <button type="button" className="button subtle" disabled={busy !== undefined || visible.length === 0} onClick={() => void exportHar()}>
          Export HAR
        </button>
        <button type="button" className="button" disabled={busy !== undefined || checked.size === 0} onClick={() => void saveScenario()}>
          Save as scenario
        </button>
      </div>
      {saved && (
        <p className="traffic-saved" data-testid="traffic-saved">
          {saved.text}
          {saved.href && (
            <>
              {' '}
              <a href={saved.href}>Open in Scenarios</a>
            </>
          )}
        </p>
      )}
      {error && (
        <div className="error-banner" role="alert">
          <p className="error-detail">{error}</p>
        </div>
      )}
      <TrafficList
        entries={visible}
        basePath={basePath}
        selectedSeq={selectedSeq}
        checked={checked}
        onToggle={toggleChecked}
        onSelect={onSelect}
        empty={
          state.entries.length === 0
            ? 'Waiting for requests. Point a SCIM client at the Tenant URL (see Connect), or run a scenario against the local target.'
            : isTrafficFilterActive(filter)
              ? 'No exchange matches these filters.'
              : 'Only the console’s own requests so far. Tick “Console requests” to see them.'
        }
      />
      {selected && <ExchangeDetail entry={selected} basePath={basePath} onClose={() => onSelect(undefined)} />}
    </section>
  );
}

/**
 * Virtualized; one Tab stop: arrow keys move, Enter opens, Space ticks the row for the selection.
 *
 * Rows are keyed by their position in the list, not by exchange: at hundreds of requests a second
 * every visible exchange is new at each update, and keying by exchange would remove and recreate
 * every row's DOM (style, layout objects, paint) ten times a second. Keyed by position, a row's
 * elements stay and only their text and classes change.
 */
function TrafficList(props: {
  entries: readonly RequestLogEntry[];
  basePath: string;
  selectedSeq: number | undefined;
  checked: ReadonlySet<number>;
  onToggle: (seq: number) => void;
  onSelect: (seq: number | undefined) => void;
  empty: string;
}) {
  const { entries, basePath, selectedSeq, checked, onToggle, onSelect } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [activeSeq, setActiveSeq] = useState<number | undefined>();
  const focusSeq = useRef<number | undefined>(undefined);
  const virtualizer = useVirtualizer({
    count: entries.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 10,
    initialRect: { width: 500, height: 500 },
  });
  const activeIndex = Math.max(0, activeSeq === undefined ? 0 : entries.findIndex((entry) => entry.seq === activeSeq));

  useEffect(() => {
    if (focusSeq.current === undefined) return;
    const row = scrollRef.current?.querySelector<HTMLElement>(`[data-seq="${focusSeq.current}"] .traffic-row`);
    if (row) {
      row.focus({ preventScroll: true });
      focusSeq.current = undefined;
    }
  });

  const onKeyDown = (event: KeyboardEvent<HTMLUListElement>): void => {
    // Where the focus is now: live entries may have shifted the exchange it was on further down.
    const focused = event.target instanceof HTMLElement ? event.target.closest<HTMLElement>('[data-index]') : null;
    const from = focused ? Number(focused.dataset.index) : activeIndex;
    const last = entries.length - 1;
    const next =
      event.key === 'ArrowDown' ? Math.min(last, from + 1)
      : event.key === 'ArrowUp' ? Math.max(0, from - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : undefined;
    if (event.key === ' ' && entries[from]) {
      event.preventDefault();
      onToggle(entries[from].seq);
      return;
    }
    if (next === undefined || last < 0) return;
    event.preventDefault();
    const seq = entries[next]!.seq;
    setActiveSeq(seq);
    focusSeq.current = seq;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  if (entries.length === 0) {
    return (
      <div className="traffic-list" data-testid="traffic-list">
        <div className="empty">{props.empty}</div>
      </div>
    );
  }
  return (
    <div className="traffic-list" ref={scrollRef} data-testid="traffic-list">
      <ul className="traffic-rows" aria-label="Exchanges" onKeyDown={onKeyDown} style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const entry = entries[item.index]!;
          return (
            <TrafficRow
              key={item.index}
              entry={entry}
              index={item.index}
              start={item.start}
              basePath={basePath}
              selected={entry.seq === selectedSeq}
              checked={checked.has(entry.seq)}
              tabbable={item.index === activeIndex}
              onToggle={onToggle}
              onSelect={onSelect}
              onFocusRow={setActiveSeq}
            />
          );
        })}
      </ul>
    </div>
  );
}

/** Memoized with plain props: a row whose exchange and state did not change is not re-rendered. */
const TrafficRow = memo(function TrafficRow(props: {
  entry: RequestLogEntry;
  index: number;
  start: number;
  basePath: string;
  selected: boolean;
  checked: boolean;
  tabbable: boolean;
  onToggle: (seq: number) => void;
  onSelect: (seq: number | undefined) => void;
  onFocusRow: (seq: number) => void;
}) {
  const { entry, index, start, basePath, selected, checked, tabbable, onToggle, onSelect, onFocusRow } = props;
  const path = displayPath(entry.url, basePath);
  const noteCodes = entry.notes.length > 0 ? entry.notes.map((note) => note.code).join(', ') : undefined;
  return (
    <li
      className={`traffic-item ${selected ? 'selected' : ''} ${checked ? 'checked' : ''}`}
      data-seq={entry.seq}
      data-index={index}
      style={{ transform: `translateY(${start}px)` }}
    >
      <input
        type="checkbox"
        className="traffic-check"
        tabIndex={-1}
        aria-label={`Select ${entry.method} ${path}`}
        checked={checked}
        onChange={() => onToggle(entry.seq)}
      />
      <button
        type="button"
        data-testid="traffic-row"
        className="traffic-row"
        tabIndex={tabbable ? 0 : -1}
        aria-current={selected ? 'true' : undefined}
        onFocus={() => onFocusRow(entry.seq)}
        onClick={() => onSelect(selected ? undefined : entry.seq)}
      >
        <span className={`method method-${entry.method.toLowerCase()}`}>{entry.method}</span>
        <span className="traffic-path" title={entry.url}>
          {path}
        </span>
        <span className={`note-dot ${noteCodes ? '' : 'none'}`} title={noteCodes}>
          {noteCodes && <span className="visually-hidden">has notes</span>}
        </span>
        <span className={`pill ${statusTone(entry.status)}`}>{entry.status}</span>
        <span className="traffic-duration" data-volatile>{formatDuration(entry.durationMs)}</span>
        <span className="traffic-time" title={entry.startedAt}>
          {formatTime(entry.startedAt)}
        </span>
      </button>
    </li>
  );
});
