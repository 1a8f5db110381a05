import { describe, expect, it } from 'vitest';
import type { IpcMain } from 'electron';
import { CONSOLE_COMMANDS, ipcCommandChannel, ipcEventChannel, type ConsoleCommandName, type RequestLogEntry } from '../../../src-main/api/contract.js';
import { unavailable } from '../../../src-main/console/unavailable.js';
import type { ConsoleApi } from '../../../src-main/api/console-api.js';
import { createSenderCheck, forwardConsoleEvents, registerConsoleIpc, type IpcSender } from '../../../src-main/electron/ipc.js';

const APP = 'file:///app/out/renderer/index.html';
const isAppUrl = (url: string) => url === APP;

function fakeApi() {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const api: ConsoleApi = {
    ...unavailable(Object.keys(CONSOLE_COMMANDS) as ConsoleCommandName[]),
    getServerInfo: async () => ({
      baseUrl: 'http://127.0.0.1:1/scim/v2',
      token: 't',
      users: 0,
      groups: 0,
      host: 'electron',
      secretsPersisted: true,
    }),
    listResources: async () => ({ ok: true, status: 200, list: { schemas: [], totalResults: 0 } }),
    recentRequests: async () => [],
    subscribe(event, listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener as (payload: unknown) => void);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  };
  return { api, listeners };
}

function fakeIpcMain() {
  const handlers = new Map<string, (event: IpcSender, ...args: unknown[]) => unknown>();
  const ipcMain = {
    handle: (channel: string, handler: (event: IpcSender, ...args: unknown[]) => unknown) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;
  return { ipcMain, handlers };
}

const topFrame = (id: number, url = APP): IpcSender => ({ sender: { id }, senderFrame: { url, parent: null } });

describe('sender check', () => {
  const check = createSenderCheck({ ownWebContentsId: () => 1, isAppUrl });

  it('trusts the top frame of our window on our page', () => {
    expect(check(topFrame(1))).toBe(true);
  });

  it.each([
    ['another webContents', topFrame(2)],
    ['a subframe', { sender: { id: 1 }, senderFrame: { url: APP, parent: {} } }],
    ['a foreign page in our window', topFrame(1, 'https://evil.example/')],
    ['a frame that is gone', { sender: { id: 1 }, senderFrame: null }],
  ])('refuses %s', (_name, event) => {
    expect(check(event)).toBe(false);
  });

  it('refuses everyone when there is no window', () => {
    expect(createSenderCheck({ ownWebContentsId: () => undefined, isAppUrl })(topFrame(1))).toBe(false);
  });
});

describe('registerConsoleIpc', () => {
  it('registers exactly one channel per contract command and removes them', () => {
    const { ipcMain, handlers } = fakeIpcMain();
    const unregister = registerConsoleIpc(ipcMain, fakeApi().api, () => true);
    expect([...handlers.keys()].sort()).toEqual(
      Object.keys(CONSOLE_COMMANDS)
        .map((name) => ipcCommandChannel(name as keyof typeof CONSOLE_COMMANDS))
        .sort(),
    );
    unregister();
    expect(handlers.size).toBe(0);
  });

  it('answers trusted senders and throws for others', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    registerConsoleIpc(ipcMain, fakeApi().api, createSenderCheck({ ownWebContentsId: () => 1, isAppUrl }));
    const handler = handlers.get(ipcCommandChannel('getServerInfo'));
    await expect(Promise.resolve(handler?.(topFrame(1)))).resolves.toMatchObject({ token: 't' });
    expect(() => handler?.(topFrame(2))).toThrow(/not the Scimulator window/);
  });

  it('validates arguments like the HTTP host does', async () => {
    const { ipcMain, handlers } = fakeIpcMain();
    registerConsoleIpc(ipcMain, fakeApi().api, () => true);
    await expect(handlers.get(ipcCommandChannel('recentRequests'))?.(topFrame(1), 'extra')).rejects.toThrow(/argument/);
  });
});

describe('forwardConsoleEvents', () => {
  it('pushes events to the live window only, and stops on unsubscribe', () => {
    const { api, listeners } = fakeApi();
    const sent: [string, unknown][] = [];
    let destroyed = false;
    const stop = forwardConsoleEvents(api, () => ({ isDestroyed: () => destroyed, send: (channel, payload) => sent.push([channel, payload]) }));
    const entry = { seq: 1 } as RequestLogEntry;
    for (const listener of listeners.get('request') ?? []) listener(entry);
    for (const listener of listeners.get('change') ?? []) listener({ op: 'delete', type: 'Group', id: 'g' });
    destroyed = true;
    for (const listener of listeners.get('request') ?? []) listener(entry);
    expect(sent).toEqual([
      [ipcEventChannel('request'), entry],
      [ipcEventChannel('change'), { op: 'delete', type: 'Group', id: 'g' }],
    ]);
    stop();
    expect([...listeners.values()].every((set) => set.size === 0)).toBe(true);
  });
});
