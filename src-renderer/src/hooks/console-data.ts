/**
 * React state over the console bridge. Each hook loads once, then follows the live events and
 * reloads after a reconnect (events sent while the stream was down are lost).
 */
import { useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import type {
  ConsoleBridge,
  ListResourcesResult,
  ResourceType,
  ServerInfo,
} from '../../../src-main/api/contract';
import type { Connection, ConnectionState } from '../transport/connection';
import { listArgs, type DirectoryQuery } from '../model/directory-query';
import { createRefresher } from '../model/refresher';
import { animationFrameScheduler, createTrafficFeed, type TrafficFeed, type TrafficFeedState } from '../model/traffic-feed';

export function useConnectionState(connection: Connection): ConnectionState {
  return useSyncExternalStore(connection.onChange, connection.current);
}

/**
 * Runs `load` once the event stream is live (at once in Electron), and again (coalesced) whenever
 * `shouldReload` accepts a change or the stream comes back after a gap. Waiting for the stream
 * rather than loading at once and again when it opens means one load at start-up, with no change
 * falling between the load and the subscription. `eager` loads at once as well (the header's
 * server info, which must report an unreachable server even when no stream ever opens).
 */
function useLiveLoad(
  bridge: ConsoleBridge,
  connection: Connection,
  load: (isCurrent: () => boolean) => Promise<void>,
  shouldReload: (change: { type: ResourceType; op: 'put' | 'delete' }) => boolean,
  eager = false,
): void {
  useEffect(() => {
    let generation = 0;
    const run = (): Promise<void> => {
      const mine = ++generation;
      return load(() => mine === generation);
    };
    const liveAtMount = connection.current() === 'live';
    if (liveAtMount || eager) void run();
    const refresher = createRefresher(run);
    const stopChanges = bridge.on('change', (commit) => {
      if (commit.cleared || commit.changes.some(shouldReload)) refresher.request();
    });
    let loadedWhileLive = liveAtMount;
    const stopConnection = connection.onChange((state) => {
      if (state !== 'live') return;
      // The first time the stream opens, an eager load that ran meanwhile may have missed a change.
      if (!loadedWhileLive && !eager) void run();
      else refresher.request();
      loadedWhileLive = true;
    });
    return () => {
      generation = -1; // Any load still in flight is now stale.
      refresher.cancel();
      stopChanges();
      stopConnection();
    };
    // `load` and `shouldReload` are rebuilt by callers only when their inputs change (useMemo/useCallback).
  }, [bridge, connection, load, shouldReload, eager]);
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
  useLiveLoad(bridge, connection, load, acceptAll, true);
  return state;
}

export function useResourceList(bridge: ConsoleBridge, connection: Connection, query: DirectoryQuery): Loaded<ListResourcesResult> {
  const [state, setState] = useState<Loaded<ListResourcesResult>>({ loading: true });
  const { type, filter, startIndex, count, sortBy, sortOrder } = query;
  const load = useMemo(() => {
    let shown = false;
    return async (isCurrent: () => boolean) => {
      // Keep showing the previous rows while loading: no flicker on every live refresh. Only a new
      // query (page, sort, filter) marks the table busy; a live refresh under a stream of changes
      // would otherwise restyle and fade the whole table several times a second.
      if (!shown) setState((previous) => (previous.loading ? previous : { ...previous, loading: true }));
      shown = true;
      try {
        const value = await bridge.listResources(listArgs({ type, filter, startIndex, count, sortBy, sortOrder }));
        if (isCurrent()) setState({ value, loading: false });
      } catch (error) {
        if (isCurrent()) setState((previous) => ({ ...previous, failure: messageOf(error), loading: false }));
      }
    };
  }, [bridge, type, filter, startIndex, count, sortBy, sortOrder]);
  // Deleting a user can change groups' member lists, so groups also follow user deletions.
  const shouldReload = useMemo(
    () => (change: { type: ResourceType; op: 'put' | 'delete' }) =>
      change.type === type || (type === 'Group' && change.op === 'delete'),
    [type],
  );
  useLiveLoad(bridge, connection, load, shouldReload);
  return state;
}

/**
 * One traffic feed per bridge, started by its first subscriber and stopped shortly after its
 * last: React's StrictMode mounts effects twice in development, and a view switch remounts the
 * panel; neither must fetch the whole request log again.
 */
interface SharedFeed {
  readonly feed: TrafficFeed;
  users: number;
  stop?: () => void;
  stopTimer?: ReturnType<typeof setTimeout>;
}

const feeds = new WeakMap<ConsoleBridge, SharedFeed>();
/** How long a feed without subscribers keeps listening, so a remount reuses it. */
const FEED_LINGER_MS = 5000;

function startFeed(bridge: ConsoleBridge, connection: Connection, feed: TrafficFeed): () => void {
  let active = true;
  const loadHistory = (): void => {
    bridge.recentRequests().then(
      (history) => active && feed.add(history),
      () => undefined, // The header reports an unreachable server; the panel stays as it is.
    );
  };
  // Subscribe first, then read the log once the stream is live: anything in between arrives
  // twice and is deduplicated by seq; nothing falls between them.
  const stopRequests = bridge.on('request', (entry) => feed.add([entry]));
  if (connection.current() === 'live') loadHistory();
  const stopConnection = connection.onChange((state) => {
    // Live again after a gap (or for the first time): what was sent meanwhile was lost.
    if (state === 'live') loadHistory();
  });
  return () => {
    active = false;
    stopRequests();
    stopConnection();
  };
}

function sharedFeed(bridge: ConsoleBridge): SharedFeed {
  let shared = feeds.get(bridge);
  if (!shared) {
    shared = { feed: createTrafficFeed({ schedule: animationFrameScheduler() }), users: 0 };
    feeds.set(bridge, shared);
  }
  return shared;
}

function acquireFeed(bridge: ConsoleBridge, connection: Connection): { release(): void } {
  const entry = sharedFeed(bridge);
  entry.users++;
  if (entry.stopTimer !== undefined) clearTimeout(entry.stopTimer);
  entry.stopTimer = undefined;
  entry.stop ??= startFeed(bridge, connection, entry.feed);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      entry.users--;
      if (entry.users > 0) return;
      entry.stopTimer = setTimeout(() => {
        entry.stop?.();
        entry.stop = undefined;
        entry.stopTimer = undefined;
      }, FEED_LINGER_MS);
    },
  };
}

export function useTrafficFeed(bridge: ConsoleBridge, connection: Connection): { feed: TrafficFeed; state: TrafficFeedState } {
  // The feed outlives the component (see SharedFeed); the effect only starts and stops its stream.
  const feed = sharedFeed(bridge).feed;
  useEffect(() => acquireFeed(bridge, connection).release, [bridge, connection]);
  const state = useSyncExternalStore(feed.subscribe, feed.getState);
  return { feed, state };
}

/**
 * Ids of resources a commit changed within the last `holdMs`, for a brief highlight. Commits are
 * gathered and published on an animation frame at most every `minGapMs`: each publish re-renders
 * the directory panel and its table, and an IdP creating 50 users a second would otherwise do that
 * on every frame, while the table itself only refreshes a few times a second (see Refresher).
 */
export function useRecentChanges(bridge: ConsoleBridge, type: ResourceType, holdMs = 2500, minGapMs = 250): ReadonlySet<string> {
  const [ids, setIds] = useState<ReadonlySet<string>>(() => new Set());
  useEffect(() => {
    const expiry = new Map<string, number>();
    let frame: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let lastPublish = -Infinity;
    const schedule = (delayMs: number): void => {
      if (frame !== undefined || timer !== undefined) return;
      const wait = Math.max(delayMs, lastPublish + minGapMs - performance.now());
      if (wait <= 0) frame = requestAnimationFrame(publish);
      else
        timer = setTimeout(() => {
          timer = undefined;
          frame = requestAnimationFrame(publish);
        }, wait);
    };
    const publish = (): void => {
      frame = undefined;
      const now = performance.now();
      lastPublish = now;
      for (const [id, until] of expiry) if (until <= now) expiry.delete(id);
      setIds(new Set(expiry.keys()));
      if (expiry.size > 0) schedule(Math.max(16, Math.min(...expiry.values()) - now));
    };
    const stop = bridge.on('change', (commit) => {
      const until = performance.now() + holdMs;
      let touched = false;
      for (const change of commit.changes) {
        if (change.type === type && change.op === 'put') {
          expiry.set(change.id, until);
          touched = true;
        }
      }
      if (!touched) return;
      // A change sooner than the pending expiry timer: publish it at the next allowed frame.
      if (timer !== undefined && lastPublish + minGapMs <= performance.now()) {
        clearTimeout(timer);
        timer = undefined;
      }
      schedule(0);
    });
    return () => {
      stop();
      if (frame !== undefined) cancelAnimationFrame(frame);
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [bridge, type, holdMs, minGapMs]);
  return ids;
}

const acceptAll = (): boolean => true;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
