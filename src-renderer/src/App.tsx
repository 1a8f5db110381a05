/**
 * The console's shell: header, view tabs, the view in front, the status bar, and what spans every
 * view (theme, keyboard shortcuts and their help, the live region, the "unreachable" banner).
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ConsoleBridge } from '../../src-main/api/contract';
import type { Connection, ConnectionState } from './transport/connection';
import { consoleOrigin, describeFailure } from './transport/errors';
import { useConnectionState, useServerInfo } from './hooks/console-data';
import { ConsoleLocked } from './components/ConsoleLocked';
import { Header } from './components/Header';
import { Banner } from './components/ui/Banner';
import { LiveRegion, announce } from './components/ui/LiveRegion';
import './components/ui/ui.css';
import { HelpOverlay } from './shell/HelpOverlay';
import { formatRoute, type ViewId } from './shell/route';
import { useRoute } from './shell/use-route';
import { focusFilter, useShortcut, useShortcutListener } from './shell/use-shortcuts';
import { VIEW_PANEL_ID, ViewNav, viewTabId } from './shell/ViewNav';
import { VIEWS } from './shell/views';
import './shell/use-theme';

export function App({ bridge, connection }: { bridge: ConsoleBridge; connection: Connection }) {
  const connectionState = useConnectionState(connection);
  const server = useServerInfo(bridge, connection);
  const { route, navigate, setParams } = useRoute();
  const [helpOpen, setHelpOpen] = useState(false);
  const active = VIEWS.find((view) => view.id === route.view) ?? VIEWS[0]!;
  const View = active.component;
  const origin = consoleOrigin(connection.kind);

  // Each view comes back as it was left (its tab, filter, page): params remembered per view.
  const lastParams = useRef(new Map<ViewId, Readonly<Record<string, string>>>());
  lastParams.current.set(route.view, route.params);
  const openView = useCallback((view: ViewId) => navigate(view, lastParams.current.get(view) ?? {}), [navigate]);
  const hrefOf = useCallback((view: ViewId) => formatRoute({ view, params: lastParams.current.get(view) ?? {} }), []);

  useShortcutListener(connection.kind);
  useShortcut('view', (match) => {
    const view = VIEWS.find((candidate) => candidate.key === match.digit);
    if (!view) return false;
    openView(view.id);
  });
  useShortcut('help', () => setHelpOpen(true));
  useShortcut('focusFilter', () => focusFilter());

  useAnnounceConnection(connectionState);
  useEffect(() => {
    document.title = `${active.label} · Scimulator`;
  }, [active.label]);

  if (connectionState === 'unauthorized') return <ConsoleLocked />;
  const failure = server.failure ? describeFailure(server.failure, { origin }) : undefined;

  return (
    <div className="app">
      <Header
        info={server.value}
        failure={failure}
        connection={connectionState}
        transport={connection.kind}
        onConnect={() => openView('connect')}
        onHelp={() => setHelpOpen(true)}
      />
      <ViewNav active={active.id} host={connection.kind} hrefOf={hrefOf} onOpen={openView} />
      <div className="app-banners">
        {failure && (
          <Banner
            tone="error"
            actions={
              <button type="button" className="btn btn-secondary btn-sm" onClick={() => window.location.reload()}>
                Retry
              </button>
            }
          >
            {failure}
          </Banner>
        )}
        {!failure && connectionState === 'reconnecting' && (
          <Banner tone="warning">
            Lost the live connection to Scimulator at {origin}; reconnecting. Is it still running?
          </Banner>
        )}
      </div>
      <main className="view-main">
        <div role="tabpanel" id={VIEW_PANEL_ID} aria-labelledby={viewTabId(active.id)} className="view-panel">
          <h1 className="visually-hidden">{active.label}</h1>
          <View
            key={active.id}
            bridge={bridge}
            connection={connection}
            server={server.value}
            route={route}
            navigate={navigate}
            setParams={setParams}
          />
        </div>
      </main>
      <footer className="status-bar">
        <span className="status-item">
          Database: <code>{server.value ? (server.value.dbFile ?? 'in memory (not saved)') : '…'}</code>
        </span>
        {server.value && !server.value.secretsPersisted && (
          <span className="status-item">Target secrets: in memory until Scimulator stops</span>
        )}
        <span className="status-item status-push">{connection.kind === 'electron' ? 'Desktop app · IPC' : 'Browser console · HTTP + SSE'}</span>
        <button type="button" className="status-button" onClick={() => setHelpOpen(true)}>
          <kbd>?</kbd> Shortcuts
        </button>
      </footer>
      <HelpOverlay open={helpOpen} host={connection.kind} onClose={() => setHelpOpen(false)} />
      <LiveRegion />
    </div>
  );
}

/** Says connection changes to screen readers: lost, and back (not the first connect). */
function useAnnounceConnection(state: ConnectionState): void {
  const previous = useRef<ConnectionState | undefined>(undefined);
  useEffect(() => {
    const before = previous.current;
    previous.current = state;
    if (before === 'live' && state === 'reconnecting') announce('Connection to Scimulator lost. Reconnecting…');
    if (before === 'reconnecting' && state === 'live') announce('Reconnected to Scimulator.');
    if (state === 'unauthorized' && before !== undefined) announce('The console is locked: open the URL Scimulator printed.');
  }, [state]);
}
