import { useMemo, useState } from 'react';
import type { ConsoleBridge, ResourceType, ScimResourceJson } from '../../../src-main/api/contract';
import type { Connection } from '../transport/connection';
import { useResourceList } from '../hooks/console-data';
import { nextStart, pageInfo, previousStart } from '../model/paging';
import { toGroupRow, toUserRow } from '../model/resources';
import { FilterBar } from './FilterBar';
import { PAGE_SIZES, Pager } from './Pager';
import { ScimErrorBanner } from './ScimErrorBanner';
import { GroupsTable, UsersTable } from './ResourceTables';

const PLACEHOLDER: Record<ResourceType, string> = {
  User: 'userName sw "a" and active eq true',
  Group: 'displayName co "eng"',
};

interface ViewState {
  readonly filter: string;
  readonly startIndex: number;
  readonly count: number;
}

const INITIAL_VIEW: ViewState = { filter: '', startIndex: 1, count: PAGE_SIZES[0] };

/** Users and Groups as tabs; each keeps its own filter and page while the other is shown. */
export function DirectoryPanel(props: {
  bridge: ConsoleBridge;
  connection: Connection;
  counts: { users?: number; groups?: number };
}) {
  const [tab, setTab] = useState<ResourceType>('User');
  const [views, setViews] = useState<Record<ResourceType, ViewState>>({ User: INITIAL_VIEW, Group: INITIAL_VIEW });
  const view = views[tab];
  const update = (patch: Partial<ViewState>): void => setViews((all) => ({ ...all, [tab]: { ...all[tab], ...patch } }));

  return (
    <section className="panel directory" aria-label="Directory">
      <div className="panel-header">
        <div className="tabs" role="tablist">
          {(['User', 'Group'] as const).map((type) => (
            <button
              key={type}
              type="button"
              role="tab"
              aria-selected={tab === type}
              className={`tab ${tab === type ? 'selected' : ''}`}
              onClick={() => setTab(type)}
            >
              {type === 'User' ? 'Users' : 'Groups'}
              <span className="tab-count">{(type === 'User' ? props.counts.users : props.counts.groups) ?? '–'}</span>
            </button>
          ))}
        </div>
      </div>
      <FilterBar
        key={tab}
        value={view.filter}
        placeholder={PLACEHOLDER[tab]}
        onApply={(filter) => update({ filter, startIndex: 1 })}
      />
      <ResourceList
        key={`list-${tab}`}
        bridge={props.bridge}
        connection={props.connection}
        type={tab}
        view={view}
        onView={update}
      />
    </section>
  );
}

function ResourceList(props: {
  bridge: ConsoleBridge;
  connection: Connection;
  type: ResourceType;
  view: ViewState;
  onView: (patch: Partial<ViewState>) => void;
}) {
  const { bridge, connection, type, view, onView } = props;
  const query = useMemo(() => ({ type, ...view }), [type, view]);
  const { value, failure, loading } = useResourceList(bridge, connection, query);
  const resources: readonly ScimResourceJson[] = value?.ok ? (value.list.Resources ?? []) : [];
  const page = value?.ok
    ? pageInfo(value.list.totalResults, value.list.startIndex ?? view.startIndex, resources.length)
    : pageInfo(0, 1, 0);

  return (
    <>
      {value && !value.ok && <ScimErrorBanner status={value.status} error={value.error} />}
      {failure && (
        <div className="error-banner" role="alert">
          <p className="error-detail">{failure}</p>
        </div>
      )}
      <div className={`table-scroll ${loading ? 'loading' : ''}`} aria-busy={loading}>
        {/* After a SCIM error there are no rows to head: the banner above is the whole answer. */}
        {value?.ok !== false &&
          (type === 'User' ? <UsersTable rows={resources.map(toUserRow)} /> : <GroupsTable rows={resources.map(toGroupRow)} />)}
        {value?.ok && resources.length === 0 && (
          <div className="empty">{view.filter ? 'No resources match this filter.' : 'The directory is empty.'}</div>
        )}
      </div>
      <Pager
        page={page}
        pageSize={view.count}
        onPrevious={() => onView({ startIndex: previousStart(view.startIndex, view.count) })}
        onNext={() => onView({ startIndex: nextStart(view.startIndex, view.count) })}
        onPageSize={(count) => onView({ count, startIndex: 1 })}
      />
    </>
  );
}
