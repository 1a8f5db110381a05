import type { ConsoleBridge } from '../../src-main/api/contract';
import type { Connection } from './transport/connection';
import { useConnectionState, useServerInfo } from './hooks/console-data';
import { ConsoleLocked } from './components/ConsoleLocked';
import { Header } from './components/Header';
import { useRoute } from './shell/use-route';
import { VIEWS } from './shell/views';

export function App({ bridge, connection }: { bridge: ConsoleBridge; connection: Connection }) {
  const connectionState = useConnectionState(connection);
  const server = useServerInfo(bridge, connection);
  const { route, navigate, setParams } = useRoute();
  if (connectionState === 'unauthorized') return <ConsoleLocked />;
  const active = VIEWS.find((view) => view.id === route.view) ?? VIEWS[0];
  const View = active.component;

  return (
    <div className="app">
      <Header info={server.value} failure={server.failure} connection={connectionState} transport={connection.kind} />
      <nav className="view-nav" aria-label="Views">
        {VIEWS.map((view) => (
          <a
            key={view.id}
            href={`#/${view.id}`}
            className={view.id === active.id ? 'active' : undefined}
            aria-current={view.id === active.id ? 'page' : undefined}
          >
            {view.label}
          </a>
        ))}
      </nav>
      <main className="view-main">
        <View
          bridge={bridge}
          connection={connection}
          server={server.value}
          route={route}
          navigate={navigate}
          setParams={setParams}
        />
      </main>
      <footer className="status-bar">
        <span>
          Storage: <code>{server.value ? (server.value.dbFile ?? 'in memory (not persisted)') : '…'}</code>
        </span>
        <span>{connection.kind === 'electron' ? 'Desktop app · IPC' : 'Browser console · HTTP + SSE'}</span>
      </footer>
    </div>
  );
}
