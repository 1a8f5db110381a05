import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { timelineRows, type ExchangeFilter, type RunState, type StepState, type TimelineRow } from '../../model/runs';
import { SeverityBadges } from '../findings/FindingList';
import { formatMs, pathOf, statusTone } from '../exchange/format';
import './run.css';

const ROW_HEIGHT = 30;

export interface RunTimelineProps {
  readonly state: RunState;
  readonly filter?: ExchangeFilter;
  /** RunExchange.index of the exchange shown beside or below the timeline. */
  readonly selected?: number;
  readonly onSelect: (exchange: number) => void;
  /** A short list inside another view (a fixed maximum height). */
  readonly compact?: boolean;
  readonly label?: string;
}

/**
 * Failing and running steps start open: that is where one looks first. So does the step of a
 * one-step run (a connection test, an IdP action): its exchanges are all there is to see.
 */
function openByDefault(step: StepState, steps: number): boolean {
  return steps === 1 || step.status === 'failed' || step.status === 'error' || step.status === 'running';
}

const STEP_ICON: Record<StepState['status'], string> = {
  pending: '○',
  running: '◔',
  passed: '✓',
  failed: '✕',
  error: '!',
  skipped: '–',
};

function rowId(listId: string, row: TimelineRow): string {
  if (row.kind === 'step') return `${listId}-s${row.step.index}`;
  return row.kind === 'exchange' ? `${listId}-x${row.exchange.index}` : `${listId}-n${row.step}-${row.id}`;
}

/**
 * A run's steps, each opening to its exchanges: one Tab stop, arrow keys inside (Right/Left open
 * and close a step, Enter selects), virtualized so a run of thousands of exchanges scrolls smoothly.
 */
export function RunTimeline({ state, filter = {}, selected, onSelect, compact = false, label = 'Run steps' }: RunTimelineProps) {
  const [overrides, setOverrides] = useState<ReadonlyMap<number, boolean>>(new Map());
  const open = useMemo(() => {
    const set = new Set<number>();
    for (const step of state.steps) if (overrides.get(step.index) ?? (openByDefault(step, state.steps.length) || filter.step === step.index)) set.add(step.index);
    if (selected !== undefined) {
      const exchange = state.exchanges.get(selected);
      if (exchange && overrides.get(exchange.step) !== false) set.add(exchange.step);
    }
    return set;
  }, [state.steps, state.exchanges, overrides, selected, filter.step]);
  const rows = useMemo(() => timelineRows(state, open, filter), [state, open, filter]);
  const [active, setActive] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const listId = `tl-${state.runId}`;

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Notes are measured (they wrap): a size belongs to its row, not to a place that filters and
    // opening steps give to another row.
    getItemKey: (index) => (rows[index] ? rowId(listId, rows[index]) : index),
    overscan: 12,
  });

  const activeIndex = Math.min(active, Math.max(rows.length - 1, 0));
  useEffect(() => {
    if (selected === undefined) return;
    const at = rows.findIndex((row) => row.kind === 'exchange' && row.exchange.index === selected);
    if (at >= 0) setActive(at);
  }, [selected, rows]);

  const toggle = (step: number, to?: boolean) =>
    setOverrides((current) => new Map(current).set(step, to ?? !open.has(step)));

  const activate = (row: TimelineRow) => {
    if (row.kind === 'step') toggle(row.step.index);
    else if (row.kind === 'exchange') onSelect(row.exchange.index);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const row = rows[activeIndex];
    let next = activeIndex;
    if (event.key === 'ArrowDown') next = Math.min(rows.length - 1, activeIndex + 1);
    else if (event.key === 'ArrowUp') next = Math.max(0, activeIndex - 1);
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = rows.length - 1;
    else if (event.key === 'ArrowRight' && row?.kind === 'step') toggle(row.step.index, true);
    else if (event.key === 'ArrowLeft' && row) toggle(row.kind === 'step' ? row.step.index : row.step, false);
    else if ((event.key === 'Enter' || event.key === ' ') && row) activate(row);
    else return;
    event.preventDefault();
    setActive(next);
    virtualizer.scrollToIndex(next);
    const nextRow = rows[next];
    if (nextRow?.kind === 'exchange' && (event.key === 'ArrowDown' || event.key === 'ArrowUp')) onSelect(nextRow.exchange.index);
  };

  if (state.steps.length === 0) {
    return <div className="tl-empty">{state.status === 'pending' ? 'Starting…' : 'No steps.'}</div>;
  }

  return (
    <div
      ref={scrollRef}
      className={`tl ${compact ? 'compact' : ''}`}
      role="tree"
      aria-label={label}
      tabIndex={0}
      aria-activedescendant={rows[activeIndex] ? rowId(listId, rows[activeIndex]) : undefined}
      onKeyDown={onKeyDown}
      data-testid="run-timeline"
    >
      <div className="tl-inner" style={{ height: virtualizer.getTotalSize() }}>
        {virtualizer.getVirtualItems().map((item) => {
          const row = rows[item.index];
          const isActive = item.index === activeIndex;
          const common = {
            id: rowId(listId, row),
            className: '',
            style: { transform: `translateY(${item.start}px)` },
            onClick: () => {
              setActive(item.index);
              activate(row);
            },
          };
          if (row.kind === 'step') {
            const { step } = row;
            return (
              <div
                key={common.id}
                {...common}
                className={`tl-row tl-step st-${step.status} ${isActive ? 'active' : ''}`}
                role="treeitem"
                aria-level={1}
                aria-expanded={row.open}
                aria-label={`Step ${step.index + 1} ${step.name}: ${step.status}`}
                data-testid="timeline-step"
                data-status={step.status}
              >
                <span className="tl-caret" aria-hidden="true">
                  {row.open ? '▾' : '▸'}
                </span>
                <span className={`tl-icon st-${step.status}`} aria-hidden="true">
                  {STEP_ICON[step.status]}
                </span>
                <span className="tl-name">
                  <span className="tl-num">{step.index + 1}</span> {step.name}
                </span>
                <SeverityBadges counts={step.findings} />
                <span className="tl-dim">{step.exchanges.length > 0 ? `${step.exchanges.length} req` : ''}</span>
                <span className="tl-dim tl-ms" data-volatile>{step.summary ? formatMs(step.summary.durationMs) : ''}</span>
              </div>
            );
          }
          if (row.kind === 'note') {
            // A note is read whole: it wraps, and the list measures the height it takes.
            return (
              <div
                key={common.id}
                {...common}
                ref={virtualizer.measureElement}
                data-index={item.index}
                className={`tl-row tl-note tone-${row.tone} ${isActive ? 'active' : ''}`}
                role="treeitem"
                aria-level={2}
                data-testid="timeline-note"
              >
                <span className="tl-note-text">{row.text}</span>
              </div>
            );
          }
          const { exchange, findings } = row;
          const worst = findings.find((f) => f.severity === 'error') ?? findings.find((f) => f.severity === 'warning') ?? findings[0];
          return (
            <div
              key={common.id}
              {...common}
              className={`tl-row tl-x ${selected === exchange.index ? 'selected' : ''} ${isActive ? 'active' : ''}`}
              role="treeitem"
              aria-level={2}
              aria-selected={selected === exchange.index}
              aria-label={`${exchange.request.method} ${pathOf(exchange.request.url)} ${exchange.response?.status ?? 'no response'}${findings.length ? `, ${findings.length} finding(s)` : ''}`}
              data-testid="timeline-exchange"
              data-index={exchange.index}
            >
              <span className={`tl-method m-${exchange.request.method.toLowerCase()}`}>{exchange.request.method}</span>
              <span className="tl-path" title={exchange.purpose}>
                {pathOf(exchange.request.url)}
              </span>
              {worst && <span className={`sev-dot sev-${worst.severity}`} title={worst.title} />}
              <span className={`pill ${statusTone(exchange.response?.status)}`}>{exchange.response?.status ?? 'ERR'}</span>
              <span className="tl-dim tl-ms" data-volatile>{formatMs(exchange.durationMs)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}
