/**
 * Collects items that arrive faster than the screen redraws and hands them over once per frame:
 * a run streaming hundreds of exchanges a second costs one React render per frame, not one per
 * exchange. The scheduler is injectable so tests can drive frames by hand.
 */
export interface FrameScheduler {
  request(callback: () => void): number;
  cancel(handle: number): void;
}

export interface FrameBatch<T> {
  push(item: T): void;
  /** Drops what is queued and stops: nothing is flushed after this. */
  cancel(): void;
}

export function createFrameBatch<T>(flush: (items: T[]) => void, scheduler: FrameScheduler): FrameBatch<T> {
  let queue: T[] = [];
  let handle: number | undefined;
  let cancelled = false;
  return {
    push(item) {
      if (cancelled) return;
      queue.push(item);
      handle ??= scheduler.request(() => {
        handle = undefined;
        const items = queue;
        queue = [];
        if (items.length > 0) flush(items);
      });
    },
    cancel() {
      cancelled = true;
      queue = [];
      if (handle !== undefined) scheduler.cancel(handle);
      handle = undefined;
    },
  };
}
