/**
 * What `npm start` runs on this machine: the desktop app (`electron-vite dev`) when Electron can
 * show a window, otherwise the same console served by `scimulator serve` for a browser. Pure
 * decisions over facts that scripts/start.mjs gathers, so each case is testable on any machine.
 *
 * Plain Node ESM rather than TypeScript: `npm start` must work before anything is compiled.
 * Type-checked through JSDoc (tsconfig.node.json).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @typedef {{ installed: true, binary: string }
 *   | { installed: false, reason: string, downloadable: boolean }} ElectronState
 * @typedef {{ kind: 'desktop' } | { kind: 'download' } | { kind: 'browser', notice: string }} StartPlan
 * @typedef {{ platform: NodeJS.Platform, env: NodeJS.ProcessEnv }} Machine
 */

const INSTEAD = 'opening the console in your browser instead';

/**
 * Finds the Electron binary the way electron-vite does (ELECTRON_EXEC_PATH, else the file that
 * node_modules/electron/path.txt names under dist/). The electron package itself is not loaded:
 * its index.js starts a download when the binary is missing.
 * @param {string | undefined} electronDir the electron package's directory; undefined when it is not installed
 * @param {NodeJS.ProcessEnv} env
 * @returns {ElectronState}
 */
export function locateElectron(electronDir, env) {
  const chosen = env.ELECTRON_EXEC_PATH;
  if (chosen) {
    if (existsSync(chosen)) return { installed: true, binary: chosen };
    return { installed: false, reason: `ELECTRON_EXEC_PATH is ${chosen}, which does not exist`, downloadable: false };
  }
  if (electronDir === undefined) {
    return { installed: false, reason: 'the electron package is missing; run npm install', downloadable: false };
  }
  const pathFile = join(electronDir, 'path.txt');
  if (existsSync(pathFile)) {
    const binary = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
    if (existsSync(binary)) return { installed: true, binary };
  }
  if (env.ELECTRON_SKIP_BINARY_DOWNLOAD) {
    return { installed: false, reason: 'its binary was not downloaded: ELECTRON_SKIP_BINARY_DOWNLOAD is set', downloadable: false };
  }
  return { installed: false, reason: 'its binary has not been downloaded', downloadable: true };
}

/**
 * Whether a window can be shown: always on macOS and Windows, elsewhere only under X11 or
 * Wayland. (src-main/hosts/open-browser.ts decides the same for `serve --open`; this script
 * cannot import it, as it runs before the TypeScript is compiled.)
 * @param {Machine} machine
 */
export function hasDisplay({ platform, env }) {
  if (platform === 'darwin' || platform === 'win32') return true;
  return Boolean(env.DISPLAY || env.WAYLAND_DISPLAY);
}

/**
 * @param {Machine & { electron: ElectronState }} facts
 * @returns {StartPlan}
 */
export function planStart({ platform, env, electron }) {
  if (!electron.installed) {
    // Downloading ~100 MB is only worth it when there is a screen to show the window on.
    if (electron.downloadable && hasDisplay({ platform, env })) return { kind: 'download' };
    return { kind: 'browser', notice: `Electron is not installed (${electron.reason}); ${INSTEAD}` };
  }
  if (!hasDisplay({ platform, env })) {
    return { kind: 'browser', notice: `Electron cannot start without a display (DISPLAY and WAYLAND_DISPLAY are unset); ${INSTEAD}` };
  }
  return { kind: 'desktop' };
}

/**
 * The plan after Electron's own installer ran because the binary was missing.
 * @param {ElectronState} electron the binary's state after the installer exited
 * @param {string} installerError the installer's stderr (empty when it succeeded)
 * @returns {StartPlan}
 */
export function planAfterDownload(electron, installerError) {
  if (electron.installed) return { kind: 'desktop' };
  const cause = firstErrorLine(installerError) ?? 'the binary is still missing';
  return { kind: 'browser', notice: `Electron is not installed (downloading its binary failed: ${cause}); ${INSTEAD}` };
}

/** @param {string} text */
function firstErrorLine(text) {
  const line = text.split('\n').map((each) => each.trim()).find((each) => each !== '');
  return line === undefined ? undefined : line.replace(/^(Error|RequestError|HTTPError): /, '');
}

/**
 * The `scimulator serve` arguments for the browser console: the user's own (after `npm start --`)
 * plus two defaults. `--port 0` (a free port, as the desktop app uses) unless a port is given,
 * so a busy 8080 cannot stop `npm start`; the URL changes with every start anyway (it carries the
 * per-process console secret). `--open` unless `--no-open` is given.
 * @param {readonly string[]} userArgs
 * @returns {string[]}
 */
export function serveArguments(userArgs) {
  const open = !userArgs.includes('--no-open');
  const rest = userArgs.filter((arg) => arg !== '--no-open');
  const portGiven = rest.some((arg) => arg === '--port' || arg.startsWith('--port='));
  return ['serve', ...(portGiven ? [] : ['--port', '0']), ...(open ? ['--open'] : []), ...rest];
}

/**
 * The build outputs the browser console needs that are missing (`npm install` builds both through
 * `prepare`; a clone installed with --ignore-scripts, or a `git clean`, has neither).
 * @param {string} root the repository's root directory
 * @returns {{ output: string, script: 'build:cli' | 'build' }[]}
 */
export function missingBuilds(root) {
  /** @type {{ output: string, script: 'build:cli' | 'build' }[]} */
  const needed = [
    { output: 'dist/src-main/hosts/cli.js', script: 'build:cli' },
    { output: 'out/renderer/index.html', script: 'build' },
  ];
  return needed.filter(({ output }) => !existsSync(join(root, output)));
}
