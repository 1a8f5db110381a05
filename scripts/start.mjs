#!/usr/bin/env node
/**
 * `npm start`: the desktop app where Electron can run, otherwise the same console from Node in
 * the browser, explained in one line instead of electron-vite's "Electron uninstall" stack trace.
 * Arguments after `npm start --` are `scimulator serve` options for the browser console
 * (`--db FILE`, `--port N`, `--no-open`, …). See scripts/start-plan.mjs for the decisions.
 *
 * The chosen program runs as a child; this process relays SIGINT/SIGTERM to it once and exits
 * with its status, so Ctrl+C stops the server the same way `scimulator serve` alone does.
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { constants } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { locateElectron, missingBuilds, planAfterDownload, planStart, serveArguments } from './start-plan.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const require = createRequire(import.meta.url);
const machine = { platform: process.platform, env: process.env };

/** @param {string} name */
function packageDir(name) {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/**
 * @param {string} name
 * @param {string} bin
 */
function packageBin(name, bin) {
  const dir = packageDir(name);
  if (dir === undefined) throw new Error(`${name} is not installed; run npm install`);
  /** @type {{ bin: Record<string, string> }} */
  const manifest = require(join(dir, 'package.json'));
  return join(dir, manifest.bin[bin] ?? bin);
}

// A single Ctrl+C can arrive twice at once (from the terminal and relayed by npm when the shell
// hands over to this process); the child must see it once, or `serve` takes it for a second
// Ctrl+C and exits without flushing. A repeat after this long is the user insisting.
const SAME_SIGNAL_MS = 1_000;

/**
 * Runs a Node script as a child and resolves with its exit status. On POSIX the child gets its
 * own process group, so the terminal's Ctrl+C reaches it only through this process. On Windows
 * the console delivers Ctrl+C to every process attached to it, and kill() would terminate the
 * child without letting it flush, so nothing is relayed there.
 * @param {string[]} args arguments to node
 * @param {{ captureStderr?: boolean }} [options]
 * @returns {Promise<{ status: number, stderr: string }>}
 */
function runNode(args, { captureStderr = false } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, {
      cwd: root,
      stdio: ['ignore', 'inherit', captureStderr ? 'pipe' : 'inherit'],
      detached: process.platform !== 'win32',
    });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    /** @type {{ signal: string, at: number } | undefined} */
    let last;
    /** @param {NodeJS.Signals} received */
    const relay = (received) => {
      if (process.platform === 'win32') return;
      // A closing terminal (SIGHUP) stops the server as gently as Ctrl+C.
      const signal = received === 'SIGHUP' ? 'SIGTERM' : received;
      const now = Date.now();
      if (last && last.signal === signal && now - last.at < SAME_SIGNAL_MS) return;
      last = { signal, at: now };
      child.kill(signal);
    };
    /** @type {NodeJS.Signals[]} */
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, relay);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      for (const each of signals) process.off(each, relay);
      resolve({ status: code ?? 128 + (signal ? constants.signals[signal] : 0), stderr });
    });
  });
}

/** The builds the browser console needs, when `npm install` did not leave them (ignore-scripts). */
async function buildMissing() {
  /** @type {Record<'build:cli' | 'build', string[]>} */
  const commands = {
    'build:cli': [packageBin('typescript', 'tsc'), '-p', 'tsconfig.cli.json'],
    build: [packageBin('electron-vite', 'electron-vite'), 'build'],
  };
  for (const { output, script } of missingBuilds(root)) {
    process.stdout.write(`${output} is missing; building it (npm run ${script})…\n`);
    const { status } = await runNode(commands[script]);
    if (status !== 0) {
      process.stderr.write(`npm start: building failed; run \`npm run ${script}\` to see why.\n`);
      process.exit(status);
    }
  }
}

async function main() {
  const userArgs = process.argv.slice(2);
  const electronDir = packageDir('electron');
  let plan = planStart({ ...machine, electron: locateElectron(electronDir, machine.env) });
  if (plan.kind === 'download' && electronDir !== undefined) {
    // Electron fetches its binary on first use (its package has no install script).
    process.stdout.write('Downloading the Electron binary (first start only)…\n');
    const { status, stderr } = await runNode([join(electronDir, 'install.js')], { captureStderr: true });
    plan = planAfterDownload(locateElectron(electronDir, machine.env), status === 0 ? '' : stderr);
  }
  if (plan.kind === 'desktop') {
    if (userArgs.length > 0) process.stderr.write(`Ignoring ${userArgs.join(' ')}: options are for the browser console; the desktop app takes none.\n`);
    process.exit((await runNode([packageBin('electron-vite', 'electron-vite'), 'dev'])).status);
  }
  if (plan.kind === 'browser') process.stdout.write(`${plan.notice}\n`);
  await buildMissing();
  process.exit((await runNode([join(root, 'bin', 'scimulator.js'), ...serveArguments(userArgs)])).status);
}

main().catch((/** @type {unknown} */ error) => {
  process.stderr.write(`npm start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
