/**
 * Coalesces bursts of "something changed" into few reloads: a seed or a bulk sync emits hundreds of
 * change events, and each must not trigger its own list request. At most one load runs at a time;
 * requests arriving meanwhile fold into one more load after it.
 */
export interface Refresher {
  request(): void;
  cancel(): void;
}

/**
 * `delayMs` after the first change of a burst, and at least `minIntervalMs` after the previous
 * load began: under a steady stream of changes (an IdP syncing) the table refreshes a few times
 * a second rather than as fast as the server answers, which would keep the server sorting and
 * the page repainting without end.
 */
export function createRefresher(load: () => Promise<void>, delayMs = 80, minIntervalMs = 250): Refresher {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let lastStart = -Infinity;
  let running = false;
  let dirty = false;
  let cancelled = false;

  const run = async (): Promise<void> => {
    timer = undefined;
    if (running) {
      dirty = true;
      return;
    }
    running = true;
    lastStart = Date.now();
    try {
      await load();
    } finally {
      running = false;
      if (dirty && !cancelled) {
        dirty = false;
        request();
      }
    }
  };

  function request(): void {
    if (cancelled || timer !== undefined) return;
    timer = setTimeout(() => void run(), Math.max(delayMs, lastStart + minIntervalMs - Date.now()));
  }

  return {
    request,
    cancel() {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
