import { useCallback, useEffect, useState } from 'react';
import type { ViewProps } from '../../shell/view-props';
import { DirectoryPanel } from '../../components/DirectoryPanel';
import { TrafficPanel } from '../../components/TrafficPanel';
import { useTrafficFeed } from '../../hooks/console-data';
import './provider.css';

/** The local provider: its directory and the live traffic that hits it. */
export function ProviderView({ bridge, connection, server, route, setParams }: ViewProps) {
  const { feed, state } = useTrafficFeed(bridge, connection);
  const basePath = server ? basePathOf(server.baseUrl) : '';
  const [selectedSeq, setSelectedSeq] = useState<number | undefined>();
  const [announcement, setAnnouncement] = useState('');
  const announce = useCallback((message: string) => setAnnouncement(message), []);
  useEffect(() => {
    if (announcement === '') return;
    const timer = setTimeout(() => setAnnouncement(''), 4000);
    return () => clearTimeout(timer);
  }, [announcement]);

  return (
    <div className="workspace provider-view">
      <h1 className="visually-hidden">Local provider</h1>
      <DirectoryPanel
        bridge={bridge}
        connection={connection}
        counts={{ users: server?.users, groups: server?.groups }}
        params={route.params}
        setParams={setParams}
        traffic={state.entries}
        basePath={basePath}
        onShowExchange={setSelectedSeq}
      />
      <TrafficPanel
        bridge={bridge}
        feed={feed}
        state={state}
        basePath={basePath}
        selectedSeq={selectedSeq}
        onSelect={setSelectedSeq}
        announce={announce}
      />
      <div className="visually-hidden" role="status" aria-live="polite" data-testid="provider-status">
        {announcement}
      </div>
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
