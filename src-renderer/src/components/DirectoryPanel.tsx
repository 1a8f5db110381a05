import { memo, useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ConsoleBridge, RequestLogEntry, ResourceType, ScimResourceJson } from '../../../src-main/api/contract';
import type { Connection } from '../transport/connection';
import { useRecentChanges, useResourceList } from '../hooks/console-data';
import {
  isNewestFirst,
  paramsOfQuery,
  queryFromParams,
  toggleSort,
  withNewestFirst,
  type DirectoryQuery,
} from '../model/directory-query';
import { nextStart, pageInfo, previousStart } from '../model/paging';
import { toGroupRow, toUserRow } from '../model/resources';
import { ResourceDrawer, type OpenResource } from '../views/provider/ResourceDrawer';
import { FilterBar } from './FilterBar';
import { Pager } from './Pager';
import { ScimErrorBanner } from './ScimErrorBanner';
import { GroupsTable, UsersTable } from './ResourceTables';

const PLACEHOLDER: Record<ResourceType, string> = {
  User: 'userName sw "a" and active eq true',
  Group: 'displayName co "eng"',
};

const TABS: readonly ResourceType[] = ['User', 'Group'];

/** `User:2819c223-…` in the URL: the resource whose drawer is open. */
function parseOpen(value: string | undefined): OpenResource | undefined {
  const match = /^(User|Group):(.+)$/.exec(value ?? '');
  return match ? { type: match[1] as ResourceType, id: match[2]! } : undefined;
}

/**
 * Users and Groups as tabs over one table. What is shown (tab, filter, page, sort, open
 * resource) lives in the URL, so a reload or a shared link shows the same rows.
 */
export function DirectoryPanel(props: {
  bridge: ConsoleBridge;
  connection: Connection;
  counts: { users?: number; groups?: number };
  params: Readonly<Record<string, string>>;
  setParams: (params: Readonly<Record<string, string | undefined>>) => void;
  traffic: readonly RequestLogEntry[];
  basePath: string;
  onShowExchange: (seq: number) => void;
}) {
  const { bridge, connection, params, setParams } = props;
  const query = useMemo(() => queryFromParams(params), [params]);
  const open = parseOpen(params.open);
  const update = useCallback((next: DirectoryQuery): void => setParams(paramsOfQuery(next)), [setParams]);
  const tabRefs = useRef<Partial<Record<ResourceType, HTMLButtonElement | null>>>({});
  const returnFocus = useRef<HTMLElement | null>(null);
  const changedUsers = useRecentChanges(bridge, 'User');
  const changedGroups = useRecentChanges(bridge, 'Group');
  const [drawerRevision, setDrawerRevision] = useState(0);

  const switchTab = (type: ResourceType): void => {
    // A new tab starts unfiltered on its first page: a users filter means nothing to groups.
    update({ type, filter: '', startIndex: 1, count: query.count });
  };

  const onTabKey = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = TABS.indexOf(query.type);
    const next =
      event.key === 'ArrowRight' ? TABS[(index + 1) % TABS.length]
      : event.key === 'ArrowLeft' ? TABS[(index + TABS.length - 1) % TABS.length]
      : event.key === 'Home' ? TABS[0]
      : event.key === 'End' ? TABS.at(-1)
      : undefined;
    if (!next) return;
    event.preventDefault();
    switchTab(next);
    tabRefs.current[next]?.focus();
  };

  const openResource = useCallback(
    (resource: OpenResource) => {
      if (!params.open) returnFocus.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      setParams({ open: `${resource.type}:${resource.id}` });
    },
    [params.open, setParams],
  );

  const closeDrawer = useCallback(() => {
    const closedId = open?.id;
    setParams({ open: undefined });
    // Back to where the person was: the row (re-found by id, as the list may have re-rendered).
    const target = returnFocus.current;
    returnFocus.current = null;
    requestAnimationFrame(() => {
      const row = closedId ? document.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(closedId)}"]`) : null;
      (target?.isConnected ? target : row)?.focus();
    });
  }, [open?.id, setParams]);

  const openRow = useCallback((id: string) => openResource({ type: query.type, id }), [openResource, query.type]);

  // Re-read the open resource when live traffic changes it.
  const openChanged = open !== undefined && (open.type === 'User' ? changedUsers : changedGroups).has(open.id);
  useEffect(() => {
    if (openChanged) setDrawerRevision((revision) => revision + 1);
  }, [openChanged]);

  return (
    <section className="panel directory" aria-label="Directory">
      <div className="panel-header">
        <div className="tabs" role="tablist" aria-label="Resource type" onKeyDown={onTabKey}>
          {TABS.map((type) => (
            <button
              key={type}
              ref={(element) => {
                tabRefs.current[type] = element;
              }}
              id={`directory-tab-${type}`}
              type="button"
              role="tab"
              aria-selected={query.type === type}
              aria-controls="directory-tabpanel"
              tabIndex={query.type === type ? 0 : -1}
              className={`tab ${query.type === type ? 'selected' : ''}`}
              onClick={() => switchTab(type)}
            >
              {type === 'User' ? 'Users' : 'Groups'}
              <span className="tab-count">{(type === 'User' ? props.counts.users : props.counts.groups) ?? '–'}</span>
            </button>
          ))}
        </div>
        <div className="panel-tools">
          <label className="toggle" title="Sort by meta.created, newest first">
            <input
              type="checkbox"
              checked={isNewestFirst(query)}
              onChange={(event) => update(withNewestFirst(query, event.target.checked))}
            />
            Newest first
          </label>
        </div>
      </div>
      <div className="directory-body" id="directory-tabpanel" role="tabpanel" aria-labelledby={`directory-tab-${query.type}`}>
        <FilterBar
          key={query.type}
          value={query.filter}
          placeholder={PLACEHOLDER[query.type]}
          onApply={(filter) => update({ ...query, filter, startIndex: 1 })}
        />
        <ResourceList
          key={`list-${query.type}`}
          bridge={bridge}
          connection={connection}
          query={query}
          recent={query.type === 'User' ? changedUsers : changedGroups}
          openId={open?.type === query.type ? open.id : undefined}
          onQuery={update}
          onOpen={openRow}
        />
      </div>
      {open && (
        <ResourceDrawer
          bridge={bridge}
          open={open}
          revision={drawerRevision}
          traffic={props.traffic}
          basePath={props.basePath}
          onOpen={openResource}
          onShowExchange={props.onShowExchange}
          onClose={closeDrawer}
        />
      )}
    </section>
  );
}

/** Memoized: the panel re-renders with every frame of live traffic (for the drawer); the table need not. */
const ResourceList = memo(function ResourceList(props: {
  bridge: ConsoleBridge;
  connection: Connection;
  query: DirectoryQuery;
  recent: ReadonlySet<string>;
  openId: string | undefined;
  onQuery: (query: DirectoryQuery) => void;
  onOpen: (id: string) => void;
}) {
  const { bridge, connection, query, recent, openId, onQuery, onOpen } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const { value, failure, loading } = useResourceList(bridge, connection, query);
  const resources: readonly ScimResourceJson[] = value?.ok ? (value.list.Resources ?? []) : [];
  const page = value?.ok
    ? pageInfo(value.list.totalResults, value.list.startIndex ?? query.startIndex, resources.length)
    : pageInfo(0, 1, 0);
  const userRows = useMemo(() => (query.type === 'User' ? resources.map(toUserRow) : []), [resources, query.type]);
  const groupRows = useMemo(() => (query.type === 'Group' ? resources.map(toGroupRow) : []), [resources, query.type]);
  const onSort = (sortBy: string): void => onQuery(toggleSort(query, sortBy));
  const table = { query, onSort, recent, openId, scrollRef };

  // A new page starts at its top.
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [query.startIndex, query.count, query.sortBy, query.sortOrder, query.filter]);

  return (
    <>
      {value && !value.ok && <ScimErrorBanner status={value.status} error={value.error} />}
      {failure && (
        <div className="error-banner" role="alert">
          <p className="error-detail">{failure}</p>
        </div>
      )}
      <div ref={scrollRef} className={`table-scroll ${loading ? 'loading' : ''}`} aria-busy={loading}>
        {/* After a SCIM error there are no rows to head: the banner above is the whole answer. */}
        {value?.ok !== false &&
          (query.type === 'User' ? (
            <UsersTable {...table} rows={userRows} onOpen={(row) => onOpen(row.id)} />
          ) : (
            <GroupsTable {...table} rows={groupRows} onOpen={(row) => onOpen(row.id)} />
          ))}
        {value?.ok && resources.length === 0 && (
          <div className="empty">
            {query.filter
              ? 'No resources match this filter.'
              : 'The directory is empty. Point a SCIM client at the Tenant URL (Connect), or run a scenario against the local target.'}
          </div>
        )}
      </div>
      <Pager
        page={page}
        pageSize={query.count}
        onPrevious={() => onQuery({ ...query, startIndex: previousStart(query.startIndex, query.count) })}
        onNext={() => onQuery({ ...query, startIndex: nextStart(query.startIndex, query.count) })}
        onPageSize={(count) => onQuery({ ...query, count, startIndex: 1 })}
      />
    </>
  );
});
