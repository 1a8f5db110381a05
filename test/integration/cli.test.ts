import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { BIN, runCli, startServe, type ServingCli } from '../support/cli.js';

/** `serve` only hosts the console once `npm run build` has produced it. */
const CONSOLE_BUILT = existsSync(fileURLToPath(new URL('../../out/renderer/index.html', import.meta.url)));

async function printedConsoleUrl(serving: ServingCli): Promise<string> {
  await expect.poll(() => /Console\s+(http\S+)/.exec(serving.output())?.[1]).toBeDefined();
  return /Console\s+(http\S+)/.exec(serving.output())![1]!;
}

/** Opens the printed console URL as a browser would, and returns the cookie it is given. */
async function openConsole(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'manual' });
  expect(response.status).toBe(303);
  expect(response.headers.get('location')).toBe('/');
  const cookie = response.headers.get('set-cookie') ?? '';
  expect(cookie).toMatch(/HttpOnly; SameSite=Strict; Path=\//);
  return cookie.split(';')[0]!;
}

const getServerInfo = (origin: string, headers: Record<string, string> = {}) =>
  fetch(`${origin}/api/getServerInfo`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: '[]' });

/** node:http, since fetch will not let a caller set Host: what a forging script on the network sends. */
function forgedHostStatus(port: number, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: 'POST', headers: { host: '127.0.0.1', 'content-type': 'application/json' } },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', reject);
    req.end('[]');
  });
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-cli-'));
});

describe('scimulator CLI', () => {
  it('prints help for the program and for serve', async () => {
    const top = await runCli(['--help']);
    expect(top.code).toBe(0);
    expect(top.stdout).toContain('serve');
    const serve = await runCli(['serve', '--help']);
    expect(serve.code).toBe(0);
    for (const flag of ['--host', '--port', '--db', '--token', '--seed']) expect(serve.stdout).toContain(flag);
  });

  it('stops quietly when the reader closes the pipe early (scimulator run --help | head -1)', async () => {
    const child = spawn(process.execPath, [BIN, 'run', '--help'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Read the first chunk, then close the pipe as `head` does.
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (exit) => resolve(exit)));
    expect(stderr).not.toMatch(/EPIPE|Unhandled/);
    expect(code).toBe(0);
  });

  it('rejects unknown flags and bad values with one line and exit code 2', async () => {
    for (const args of [['serve', '--bogus'], ['serve', '--port', 'abc'], ['serve', '--port', '70000'], ['serve', '--seed', '-3'], ['frobnicate']]) {
      const result = await runCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(result.stderr).toMatch(/error/i);
    }
  });

  it('serves on a free port, seeds, persists its token and stops cleanly on SIGTERM and SIGINT', async () => {
    const db = join(dir, 'directory.json');
    const first = await startServe(['--port', '0', '--db', db, '--seed', '30']);
    expect(first.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
    expect(first.baseUrl).not.toContain(':0/');
    const list = await fetch(`${first.baseUrl}/Users?count=5`, { headers: { authorization: `Bearer ${first.token}` } });
    const body = (await list.json()) as { totalResults: number; Resources: { userName: string; name: { givenName: string } }[] };
    expect(body.totalResults).toBe(30);
    expect(body.Resources[0]!.userName).toMatch(/@example\.com$/);
    const groups = await fetch(`${first.baseUrl}/Groups`, { headers: { authorization: `Bearer ${first.token}` } });
    expect(((await groups.json()) as { totalResults: number }).totalResults).toBeGreaterThan(1);
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startServe(['--port', '0', '--db', db]);
    expect(second.token).toBe(first.token);
    expect(second.output()).toContain('30 users');
    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
  });

  it('uses the token given with --token', async () => {
    const serving = await startServe(['--port', '0', '--db', join(dir, 'd.json'), '--token', 'my-token']);
    expect(serving.token).toBe('my-token');
    const ok = await fetch(`${serving.baseUrl}/ServiceProviderConfig`, { headers: { authorization: 'Bearer my-token' } });
    expect(ok.status).toBe(200);
    const port = new URL(serving.baseUrl).port;
    const clash = await runCli(['serve', '--port', port, '--db', join(dir, 'other.json')]);
    expect(clash.code).toBe(1);
    expect(clash.stderr).toContain(`127.0.0.1:${port} is already in use`);
    const sameDb = await runCli(['serve', '--port', '0', '--db', join(dir, 'd.json')]);
    expect(sameDb.code).toBe(1);
    expect(sameDb.stderr).toContain(`in use by another Scimulator process (pid ${serving.child.pid})`);
    serving.child.kill('SIGTERM');
    expect(await serving.exited).toBe(0);
  });

  it.skipIf(!CONSOLE_BUILT)('prints a console URL whose secret opens the console, and nothing else does', async () => {
    const serving = await startServe(['--port', '0', '--db', join(dir, 'console.json')]);
    try {
      const url = await printedConsoleUrl(serving);
      const origin = new URL(serving.baseUrl).origin;
      expect(url).toMatch(new RegExp(`^${origin}/\\?secret=[A-Za-z0-9_-]{43}$`));
      expect(serving.output()).not.toContain('this machine only');
      const cookie = await openConsole(url);
      const info = await getServerInfo(origin, { cookie });
      expect(info.status).toBe(200);
      expect(((await info.json()) as { token: string }).token).toBe(serving.token);
      expect((await getServerInfo(origin)).status).toBe(401);
      expect((await fetch(`${origin}/api/events`)).status).toBe(401);
    } finally {
      serving.child.kill('SIGTERM');
      await serving.exited;
    }
  });

  it('prints URLs that work when bound to every interface, and keeps the console to its secret', async () => {
    const serving = await startServe(['--host', '0.0.0.0', '--port', '0', '--db', join(dir, 'wildcard.json')]);
    try {
      // Not http://0.0.0.0:…, which is where the server listens, not an address to open.
      expect(serving.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/scim\/v2$/);
      const auth = { authorization: `Bearer ${serving.token}` };
      expect((await fetch(`${serving.baseUrl}/ServiceProviderConfig`, { headers: auth })).status).toBe(200);
      // Other machines reach SCIM through the machine's own addresses, printed one per line.
      for (const [, networkUrl] of serving.output().matchAll(/Network URL\s+(\S+)/g)) {
        expect(networkUrl).toMatch(/\/scim\/v2$/);
        expect((await fetch(`${networkUrl}/ServiceProviderConfig`, { headers: auth })).status, networkUrl).toBe(200);
      }
      if (!CONSOLE_BUILT) return;
      const url = await printedConsoleUrl(serving);
      expect(serving.output()).toMatch(/Console\s+http:\/\/127\.0\.0\.1:\d+\/\?secret=\S+\s+\(this machine only\)/);
      const origin = new URL(url).origin;
      const cookie = await openConsole(url);
      expect((await getServerInfo(origin, { cookie })).status).toBe(200);
      // A script that forges Host to pass the allow-list still lacks the secret.
      const port = Number(new URL(origin).port);
      expect(await forgedHostStatus(port, '/api/getServerInfo')).toBe(401);
      expect(await forgedHostStatus(port, '/api/events')).toBe(401);
    } finally {
      serving.child.kill('SIGTERM');
      await serving.exited;
    }
  });

  it('refuses to start on a corrupt database, naming the file, and leaves it untouched', async () => {
    const db = join(dir, 'corrupt.json');
    await writeFile(db, '{"users": [ {"id": "x", ');
    const result = await runCli(['serve', '--port', '0', '--db', db]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(db);
    expect(await readFile(db, 'utf8')).toBe('{"users": [ {"id": "x", ');
  });

  it('exports, imports and resets the directory', async () => {
    const db = join(dir, 'source.json');
    const serving = await startServe(['--port', '0', '--db', db, '--seed', '12']);
    serving.child.kill('SIGTERM');
    await serving.exited;
    const exported = join(dir, 'export.json');
    expect((await runCli(['db', 'export', '--db', db, '--out', exported])).code).toBe(0);
    const document = JSON.parse(await readFile(exported, 'utf8')) as { users: unknown[]; groups: unknown[] };
    expect(document.users).toHaveLength(12);

    const copy = join(dir, 'copy.json');
    const imported = await runCli(['db', 'import', exported, '--db', copy]);
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('12 users');
    const reexported = await runCli(['db', 'export', '--db', copy]);
    expect(JSON.parse(reexported.stdout)).toEqual(document);

    const bad = join(dir, 'bad.json');
    await writeFile(bad, JSON.stringify({ users: [document.users[0], document.users[0]], groups: [] }));
    const refused = await runCli(['db', 'import', bad, '--db', copy]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('users[1] repeats the id');
    expect(JSON.parse((await runCli(['db', 'export', '--db', copy])).stdout)).toEqual(document);

    expect((await runCli(['db', 'reset', '--db', copy])).code).toBe(2); // --yes is required
    expect((await runCli(['db', 'reset', '--db', copy, '--yes'])).code).toBe(0);
    const empty = JSON.parse((await runCli(['db', 'export', '--db', copy])).stdout) as { users: unknown[] };
    expect(empty.users).toEqual([]);
  });

  it('db export --out writes into a folder that does not exist yet', async () => {
    const db = join(dir, 'out-folder.json');
    expect((await runCli(['db', 'reset', '--yes', '--db', db])).code).toBe(0);
    const out = join(dir, 'exports', 'nightly', 'directory.json');
    const result = await runCli(['db', 'export', '--db', db, '--out', out]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ schemas: ['urn:scimulator:directory:1'] });
  });

  it('db export of a database that does not exist is an error that creates nothing, not an empty export', async () => {
    const typo = join(dir, 'prodcution.json');
    const result = await runCli(['db', 'export', '--db', typo]);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr.trimEnd().split('\n')).toEqual([`scimulator: there is no database at ${typo}: check --db`]);
    expect(existsSync(typo)).toBe(false);
    expect(existsSync(`${typo}.journal`)).toBe(false);
  });
});
