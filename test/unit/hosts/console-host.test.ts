import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryCommit, RequestLogEntry } from '../../../src-main/api/contract.js';
import { createConsoleApi, type ConsoleApi, type ConsoleProvider } from '../../../src-main/api/console-api.js';
import {
  CONSOLE_SECRET_PARAM,
  consoleUrl,
  createConsoleHost,
  generateConsoleSecret,
  resolveStaticFile,
  type ConsoleHost,
} from '../../../src-main/hosts/console-host.js';

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

let root: string;
let rendererDir: string;
let server: Server;
let host: ConsoleHost;
let port: number;
const changeListeners = new Set<(commit: DirectoryCommit) => void>();
const requestListeners = new Set<(entry: RequestLogEntry) => void>();
const secret = generateConsoleSecret();
/** What the browser sends once it has opened the printed URL. */
const authCookie = () => ({ cookie: `scimulator_console_${port}=${secret}` });

/**
 * node:http rather than fetch: fetch normalises `..` out of URLs before sending them, and the
 * point here is what the host does with the raw request line an attacker controls.
 */
function raw(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: init.method ?? 'GET', headers: { host: `127.0.0.1:${port}`, ...init.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** A command call with the console cookie, as the page makes it; `headers` may override the cookie. */
const postJson = (path: string, args: unknown, headers: Record<string, string> = {}) =>
  raw(path, { method: 'POST', headers: { 'content-type': 'application/json', ...authCookie(), ...headers }, body: JSON.stringify(args) });

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'scimulator-console-host-'));
  rendererDir = join(root, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await mkdir(join(rendererDir, '.vite'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
  await writeFile(join(rendererDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  await writeFile(join(rendererDir, 'assets', 'index-abc123.css'), 'body{}');
  await writeFile(join(rendererDir, '.vite', 'manifest.json'), '{}');
  // A sibling whose name starts like the renderer dir: a naive startsWith() check would let it through.
  await mkdir(join(root, 'renderer-secrets'), { recursive: true });
  await writeFile(join(root, 'renderer-secrets', 'secret.txt'), 'TOP SECRET');
  await writeFile(join(root, 'secret.txt'), 'TOP SECRET');

  const provider: ConsoleProvider = {
    origin: 'http://127.0.0.1:1',
    baseUrl: 'http://127.0.0.1:1/scim/v2',
    token: 't0k3n',
    store: {
      reset: async () => {},
      importDocument: async () => {},
      exportDocument: () => ({ users: [], groups: [] }),
      count: () => 0,
      subscribe: (listener) => {
        changeListeners.add(listener);
        return () => changeListeners.delete(listener);
      },
    },
    log: {
      entries: (): RequestLogEntry[] => [],
      subscribe: (listener) => {
        requestListeners.add(listener);
        return () => requestListeners.delete(listener);
      },
    },
    handle: async () => ({
      status: 200,
      headers: {},
      body: JSON.stringify({ schemas: [], totalResults: 0, Resources: [] }),
    }),
  };
  host = createConsoleHost(createConsoleApi(provider), { rendererDir, secret, maxQueuedEventBytes: 256 * 1024 });
  server = createServer(host);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  host.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await rm(root, { recursive: true, force: true });
});

describe('static files', () => {
  it('serves index.html at / with the CSP and no-cache', async () => {
    const response = await raw('/');
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.body).toContain('<title>console</title>');
  });

  it('serves fingerprinted assets with their content types, cached for good', async () => {
    const script = await raw('/assets/index-abc123.js');
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(script.headers['cache-control']).toContain('immutable');
    const style = await raw('/assets/index-abc123.css?v=1');
    expect(style.headers['content-type']).toBe('text/css; charset=utf-8');
  });

  it('answers HEAD without a body', async () => {
    const response = await raw('/assets/index-abc123.js', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers['content-length']).toBe('14');
    expect(response.body).toBe('');
  });

  it.each([
    '/../secret.txt',
    '/..%2fsecret.txt',
    '/%2e%2e/secret.txt',
    '/%2e%2e%2fsecret.txt',
    '/assets/..%2f..%2fsecret.txt',
    '/..%2frenderer-secrets/secret.txt',
    '/..%5csecret.txt',
    '/%2fetc%2fpasswd',
    '//etc/passwd',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/.vite/manifest.json',
    '/assets',
    '/missing.js',
  ])('refuses %s', async (path) => {
    const response = await raw(path);
    expect(response.status).toBe(404);
    expect(response.body).not.toContain('TOP SECRET');
    expect(response.body).not.toContain('root:');
  });

  it('refuses methods other than GET and HEAD', async () => {
    expect((await raw('/', { method: 'DELETE' })).status).toBe(405);
  });

  it('keeps resolveStaticFile inside the root', () => {
    expect(resolveStaticFile('/srv/app', '/')).toBe('/srv/app/index.html');
    expect(resolveStaticFile('/srv/app', '/assets/a.js')).toBe('/srv/app/assets/a.js');
    expect(resolveStaticFile('/srv/app', '/..%2f..%2fetc/passwd')).toBeUndefined();
    expect(resolveStaticFile('/srv/app', '/%2Fetc%2Fpasswd')).toBe('/srv/app/etc/passwd');
    expect(resolveStaticFile('/srv/app', '/..%2fapp-other/x')).toBeUndefined();
    expect(resolveStaticFile('/srv/app', '/%ZZ')).toBeUndefined();
  });
});

describe('commands', () => {
  it('runs a contract command with a JSON array of arguments', async () => {
    const response = await postJson('/api/getServerInfo', []);
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toMatchObject({ baseUrl: 'http://127.0.0.1:1/scim/v2', token: 't0k3n' });
  });

  it('passes arguments through', async () => {
    const response = await postJson('/api/listResources', [{ type: 'User', filter: 'userName sw "a"' }]);
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ ok: true, list: { totalResults: 0 } });
  });

  it.each(['/api/nope', '/api/constructor', '/api/__proto__', '/api/toString', '/api/hasOwnProperty', '/api/', '/api/subscribe'])(
    'answers 404 for %s, which is not in the contract',
    async (path) => {
      expect((await postJson(path, [])).status).toBe(404);
    },
  );

  it('only accepts POST', async () => {
    expect((await raw('/api/getServerInfo', { headers: authCookie() })).status).toBe(405);
  });

  it('only accepts JSON, which other origins cannot send without a preflight', async () => {
    const response = await raw('/api/getServerInfo', { method: 'POST', headers: { 'content-type': 'text/plain', ...authCookie() }, body: '[]' });
    expect(response.status).toBe(415);
  });

  it('refuses bodies that are not an argument array', async () => {
    expect((await postJson('/api/getServerInfo', { a: 1 })).status).toBe(400);
    expect(
      (await raw('/api/getServerInfo', { method: 'POST', headers: { 'content-type': 'application/json', ...authCookie() }, body: '[' })).status,
    ).toBe(400);
    expect((await postJson('/api/listResources', [{ type: 'Nope' }])).status).toBe(400);
  });

  it('refuses oversized bodies', async () => {
    const response = await raw('/api/getServerInfo', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...authCookie() },
      body: `[${'"x",'.repeat(300_000)}"x"]`,
    });
    expect(response.status).toBe(413);
  });

  it('refuses a body that is not UTF-8 as a bad request, not as too large', async () => {
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          path: '/api/getServerInfo',
          method: 'POST',
          headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json', ...authCookie() },
        },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.end(Buffer.from([0x5b, 0x22, 0xc3, 0x28, 0x22, 0x5d])); // ["<invalid 2-byte sequence>"]
    });
    expect(status).toBe(400);
  });
});

describe('console secret', () => {
  const cookieName = () => `scimulator_console_${port}`;

  it('builds the printed URL with the secret as a query parameter', () => {
    expect(CONSOLE_SECRET_PARAM).toBe('secret');
    expect(consoleUrl('http://127.0.0.1:8080', 'abc_-')).toBe('http://127.0.0.1:8080/?secret=abc_-');
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(generateConsoleSecret()).not.toBe(secret);
  });

  it('trades the secret for an HttpOnly, SameSite=Strict cookie and redirects to the page without it', async () => {
    const printed = new URL(consoleUrl(`http://127.0.0.1:${port}`, secret));
    const response = await raw(printed.pathname + printed.search);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(response.headers['set-cookie']).toEqual([`${cookieName()}=${secret}; HttpOnly; SameSite=Strict; Path=/`]);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    const deep = await raw(`/assets/index-abc123.js?v=2&secret=${secret}`);
    expect(deep.status).toBe(303);
    expect(deep.headers.location).toBe('/assets/index-abc123.js?v=2');
  });

  it('sets no cookie for a wrong secret, and still leaves it out of the address bar', async () => {
    const response = await raw(`/?secret=${generateConsoleSecret()}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('never redirects to another site', async () => {
    for (const path of [`//attacker.example/?secret=${secret}`, `/a/..//attacker.example/?secret=${secret}`, `/%2F%2Fattacker.example?secret=${secret}`]) {
      const response = await raw(path);
      expect(response.status, path).toBe(303);
      expect(response.headers.location, path).toMatch(/^\/(?![/\\])/);
    }
  });

  it('serves the page without the cookie, so it can say which URL to open', async () => {
    expect((await raw('/')).status).toBe(200);
    expect((await raw('/assets/index-abc123.js')).status).toBe(200);
  });

  it.each([
    { label: 'no cookie', path: '/api/getServerInfo', cookie: () => undefined },
    { label: 'a wrong secret', path: '/api/getServerInfo', cookie: () => `${cookieName()}=${'x'.repeat(43)}` },
    { label: 'the secret under another port’s cookie', path: '/api/getServerInfo', cookie: () => `scimulator_console_1=${secret}` },
    { label: 'the secret as a query parameter', path: `/api/getServerInfo?secret=${secret}`, cookie: () => undefined },
  ])('answers 401 to a command with $label, without the token', async ({ path, cookie }) => {
    const value = cookie();
    const headers = { 'content-type': 'application/json', ...(value === undefined ? {} : { cookie: value }) };
    const response = await raw(path, { method: 'POST', headers, body: '[]' });
    expect(response.status).toBe(401);
    expect(response.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(JSON.parse(response.body)).toEqual({ error: expect.stringContaining('scimulator serve') });
    expect(response.body).not.toContain('t0k3n');
  });

  it('answers 401 to the event stream without the cookie', async () => {
    const response = await raw('/api/events', { headers: { accept: 'text/event-stream' } });
    expect(response.status).toBe(401);
    expect(requestListeners.size).toBe(0);
  });

  it('accepts the cookie among others, as a browser sends it', async () => {
    const response = await postJson('/api/getServerInfo', [], { cookie: `theme=dark; ${cookieName()}=${secret}; other=1` });
    expect(response.status).toBe(200);
  });

  it('refuses a non-browser client that forges Host and Origin but lacks the secret', async () => {
    // Raw bytes, as a script on another machine would send them to a server bound to 0.0.0.0.
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1');
      let text = '';
      socket.setEncoding('utf8');
      socket.on('data', (chunk: string) => (text += chunk));
      socket.on('end', () => resolve(text));
      socket.on('error', reject);
      socket.write(
        'POST /api/getServerInfo HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://127.0.0.1\r\nSec-Fetch-Site: same-origin\r\n' +
          'Content-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n[]',
      );
    });
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(answer).not.toContain('t0k3n');
  });

  it('refuses a secret that is too short or not URL-safe', () => {
    expect(() => createConsoleHost({} as ConsoleApi, { rendererDir, secret: 'short' })).toThrow(/at least 32/);
    expect(() => createConsoleHost({} as ConsoleApi, { rendererDir, secret: `${'a'.repeat(40)};x` })).toThrow(/at least 32/);
  });
});

describe('bind safety', () => {
  it('refuses a foreign Host header (DNS rebinding)', async () => {
    const response = await postJson('/api/getServerInfo', [], { host: `attacker.example:${port}` });
    expect(response.status).toBe(421);
    expect(response.body).not.toContain('t0k3n');
    expect((await raw('/', { headers: { host: 'attacker.example' } })).status).toBe(421);
  });

  it('accepts loopback names', async () => {
    expect((await postJson('/api/getServerInfo', [], { host: `localhost:${port}` })).status).toBe(200);
  });

  it('refuses cross-site requests by Origin or Sec-Fetch-Site', async () => {
    expect((await postJson('/api/getServerInfo', [], { origin: 'https://attacker.example' })).status).toBe(403);
    expect((await postJson('/api/getServerInfo', [], { 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect((await raw('/api/events', { headers: { 'sec-fetch-site': 'same-site', ...authCookie() } })).status).toBe(403);
    expect((await postJson('/api/getServerInfo', [], { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });
});

describe('events', () => {
  it('cuts a stream whose client stops reading once its queue passes the bound', async () => {
    const socket = connect(port, '127.0.0.1');
    let closed = false;
    socket.on('close', () => (closed = true));
    socket.on('error', () => undefined); // The reset when the server cuts the stream.
    socket.write(`GET /api/events HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nCookie: scimulator_console_${port}=${secret}\r\n\r\n`);
    socket.pause(); // Never reads: the kernel buffers fill, then the server's.
    await expect.poll(() => requestListeners.size).toBe(1);

    // 64 KiB entries: the kernel takes a few MiB, past that the 256 KiB bound must cut the stream.
    const entry = { seq: 1, body: 'x'.repeat(64 * 1024) } as unknown as RequestLogEntry;
    let sent = 0;
    while (requestListeners.size > 0 && sent < 256 * 1024 * 1024) {
      for (const listener of [...requestListeners]) listener(entry);
      sent += 64 * 1024;
      if (sent % (4 * 1024 * 1024) === 0) await new Promise((resolve) => setImmediate(resolve));
    }
    expect(requestListeners.size).toBe(0);
    expect(sent).toBeLessThan(64 * 1024 * 1024);
    socket.destroy();
    await expect.poll(() => closed).toBe(true);
  });

  it('streams contract events as Server-Sent Events until closed', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const headers = { accept: 'text/event-stream', ...authCookie() };
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers }, (res) => {
        expect(res.statusCode).toBe(200);
        expect(res.headers['content-type']).toBe('text/event-stream; charset=utf-8');
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          // Once subscribed (the retry line is written after subscribing), emit a change.
          if (text.startsWith('retry:') && !text.includes('event:')) {
            for (const listener of changeListeners) listener({ seq: 1, changes: [{ op: 'put', type: 'User', id: 'u1' }] });
          }
          if (text.includes('event: change')) host.close();
        });
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end();
    });
    expect(received).toContain('event: change\ndata: {"seq":1,"changes":[{"op":"put","type":"User","id":"u1"}]}\n\n');
    // The stream's subscriptions are released when it ends.
    await expect.poll(() => changeListeners.size).toBe(0);
  });
});
