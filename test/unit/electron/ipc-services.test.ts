/**
 * The desktop window reaches the console's services over IPC: every command of the contract has
 * its channel, the targets and IdP-directory commands answer from the real composed services
 * (secrets sealed, never sent back), their events reach the window, and a foreign sender is refused
 * before any of it runs.
 */
import type { IpcMain } from 'electron';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createConsoleApi, type ConsoleApi } from '../../../src-main/api/console-api.js';
import { CONSOLE_COMMANDS, ipcCommandChannel, ipcEventChannel } from '../../../src-main/api/contract.js';
import { createConsoleServices, type ComposedConsoleServices } from '../../../src-main/console/compose.js';
import type { SecretVault } from '../../../src-main/console/ports.js';
import { forwardConsoleEvents, registerConsoleIpc, type IpcSender } from '../../../src-main/electron/ipc.js';
import { createProvider, type Provider } from '../../../src-main/provider.js';

const APP = 'file:///app/out/renderer/index.html';
const own: IpcSender = { sender: { id: 1 }, senderFrame: { url: APP, parent: null } };
const foreign: IpcSender = { sender: { id: 2 }, senderFrame: { url: 'https://evil.example/', parent: null } };
const vault: SecretVault = {
  persistent: true,
  seal: (plain) => Buffer.from(plain).toString('base64'),
  open: (sealed) => Buffer.from(sealed, 'base64').toString(),
};

let provider: Provider;
let services: ComposedConsoleServices;
let api: ConsoleApi;
const handlers = new Map<string, (event: IpcSender, ...args: unknown[]) => unknown>();
const sent: [string, unknown][] = [];
let undo: (() => void)[] = [];

beforeEach(async () => {
  provider = await createProvider();
  services = await createConsoleServices({ provider: { ...provider, baseUrl: 'http://127.0.0.1:1/scim/v2' }, vault, hostKind: 'electron' });
  api = createConsoleApi({ ...provider, origin: 'http://127.0.0.1:1', baseUrl: 'http://127.0.0.1:1/scim/v2' }, services);
  const ipcMain = {
    handle: (channel: string, handler: (event: IpcSender, ...args: unknown[]) => unknown) => handlers.set(channel, handler),
    removeHandler: (channel: string) => handlers.delete(channel),
  } as unknown as Pick<IpcMain, 'handle' | 'removeHandler'>;
  undo = [
    registerConsoleIpc(ipcMain, api, (event) => event.sender.id === 1),
    forwardConsoleEvents(api, () => ({ isDestroyed: () => false, send: (channel, payload) => sent.push([channel, payload]) })),
  ];
});
afterEach(async () => {
  for (const stop of undo) stop();
  handlers.clear();
  sent.length = 0;
  await services.close();
  await provider.close();
});

const invoke = (name: keyof typeof CONSOLE_COMMANDS, event: IpcSender, ...args: unknown[]) => handlers.get(ipcCommandChannel(name))!(event, ...args);

describe('the console over IPC with the composed services', () => {
  it('has a channel for every command of the contract', () => {
    expect([...handlers.keys()].sort()).toEqual(Object.keys(CONSOLE_COMMANDS).map((name) => ipcCommandChannel(name as keyof typeof CONSOLE_COMMANDS)).sort());
  });

  it('saves a target without ever sending its secret back, and tells the window the targets changed', async () => {
    const summary = await invoke('saveTarget', own, { name: 'Acme', baseUrl: 'https://acme.example/scim/v2', auth: { kind: 'bearer', token: 'tok-secret' } });
    expect(summary).toMatchObject({ id: 'acme', auth: { kind: 'bearer', secretSaved: true } });
    expect(JSON.stringify(await invoke('listTargets', own))).not.toContain('tok-secret');
    expect(sent).toContainEqual([ipcEventChannel('targets'), { count: 1 }]);
    const info = (await invoke('getServerInfo', own)) as { host: string; secretsPersisted: boolean };
    expect(info).toMatchObject({ host: 'electron', secretsPersisted: true });
  });

  it("edits the IdP's directory and pushes its new revision to the window", async () => {
    const view = (await invoke('getIdpDirectory', own)) as { people: { key: string }[] };
    expect(view.people.length).toBeGreaterThan(0);
    await invoke('deletePerson', own, view.people[1]!.key);
    expect(sent.filter(([channel]) => channel === ipcEventChannel('idp')).length).toBe(1);
  });

  it('refuses a foreign sender before the command runs', async () => {
    expect(() => invoke('saveTarget', foreign, { name: 'Evil', baseUrl: 'https://evil.example/scim', auth: { kind: 'none' } })).toThrow('Refused saveTarget');
    expect((await api.listTargets()).some((target) => target.name === 'Evil')).toBe(false);
  });

  it('refuses surplus arguments and bad ones with a message', async () => {
    await expect(invoke('deleteTarget', own, 'a', 'b')).rejects.toThrow('deleteTarget takes 1 argument(s), got 2');
    await expect(invoke('saveTarget', own, { name: 'x', baseUrl: 'nope', auth: { kind: 'none' } })).rejects.toThrow('Base URL: not a URL: nope');
  });
});
