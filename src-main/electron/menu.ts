/**
 * The desktop app's menu: File, Edit, View, Window and Help with the shortcuts every desktop app
 * has (copy and paste, zoom, reload, full screen, close). A pure function of the platform, so its
 * unit test pins what a user finds there; main.ts hands the template to Menu.buildFromTemplate.
 *
 * Roles rather than custom handlers wherever Electron has one: a role gets the platform's own
 * label, accelerator and behaviour (copy works in every text field and in CodeMirror).
 */
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuOptions {
  readonly platform: NodeJS.Platform;
  readonly appName: string;
  /** Reload and developer tools are for people working on Scimulator itself. */
  readonly developer: boolean;
  /** Opens the documentation in the user's browser. */
  readonly openDocumentation: () => void;
  /** Opens the console in the user's default browser (the printed URL with its secret). */
  readonly openInBrowser: () => void;
  /** Shows the data folder (targets, IdP directory, run history, the database) in the file manager. */
  readonly showDataFolder: () => void;
}

export function menuTemplate(options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const separator: MenuItemConstructorOptions = { type: 'separator' };
  const appMenu: MenuItemConstructorOptions[] = mac
    ? [
        {
          label: options.appName,
          submenu: [
            { role: 'about' },
            separator,
            { role: 'services' },
            separator,
            { role: 'hide' },
            { role: 'hideOthers' },
            { role: 'unhide' },
            separator,
            { role: 'quit' },
          ],
        },
      ]
    : [];
  return [
    ...appMenu,
    {
      label: '&File',
      submenu: [
        { label: 'Open Console in Browser', accelerator: 'CmdOrCtrl+Shift+O', click: () => options.openInBrowser() },
        { label: 'Show Data Folder', click: () => options.showDataFolder() },
        separator,
        // macOS closes the window and keeps the app (and its provider) running; elsewhere Quit.
        mac ? { role: 'close' } : { role: 'quit' },
      ],
    },
    {
      label: '&Edit',
      submenu: [
        { role: 'undo' },
        { role: 'redo' },
        separator,
        { role: 'cut' },
        { role: 'copy' },
        { role: 'paste' },
        ...(mac ? [{ role: 'pasteAndMatchStyle' } as const] : []),
        { role: 'delete' },
        separator,
        { role: 'selectAll' },
      ],
    },
    {
      label: '&View',
      submenu: [
        ...(options.developer ? [{ role: 'reload' } as const, { role: 'forceReload' } as const, { role: 'toggleDevTools' } as const, separator] : []),
        { role: 'resetZoom' },
        { role: 'zoomIn' },
        { role: 'zoomOut' },
        separator,
        { role: 'togglefullscreen' },
      ],
    },
    {
      label: '&Window',
      submenu: mac ? [{ role: 'minimize' }, { role: 'zoom' }, separator, { role: 'front' }] : [{ role: 'minimize' }, { role: 'close' }],
    },
    {
      label: '&Help',
      role: 'help',
      submenu: [{ label: 'Scimulator Documentation', click: () => options.openDocumentation() }],
    },
  ];
}
