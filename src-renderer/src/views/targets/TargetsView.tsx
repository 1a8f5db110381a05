/**
 * Targets: where runs send their traffic. The local provider and the practice targets are built
 * in; remote targets (a SCIM server under test) are saved with their auth, whose secrets go one
 * way only: typed here, stored by Node, never shown again. Each target has "Test connection".
 */
import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import type { TargetSummary } from '../../../../src-main/api/contract';
import { Badge, Banner, Button, EmptyState, type BadgeTone } from '../../components/ui';
import { rovingIndex } from '../../components/ui/roving';
import type { ViewProps } from '../../shell/view-props';
import { consoleOrigin, describeFailure } from '../../transport/errors';
import { ConnectionTest } from '../connect/ConnectionTest';
import { TargetEditor } from './TargetEditor';
import './targets.css';

const KIND_LABEL: Record<TargetSummary['kind'], { label: string; tone: BadgeTone }> = {
  local: { label: 'Local', tone: 'accent' },
  practice: { label: 'Practice', tone: 'info' },
  remote: { label: 'Remote', tone: 'neutral' },
};

export const NEW_TARGET = 'new';

function useTargets(bridge: ViewProps['bridge'], connection: ViewProps['connection'], origin: string) {
  const [targets, setTargets] = useState<readonly TargetSummary[]>();
  const [failure, setFailure] = useState<string>();
  const load = useCallback(async () => {
    try {
      setTargets(await bridge.listTargets());
      setFailure(undefined);
    } catch (error) {
      setFailure(describeFailure(error, { origin }));
    }
  }, [bridge, origin]);
  useEffect(() => {
    void load();
    const stopTargets = bridge.on('targets', () => void load());
    const stopConnection = connection.onChange((state) => {
      if (state === 'live') void load();
    });
    return () => {
      stopTargets();
      stopConnection();
    };
  }, [bridge, connection, load]);
  return { targets, failure, reload: load };
}

export function TargetsView({ bridge, connection, server, route, setParams }: ViewProps) {
  const origin = consoleOrigin(connection.kind);
  const { targets, failure, reload } = useTargets(bridge, connection, origin);
  const selectedId = route.params.target ?? 'local';
  const selected = targets?.find((target) => target.id === selectedId);
  const select = (id: string) => setParams({ target: id });

  return (
    <div className="targets-view">
      <section className="targets-list-panel" aria-labelledby="targets-list-title">
        <header className="targets-list-head">
          <h2 id="targets-list-title" className="card-title">
            Targets
          </h2>
          <Button size="sm" variant="primary" onClick={() => select(NEW_TARGET)}>
            New target
          </Button>
        </header>
        {failure && <Banner tone="error">{failure}</Banner>}
        {targets && <TargetList targets={targets} selected={selectedId} onSelect={select} />}
        {targets && !targets.some((target) => target.kind === 'remote') && (
          <EmptyState title="No remote targets yet" action={{ label: 'Add your SCIM server', onClick: () => select(NEW_TARGET) }}>
            Save the SCIM endpoint you are building, with its auth, to run IdP actions and scenarios against it.
          </EmptyState>
        )}
      </section>
      <section className="target-detail" aria-label="Target">
        {server && !server.secretsPersisted && (
          <Banner tone="info">
            This browser console keeps target secrets in memory only, until Scimulator stops. The desktop app stores them
            encrypted.
          </Banner>
        )}
        {selectedId === NEW_TARGET ? (
          <TargetEditor key="new" bridge={bridge} origin={origin} onSaved={(saved) => void reload().then(() => select(saved.id))} onDeleted={() => select('local')} />
        ) : selected ? (
          <TargetDetail key={selected.id} target={selected} bridge={bridge} server={server} origin={origin} onDeleted={() => void reload().then(() => select('local'))} />
        ) : (
          targets && (
            <EmptyState title="No such target" action={{ label: 'Show the local provider', onClick: () => select('local') }}>
              It may have been deleted.
            </EmptyState>
          )
        )}
      </section>
    </div>
  );
}

/** The targets as a list with one Tab stop: Up / Down / Home / End move and select. */
function TargetList({ targets, selected, onSelect }: { targets: readonly TargetSummary[]; selected: string; onSelect: (id: string) => void }) {
  const refs = useRef<(HTMLButtonElement | null)[]>([]);
  const selectedIndex = Math.max(0, targets.findIndex((target) => target.id === selected));
  const onKeyDown = (event: KeyboardEvent, index: number) => {
    const next = rovingIndex(event.key, index, targets.length, 'vertical');
    const target = next === undefined ? undefined : targets[next];
    if (next === undefined || !target) return;
    event.preventDefault();
    onSelect(target.id);
    refs.current[next]?.focus();
  };
  return (
    <ul className="target-list" aria-label="Targets" data-testid="target-list">
      {targets.map((target, index) => {
        const kind = KIND_LABEL[target.kind];
        const isSelected = target.id === selected;
        return (
          <li key={target.id}>
            <button
              ref={(element) => {
                refs.current[index] = element;
              }}
              type="button"
              className={`target-item${isSelected ? ' selected' : ''}`}
              aria-current={isSelected ? 'true' : undefined}
              tabIndex={index === selectedIndex ? 0 : -1}
              onClick={() => onSelect(target.id)}
              onKeyDown={(event) => onKeyDown(event, index)}
              data-testid="target-item"
            >
              <span className="target-item-name">{target.name}</span>
              <Badge tone={kind.tone}>{kind.label}</Badge>
              <span className="target-item-url">{target.baseUrl}</span>
            </button>
          </li>
        );
      })}
    </ul>
  );
}

function TargetDetail({ target, bridge, server, origin, onDeleted }: {
  target: TargetSummary;
  bridge: ViewProps['bridge'];
  server: ViewProps['server'];
  origin: string;
  onDeleted: () => void;
}) {
  return (
    <div className="target-detail-body">
      {target.builtIn ? (
        <section className="card" aria-labelledby="target-title">
          <header className="card-head">
            <h2 id="target-title" className="card-title">
              {target.name}
            </h2>
            <Badge tone={KIND_LABEL[target.kind].tone}>{KIND_LABEL[target.kind].label}</Badge>
          </header>
          <dl className="fact-list">
            <div>
              <dt>Base URL</dt>
              <dd>
                <code className="wrap-anywhere">{target.baseUrl}</code>
              </dd>
            </div>
            <div>
              <dt>About</dt>
              <dd>
                {target.kind === 'local'
                  ? 'The local provider this console shows: a strict SCIM 2.0 server on your machine.'
                  : 'A built-in practice server with known faults, to see what findings look like.'}{' '}
                Built in: it cannot be edited or deleted.
              </dd>
            </div>
          </dl>
        </section>
      ) : (
        <TargetEditor key={target.id} bridge={bridge} origin={origin} saved={target} onSaved={() => undefined} onDeleted={onDeleted} />
      )}
      <section className="card" aria-labelledby="target-test-title">
        <header className="card-head">
          <h2 id="target-test-title" className="card-title">
            Test connection
          </h2>
        </header>
        <ConnectionTest bridge={bridge} server={server} target={target.id} idPrefix={`target-${target.id}`} origin={origin} shortcuts />
      </section>
    </div>
  );
}
