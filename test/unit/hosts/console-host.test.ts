import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest, createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DirectoryCommit, RequestLogEntry } from '../../../src-main/api/contract.js';
import { createConsoleApi, type ConsoleProvider } from '../../../src-main/api/console-api.js';
import { createConsoleHost, resolveStaticFile, type ConsoleHost } from '../../../src-main/hosts/console-host.js';

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

const postJson = (path: string, args: unknown, headers: Record<string, string> = {}) =>
  raw(path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) });

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
      count: () => 0,
      subscribe: (listener) => {
        changeListeners.add(listener);
        return () => changeListeners.delete(listener);
      },
    },
    log: { entries: (): RequestLogEntry[] => [], subscribe: () => () => undefined },
    handle: async () => ({
      status: 200,
      headers: {},
      body: JSON.stringify({ schemas: [], totalResults: 0, Resources: [] }),
    }),
  };
  host = createConsoleHost(createConsoleApi(provider), { rendererDir });
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
    expect((await raw('/api/getServerInfo')).status).toBe(405);
  });

  it('only accepts JSON, which other origins cannot send without a preflight', async () => {
    const response = await raw('/api/getServerInfo', { method: 'POST', headers: { 'content-type': 'text/plain' }, body: '[]' });
    expect(response.status).toBe(415);
  });

  it('refuses bodies that are not an argument array', async () => {
    expect((await postJson('/api/getServerInfo', { a: 1 })).status).toBe(400);
    expect((await raw('/api/getServerInfo', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '[' })).status).toBe(400);
    expect((await postJson('/api/listResources', [{ type: 'Nope' }])).status).toBe(400);
  });

  it('refuses oversized bodies', async () => {
    const response = await raw('/api/getServerInfo', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: `[${'"x",'.repeat(300_000)}"x"]`,
    });
    expect(response.status).toBe(413);
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
    expect((await raw('/api/events', { headers: { 'sec-fetch-site': 'same-site' } })).status).toBe(403);
    expect((await postJson('/api/getServerInfo', [], { origin: `http://127.0.0.1:${port}`, 'sec-fetch-site': 'same-origin' })).status).toBe(200);
  });
});

describe('events', () => {
  it('streams contract events as Server-Sent Events until closed', async () => {
    const received = await new Promise<string>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers: { accept: 'text/event-stream' } }, (res) => {
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
