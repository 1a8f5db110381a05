/**
 * Carries the console contract over Electron IPC: one `ipcMain.handle` per contract command (no
 * generic channel), and contract events pushed to the app's window.
 *
 * Only `import type` from electron, so the sender checks are unit-testable with fakes.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import {
  CONSOLE_COMMANDS,
  CONSOLE_EVENTS,
  ipcCommandChannel,
  ipcEventChannel,
  type ConsoleCommandName,
  type ConsoleEventName,
} from '../api/contract.js';
import { runConsoleCommand, type ConsoleApi } from '../api/console-api.js';

/** The parts of an invoke event the sender check reads. */
export interface IpcSender {
  readonly sender: { readonly id: number };
  readonly senderFrame: { readonly url: string; readonly parent: unknown } | null;
}

/**
 * Trusts only the app's own window, its top frame, showing the app's own page: a devtools
 * extension, a stray subframe or a page the window was somehow navigated to cannot reach the
 * provider (Electron Fiddle's rule, plus the frame checks).
 */
export function createSenderCheck(options: {
  readonly ownWebContentsId: () => number | undefined;
  readonly isAppUrl: (url: string) => boolean;
}): (event: IpcSender) => boolean {
  return (event) => {
    const ownId = options.ownWebContentsId();
    if (ownId === undefined || event.sender.id !== ownId) return false;
    const frame = event.senderFrame;
    return frame !== null && frame.parent === null && options.isAppUrl(frame.url);
  };
}

export function registerConsoleIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  api: ConsoleApi,
  isTrustedSender: (event: IpcSender) => boolean,
): () => void {
  const names = Object.keys(CONSOLE_COMMANDS) as ConsoleCommandName[];
  for (const name of names) {
    ipcMain.handle(ipcCommandChannel(name), (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isTrustedSender(event)) throw new Error(`Refused ${name}: the sender is not the Scimulator window`);
      return runConsoleCommand(api, name, args);
    });
  }
  return () => {
    for (const name of names) ipcMain.removeHandler(ipcCommandChannel(name));
  };
}

/** The minimal target events are pushed to: the window's webContents. */
export interface EventTarget {
  isDestroyed(): boolean;
  send(channel: string, payload: unknown): void;
}

/** Pushes every contract event to the current window (if any); returns the unsubscribe function. */
export function forwardConsoleEvents(api: ConsoleApi, target: () => EventTarget | undefined): () => void {
  const forward =
    <E extends ConsoleEventName>(event: E) =>
    (payload: unknown): void => {
      const contents = target();
      if (contents && !contents.isDestroyed()) contents.send(ipcEventChannel(event), payload);
    };
  const stops = (Object.keys(CONSOLE_EVENTS) as ConsoleEventName[]).map((event) => api.subscribe(event, forward(event)));
  return () => {
    for (const stop of stops) stop();
  };
}
