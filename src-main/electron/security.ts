/**
 * The desktop shell's security policy, in one module with its own tests.
 *
 * Only `import type` from electron: the policy receives electron objects from main.ts, so the unit
 * tests can drive it with small fakes (the electron package cannot run outside Electron).
 */
import type { App, Session, WebContents, WebPreferences } from 'electron';

/** Sandboxed, isolated, no Node: the renderer reaches the app only through the preload's contract. */
export function secureWebPreferences(preloadPath: string): WebPreferences {
  return {
    preload: preloadPath,
    sandbox: true,
    contextIsolation: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    navigateOnDragDrop: false,
    spellcheck: false,
  };
}

/** Only https: links leave the app, and only to the system browser. */
export function isSafeExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * Recognises the console's own page: the dev server's origin during `electron-vite dev`, the
 * built index.html otherwise. Query and hash are ignored; everything else must match exactly.
 */
export function createAppUrlCheck(entry: { readonly devServerUrl?: string; readonly indexFileUrl: string }): (url: string) => boolean {
  const devOrigin = entry.devServerUrl ? new URL(entry.devServerUrl).origin : undefined;
  const indexFile = new URL(entry.indexFileUrl);
  return (url: string): boolean => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (devOrigin !== undefined) return parsed.origin === devOrigin;
    return parsed.protocol === 'file:' && parsed.pathname === indexFile.pathname;
  };
}

export interface GuardOptions {
  readonly isAppUrl: (url: string) => boolean;
  readonly openExternal: (url: string) => Promise<void>;
}

/**
 * Applied to every webContents the app ever creates (windows, devtools, anything a bug might open):
 * no navigation away from the app, no redirects out of it, no new windows, no webviews.
 */
export function guardWebContents(contents: WebContents, options: GuardOptions): void {
  const leaveApp = (url: string): void => {
    // Denied either way; an https: link is the user's intent to read something, so hand it over.
    if (isSafeExternalUrl(url)) void options.openExternal(url).catch(() => undefined);
  };
  contents.on('will-navigate', (event) => {
    if (options.isAppUrl(event.url)) return;
    event.preventDefault();
    leaveApp(event.url);
  });
  contents.on('will-frame-navigate', (event) => {
    // The console has no frames; main-frame navigations are handled by will-navigate above.
    if (event.isMainFrame) return;
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (!options.isAppUrl(event.url)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    leaveApp(url);
    return { action: 'deny' };
  });
}

export function installWebContentsGuards(app: Pick<App, 'on'>, options: GuardOptions): void {
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, options));
}

/**
 * Permissions the console legitimately uses: writing the clipboard from the copy buttons. Anything
 * else (camera, notifications, geolocation, HID, ...) is refused, and so is any request that does
 * not come from the app's own page.
 */
const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

export function isPermissionAllowed(permission: string, requestingUrl: string, isAppUrl: (url: string) => boolean): boolean {
  return ALLOWED_PERMISSIONS.has(permission) && isAppUrl(requestingUrl);
}

export function hardenSession(session: Session, isAppUrl: (url: string) => boolean): void {
  session.setPermissionRequestHandler((contents, permission, callback, details) => {
    // requestingUrl names the frame that asked; fall back to the page for older request kinds.
    callback(isPermissionAllowed(permission, details.requestingUrl || contents.getURL(), isAppUrl));
  });
  // Checks carry only an origin (opaque "file:///" for the built app), so judge by the page instead.
  session.setPermissionCheckHandler((contents, permission) =>
    contents !== null && isPermissionAllowed(permission, contents.getURL(), isAppUrl),
  );
  session.setDevicePermissionHandler(() => false);
  session.setDisplayMediaRequestHandler((_request, callback) => callback({}));
}
