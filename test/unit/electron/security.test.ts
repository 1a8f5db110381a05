/**
 * The shell's security policy, driven with fakes: security.ts imports electron only as types, so
 * the rules are testable without an Electron binary.
 */
import { EventEmitter } from 'node:events';
import type { App, Session, WebContents } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  createAppUrlCheck,
  guardWebContents,
  hardenSession,
  installWebContentsGuards,
  isPermissionAllowed,
  isSafeExternalUrl,
  secureWebPreferences,
} from '../../../src-main/electron/security.js';

const builtApp = createAppUrlCheck({ indexFileUrl: 'file:///opt/scimulator/out/renderer/index.html' });
const devApp = createAppUrlCheck({ devServerUrl: 'http://localhost:5173/', indexFileUrl: 'file:///x/index.html' });

/** A webContents stand-in: an EventEmitter that remembers its window-open handler. */
class FakeContents extends EventEmitter {
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

function fakeEvent(url: string, extra: Record<string, unknown> = {}) {
  return { url, defaultPrevented: false, preventDefault() { this.defaultPrevented = true; }, ...extra };
}

describe('web preferences', () => {
  it('sandboxes and isolates the renderer', () => {
    expect(secureWebPreferences('/p/index.cjs')).toMatchObject({
      preload: '/p/index.cjs',
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInSubFrames: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('URLs', () => {
  it.each([
    ['https://datatracker.ietf.org/doc/html/rfc7644', true],
    ['http://example.com', false],
    ['file:///etc/passwd', false],
    ['javascript:alert(1)', false],
    ['smb://host/share', false],
    ['not a url', false],
  ])('opens %s externally: %s', (url, expected) => {
    expect(isSafeExternalUrl(url)).toBe(expected);
  });

  it('recognises the built app page only', () => {
    expect(builtApp('file:///opt/scimulator/out/renderer/index.html')).toBe(true);
    expect(builtApp('file:///opt/scimulator/out/renderer/index.html#users')).toBe(true);
    expect(builtApp('file:///opt/scimulator/out/renderer/other.html')).toBe(false);
    expect(builtApp('file:///etc/passwd')).toBe(false);
    expect(builtApp('http://127.0.0.1:8080/')).toBe(false);
  });

  it('recognises the dev server origin only', () => {
    expect(devApp('http://localhost:5173/src/main.tsx')).toBe(true);
    expect(devApp('http://localhost:5174/')).toBe(false);
    expect(devApp('https://localhost:5173/')).toBe(false);
  });
});

describe('webContents guards', () => {
  function guarded() {
    const contents = new FakeContents();
    const openExternal = vi.fn(async (_url: string) => undefined);
    guardWebContents(contents as unknown as WebContents, { isAppUrl: builtApp, openExternal });
    return { contents, openExternal };
  }

  it('blocks navigation away from the app and hands https links to the system browser', () => {
    const { contents, openExternal } = guarded();
    const away = fakeEvent('https://example.com/docs');
    contents.emit('will-navigate', away);
    expect(away.defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://example.com/docs');

    const file = fakeEvent('file:///etc/passwd');
    contents.emit('will-navigate', file);
    expect(file.defaultPrevented).toBe(true);
    expect(openExternal).toHaveBeenCalledTimes(1);

    const self = fakeEvent('file:///opt/scimulator/out/renderer/index.html');
    contents.emit('will-navigate', self);
    expect(self.defaultPrevented).toBe(false);
  });

  it('blocks redirects out of the app, subframe navigation and webviews', () => {
    const { contents } = guarded();
    const redirect = fakeEvent('http://evil.example/');
    contents.emit('will-redirect', redirect);
    expect(redirect.defaultPrevented).toBe(true);

    const frame = fakeEvent('file:///opt/scimulator/out/renderer/index.html', { isMainFrame: false });
    contents.emit('will-frame-navigate', frame);
    expect(frame.defaultPrevented).toBe(true);

    const webview = fakeEvent('');
    contents.emit('will-attach-webview', webview);
    expect(webview.defaultPrevented).toBe(true);
  });

  it('denies every new window, opening only https: externally', () => {
    const { contents, openExternal } = guarded();
    expect(contents.windowOpenHandler?.({ url: 'https://example.com' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'http://example.com' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler?.({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(openExternal.mock.calls).toEqual([['https://example.com']]);
  });
});

describe('permissions', () => {
  it('grants only clipboard writes, and only to the app page', () => {
    const page = 'file:///opt/scimulator/out/renderer/index.html';
    expect(isPermissionAllowed('clipboard-sanitized-write', page, builtApp)).toBe(true);
    expect(isPermissionAllowed('clipboard-sanitized-write', 'https://evil.example/', builtApp)).toBe(false);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'hid', 'fullscreen']) {
      expect(isPermissionAllowed(permission, page, builtApp)).toBe(false);
    }
  });

  it('installs request, check, device and display-media handlers that refuse', () => {
    const handlers: Record<string, (...args: never[]) => unknown> = {};
    const session = new Proxy(
      {},
      {
        get: (_target, name: string) => (handler: (...args: never[]) => unknown) => {
          handlers[name] = handler;
        },
      },
    ) as Session;
    hardenSession(session, builtApp);
    expect(Object.keys(handlers).sort()).toEqual([
      'setDevicePermissionHandler',
      'setDisplayMediaRequestHandler',
      'setPermissionCheckHandler',
      'setPermissionRequestHandler',
    ]);
    const contents = { getURL: () => 'file:///opt/scimulator/out/renderer/index.html' };
    const decide = (permission: string, requestingUrl = '') =>
      new Promise<boolean>((resolve) =>
        (handlers.setPermissionRequestHandler as unknown as (...args: unknown[]) => void)(contents, permission, resolve, { requestingUrl }),
      );
    return Promise.all([
      expect(decide('media')).resolves.toBe(false),
      expect(decide('clipboard-sanitized-write')).resolves.toBe(true),
      expect(decide('clipboard-sanitized-write', 'https://evil.example/')).resolves.toBe(false),
    ]);
  });

  it('registers guards for every webContents the app creates', () => {
    const app = new EventEmitter();
    const contents = new FakeContents();
    installWebContentsGuards(app as unknown as Pick<App, 'on'>, { isAppUrl: builtApp, openExternal: async () => undefined });
    app.emit('web-contents-created', {}, contents);
    expect(contents.windowOpenHandler).toBeTypeOf('function');
    expect(contents.listenerCount('will-navigate')).toBe(1);
  });
});
