/**
 * The traffic panel's exchanges, outside React: live entries are buffered and flushed once per
 * animation frame (500 requests a second must not mean 500 renders), pausing holds new entries
 * back and counts them, and the first/last seqs tell whether the server's ring has wrapped.
 * One feed per bridge, shared by every subscriber, so the request log is fetched once at start-up.
 */
import type { RequestLogEntry } from '../../../src-main/api/contract';
import { mergeTraffic, TRAFFIC_CAPACITY } from './traffic';

export interface TrafficFeedState {
  /** Newest first. */
  readonly entries: readonly RequestLogEntry[];
  readonly paused: boolean;
  /** Exchanges that arrived while paused, not shown yet. */
  readonly held: number;
  /** How many exchanges the server has logged since the panel was last cleared (seqs are consecutive). */
  readonly total: number;
  /** Older exchanges were dropped (by the server's ring or the panel's capacity): the list is the last `entries.length` of `total`. */
  readonly wrapped: boolean;
}

/** Runs `flush` soon (the next animation frame in the browser); returns a cancel function. */
export type Scheduler = (flush: () => void) => () => void;

export interface TrafficFeed {
  add(batch: readonly RequestLogEntry[]): void;
  pause(): void;
  resume(): void;
  clear(): void;
  getState(): TrafficFeedState;
  subscribe(listener: () => void): () => void;
  /** Flushes what is pending now (tests, and before a command that needs the latest entries). */
  flush(): void;
  dispose(): void;
}

export function createTrafficFeed(options: { schedule: Scheduler; capacity?: number }): TrafficFeed {
  const capacity = options.capacity ?? TRAFFIC_CAPACITY;
  let pending: RequestLogEntry[] = [];
  let held: RequestLogEntry[] = [];
  let cancelFlush: (() => void) | undefined;
  let clearedThrough = 0;
  let newestSeq = 0;
  let state: TrafficFeedState = { entries: [], paused: false, held: 0, total: 0, wrapped: false };
  const listeners = new Set<() => void>();

  const publish = (next: TrafficFeedState): void => {
    state = next;
    for (const listener of listeners) listener();
  };

  const summarise = (entries: readonly RequestLogEntry[], paused: boolean, heldCount: number): TrafficFeedState => {
    const total = Math.max(0, newestSeq - clearedThrough);
    const oldest = entries.at(-1)?.seq;
    return { entries, paused, held: heldCount, total, wrapped: oldest !== undefined && oldest > clearedThrough + 1 };
  };

  function flush(): void {
    cancelFlush?.();
    cancelFlush = undefined;
    if (pending.length === 0) return;
    const batch = pending.filter((entry) => entry.seq > clearedThrough);
    pending = [];
    for (const entry of batch) newestSeq = Math.max(newestSeq, entry.seq);
    if (state.paused) {
      held = mergeTraffic(held, batch.filter((entry) => !state.entries.some((shown) => shown.seq === entry.seq)), capacity);
      publish(summarise(state.entries, true, held.length));
      return;
    }
    publish(summarise(mergeTraffic(state.entries, batch, capacity), false, 0));
  }

  return {
    add(batch) {
      if (batch.length === 0) return;
      pending.push(...batch);
      // A hidden window gets no animation frames: do not let the backlog grow without bound.
      if (pending.length > capacity) flush();
      else cancelFlush ??= options.schedule(flush);
    },
    pause() {
      if (state.paused) return;
      flush();
      publish({ ...state, paused: true });
    },
    resume() {
      if (!state.paused) return;
      flush();
      const merged = mergeTraffic(state.entries, held, capacity);
      held = [];
      publish(summarise(merged, false, 0));
    },
    clear() {
      flush();
      clearedThrough = Math.max(clearedThrough, newestSeq, state.entries[0]?.seq ?? 0, held[0]?.seq ?? 0);
      held = [];
      publish(summarise([], state.paused, 0));
    },
    getState: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    flush,
    dispose() {
      cancelFlush?.();
      cancelFlush = undefined;
      listeners.clear();
    },
  };
}

/**
 * The browser's scheduler: at most one flush per animation frame, and frames at least `minGapMs`
 * apart. At hundreds of requests a second a list that shifts every frame repaints its whole
 * height 60 times a second (the cost is paint, not script) and is unreadable anyway; ten updates
 * a second look live and leave the frames free for scrolling and typing.
 */
export function animationFrameScheduler(minGapMs = 100): Scheduler {
  let lastFlush = -Infinity;
  return (flush) => {
    let frame: number | undefined;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const onFrame = (now: number): void => {
      frame = undefined;
      lastFlush = now;
      flush();
    };
    const wait = lastFlush + minGapMs - performance.now();
    if (wait > 0) {
      timer = setTimeout(() => {
        timer = undefined;
        frame = requestAnimationFrame(onFrame);
      }, wait);
    } else {
      frame = requestAnimationFrame(onFrame);
    }
    return () => {
      if (timer !== undefined) clearTimeout(timer);
      if (frame !== undefined) cancelAnimationFrame(frame);
    };
  };
}
