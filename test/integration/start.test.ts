/**
 * `npm start` where Electron cannot run: the launcher (scripts/start.mjs) says why in one line,
 * serves the console from Node, and stops the server cleanly on Ctrl+C. Electron is made absent
 * with ELECTRON_EXEC_PATH (which electron-vite and the launcher both honour) so the test behaves
 * the same on a machine that has the binary. Nothing here depends on the console URL's shape:
 * it is taken whole from the banner and opened the way a browser does, cookies and redirects
 * included.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { connect } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';

const LAUNCHER = fileURLToPath(new URL('../../scripts/start.mjs', import.meta.url));
const NOTICE = /^Electron is not installed \(.+\); opening the console in your browser instead$/;
// The launcher builds out/renderer when it is missing, which takes a while on a fresh clone.
const START_TIMEOUT = 90_000;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-start-'));
});

interface Launched {
  child: ChildProcess;
  consoleUrl: string;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/** Environment without a desktop and with Electron's binary pointed at nothing. */
function withoutElectron(extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_EXEC_PATH: join(dir, 'no-electron'), ...extra };
  if (!('DISPLAY' in extra)) delete env.DISPLAY;
  delete env.WAYLAND_DISPLAY;
  return env;
}

/** Runs the launcher as `npm start -- <args>` does, until its banner prints a console URL. */
function launch(args: string[], env: NodeJS.ProcessEnv): Promise<Launched> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [LAUNCHER, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
      child.on('exit', (code, signal) => done({ code, signal })),
    );
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`npm start printed no console URL in ${START_TIMEOUT} ms:\n${output}`));
    }, START_TIMEOUT - 5_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const consoleLine = output.split('\n').find((line) => /^\s*Console\s/.test(line));
      const url = consoleLine && /https?:\/\/\S+/.exec(consoleLine)?.[0];
      if (url) {
        clearTimeout(timer);
        resolve({ child, consoleUrl: url, output: () => output, exited });
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`npm start exited with ${code} before printing a console URL:\n${output}`));
    });
  });
}

/** Follows redirects like a browser, keeping the cookies each response sets. */
async function openLikeABrowser(url: string): Promise<{ status: number; html: string; cookies: string }> {
  const jar = new Map<string, string>();
  let next = url;
  for (let hop = 0; hop < 5; hop++) {
    const cookie = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await fetch(next, { redirect: 'manual', headers: cookie ? { cookie } : {} });
    for (const set of response.headers.getSetCookie()) {
      const [pair] = set.split(';');
      const at = pair!.indexOf('=');
      jar.set(pair!.slice(0, at).trim(), pair!.slice(at + 1).trim());
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      next = new URL(location, next).href;
      continue;
    }
    return { status: response.status, html: await response.text(), cookies: [...jar].map(([name, value]) => `${name}=${value}`).join('; ') };
  }
  throw new Error(`more than 5 redirects from ${url}`);
}

/** Sends `signal` (unless `times` is 0) and waits, at most 10 s, for the launcher to exit. */
async function stopWith(launched: Launched, signal: NodeJS.Signals, times = 1): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  for (let i = 0; i < times; i++) launched.child.kill(signal);
  const timeout = new Promise<never>((_, reject) =>
    setTimeout(() => reject(new Error(`npm start did not exit within 10 s of ${signal}:\n${launched.output()}`)), 10_000),
  );
  return Promise.race([launched.exited, timeout]);
}

describe('npm start without Electron', () => {
  it(
    'says why in one line, serves the console from Node and stops cleanly on SIGINT',
    async () => {
      const db = join(dir, 'directory.json');
      const launched = await launch(['--db', db, '--no-open'], withoutElectron());
      const lines = launched.output().split('\n');
      expect(lines.filter((line) => /electron/i.test(line))).toHaveLength(1);
      expect(lines.find((line) => /electron/i.test(line))).toMatch(NOTICE);
      expect(launched.output()).not.toMatch(/^\s+at /m);

      const page = await openLikeABrowser(launched.consoleUrl);
      expect(page.status).toBe(200);
      expect(page.html).toContain('<title>Scimulator</title>');
      expect(page.html).toContain('<div id="root"></div>');
      // The console's API answers the browser that opened the printed URL.
      const origin = new URL(launched.consoleUrl).origin;
      const info = await fetch(`${origin}/api/getServerInfo`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: page.cookies },
        body: '[]',
      });
      expect(info.status).toBe(200);

      expect(await stopWith(launched, 'SIGINT')).toEqual({ code: 0, signal: null });
      expect(launched.output()).toContain('SIGINT: finishing in-flight requests and flushing the database');
      expect(launched.output()).not.toContain('again');
      expect(existsSync(db)).toBe(true);
    },
    START_TIMEOUT,
  );

  it('finishes an in-flight request on Ctrl+C, even when the Ctrl+C arrives twice (terminal and npm)', async () => {
    const launched = await launch(['--db', join(dir, 'a.json'), '--no-open'], withoutElectron());
    const base = new URL(/SCIM base URL\s+(\S+)/.exec(launched.output())![1]!);
    const token = /Bearer token\s+(\S+)/.exec(launched.output())![1]!;
    // A client in the middle of sending a request: headers sent, body not yet complete.
    const body = JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'inflight@example.com' });
    const socket = connect(Number(base.port), base.hostname);
    let response = '';
    socket.on('data', (chunk) => (response += chunk.toString()));
    const answered = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    socket.write(
      `POST ${base.pathname}/Users HTTP/1.1\r\nHost: ${base.host}\r\nAuthorization: Bearer ${token}\r\n` +
        `Content-Type: application/scim+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body.slice(0, 10)}`,
    );
    await new Promise((resolve) => setTimeout(resolve, 300));

    // One Ctrl+C reaches the launcher twice (from the terminal, then relayed by npm); a second
    // SIGINT reaching `serve` would make it exit at once, dropping the request.
    launched.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 100));
    launched.child.kill('SIGINT');
    await new Promise((resolve) => setTimeout(resolve, 300));
    socket.write(body.slice(10));
    await answered;
    expect(response).toMatch(/^HTTP\/1\.1 201 /);
    expect(await stopWith(launched, 'SIGINT', 0)).toEqual({ code: 0, signal: null });
    expect(launched.output()).not.toContain('SIGINT again');
  });

  it('stops cleanly on SIGTERM', async () => {
    const launched = await launch(['--db', join(dir, 'b.json'), '--no-open'], withoutElectron());
    expect(await stopWith(launched, 'SIGTERM')).toEqual({ code: 0, signal: null });
    expect(launched.output()).toContain('SIGTERM: finishing in-flight requests');
  });

  it.skipIf(process.platform === 'win32' || process.platform === 'darwin')(
    'opens the printed console URL in the default browser when there is a display',
    async () => {
      // A stand-in xdg-open that records what it was asked to open.
      const bin = join(dir, 'bin');
      const record = join(dir, 'opened.txt');
      await mkdir(bin);
      await writeFile(join(bin, 'xdg-open'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${record}'\n`);
      await chmod(join(bin, 'xdg-open'), 0o755);

      const env = withoutElectron({ DISPLAY: ':0', PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` });
      const launched = await launch(['--db', join(dir, 'directory.json')], env);
      await expect.poll(() => readFile(record, 'utf8').catch(() => undefined), { timeout: 5_000 }).toBe(`${launched.consoleUrl}\n`);
      expect(await stopWith(launched, 'SIGINT')).toEqual({ code: 0, signal: null });
    },
    START_TIMEOUT,
  );
});
