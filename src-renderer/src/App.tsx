import type { ConsoleBridge } from '../../src-main/api/contract';
import type { Connection } from './transport/connection';
import { useConnectionState, useServerInfo, useTraffic } from './hooks/console-data';
import { DirectoryPanel } from './components/DirectoryPanel';
import { ConsoleLocked } from './components/ConsoleLocked';
import { Header } from './components/Header';
import { TrafficPanel } from './components/TrafficPanel';

export function App({ bridge, connection }: { bridge: ConsoleBridge; connection: Connection }) {
  const connectionState = useConnectionState(connection);
  const server = useServerInfo(bridge, connection);
  const traffic = useTraffic(bridge, connection);
  const basePath = server.value ? basePathOf(server.value.baseUrl) : '';
  if (connectionState === 'unauthorized') return <ConsoleLocked />;

  return (
    <div className="app">
      <Header info={server.value} failure={server.failure} connection={connectionState} transport={connection.kind} />
      <main className="workspace">
        <DirectoryPanel
          bridge={bridge}
          connection={connection}
          counts={{ users: server.value?.users, groups: server.value?.groups }}
        />
        <TrafficPanel entries={traffic.entries} basePath={basePath} onClear={traffic.clear} />
      </main>
      <footer className="status-bar">
        <span>
          Storage: <code>{server.value ? (server.value.dbFile ?? 'in memory (not persisted)') : '…'}</code>
        </span>
        <span>
          {connection.kind === 'electron' ? 'Desktop app · IPC' : 'Browser console · HTTP + SSE'}
          {server.value && connection.kind === 'electron' && (
            <>
              {' · also in a browser at '}
              <code>{server.value.consoleUrl ?? consoleUrlOf(server.value.baseUrl)}</code>
            </>
          )}
        </span>
      </footer>
    </div>
  );
}

/** The same loopback server serves the console at its root (opening it needs the secret URL). */
function consoleUrlOf(baseUrl: string): string {
  try {
    return `${new URL(baseUrl).origin}/`;
  } catch {
    return '';
  }
}

function basePathOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}
