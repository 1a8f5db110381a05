/**
 * The window's size, position and maximized state, remembered across launches in
 * window-state.json in the user data folder. Restoring checks the saved rectangle against the
 * displays there are now: a window saved on a monitor that was unplugged opens centred on one
 * that exists, never off-screen. Only `import type` from electron, so all of it is unit-tested.
 */
import { readFile } from 'node:fs/promises';
import type { Rectangle } from 'electron';
import { replaceFileDurably, writeFully } from '../store/durable-fs.js';

export const WINDOW_STATE_FILE = 'window-state.json';

export interface WindowState {
  readonly x?: number;
  readonly y?: number;
  readonly width: number;
  readonly height: number;
  readonly maximized: boolean;
}

export interface WindowLimits {
  readonly width: number;
  readonly height: number;
  readonly minWidth: number;
  readonly minHeight: number;
}

/** How much of the window must lie on a display for the saved position to be kept. */
const MIN_VISIBLE = 64;

const isInteger = (value: unknown): value is number => typeof value === 'number' && Number.isInteger(value);

/**
 * The state to open the window with: the saved one when it is sound and visible on a display now
 * attached (its size cut to fit that display), or the defaults, centred.
 */
export function restoreWindowState(saved: unknown, workAreas: readonly Rectangle[], limits: WindowLimits): WindowState {
  const fallback: WindowState = { width: limits.width, height: limits.height, maximized: false };
  if (typeof saved !== 'object' || saved === null) return fallback;
  const s = saved as Record<string, unknown>;
  if (!isInteger(s.width) || !isInteger(s.height) || s.width <= 0 || s.height <= 0) return fallback;
  const maximized = s.maximized === true;
  const width = Math.max(limits.minWidth, s.width);
  const height = Math.max(limits.minHeight, s.height);
  if (!isInteger(s.x) || !isInteger(s.y)) return { width, height, maximized };
  const rect = { x: s.x, y: s.y, width, height };
  const display = workAreas.find((area) => overlap(rect, area) >= MIN_VISIBLE);
  // Off every display now: keep the size (if it fits somewhere) and let the window centre itself.
  if (!display) return { width: Math.min(width, widest(workAreas, width)), height: Math.min(height, tallest(workAreas, height)), maximized };
  const fittedWidth = Math.max(limits.minWidth, Math.min(width, display.width));
  const fittedHeight = Math.max(limits.minHeight, Math.min(height, display.height));
  return {
    // The title bar stays reachable: never above the display's top, never entirely off a side.
    x: Math.min(Math.max(rect.x, display.x - fittedWidth + MIN_VISIBLE), display.x + display.width - MIN_VISIBLE),
    y: Math.min(Math.max(rect.y, display.y), display.y + display.height - MIN_VISIBLE),
    width: fittedWidth,
    height: fittedHeight,
    maximized,
  };
}

function overlap(a: Rectangle, b: Rectangle): number {
  const horizontal = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const vertical = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  return horizontal > 0 && vertical > 0 ? Math.min(horizontal, vertical) : 0;
}

const widest = (areas: readonly Rectangle[], otherwise: number) => (areas.length === 0 ? otherwise : Math.max(...areas.map((area) => area.width)));
const tallest = (areas: readonly Rectangle[], otherwise: number) => (areas.length === 0 ? otherwise : Math.max(...areas.map((area) => area.height)));

/** The saved state, or undefined when there is none or it cannot be read (then the defaults apply). */
export async function readWindowState(file: string): Promise<unknown> {
  try {
    return JSON.parse(await readFile(file, 'utf8')) as unknown;
  } catch {
    // A window position is not worth refusing to start over: a bad file just means default bounds.
    return undefined;
  }
}

export async function writeWindowState(file: string, state: WindowState): Promise<void> {
  const bytes = Buffer.from(`${JSON.stringify(state)}\n`, 'utf8');
  await replaceFileDurably(file, async (handle) => {
    await writeFully(handle, bytes);
    return bytes.length;
  });
}

/** The parts of a BrowserWindow the tracker reads. */
export interface TrackedWindow {
  getNormalBounds(): Rectangle;
  isMaximized(): boolean;
  isDestroyed(): boolean;
  on(event: 'resize' | 'move' | 'maximize' | 'unmaximize' | 'close', listener: () => void): unknown;
}

/**
 * Saves the window's state shortly after it stops moving or resizing, and at once when it closes.
 * The normal (unmaximized) bounds are saved, so un-maximizing next time returns to them.
 */
export function trackWindowState(window: TrackedWindow, save: (state: WindowState) => void, delayMs = 500): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const snapshot = (): void => {
    timer = undefined;
    if (window.isDestroyed()) return;
    const bounds = window.getNormalBounds();
    save({ x: bounds.x, y: bounds.y, width: bounds.width, height: bounds.height, maximized: window.isMaximized() });
  };
  const later = (): void => {
    if (timer !== undefined) clearTimeout(timer);
    timer = setTimeout(snapshot, delayMs);
  };
  for (const event of ['resize', 'move', 'maximize', 'unmaximize'] as const) window.on(event, later);
  window.on('close', () => {
    if (timer !== undefined) clearTimeout(timer);
    snapshot();
  });
  return () => {
    if (timer !== undefined) clearTimeout(timer);
  };
}
