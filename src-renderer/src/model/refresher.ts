/**
 * Coalesces bursts of "something changed" into few reloads: a seed or a bulk sync emits hundreds of
 * change events, and each must not trigger its own list request. At most one load runs at a time;
 * requests arriving meanwhile fold into one more load after it.
 */
export interface Refresher {
  request(): void;
  cancel(): void;
}

export function createRefresher(load: () => Promise<void>, delayMs = 80): Refresher {
  let timer: ReturnType<typeof setTimeout> | undefined;
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
    timer = setTimeout(() => void run(), delayMs);
  }

  return {
    request,
    cancel() {
      cancelled = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
