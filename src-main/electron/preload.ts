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
  ipcCommandChannel,
  ipcEventChannel,
  isConsoleEvent,
  type ConsoleBridge,
  type ConsoleEventListener,
  type ConsoleEventName,
  type ConsoleEvents,
  type ListResourcesArgs,
  type ListResourcesResult,
  type RequestLogEntry,
  type ServerInfo,
} from '../api/contract.js';

const scimulator = {
  getServerInfo: (): Promise<ServerInfo> => ipcRenderer.invoke(ipcCommandChannel('getServerInfo')),
  listResources: (args: ListResourcesArgs): Promise<ListResourcesResult> =>
    ipcRenderer.invoke(ipcCommandChannel('listResources'), args),
  recentRequests: (): Promise<RequestLogEntry[]> => ipcRenderer.invoke(ipcCommandChannel('recentRequests')),
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
