/**
 * `npm start`'s decisions: the desktop app only where Electron's binary exists and a window can be
 * shown, otherwise the browser console with one line saying why. Electron packages are laid out
 * on disk in a temporary directory the way npm leaves them (with and without the binary).
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import {
  hasDisplay,
  locateElectron,
  missingBuilds,
  planAfterDownload,
  planStart,
  serveArguments,
} from '../../../scripts/start-plan.mjs';

const NOTICE = /^Electron (is not installed|cannot start without a display) \(.+\); opening the console in your browser instead$/;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-start-'));
});

/** node_modules/electron as npm installs it: without dist/ and path.txt until the binary is fetched. */
async function electronPackage({ binary }: { binary: 'downloaded' | 'missing' | 'path.txt only' }): Promise<string> {
  const electronDir = join(dir, 'electron');
  await mkdir(electronDir, { recursive: true });
  await writeFile(join(electronDir, 'package.json'), '{"name":"electron","version":"45.5.0"}');
  if (binary !== 'missing') await writeFile(join(electronDir, 'path.txt'), 'electron');
  if (binary === 'downloaded') {
    await mkdir(join(electronDir, 'dist'));
    await writeFile(join(electronDir, 'dist', 'electron'), '');
  }
  return electronDir;
}

describe('locateElectron', () => {
  it('finds the binary that path.txt names under dist/', async () => {
    const electronDir = await electronPackage({ binary: 'downloaded' });
    expect(locateElectron(electronDir, {})).toEqual({ installed: true, binary: join(electronDir, 'dist', 'electron') });
  });

  it('reports a binary never downloaded as missing and downloadable', async () => {
    const electronDir = await electronPackage({ binary: 'missing' });
    expect(locateElectron(electronDir, {})).toEqual({ installed: false, reason: 'its binary has not been downloaded', downloadable: true });
  });

  it('reports a binary deleted after download as missing', async () => {
    const electronDir = await electronPackage({ binary: 'path.txt only' });
    expect(locateElectron(electronDir, {})).toMatchObject({ installed: false, downloadable: true });
  });

  it('does not download when ELECTRON_SKIP_BINARY_DOWNLOAD is set', async () => {
    const electronDir = await electronPackage({ binary: 'missing' });
    expect(locateElectron(electronDir, { ELECTRON_SKIP_BINARY_DOWNLOAD: '1' })).toEqual({
      installed: false,
      reason: 'its binary was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD is set',
      downloadable: false,
    });
  });

  it('honours ELECTRON_EXEC_PATH as electron-vite does', async () => {
    const electronDir = await electronPackage({ binary: 'missing' });
    const own = join(dir, 'my-electron');
    await writeFile(own, '');
    expect(locateElectron(electronDir, { ELECTRON_EXEC_PATH: own })).toEqual({ installed: true, binary: own });
    expect(locateElectron(electronDir, { ELECTRON_EXEC_PATH: join(dir, 'nothing') })).toEqual({
      installed: false,
      reason: `ELECTRON_EXEC_PATH is ${join(dir, 'nothing')}, which does not exist`,
      downloadable: false,
    });
  });

  it('says to run npm install when the package itself is missing', () => {
    expect(locateElectron(undefined, {})).toEqual({ installed: false, reason: 'the electron package is missing; run npm install', downloadable: false });
  });
});

describe('planStart', () => {
  const installed = { installed: true, binary: '/opt/electron' } as const;
  const notDownloaded = { installed: false, reason: 'its binary has not been downloaded', downloadable: true } as const;
  const skipped = { installed: false, reason: 'its binary was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD is set', downloadable: false } as const;

  it('runs the desktop app when the binary exists and there is a display', () => {
    expect(planStart({ platform: 'linux', env: { DISPLAY: ':0' }, electron: installed })).toEqual({ kind: 'desktop' });
    expect(planStart({ platform: 'linux', env: { WAYLAND_DISPLAY: 'wayland-0' }, electron: installed })).toEqual({ kind: 'desktop' });
    expect(planStart({ platform: 'darwin', env: {}, electron: installed })).toEqual({ kind: 'desktop' });
    expect(planStart({ platform: 'win32', env: {}, electron: installed })).toEqual({ kind: 'desktop' });
  });

  it('serves the browser console, saying why, when the binary is missing and cannot be fetched', () => {
    const plan = planStart({ platform: 'linux', env: { DISPLAY: ':0' }, electron: skipped });
    expect(plan).toEqual({
      kind: 'browser',
      notice:
        'Electron is not installed (its binary was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD is set); opening the console in your browser instead',
    });
  });

  it('fetches a missing binary only when a window could be shown', () => {
    expect(planStart({ platform: 'linux', env: { DISPLAY: ':0' }, electron: notDownloaded })).toEqual({ kind: 'download' });
    expect(planStart({ platform: 'darwin', env: {}, electron: notDownloaded })).toEqual({ kind: 'download' });
    const headless = planStart({ platform: 'linux', env: {}, electron: notDownloaded });
    expect(headless).toEqual({
      kind: 'browser',
      notice: 'Electron is not installed (its binary has not been downloaded); opening the console in your browser instead',
    });
  });

  it('serves the browser console when Electron is installed but there is no display', () => {
    const plan = planStart({ platform: 'linux', env: { DISPLAY: '' }, electron: installed });
    expect(plan).toEqual({
      kind: 'browser',
      notice: 'Electron cannot start without a display (DISPLAY and WAYLAND_DISPLAY are unset); opening the console in your browser instead',
    });
  });

  it('always explains itself in exactly one line', () => {
    for (const electron of [installed, notDownloaded, skipped]) {
      for (const env of [{}, { DISPLAY: ':0' }]) {
        const plan = planStart({ platform: 'linux', env, electron });
        if (plan.kind === 'browser') expect(plan.notice).toMatch(NOTICE);
      }
    }
  });
});

describe('hasDisplay', () => {
  it('needs X11 or Wayland outside macOS and Windows', () => {
    expect(hasDisplay({ platform: 'linux', env: {} })).toBe(false);
    expect(hasDisplay({ platform: 'freebsd', env: { DISPLAY: ':1' } })).toBe(true);
    expect(hasDisplay({ platform: 'darwin', env: {} })).toBe(true);
  });
});

describe('planAfterDownload', () => {
  it('runs the desktop app once the binary is there', () => {
    expect(planAfterDownload({ installed: true, binary: '/x/electron' }, '')).toEqual({ kind: 'desktop' });
  });

  it("turns the installer's stack trace into the notice's one cause", () => {
    const stack = 'RequestError: getaddrinfo ENOTFOUND github.com\n    at ClientRequest.<anonymous> (/x/got/index.js:1:1)\n';
    const plan = planAfterDownload({ installed: false, reason: 'its binary has not been downloaded', downloadable: true }, stack);
    expect(plan).toEqual({
      kind: 'browser',
      notice: 'Electron is not installed (downloading its binary failed: getaddrinfo ENOTFOUND github.com); opening the console in your browser instead',
    });
    if (plan.kind === 'browser') expect(plan.notice).toMatch(NOTICE);
  });

  it('says the binary is still missing when the installer exited without an error', () => {
    const plan = planAfterDownload({ installed: false, reason: 'its binary has not been downloaded', downloadable: true }, '');
    expect(plan).toMatchObject({ kind: 'browser', notice: expect.stringContaining('(downloading its binary failed: the binary is still missing)') });
  });
});

describe('serveArguments', () => {
  it('picks a free port and opens the browser by default', () => {
    expect(serveArguments([])).toEqual(['serve', '--port', '0', '--open']);
  });

  it("keeps the user's own options, and their port", () => {
    expect(serveArguments(['--db', 'x.json', '--seed', '50'])).toEqual(['serve', '--port', '0', '--open', '--db', 'x.json', '--seed', '50']);
    expect(serveArguments(['--port', '9000'])).toEqual(['serve', '--open', '--port', '9000']);
    expect(serveArguments(['--port=9000'])).toEqual(['serve', '--open', '--port=9000']);
  });

  it('does not open the browser with --no-open', () => {
    expect(serveArguments(['--no-open', '--db', 'x.json'])).toEqual(['serve', '--port', '0', '--db', 'x.json']);
  });
});

describe('missingBuilds', () => {
  it('names the npm script that builds each missing output', async () => {
    expect(missingBuilds(dir)).toEqual([
      { output: 'dist/src-main/hosts/cli.js', script: 'build:cli' },
      { output: 'out/renderer/index.html', script: 'build' },
    ]);
    await mkdir(join(dir, 'dist', 'src-main', 'hosts'), { recursive: true });
    await writeFile(join(dir, 'dist', 'src-main', 'hosts', 'cli.js'), '');
    await mkdir(join(dir, 'out', 'renderer'), { recursive: true });
    await writeFile(join(dir, 'out', 'renderer', 'index.html'), '');
    expect(missingBuilds(dir)).toEqual([]);
  });
});
