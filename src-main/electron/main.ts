/**
 * Electron main process: hosts the SCIM provider, opens the console window, and serves the same
 * console to a normal browser from the provider's loopback server (the printed `<origin>/?secret=…`).
 *
 * Thin by design: the provider, the console API and the browser host are environment-free modules;
 * this file only wires them to Electron objects.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, ipcMain, session, shell } from 'electron';
import { serveProvider, type RunningProvider } from '../hosts/provider-host.js';
import { createConsoleApi, type ConsoleApi } from '../api/console-api.js';
import { consoleUrl, createConsoleHost, generateConsoleSecret } from '../hosts/console-host.js';
import { createSenderCheck, forwardConsoleEvents, registerConsoleIpc } from './ipc.js';
import { createAppUrlCheck, hardenSession, installWebContentsGuards, secureWebPreferences } from './security.js';

// Built layout (electron-vite): out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const indexHtml = join(rendererDir, 'index.html');
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
// Set by `electron-vite dev`; never trusted in a packaged app, where the env is the user's.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

const isAppUrl = createAppUrlCheck({ devServerUrl, indexFileUrl: pathToFileURL(indexHtml).href });

let mainWindow: BrowserWindow | undefined;
let provider: RunningProvider | undefined;
const teardown: (() => void)[] = [];

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1280,
    height: 800,
    minWidth: 960,
    minHeight: 600,
    title: 'Scimulator',
    backgroundColor: '#f6f7f9',
    show: false,
    autoHideMenuBar: true,
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => window.show());
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(indexHtml);
  return window;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, isAppUrl);

  let api: ConsoleApi | undefined;
  let browserUrl = '';
  provider = await serveProvider({
    db: join(app.getPath('userData'), 'scimulator.json'),
    port: 0,
    console: (hosted) => {
      const secret = generateConsoleSecret();
      browserUrl = consoleUrl(hosted.origin, secret);
      api = createConsoleApi({ ...hosted, consoleUrl: browserUrl });
      return createConsoleHost(api, { rendererDir, allowedHostnames: hosted.consoleHostnames, secret });
    },
  });
  if (!api) throw new Error('The console API was not created');

  const isTrustedSender = createSenderCheck({ ownWebContentsId: () => mainWindow?.webContents.id, isAppUrl });
  teardown.push(registerConsoleIpc(ipcMain, api, isTrustedSender));
  teardown.push(forwardConsoleEvents(api, () => mainWindow?.webContents));

  mainWindow = createWindow();
  console.log(`Scimulator SCIM endpoint: ${provider.baseUrl}`);
  // The secret in this URL is what opens the browser console; the window itself talks over IPC.
  console.log(`Scimulator console in a browser: ${browserUrl}`);
}

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= (async () => {
    for (const undo of teardown.splice(0)) undo();
    await provider?.close();
  })();
  return stopping;
}

// Two instances on one lowdb file would overwrite each other's writes.
if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  installWebContentsGuards(app, { isAppUrl, openExternal: (url) => shell.openExternal(url) });

  app.on('second-instance', () => {
    if (!mainWindow) return;
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.focus();
  });

  app.on('window-all-closed', () => {
    // macOS apps stay alive without windows; the provider keeps serving until Quit.
    if (process.platform !== 'darwin') app.quit();
  });

  app.on('activate', () => {
    if (!mainWindow && provider) mainWindow = createWindow();
  });

  let stopped = false;
  app.on('before-quit', (event) => {
    if (stopped) return;
    // Hold the quit until the provider has flushed and closed its server, then quit for real.
    event.preventDefault();
    void stop()
      .catch((error: unknown) => console.error('Scimulator: error while stopping the provider', error))
      .finally(() => {
        stopped = true;
        app.quit();
      });
  });

  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      console.error('Scimulator failed to start', error);
      app.exit(1);
    });
}
