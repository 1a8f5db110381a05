/**
 * A selectable table that renders only the rows in view (TanStack Virtual), so a directory of
 * thousands of people scrolls as fast as one of ten. One Tab stop: arrow keys move, Space
 * toggles the row, Shift+arrows extend, Ctrl/Cmd+A selects all, Enter opens the row.
 */
import { useRef, useState, type KeyboardEvent, type MouseEvent, type ReactNode } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';

export interface GridColumn<T> {
  readonly id: string;
  readonly header: string;
  /** A width class (see idp.css: .col-*). */
  readonly className: string;
  render(row: T): ReactNode;
}

export interface VirtualGridProps<T> {
  readonly label: string;
  readonly rows: readonly T[];
  readonly rowKey: (row: T) => string;
  readonly columns: readonly GridColumn<T>[];
  readonly selected: ReadonlySet<string>;
  readonly onSelect: (keys: ReadonlySet<string>) => void;
  readonly onOpen?: (row: T) => void;
  readonly testId?: string;
  readonly empty: ReactNode;
}

const ROW_HEIGHT = 34;

export function VirtualGrid<T>(props: VirtualGridProps<T>) {
  const scroller = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [anchor, setAnchor] = useState(0);
  const virtualizer = useVirtualizer({
    count: props.rows.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const before = items.length > 0 ? items[0].start : 0;
  const after = items.length > 0 ? virtualizer.getTotalSize() - items[items.length - 1].end : 0;
  const keys = props.rows.map(props.rowKey);
  const activeIndex = Math.min(active, Math.max(props.rows.length - 1, 0));
  const gridId = `grid-${props.testId ?? props.label.replace(/\W+/g, '-')}`;

  const selectRange = (from: number, to: number) => {
    const [low, high] = from < to ? [from, to] : [to, from];
    props.onSelect(new Set(keys.slice(low, high + 1)));
  };

  const toggle = (index: number) => {
    const next = new Set(props.selected);
    const key = keys[index];
    if (next.has(key)) next.delete(key);
    else next.add(key);
    props.onSelect(next);
  };

  const onRowClick = (event: MouseEvent, index: number) => {
    setActive(index);
    if (event.shiftKey) selectRange(anchor, index);
    else if (event.ctrlKey || event.metaKey) {
      toggle(index);
      setAnchor(index);
    } else {
      props.onSelect(new Set([keys[index]]));
      setAnchor(index);
    }
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (props.rows.length === 0) return;
    const move = (to: number) => {
      const next = Math.min(Math.max(to, 0), props.rows.length - 1);
      setActive(next);
      virtualizer.scrollToIndex(next);
      if (event.shiftKey) selectRange(anchor, next);
      event.preventDefault();
    };
    if (event.key === 'ArrowDown') move(activeIndex + 1);
    else if (event.key === 'ArrowUp') move(activeIndex - 1);
    else if (event.key === 'Home') move(0);
    else if (event.key === 'End') move(props.rows.length - 1);
    else if (event.key === 'PageDown') move(activeIndex + 10);
    else if (event.key === 'PageUp') move(activeIndex - 10);
    else if (event.key === ' ') {
      event.preventDefault();
      toggle(activeIndex);
      setAnchor(activeIndex);
    } else if (event.key === 'Enter' && props.onOpen) {
      event.preventDefault();
      props.onOpen(props.rows[activeIndex]);
    } else if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === 'a') {
      event.preventDefault();
      props.onSelect(new Set(keys));
    }
  };

  const allSelected = props.rows.length > 0 && keys.every((key) => props.selected.has(key));

  return (
    <div className="idp-grid-scroll" ref={scroller} data-testid={props.testId}>
      <table
        className="idp-grid"
        role="grid"
        aria-label={props.label}
        aria-multiselectable="true"
        aria-rowcount={props.rows.length + 1}
        tabIndex={0}
        aria-activedescendant={props.rows.length > 0 ? `${gridId}-${activeIndex}` : undefined}
        onKeyDown={onKeyDown}
      >
        <colgroup>
          <col className="col-check" />
          {props.columns.map((column) => (
            <col key={column.id} className={column.className} />
          ))}
        </colgroup>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                aria-label="Select all"
                tabIndex={-1}
                checked={allSelected}
                onChange={() => props.onSelect(allSelected ? new Set() : new Set(keys))}
              />
            </th>
            {props.columns.map((column) => (
              <th key={column.id} scope="col">
                {column.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {before > 0 && (
            <tr aria-hidden="true">
              <td colSpan={props.columns.length + 1} className="idp-spacer" style={{ height: before }} />
            </tr>
          )}
          {items.map((item) => {
            const row = props.rows[item.index];
            const key = keys[item.index];
            const isSelected = props.selected.has(key);
            const classes = ['idp-row', isSelected ? 'selected' : '', item.index === activeIndex ? 'active' : ''].join(' ');
            return (
              <tr
                key={key}
                id={`${gridId}-${item.index}`}
                className={classes}
                aria-selected={isSelected}
                aria-rowindex={item.index + 2}
                data-key={key}
                onClick={(event) => onRowClick(event, item.index)}
                onDoubleClick={() => props.onOpen?.(row)}
              >
                <td>
                  <input
                    type="checkbox"
                    tabIndex={-1}
                    aria-label={`Select ${key}`}
                    checked={isSelected}
                    onClick={(event) => event.stopPropagation()}
                    onChange={() => {
                      toggle(item.index);
                      setAnchor(item.index);
                      setActive(item.index);
                    }}
                  />
                </td>
                {props.columns.map((column) => (
                  <td key={column.id}>{column.render(row)}</td>
                ))}
              </tr>
            );
          })}
          {after > 0 && (
            <tr aria-hidden="true">
              <td colSpan={props.columns.length + 1} className="idp-spacer" style={{ height: after }} />
            </tr>
          )}
        </tbody>
      </table>
      {props.rows.length === 0 && <div className="empty">{props.empty}</div>}
    </div>
  );
}
