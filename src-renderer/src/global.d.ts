import type { ConsoleBridge } from '../../src-main/api/contract';

declare global {
  interface Window {
    /** Present only inside the Electron window, where the preload exposes the contract over IPC. */
    readonly scimulator?: ConsoleBridge;
  }
}

export {};
