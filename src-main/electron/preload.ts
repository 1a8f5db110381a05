/**
 * Exposes exactly the console contract to the sandboxed renderer as `window.scimulator`.
 *
 * Bundled into one CommonJS file (sandboxed preloads cannot load ES modules or other files), and
 * imports only `electron` at run time: contract.ts contributes types and two tiny helpers that the
 * bundler inlines. Each command has its own function on its own channel; there is no generic
 * `invoke(channel)` the page could point at other handlers.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import {
  CONSOLE_COMMANDS,
  ipcCommandChannel,
  ipcEventChannel,
  isConsoleEvent,
  type ConsoleBridge,
  type ConsoleCommandName,
  type ConsoleCommands,
  type ConsoleEventListener,
  type ConsoleEventName,
  type ConsoleEvents,
} from '../api/contract.js';

/** One function per contract command, each bound to its own channel (never a channel the page names). */
function commandFunctions(): ConsoleCommands {
  const commands: Partial<Record<ConsoleCommandName, (...args: unknown[]) => Promise<unknown>>> = {};
  for (const name of Object.keys(CONSOLE_COMMANDS) as ConsoleCommandName[]) {
    const channel = ipcCommandChannel(name);
    commands[name] = (...args: unknown[]) => ipcRenderer.invoke(channel, ...args);
  }
  // Complete by construction: CONSOLE_COMMANDS lists every command (checked in contract.ts).
  return commands as unknown as ConsoleCommands;
}

const scimulator = {
  ...commandFunctions(),
  on<E extends ConsoleEventName>(event: E, listener: ConsoleEventListener<E>): () => void {
    // The page chooses the event name, so it must not be able to name an arbitrary IPC channel.
    if (!isConsoleEvent(event)) throw new TypeError(`Unknown console event: ${String(event)}`);
    const channel = ipcEventChannel(event);
    // The Electron event object stays here: it carries `sender`, which must not reach the page.
    const handler = (_event: IpcRendererEvent, payload: ConsoleEvents[E]): void => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
} satisfies ConsoleBridge;

contextBridge.exposeInMainWorld('scimulator', scimulator);
