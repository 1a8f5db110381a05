import type { ViewProps } from '../../shell/view-props';
import { DirectoryPanel } from '../../components/DirectoryPanel';
import { TrafficPanel } from '../../components/TrafficPanel';
import { useTraffic } from '../../hooks/console-data';

/** The local provider: its directory and the live traffic that hits it. */
export function ProviderView({ bridge, connection, server }: ViewProps) {
  const traffic = useTraffic(bridge, connection);
  const basePath = server ? basePathOf(server.baseUrl) : '';
  return (
    <div className="workspace">
      <DirectoryPanel bridge={bridge} connection={connection} counts={{ users: server?.users, groups: server?.groups }} />
      <TrafficPanel entries={traffic.entries} basePath={basePath} onClear={traffic.clear} />
    </div>
  );
}

function basePathOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).pathname.replace(/\/$/, '');
  } catch {
    return '';
  }
}
