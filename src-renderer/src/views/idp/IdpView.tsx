/**
 * The IdP: the mock identity provider's own directory of people and groups, and what an admin
 * does with them (assign, update, deactivate, push a group…). Each action sends the chosen IdP's
 * real sequence to the chosen target, and its exchanges show on the right as they happen.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { counted } from '../../model/counted';
import type { ConsoleBridge, IdpDirectoryView, IdpEvent, IdpGroup, Person, ProfileName } from '../../../../src-main/api/contract';
import { PROFILE_NAMES } from '../../../../src-main/idp/profile';
import type { ViewProps } from '../../shell/view-props';
import { describeError } from '../scenarios/describe-error';
import { LOCAL_TARGET, TargetSelect, useTargets } from '../scenarios/targets';
import { LiveRun } from '../../components/run/LiveRun';
import { GroupForm, MembersForm, PersonForm, RenameForm, UpdateForm } from './IdpForms';
import { groupLink, peopleFor, personActions, personLink, type PersonActionType, type PersonLinkState } from './idp-model';
import { VirtualGrid, type GridColumn } from './VirtualGrid';
import { profileLabel } from './profiles';
import '../scenarios/scenarios.css';
import './idp.css';

type Tab = 'people' | 'groups';

type Panel =
  | { readonly kind: 'person'; readonly person?: Person }
  | { readonly kind: 'group'; readonly group?: IdpGroup }
  | { readonly kind: 'update'; readonly person: Person }
  | { readonly kind: 'rename'; readonly group: IdpGroup }
  | { readonly kind: 'members'; readonly group: IdpGroup; readonly mode: 'add' | 'remove' };

interface ActionRun {
  readonly runId: string;
  readonly label: string;
}

const LINK_LABELS: Record<PersonLinkState, { text: string; pill: string }> = {
  'not-assigned': { text: 'not assigned', pill: 'neutral' },
  active: { text: 'assigned · active', pill: 'success' },
  inactive: { text: 'assigned · inactive', pill: 'redirect' },
  unassigned: { text: 'unassigned', pill: 'client-error' },
};

export function IdpView({ bridge, server, route, setParams }: ViewProps) {
  const { targets } = useTargets(bridge);
  const profile = (PROFILE_NAMES as readonly string[]).includes(route.params.profile ?? '') ? (route.params.profile as ProfileName) : 'okta';
  const target = route.params.target ?? LOCAL_TARGET;
  const tab: Tab = route.params.tab === 'groups' ? 'groups' : 'people';
  const filter = route.params.q ?? '';

  const directory = useIdpDirectory(bridge);
  const wide = useMediaQuery('(min-width: 1280px)');
  const [selectedPeople, setSelectedPeople] = useState<ReadonlySet<string>>(new Set());
  const [selectedGroups, setSelectedGroups] = useState<ReadonlySet<string>>(new Set());
  const [panel, setPanel] = useState<Panel>();
  const [runs, setRuns] = useState<readonly ActionRun[]>([]);
  const [shownRun, setShownRun] = useState<string>();
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const [status, setStatus] = useState('');

  const view = directory.value;
  const links = view?.links[target];
  const people = useMemo(() => filterRows(view?.people ?? [], filter, (person) => [person.key, person.userName, person.email, person.givenName, person.familyName, person.title ?? '']), [view, filter]);
  const groups = useMemo(() => filterRows(view?.groups ?? [], filter, (group) => [group.key, group.displayName, group.description ?? '']), [view, filter]);
  const chosenPeople = (view?.people ?? []).filter((person) => selectedPeople.has(person.key));
  const chosenGroups = (view?.groups ?? []).filter((group) => selectedGroups.has(group.key));
  const available = personActions(chosenPeople, links);

  /** Sends events one after the other, each its own run, waiting for one to finish before the next. */
  const send = async (events: readonly IdpEvent[], label: (event: IdpEvent) => string) => {
    setBusy(true);
    setError(undefined);
    try {
      for (const event of events) {
        const started = await bridge.runIdpAction({ profile, target, event });
        setRuns((current) => [{ runId: started.runId, label: label(event) }, ...current].slice(0, 30));
        setShownRun(started.runId);
        setPanel(undefined);
        setStatus(`${label(event)}: sent`);
        const outcome = await waitForRun(bridge, started.runId);
        // What a screen reader hears last is how it ended, as the FAILED/PASSED badge shows it.
        setStatus(`${label(event)}: ${outcome}`);
      }
    } catch (failure) {
      setError(describeError(failure, 'The action could not run'));
    } finally {
      setBusy(false);
    }
  };

  const personAction = (action: PersonActionType) => {
    if (action === 'updateUser') {
      if (chosenPeople.length === 1) setPanel({ kind: 'update', person: chosenPeople[0] });
      return;
    }
    const targetsOf = peopleFor(action, chosenPeople, links);
    if (action === 'deleteUser' && !window.confirm(`Delete ${targetsOf.map((person) => person.key).join(', ')} for good? The IdP sends its hard delete.`)) return;
    void send(
      targetsOf.map((person) => ({ type: action, user: person.key }) as IdpEvent),
      (event) => `${ACTION_LABELS[event.type]} ${'user' in event ? event.user : ''}`,
    );
  };

  const groupEvent = (type: 'pushGroup' | 'deleteGroup') => {
    if (type === 'deleteGroup' && !window.confirm(`Remove ${chosenGroups.map((group) => group.key).join(', ')} from the target?`)) return;
    void send(
      chosenGroups.map((group) => ({ type, group: group.key })),
      (event) => `${ACTION_LABELS[event.type]} ${'group' in event ? event.group : ''}`,
    );
  };

  const directoryAction = (event: IdpEvent) => void send([event], () => ACTION_LABELS[event.type]);

  const resetDirectory = async () => {
    if (!window.confirm('Reset the IdP directory to its seeded people and groups? Every target link is forgotten (the targets keep their users).')) return;
    try {
      await bridge.resetIdpDirectory();
      setSelectedPeople(new Set());
      setSelectedGroups(new Set());
      setStatus('The IdP directory was reset');
    } catch (failure) {
      setError(describeError(failure, 'The IdP directory could not be reset'));
    }
  };

  const personColumns: GridColumn<Person>[] = [
    {
      id: 'name',
      header: 'Person',
      className: 'col-name',
      render: (person) => (
        <span className="idp-name">
          <span className="strong">{person.displayName ?? `${person.givenName} ${person.familyName}`}</span>
          <span className="muted mono">{person.key}</span>
        </span>
      ),
    },
    { id: 'userName', header: 'User name', className: 'col-user', render: (person) => <span className="mono">{person.userName}</span> },
    {
      id: 'title',
      header: 'Title · department',
      className: 'col-title',
      render: (person) => [person.title, person.department].filter(Boolean).join(' · ') || <span className="muted">—</span>,
    },
    { id: 'manager', header: 'Manager', className: 'col-manager', render: (person) => person.manager ?? <span className="muted">—</span> },
    {
      id: 'idp',
      header: 'In the IdP',
      className: 'col-state',
      render: (person) => <span className={`pill ${person.active ? 'success' : 'neutral'}`}>{person.active ? 'active' : 'deactivated'}</span>,
    },
    {
      id: 'link',
      header: 'In the target',
      className: 'col-link',
      render: (person) => {
        const link = personLink(links, person.key);
        return (
          <span className="idp-link" data-testid="link-state" data-state={link.state}>
            <span className={`pill ${LINK_LABELS[link.state].pill}`}>{LINK_LABELS[link.state].text}</span>
            {link.id && (
              <span className="mono muted idp-target-id" title={`The target's id: ${link.id}`}>
                {link.id}
              </span>
            )}
          </span>
        );
      },
    },
  ];

  const groupColumns: GridColumn<IdpGroup>[] = [
    {
      id: 'name',
      header: 'Group',
      className: 'col-name',
      render: (group) => (
        <span className="idp-name">
          <span className="strong">{group.displayName}</span>
          <span className="muted mono">{group.key}</span>
        </span>
      ),
    },
    { id: 'description', header: 'Description', className: 'col-desc', render: (group) => group.description ?? <span className="muted">—</span> },
    { id: 'members', header: 'Members', className: 'col-manager', render: (group) => group.members.length },
    {
      id: 'link',
      header: 'In the target',
      className: 'col-link',
      render: (group) => {
        const link = groupLink(links, group);
        if (!link.pushed) return <span className="pill neutral">not pushed</span>;
        return (
          <span className="idp-link" data-testid="group-link-state">
            <span className="pill success">pushed · {counted(link.members, 'member')}</span>
            {link.renamed && <span className="pill redirect">renamed</span>}
            <span className="mono muted idp-target-id">{link.id}</span>
          </span>
        );
      },
    },
  ];

  // Below 1280 px the secondary columns give their room to names and link states.
  const shownPersonColumns = wide ? personColumns : personColumns.filter((column) => column.id !== 'title' && column.id !== 'manager');
  const onlyGroup = chosenGroups.length === 1 ? chosenGroups[0] : undefined;
  const hasTarget = targets.length === 0 || targets.some((candidate) => candidate.id === target);

  return (
    <div className="idp-view">
      <h1 className="offscreen">IdP</h1>
      <div className="sc-runbar" role="group" aria-label="IdP and target">
        <label className="sc-field">
          <span>IdP</span>
          <select value={profile} onChange={(event) => setParams({ profile: event.target.value })} data-testid="idp-profile">
            {PROFILE_NAMES.map((name) => (
              <option key={name} value={name}>
                {profileLabel(name)}
              </option>
            ))}
          </select>
        </label>
        <span className="idp-arrow" aria-hidden="true">
          →
        </span>
        <TargetSelect targets={targets} value={target} onChange={(next) => setParams({ target: next })} testId="idp-target" />
        <div className="idp-toolbar-actions">
          <button type="button" className="button subtle sc-small" disabled={busy} onClick={() => directoryAction({ type: 'testConnection' })}>
            Test connection
          </button>
          <button type="button" className="button subtle sc-small" disabled={busy} onClick={() => directoryAction({ type: 'importUsers' })}>
            Import users
          </button>
          <button type="button" className="button subtle sc-small" disabled={busy} onClick={() => directoryAction({ type: 'importGroups' })}>
            Import groups
          </button>
          <button type="button" className="button subtle sc-small" disabled={busy} onClick={() => directoryAction({ type: 'syncCycle' })}>
            Sync cycle
          </button>
        </div>
        <button type="button" className="button subtle sc-small idp-reset" onClick={() => void resetDirectory()}>
          Reset directory
        </button>
      </div>
      {!hasTarget && (
        <div className="error-banner sc-error" role="alert">
          The target “{target}” no longer exists. Pick another, or add it again in <a href="#/targets">Targets</a>.
        </div>
      )}
      {(error ?? directory.failure) && (
        <div className="error-banner sc-error" role="alert">
          <span>{error ?? directory.failure}</span>
          {error && (
            <button type="button" className="button subtle" onClick={() => setError(undefined)}>
              Dismiss
            </button>
          )}
        </div>
      )}
      <p className="offscreen" role="status" aria-live="polite" data-testid="idp-status">
        {status}
      </p>

      <div className="idp-body">
        <section className="panel idp-directory" aria-label="The IdP's directory">
          <div className="panel-header">
            <div className="tabs" role="tablist" aria-label="Directory">
              {(['people', 'groups'] as const).map((id) => (
                <button
                  key={id}
                  type="button"
                  role="tab"
                  id={`idp-tab-${id}`}
                  aria-controls="idp-tabpanel"
                  aria-selected={tab === id}
                  tabIndex={tab === id ? 0 : -1}
                  className={tab === id ? 'idp-tab active' : 'idp-tab'}
                  onClick={() => setParams({ tab: id === 'people' ? undefined : id })}
                  onKeyDown={(event) => {
                    if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
                      const next = id === 'people' ? 'groups' : 'people';
                      setParams({ tab: next === 'people' ? undefined : next });
                      document.getElementById(`idp-tab-${next}`)?.focus();
                    }
                  }}
                >
                  {id === 'people' ? 'People' : 'Groups'}
                  <span className="tab-count">{id === 'people' ? (view?.people.length ?? '…') : (view?.groups.length ?? '…')}</span>
                </button>
              ))}
            </div>
            <div className="panel-tools">
              <input
                className="idp-filter"
                type="search"
                placeholder={tab === 'people' ? 'Filter people' : 'Filter groups'}
                aria-label={tab === 'people' ? 'Filter people' : 'Filter groups'}
                data-shortcut="filter"
                value={filter}
                onChange={(event) => setParams({ q: event.target.value })}
              />
              <button
                type="button"
                className="button subtle sc-small"
                title="Edit the selected record (Enter, or double-click a row)"
                disabled={tab === 'people' ? chosenPeople.length !== 1 : !onlyGroup}
                onClick={() =>
                  tab === 'people' ? setPanel({ kind: 'person', person: chosenPeople[0] }) : onlyGroup && setPanel({ kind: 'group', group: onlyGroup })
                }
              >
                Edit
              </button>
              <button type="button" className="button subtle sc-small" onClick={() => setPanel(tab === 'people' ? { kind: 'person' } : { kind: 'group' })}>
                {tab === 'people' ? 'Add person' : 'Add group'}
              </button>
            </div>
          </div>

          <div className="idp-actionbar" role="toolbar" aria-label={tab === 'people' ? 'Actions on the selected people' : 'Actions on the selected groups'}>
            {tab === 'people' ? (
              <>
                <span className="idp-selection">{chosenPeople.length === 0 ? 'None selected' : `${chosenPeople.length} selected`}</span>
                {PERSON_BUTTONS.map(({ action, label, danger }) => (
                  <button
                    key={action}
                    type="button"
                    className={`button subtle sc-small${danger ? ' danger' : ''}`}
                    disabled={busy || !available.has(action)}
                    onClick={() => personAction(action)}
                  >
                    {label}
                  </button>
                ))}
              </>
            ) : (
              <>
                <span className="idp-selection">{chosenGroups.length === 0 ? 'None selected' : `${chosenGroups.length} selected`}</span>
                <button type="button" className="button subtle sc-small" disabled={busy || chosenGroups.length === 0} onClick={() => groupEvent('pushGroup')}>
                  Push
                </button>
                <button type="button" className="button subtle sc-small" disabled={busy || !onlyGroup} onClick={() => onlyGroup && setPanel({ kind: 'rename', group: onlyGroup })}>
                  Rename…
                </button>
                <button type="button" className="button subtle sc-small" disabled={busy || !onlyGroup} onClick={() => onlyGroup && setPanel({ kind: 'members', group: onlyGroup, mode: 'add' })}>
                  Add members…
                </button>
                <button type="button" className="button subtle sc-small" disabled={busy || !onlyGroup} onClick={() => onlyGroup && setPanel({ kind: 'members', group: onlyGroup, mode: 'remove' })}>
                  Remove members…
                </button>
                <button type="button" className="button subtle sc-small danger" disabled={busy || chosenGroups.length === 0} onClick={() => groupEvent('deleteGroup')}>
                  Delete in target
                </button>
              </>
            )}
          </div>

          <div id="idp-tabpanel" role="tabpanel" aria-labelledby={`idp-tab-${tab}`} className="idp-tabpanel">
            {tab === 'people' ? (
              <VirtualGrid
                label="People"
                rows={people}
                rowKey={(person) => person.key}
                columns={shownPersonColumns}
                selected={selectedPeople}
                onSelect={setSelectedPeople}
                onOpen={(person) => setPanel({ kind: 'person', person })}
                testId="idp-people"
                empty={view ? (filter ? 'No one matches the filter.' : 'No people yet: add one, or reset the directory to its seeded people.') : 'Loading…'}
              />
            ) : (
              <VirtualGrid
                label="Groups"
                rows={groups}
                rowKey={(group) => group.key}
                columns={groupColumns}
                selected={selectedGroups}
                onSelect={setSelectedGroups}
                onOpen={(group) => setPanel({ kind: 'group', group })}
                testId="idp-groups"
                empty={view ? (filter ? 'No group matches the filter.' : 'No groups yet: add one.') : 'Loading…'}
              />
            )}
          </div>
        </section>

        <section className="panel idp-side" aria-label="Action and exchanges">
          {panel && view ? (
            <SidePanel
              panel={panel}
              view={view}
              onClose={() => setPanel(undefined)}
              bridge={bridge}
              send={send}
              onSaved={(message) => {
                setPanel(undefined);
                setStatus(message);
              }}
              onError={(message) => setError(message)}
            />
          ) : (
            <>
              <header className="panel-header">
                <h2 className="panel-title">Exchanges</h2>
                {runs.length > 0 && (
                  <select aria-label="Action shown" value={shownRun} onChange={(event) => setShownRun(event.target.value)} className="idp-run-picker">
                    {runs.map((run) => (
                      <option key={run.runId} value={run.runId}>
                        {run.label}
                      </option>
                    ))}
                  </select>
                )}
              </header>
              {shownRun ? (
                <div className="idp-run-body">
                  <LiveRun
                    key={shownRun}
                    bridge={bridge}
                    runId={shownRun}
                    server={server}
                    title={runs.find((run) => run.runId === shownRun)?.label}
                  />
                </div>
              ) : (
                <div className="empty idp-run-empty">
                  <p className="sc-empty-title">Act as {profileLabel(profile)}.</p>
                  <p>Select people or groups, then assign, update, deactivate or push them. The requests {profileLabel(profile)} sends appear here as they happen, with what they found.</p>
                </div>
              )}
            </>
          )}
        </section>
      </div>
    </div>
  );
}

function SidePanel(props: {
  panel: Panel;
  view: IdpDirectoryView;
  bridge: ConsoleBridge;
  onClose: () => void;
  send: (events: readonly IdpEvent[], label: (event: IdpEvent) => string) => Promise<void>;
  onSaved: (message: string) => void;
  onError: (message: string) => void;
}) {
  const { panel, view, bridge } = props;
  switch (panel.kind) {
    case 'person':
      return (
        <PersonForm
          person={panel.person}
          people={view.people}
          onClose={props.onClose}
          onSave={async (person) => {
            await bridge.savePerson(person);
            props.onSaved(`Saved ${person.key}`);
          }}
          onDelete={
            panel.person
              ? async () => {
                  const key = panel.person!.key;
                  if (!window.confirm(`Remove ${key} from the IdP directory? Nothing is sent to the target.`)) return;
                  await bridge.deletePerson(key);
                  props.onSaved(`Removed ${key}`);
                }
              : undefined
          }
        />
      );
    case 'group':
      return (
        <GroupForm
          group={panel.group}
          groups={view.groups}
          people={view.people}
          onClose={props.onClose}
          onSave={async (group) => {
            await bridge.saveGroup(group);
            props.onSaved(`Saved group ${group.key}`);
          }}
          onDelete={
            panel.group
              ? async () => {
                  const key = panel.group!.key;
                  if (!window.confirm(`Remove group ${key} from the IdP directory? Nothing is sent to the target.`)) return;
                  await bridge.deleteIdpGroup(key);
                  props.onSaved(`Removed group ${key}`);
                }
              : undefined
          }
        />
      );
    case 'update':
      return (
        <UpdateForm
          person={panel.person}
          people={view.people}
          onClose={props.onClose}
          onSend={(changes) => props.send([{ type: 'updateUser', user: panel.person.key, changes }], () => `Update ${panel.person.key}`)}
        />
      );
    case 'rename':
      return (
        <RenameForm
          group={panel.group}
          onClose={props.onClose}
          onSend={(displayName) => props.send([{ type: 'renameGroup', group: panel.group.key, displayName }], () => `Rename ${panel.group.key}`)}
        />
      );
    case 'members':
      return (
        <MembersForm
          group={panel.group}
          mode={panel.mode}
          people={view.people}
          onClose={props.onClose}
          onSend={(users) =>
            props.send(
              [{ type: panel.mode === 'add' ? 'addMembers' : 'removeMembers', group: panel.group.key, users }],
              () => `${panel.mode === 'add' ? 'Add to' : 'Remove from'} ${panel.group.key}`,
            )
          }
        />
      );
  }
}

const PERSON_BUTTONS: readonly { action: PersonActionType; label: string; danger?: boolean }[] = [
  { action: 'assignUser', label: 'Assign' },
  { action: 'updateUser', label: 'Update…' },
  { action: 'deactivateUser', label: 'Deactivate' },
  { action: 'reactivateUser', label: 'Reactivate' },
  { action: 'unassignUser', label: 'Unassign' },
  { action: 'deleteUser', label: 'Hard delete', danger: true },
];

const ACTION_LABELS: Record<IdpEvent['type'], string> = {
  testConnection: 'Test connection',
  assignUser: 'Assign',
  updateUser: 'Update',
  deactivateUser: 'Deactivate',
  reactivateUser: 'Reactivate',
  unassignUser: 'Unassign',
  deleteUser: 'Hard delete',
  pushGroup: 'Push',
  renameGroup: 'Rename',
  addMembers: 'Add members to',
  removeMembers: 'Remove members from',
  deleteGroup: 'Delete in target',
  importUsers: 'Import users',
  importGroups: 'Import groups',
  syncCycle: 'Sync cycle',
};

/** The IdP's directory, re-read when it changes (`idp` events, batched per frame). */
function useIdpDirectory(bridge: ConsoleBridge): { value?: IdpDirectoryView; failure?: string } {
  const [state, setState] = useState<{ value?: IdpDirectoryView; failure?: string }>({});
  const load = useCallback(
    () =>
      bridge.getIdpDirectory().then(
        (value) => setState({ value }),
        (error: unknown) => setState((current) => ({ ...current, failure: describeError(error, "The IdP's directory could not be read") })),
      ),
    [bridge],
  );
  useEffect(() => {
    void load();
    let frame = 0;
    const off = bridge.on('idp', () => {
      if (!frame)
        frame = requestAnimationFrame(() => {
          frame = 0;
          void load();
        });
    });
    return () => {
      off();
      if (frame) cancelAnimationFrame(frame);
    };
  }, [bridge, load]);
  return state;
}

function useMediaQuery(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const list = window.matchMedia(query);
    const onChange = () => setMatches(list.matches);
    list.addEventListener('change', onChange);
    return () => list.removeEventListener('change', onChange);
  }, [query]);
  return matches;
}

/** Resolves when the run has finished (its `run-finished` event, or a record that says so). */
/** Resolves with the run's outcome (passed, failed, error, cancelled) once it has finished. */
export function waitForRun(bridge: ConsoleBridge, runId: string): Promise<string> {
  return new Promise((resolve) => {
    const off = bridge.on('run', ({ runId: id, event }) => {
      if (id === runId && event.type === 'run-finished') {
        off();
        resolve(event.summary.outcome);
      }
    });
    bridge.getRun(runId).then(
      (record) => {
        if (record.finishedAt && record.summary) {
          off();
          resolve(record.summary.outcome);
        }
      },
      () => undefined,
    );
  });
}

function filterRows<T>(rows: readonly T[], filter: string, fields: (row: T) => readonly string[]): readonly T[] {
  const needle = filter.trim().toLowerCase();
  if (!needle) return rows;
  return rows.filter((row) => fields(row).some((field) => field.toLowerCase().includes(needle)));
}
