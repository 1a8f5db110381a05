/**
 * Electron main process: hosts the SCIM provider, opens the console window, and serves the same
 * console to a normal browser from the provider's loopback server (the printed `<origin>/?secret=…`).
 *
 * Thin by design: the provider, the console API and the browser host are environment-free modules;
 * this file only wires them to Electron objects.
 */
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, screen, session, shell } from 'electron';
import { serveConsole, type ConsoleServer } from '../hosts/console-server.js';
import { createSenderCheck, forwardConsoleEvents, registerConsoleIpc } from './ipc.js';
import { menuTemplate } from './menu.js';
import { createSafeStorageVault } from './safe-storage-vault.js';
import { createAppUrlCheck, hardenSession, installWebContentsGuards, secureWebPreferences } from './security.js';
import { readWindowState, restoreWindowState, trackWindowState, writeWindowState, WINDOW_STATE_FILE, type WindowState } from './window-state.js';

// Built layout (electron-vite): out/main/index.js, out/preload/index.cjs, out/renderer/index.html.
const rendererDir = fileURLToPath(new URL('../renderer', import.meta.url));
const indexHtml = join(rendererDir, 'index.html');
const preloadPath = fileURLToPath(new URL('../preload/index.cjs', import.meta.url));
// Set by `electron-vite dev`; never trusted in a packaged app, where the env is the user's.
const devServerUrl = app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL;

const isAppUrl = createAppUrlCheck({ devServerUrl, indexFileUrl: pathToFileURL(indexHtml).href });

const WINDOW_LIMITS = { width: 1280, height: 800, minWidth: 960, minHeight: 600 };

let mainWindow: BrowserWindow | undefined;
let server: ConsoleServer | undefined;
const teardown: (() => void)[] = [];
/** The window's last state, kept in memory so a window re-created on macOS opens where the last one was. */
let windowState: WindowState | undefined;

function windowStateFile(): string {
  return join(app.getPath('userData'), WINDOW_STATE_FILE);
}

function createWindow(): BrowserWindow {
  const restored = restoreWindowState(
    windowState,
    screen.getAllDisplays().map((display) => display.workArea),
    WINDOW_LIMITS,
  );
  const window = new BrowserWindow({
    ...(restored.x === undefined || restored.y === undefined ? {} : { x: restored.x, y: restored.y }),
    width: restored.width,
    height: restored.height,
    minWidth: WINDOW_LIMITS.minWidth,
    minHeight: WINDOW_LIMITS.minHeight,
    title: 'Scimulator',
    backgroundColor: '#f6f7f9',
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  });
  window.once('ready-to-show', () => {
    if (restored.maximized) window.maximize();
    window.show();
  });
  trackWindowState(window, (state) => {
    windowState = state;
    writeWindowState(windowStateFile(), state).catch((error: unknown) => console.error('Scimulator: cannot save the window position', error));
  });
  window.on('closed', () => {
    if (mainWindow === window) mainWindow = undefined;
  });
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(indexHtml);
  return window;
}

/** The native folder picker behind the Scenarios view's "Open folder". */
async function pickFolder(): Promise<string | null> {
  const options = { title: 'Open a folder of scenarios', properties: ['openDirectory', 'createDirectory'] as ('openDirectory' | 'createDirectory')[] };
  const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
  return result.canceled || result.filePaths.length === 0 ? null : result.filePaths[0]!;
}

async function start(): Promise<void> {
  hardenSession(session.defaultSession, isAppUrl);
  const userData = app.getPath('userData');
  windowState = (await readWindowState(windowStateFile())) as WindowState | undefined;

  const vault = createSafeStorageVault();
  if (vault.unavailableReason) console.warn(`Scimulator: ${vault.unavailableReason}`);
  // Targets, the IdP directory and run history sit beside the provider's database in userData.
  server = await serveConsole({
    db: join(userData, 'scimulator.json'),
    port: 0,
    rendererDir,
    dataDir: userData,
    vault,
    pickFolder,
    hostKind: 'electron',
  });
  const { api, consoleUrl: browserUrl, provider } = server;

  const isTrustedSender = createSenderCheck({ ownWebContentsId: () => mainWindow?.webContents.id, isAppUrl });
  teardown.push(registerConsoleIpc(ipcMain, api, isTrustedSender));
  teardown.push(forwardConsoleEvents(api, () => mainWindow?.webContents));

  Menu.setApplicationMenu(
    Menu.buildFromTemplate(
      menuTemplate({
        platform: process.platform,
        appName: app.name,
        developer: !app.isPackaged,
        // The README is the manual; it ships at the root of the app.
        openDocumentation: () => void shell.openPath(join(app.getAppPath(), 'README.md')),
        openInBrowser: () => void shell.openExternal(browserUrl),
        showDataFolder: () => void shell.openPath(userData),
      }),
    ),
  );

  mainWindow = createWindow();
  console.log(`Scimulator SCIM endpoint: ${provider.baseUrl}`);
  // The secret in this URL is what opens the browser console; the window itself talks over IPC.
  console.log(`Scimulator console in a browser: ${browserUrl}`);
}

let stopping: Promise<void> | undefined;
function stop(): Promise<void> {
  stopping ??= (async () => {
    for (const undo of teardown.splice(0)) undo();
    // Cancels runs in progress, then closes the server and flushes the provider.
    await server?.close();
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
    if (!mainWindow && server) mainWindow = createWindow();
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
