/** The application menu a user finds, per platform: the usual places and shortcuts. */
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { menuTemplate, type MenuOptions } from '../../../src-main/electron/menu.js';

const options = (overrides: Partial<MenuOptions> = {}): MenuOptions => ({
  platform: 'linux',
  appName: 'Scimulator',
  developer: false,
  openDocumentation: vi.fn(),
  openInBrowser: vi.fn(),
  showDataFolder: vi.fn(),
  ...overrides,
});

const labels = (template: MenuItemConstructorOptions[]) => template.map((item) => item.label);
const submenu = (template: MenuItemConstructorOptions[], label: string) =>
  template.find((item) => item.label === label)!.submenu as MenuItemConstructorOptions[];
const roles = (items: MenuItemConstructorOptions[]) => items.filter((item) => item.role !== undefined).map((item) => item.role);

describe('the application menu', () => {
  it('has File, Edit, View, Window and Help, with keyboard mnemonics on Windows and Linux', () => {
    expect(labels(menuTemplate(options()))).toEqual(['&File', '&Edit', '&View', '&Window', '&Help']);
  });

  it('puts the app menu first on macOS, with Quit there and Close in File', () => {
    const template = menuTemplate(options({ platform: 'darwin' }));
    expect(labels(template)).toEqual(['Scimulator', '&File', '&Edit', '&View', '&Window', '&Help']);
    expect(roles(template[0]!.submenu as MenuItemConstructorOptions[])).toContain('quit');
    expect(roles(submenu(template, '&File'))).toEqual(['close']);
    expect(roles(submenu(template, '&Edit'))).toContain('pasteAndMatchStyle');
  });

  it('offers copy, cut, paste, undo and select all by role, so they work in every field and the editor', () => {
    expect(roles(submenu(menuTemplate(options()), '&Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
  });

  it('zooms and goes full screen for everyone; reload and developer tools only for developers', () => {
    expect(roles(submenu(menuTemplate(options()), '&View'))).toEqual(['resetZoom', 'zoomIn', 'zoomOut', 'togglefullscreen']);
    expect(roles(submenu(menuTemplate(options({ developer: true })), '&View'))).toEqual([
      'reload',
      'forceReload',
      'toggleDevTools',
      'resetZoom',
      'zoomIn',
      'zoomOut',
      'togglefullscreen',
    ]);
  });

  it('opens the console in a browser with a shortcut, shows the data folder and opens the documentation', () => {
    const opts = options();
    const template = menuTemplate(opts);
    const file = submenu(template, '&File');
    const inBrowser = file.find((item) => item.label === 'Open Console in Browser')!;
    expect(inBrowser.accelerator).toBe('CmdOrCtrl+Shift+O');
    (inBrowser.click as () => void)();
    expect(opts.openInBrowser).toHaveBeenCalledOnce();
    (file.find((item) => item.label === 'Show Data Folder')!.click as () => void)();
    expect(opts.showDataFolder).toHaveBeenCalledOnce();
    expect(roles(file)).toEqual(['quit']);
    (submenu(template, '&Help')[0]!.click as () => void)();
    expect(opts.openDocumentation).toHaveBeenCalledOnce();
  });
});
