/**
 * The window opens where the user left it, on a display that still exists, and never off-screen;
 * the state is written to a real file and read back.
 */
import { EventEmitter } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  readWindowState,
  restoreWindowState,
  trackWindowState,
  writeWindowState,
  type TrackedWindow,
  type WindowState,
} from '../../../src-main/electron/window-state.js';

const limits = { width: 1280, height: 800, minWidth: 960, minHeight: 600 };
const laptop = { x: 0, y: 0, width: 1440, height: 900 };
const rightMonitor = { x: 1440, y: 0, width: 2560, height: 1440 };

describe('restoring', () => {
  it('opens at the saved place and size when that is on a display', () => {
    expect(restoreWindowState({ x: 1600, y: 100, width: 1800, height: 1000, maximized: true }, [laptop, rightMonitor], limits)).toEqual({
      x: 1600,
      y: 100,
      width: 1800,
      height: 1000,
      maximized: true,
    });
  });

  it('opens centred with the default size the first time, or when the file is not a window state', () => {
    for (const saved of [undefined, null, 'big', { width: 'wide', height: 800 }, { width: -5, height: 800 }]) {
      expect(restoreWindowState(saved, [laptop], limits)).toEqual({ width: 1280, height: 800, maximized: false });
    }
  });

  it('opens centred on a display that exists when the saved one was unplugged, cut to fit it', () => {
    expect(restoreWindowState({ x: 1600, y: 100, width: 2400, height: 1300, maximized: false }, [laptop], limits)).toEqual({
      width: 1440,
      height: 900,
      maximized: false,
    });
  });

  it('keeps the title bar on screen and the size within the display and above the minimum', () => {
    const restored = restoreWindowState({ x: 1300, y: -200, width: 500, height: 3000, maximized: false }, [laptop], limits);
    expect(restored).toEqual({ x: 1300, y: 0, width: 960, height: 900, maximized: false });
  });
});

describe('the window-state file', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-window-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back what was written, and nothing from a missing or broken file', async () => {
    const file = join(dir, 'window-state.json');
    expect(await readWindowState(file)).toBeUndefined();
    const state: WindowState = { x: 10, y: 20, width: 1300, height: 850, maximized: false };
    await writeWindowState(file, state);
    expect(await readWindowState(file)).toEqual(state);
    await writeFile(file, '{"x": 1');
    expect(await readWindowState(file)).toBeUndefined();
  });
});

class FakeWindow extends EventEmitter implements TrackedWindow {
  bounds = { x: 10, y: 20, width: 1300, height: 850 };
  maximized = false;
  destroyed = false;
  getNormalBounds = () => this.bounds;
  isMaximized = () => this.maximized;
  isDestroyed = () => this.destroyed;
}

describe('tracking', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('saves once after a burst of resizes, and at once on close, with the normal bounds', () => {
    const window = new FakeWindow();
    const save = vi.fn();
    trackWindowState(window, save, 500);
    window.emit('resize');
    window.bounds = { x: 10, y: 20, width: 1400, height: 900 };
    window.emit('resize');
    expect(save).not.toHaveBeenCalled();
    vi.advanceTimersByTime(500);
    expect(save).toHaveBeenCalledExactlyOnceWith({ x: 10, y: 20, width: 1400, height: 900, maximized: false });
    window.maximized = true;
    window.emit('maximize');
    window.emit('close');
    expect(save).toHaveBeenLastCalledWith({ x: 10, y: 20, width: 1400, height: 900, maximized: true });
    vi.advanceTimersByTime(1000);
    expect(save).toHaveBeenCalledTimes(2);
  });
});
