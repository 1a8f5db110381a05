import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useRef, useState, type KeyboardEvent, type ReactNode, type RefObject } from 'react';
import { ariaSort, type DirectoryQuery } from '../model/directory-query';
import type { GroupRow, UserRow } from '../model/resources';
import { ENTERPRISE_USER } from '../model/resources';

/** Every row is one line (cells ellipsize), so rows have one height and virtualize without measuring. */
const ROW_HEIGHT = 31;

interface Column<Row> {
  readonly label: string;
  /** The SCIM attribute path the server sorts by; absent for columns it cannot sort. */
  readonly sortBy?: string;
  readonly width: string;
  readonly numeric?: boolean;
  readonly cell: (row: Row) => ReactNode;
  readonly className?: string;
  readonly title?: (row: Row) => string;
  readonly testId?: string;
}

const dash = <span className="muted">—</span>;

const USER_COLUMNS: readonly Column<UserRow>[] = [
  { label: 'userName', sortBy: 'userName', width: 'w-27', className: 'mono strong', testId: 'user-name', cell: (row) => row.userName, title: (row) => row.userName },
  { label: 'Display name', sortBy: 'displayName', width: 'w-18', cell: (row) => row.displayName || dash, title: (row) => row.displayName },
  { label: 'Work email', sortBy: 'emails.value', width: 'w-27', className: 'mono', cell: (row) => row.workEmail || dash, title: (row) => row.workEmail },
  { label: 'Department', sortBy: `${ENTERPRISE_USER}:department`, width: 'w-16', cell: (row) => row.department || dash, title: (row) => row.department },
  {
    label: 'Active',
    sortBy: 'active',
    width: 'w-status',
    cell: (row) =>
      row.active === undefined ? dash : <span className={`pill ${row.active ? 'success' : 'neutral'}`}>{row.active ? 'active' : 'inactive'}</span>,
  },
];

const GROUP_COLUMNS: readonly Column<GroupRow>[] = [
  { label: 'displayName', sortBy: 'displayName', width: 'w-34', className: 'strong', testId: 'group-name', cell: (row) => row.displayName, title: (row) => row.displayName },
  { label: 'Members', width: 'w-12', numeric: true, className: 'mono', cell: (row) => row.members },
  { label: 'externalId', sortBy: 'externalId', width: 'w-20', className: 'mono', cell: (row) => row.externalId || dash, title: (row) => row.externalId },
  { label: 'id', sortBy: 'id', width: 'w-34', className: 'mono muted', cell: (row) => row.id, title: (row) => row.id },
];

export interface TableProps<Row> {
  readonly rows: readonly Row[];
  readonly query: DirectoryQuery;
  readonly onSort: (sortBy: string) => void;
  readonly onOpen: (row: Row) => void;
  /** Ids a live change touched moments ago: highlighted briefly. */
  readonly recent: ReadonlySet<string>;
  /** The row whose drawer is open. */
  readonly openId: string | undefined;
  readonly scrollRef: RefObject<HTMLDivElement | null>;
}

export function UsersTable(props: TableProps<UserRow>) {
  return <ResourceTable {...props} columns={USER_COLUMNS} testId="users-table" rowTestId="user-row" label="Users" />;
}

export function GroupsTable(props: TableProps<GroupRow>) {
  return <ResourceTable {...props} columns={GROUP_COLUMNS} testId="groups-table" rowTestId="group-row" label="Groups" />;
}

/**
 * A sortable table whose rows are virtualized (a 1,000-row page renders a screenful) and which is
 * one Tab stop: arrow keys, Home and End move between rows, Enter opens the row's drawer.
 */
function ResourceTable<Row extends { readonly id: string }>(
  props: TableProps<Row> & { columns: readonly Column<Row>[]; testId: string; rowTestId: string; label: string },
) {
  const { rows, columns, query, onSort, onOpen, recent, openId, scrollRef } = props;
  const [active, setActive] = useState(0);
  const focusIndex = useRef<number | undefined>(undefined);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
    // Render a first screenful before the scroll element is measured: the first rows paint at once.
    initialRect: { width: 800, height: 800 },
  });
  const items = virtualizer.getVirtualItems();
  const activeIndex = Math.min(active, Math.max(0, rows.length - 1));

  useEffect(() => {
    if (focusIndex.current === undefined) return;
    const index = focusIndex.current;
    const row = scrollRef.current?.querySelector<HTMLElement>(`tr[data-index="${index}"]`);
    if (row) {
      row.focus({ preventScroll: true });
      focusIndex.current = undefined;
    }
  });

  const move = (event: KeyboardEvent<HTMLTableSectionElement>): void => {
    const last = rows.length - 1;
    const next =
      event.key === 'ArrowDown' ? Math.min(last, activeIndex + 1)
      : event.key === 'ArrowUp' ? Math.max(0, activeIndex - 1)
      : event.key === 'Home' ? 0
      : event.key === 'End' ? last
      : event.key === 'PageDown' ? Math.min(last, activeIndex + 15)
      : event.key === 'PageUp' ? Math.max(0, activeIndex - 15)
      : undefined;
    if (event.key === 'Enter' && rows[activeIndex]) {
      event.preventDefault();
      onOpen(rows[activeIndex]);
      return;
    }
    if (next === undefined || last < 0) return;
    event.preventDefault();
    setActive(next);
    focusIndex.current = next;
    virtualizer.scrollToIndex(next, { align: 'auto' });
  };

  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);
  return (
    <table className="data-table resource-table" data-testid={props.testId} aria-label={props.label} aria-rowcount={rows.length + 1}>
      {/* Fixed layout with set widths: long values ellipsize instead of pushing columns off-screen. */}
      <colgroup>
        {columns.map((column) => (
          <col key={column.label} className={column.width} />
        ))}
      </colgroup>
      <thead>
        <tr aria-rowindex={1}>
          {columns.map((column) => (
            <th
              key={column.label}
              scope="col"
              className={[column.numeric ? 'numeric' : '', column.sortBy ? '' : 'unsortable'].filter(Boolean).join(' ') || undefined}
              aria-sort={column.sortBy ? ariaSort(query, column.sortBy) : undefined}
            >
              {column.sortBy ? (
                <button type="button" className="sort-button" onClick={() => onSort(column.sortBy!)} title={`Sort by ${column.sortBy}`}>
                  {column.label}
                  <span className="sort-mark" aria-hidden="true">
                    {query.sortBy === column.sortBy ? (query.sortOrder === 'descending' ? '▼' : '▲') : ''}
                  </span>
                </button>
              ) : (
                column.label
              )}
            </th>
          ))}
        </tr>
      </thead>
      <tbody onKeyDown={move}>
        {before > 0 && (
          <tr className="spacer" aria-hidden="true">
            <td colSpan={columns.length} style={{ height: before }} />
          </tr>
        )}
        {items.map((item) => {
          const row = rows[item.index]!;
          const classes = ['resource-row', recent.has(row.id) ? 'changed' : '', row.id === openId ? 'open' : ''].filter(Boolean).join(' ');
          return (
            <tr
              key={row.id}
              data-index={item.index}
              data-testid={props.rowTestId}
              data-id={row.id}
              data-changed={recent.has(row.id) || undefined}
              aria-rowindex={item.index + 2}
              className={classes}
              tabIndex={item.index === activeIndex ? 0 : -1}
              onClick={() => {
                setActive(item.index);
                onOpen(row);
              }}
              onFocus={() => setActive(item.index)}
            >
              {columns.map((column) => (
                <td
                  key={column.label}
                  className={[column.className, column.numeric ? 'numeric' : ''].filter(Boolean).join(' ') || undefined}
                  data-testid={column.testId}
                  title={column.title?.(row) || undefined}
                >
                  {column.cell(row)}
                </td>
              ))}
            </tr>
          );
        })}
        {after > 0 && (
          <tr className="spacer" aria-hidden="true">
            <td colSpan={columns.length} style={{ height: after }} />
          </tr>
        )}
      </tbody>
    </table>
  );
}
