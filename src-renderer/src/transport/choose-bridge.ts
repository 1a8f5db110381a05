/**
 * Picks the transport: the preload's IPC bridge inside Electron, HTTP + SSE in a browser. Both
 * carry the same contract, so nothing past this file knows which one it got.
 */
import type { ConsoleBridge } from '../../../src-main/api/contract';
import { createConnection, type Connection } from './connection';
import { createHttpBridge } from './http-bridge';

export function chooseBridge(): { bridge: ConsoleBridge; connection: Connection } {
  const electron = window.scimulator;
  // IPC cannot drop events while the window lives, so the Electron connection is always live.
  if (electron) return { bridge: electron, connection: createConnection('electron', 'live') };
  return createHttpBridge();
}
