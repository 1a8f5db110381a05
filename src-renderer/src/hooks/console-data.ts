/**
 * React state over the console bridge. Each hook loads once, then follows the live events and
 * reloads after a reconnect (events sent while the stream was down are lost).
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type {
  ConsoleBridge,
  ListResourcesResult,
  RequestLogEntry,
  ResourceType,
  ServerInfo,
} from '../../../src-main/api/contract';
import type { Connection, ConnectionState } from '../transport/connection';
import { createRefresher } from '../model/refresher';
import { mergeTraffic } from '../model/traffic';

export function useConnectionState(connection: Connection): ConnectionState {
  return useSyncExternalStore(connection.onChange, connection.current);
}

/** Runs `load` now, and again (coalesced) whenever `shouldReload` accepts a change or the stream reconnects. */
function useLiveLoad(
  bridge: ConsoleBridge,
  connection: Connection,
  load: (isCurrent: () => boolean) => Promise<void>,
  shouldReload: (change: { type: ResourceType; op: 'put' | 'delete' }) => boolean,
): void {
  useEffect(() => {
    let generation = 0;
    const run = (): Promise<void> => {
      const mine = ++generation;
      return load(() => mine === generation);
    };
    void run();
    const refresher = createRefresher(run);
    const stopChanges = bridge.on('change', (commit) => {
      if (commit.cleared || commit.changes.some(shouldReload)) refresher.request();
    });
    const stopConnection = connection.onChange((state) => {
      if (state === 'live') refresher.request();
    });
    return () => {
      generation = -1; // Any load still in flight is now stale.
      refresher.cancel();
      stopChanges();
      stopConnection();
    };
    // `load` and `shouldReload` are rebuilt by callers only when their inputs change (useMemo/useCallback).
  }, [bridge, connection, load, shouldReload]);
}

export interface Loaded<T> {
  readonly value?: T;
  /** A transport failure (the server unreachable), as opposed to a SCIM error in the value. */
  readonly failure?: string;
  readonly loading: boolean;
}

export function useServerInfo(bridge: ConsoleBridge, connection: Connection): Loaded<ServerInfo> {
  const [state, setState] = useState<Loaded<ServerInfo>>({ loading: true });
  const load = useMemo(
    () => async (isCurrent: () => boolean) => {
      try {
        const value = await bridge.getServerInfo();
        if (isCurrent()) setState({ value, loading: false });
      } catch (error) {
        if (isCurrent()) setState((previous) => ({ ...previous, failure: messageOf(error), loading: false }));
      }
    },
    [bridge],
  );
  useLiveLoad(bridge, connection, load, acceptAll);
  return state;
}

export interface ListQuery {
  readonly type: ResourceType;
  readonly filter: string;
  readonly startIndex: number;
  readonly count: number;
}

export function useResourceList(bridge: ConsoleBridge, connection: Connection, query: ListQuery): Loaded<ListResourcesResult> {
  const [state, setState] = useState<Loaded<ListResourcesResult>>({ loading: true });
  const { type, filter, startIndex, count } = query;
  const load = useMemo(
    () => async (isCurrent: () => boolean) => {
      // Keep showing the previous rows while loading: no flicker on every live refresh.
      setState((previous) => ({ ...previous, loading: true }));
      try {
        const value = await bridge.listResources({ type, filter: filter || undefined, startIndex, count });
        if (isCurrent()) setState({ value, loading: false });
      } catch (error) {
        if (isCurrent()) setState((previous) => ({ ...previous, failure: messageOf(error), loading: false }));
      }
    },
    [bridge, type, filter, startIndex, count],
  );
  // Deleting a user can change groups' member lists, so groups also follow user deletions.
  const shouldReload = useMemo(
    () => (change: { type: ResourceType; op: 'put' | 'delete' }) =>
      change.type === type || (type === 'Group' && change.op === 'delete'),
    [type],
  );
  useLiveLoad(bridge, connection, load, shouldReload);
  return state;
}

/** How often streamed exchanges are flushed into React state: high-rate traffic must not re-render per request. */
const TRAFFIC_FLUSH_MS = 100;

export function useTraffic(bridge: ConsoleBridge, connection: Connection): { entries: RequestLogEntry[]; clear(): void } {
  const [entries, setEntries] = useState<RequestLogEntry[]>([]);
  // Entries at or below this seq were cleared by the user and must not come back with a resync.
  const [clearedThrough, setClearedThrough] = useState(0);

  useEffect(() => {
    let pending: RequestLogEntry[] = [];
    let timer: ReturnType<typeof setTimeout> | undefined;
    let active = true;
    const flush = (): void => {
      timer = undefined;
      const batch = pending;
      pending = [];
      setEntries((current) => mergeTraffic(current, batch.filter((entry) => entry.seq > clearedThrough)));
    };
    const add = (batch: readonly RequestLogEntry[]): void => {
      pending.push(...batch);
      timer ??= setTimeout(flush, TRAFFIC_FLUSH_MS);
    };
    // Subscribe first, then read history: anything in between arrives twice and is deduplicated.
    const stop = bridge.on('request', (entry) => add([entry]));
    const loadHistory = (): void => {
      bridge.recentRequests().then(
        (history) => active && add(history),
        () => undefined, // The header reports an unreachable server; the panel just stays as it is.
      );
    };
    loadHistory();
    const stopConnection = connection.onChange((state) => {
      if (state === 'live') loadHistory();
    });
    return () => {
      active = false;
      if (timer !== undefined) clearTimeout(timer);
      stop();
      stopConnection();
    };
  }, [bridge, connection, clearedThrough]);

  return {
    entries,
    clear() {
      setClearedThrough((previous) => Math.max(previous, entries[0]?.seq ?? 0));
      setEntries([]);
    },
  };
}

const acceptAll = (): boolean => true;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
