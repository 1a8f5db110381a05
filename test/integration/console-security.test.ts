/**
 * The browser console can now make Scimulator send requests anywhere (saved targets, runs, IdP
 * actions), so every command and the event stream sit behind the console secret, the Host check
 * (DNS rebinding) and the Origin check (cross-site pages). Over real HTTP against the served
 * console with the composed services: a missing secret, a foreign Origin or a forged Host gets
 * nothing back and makes Scimulator send nothing (a counting HTTP server stands in for the remote
 * target and must see zero requests), while the same calls with the secret work.
 */
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { CONSOLE_COMMANDS, type ConsoleCommandName, type SaveTargetArgs } from '../../src-main/api/contract.js';
import { createMemoryVault } from '../../src-main/console/secret-vault.js';
import { AUTHORIZATION } from '../../src-main/runner/exchange.js';
import { consoleCookieName } from '../../src-main/hosts/console-host.js';
import { serveConsole, type ConsoleServer } from '../../src-main/hosts/console-server.js';

let rendererDir: string;
let server: ConsoleServer;
let remote: Server;
let remoteOrigin: string;
let remoteRequests = 0;
let port: string;
let cookie: string;

interface Reply {
  readonly status: number;
  readonly body: string;
}

/** One raw HTTP request: node:http, because fetch will not send a forged Host header. */
function send(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port, path, method: options.method ?? 'POST', headers: { host: `127.0.0.1:${port}`, ...options.headers } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        // The event stream never ends on its own: the status and first bytes are enough.
        if ((res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.once('data', (chunk: string) => {
            resolve({ status: res.statusCode ?? 0, body: chunk });
            req.destroy();
          });
          return;
        }
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const command = (name: ConsoleCommandName, args: unknown[], headers: Record<string, string> = {}) =>
  send(`/api/${name}`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(args) });

const withSecret = () => ({ cookie });

const remoteTarget = (): SaveTargetArgs => ({
  name: 'Counting target',
  baseUrl: `${remoteOrigin}/scim/v2`,
  auth: { kind: 'bearer', token: 'remote-token' },
});

beforeAll(async () => {
  rendererDir = await mkdtemp(join(tmpdir(), 'scimulator-security-'));
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>console</title>');
  remote = createServer((_req, res) => {
    remoteRequests += 1;
    res.writeHead(200, { 'content-type': 'application/scim+json' });
    res.end('{"schemas":["urn:ietf:params:scim:api:messages:2.0:ListResponse"],"totalResults":0,"Resources":[]}');
  });
  await new Promise<void>((resolve) => remote.listen(0, '127.0.0.1', resolve));
  remoteOrigin = `http://127.0.0.1:${(remote.address() as AddressInfo).port}`;
  server = await serveConsole({ port: 0, rendererDir, vault: createMemoryVault(), hostKind: 'browser' });
  port = new URL(server.provider.origin).port;
  cookie = `${consoleCookieName(port)}=${server.consoleHost.secret}`;
});

afterAll(async () => {
  await server?.close();
  await new Promise((resolve) => remote?.close(resolve));
  await rm(rendererDir, { recursive: true, force: true });
});

beforeEach(() => {
  remoteRequests = 0;
});

const NEW_COMMANDS = (Object.keys(CONSOLE_COMMANDS) as ConsoleCommandName[]).filter(
  (name) => !['getServerInfo', 'listResources', 'recentRequests', 'getResource', 'resetDirectory', 'importDirectory', 'exportDirectory'].includes(name),
);

describe('every console command is behind the secret, the Host check and the Origin check', () => {
  it.each(NEW_COMMANDS)('%s: refused without the secret, from a foreign origin, a cross-site fetch and a forged Host', async (name) => {
    const refusals = [
      [await command(name, []), 401],
      [await command(name, [], { cookie: `${consoleCookieName(port)}=${'x'.repeat(43)}` }), 401],
      [await command(name, [], { ...withSecret(), origin: 'https://evil.example' }), 403],
      [await command(name, [], { ...withSecret(), 'sec-fetch-site': 'cross-site' }), 403],
      [await command(name, [], { ...withSecret(), host: `evil.example:${port}` }), 421],
    ] as const;
    for (const [reply, status] of refusals) {
      expect(reply.status).toBe(status);
      // Nothing of the console's data, only the reason.
      expect(reply.body).not.toContain(server.provider.token);
    }
  });

  it('refuses a form post (what a cross-origin page could send without a preflight) even with the secret', async () => {
    const reply = await send('/api/saveTarget', {
      headers: { ...withSecret(), 'content-type': 'text/plain' },
      body: JSON.stringify([remoteTarget()]),
    });
    expect(reply.status).toBe(415);
    expect(await server.api.listTargets()).toHaveLength(4);
  });

  it('refuses the event stream, which carries runs and targets, without the secret or from a foreign origin', async () => {
    expect((await send('/api/events', { method: 'GET' })).status).toBe(401);
    expect((await send('/api/events', { method: 'GET', headers: { ...withSecret(), origin: 'https://evil.example' } })).status).toBe(403);
    expect((await send('/api/events', { method: 'GET', headers: { ...withSecret(), host: `rebound.example:${port}` } })).status).toBe(421);
    const allowed = await send('/api/events', { method: 'GET', headers: withSecret() });
    expect(allowed.status).toBe(200);
  });
});

describe('a refused request sends nothing', () => {
  it('saves no target and sends nothing when saveTarget comes without the secret, from a foreign origin or with a forged Host', async () => {
    for (const headers of [{}, { ...withSecret(), origin: 'https://evil.example' }, { ...withSecret(), host: `evil.example:${port}` }]) {
      const reply = await command('saveTarget', [remoteTarget()], headers);
      expect(reply.status).toBeGreaterThanOrEqual(400);
    }
    expect((await server.api.listTargets()).filter((target) => !target.builtIn)).toEqual([]);
    expect(remoteRequests).toBe(0);
  });

  it('sends nothing to a saved target when startRun or runIdpAction is refused', async () => {
    const target = await server.api.saveTarget(remoteTarget());
    const run = { scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: target.id };
    const action = { profile: 'okta', target: target.id, event: { type: 'sync' } };
    for (const headers of [{}, { ...withSecret(), origin: 'https://evil.example' }, { ...withSecret(), 'sec-fetch-site': 'cross-site' }, { ...withSecret(), host: `evil.example:${port}` }]) {
      expect((await command('startRun', [run], headers)).status).toBeGreaterThanOrEqual(400);
      expect((await command('runIdpAction', [action], headers)).status).toBeGreaterThanOrEqual(400);
    }
    // Give a run that had slipped through time to send its first request.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(remoteRequests).toBe(0);
    expect(await server.api.listRuns()).toEqual([]);

    // The control: the same startRun with the secret does reach the target.
    const started = await command('startRun', [run], withSecret());
    expect(started.status).toBe(200);
    const { runId } = JSON.parse(started.body) as { runId: string };
    await expect.poll(async () => (await server.api.listRuns()).find((item) => item.id === runId)?.summary, { timeout: 20_000 }).toBeDefined();
    expect(remoteRequests).toBeGreaterThan(0);
    await server.api.deleteTarget(target.id);
  });

  it('with the secret, the same origin and the right Host, the command works', async () => {
    const reply = await command('saveTarget', [remoteTarget()], withSecret());
    expect(reply.status).toBe(200);
    const saved = JSON.parse(reply.body) as { id: string; auth: unknown };
    expect(saved.auth).toEqual({ kind: 'bearer', secretSaved: true });
    expect(reply.body).not.toContain('remote-token');
    // The secret reached Node, not the page: the saved target sends with it (so the zero counts above mean something).
    const target = await server.services.targetCatalog.open(saved.id);
    try {
      const response = await target.send({ method: 'GET', path: '/Users', headers: [['Authorization', AUTHORIZATION]] });
      expect(response.status).toBe(200);
    } finally {
      await target.close();
    }
    expect(remoteRequests).toBe(1);
    expect((await command('deleteTarget', [saved.id], { ...withSecret(), origin: server.provider.origin })).status).toBe(200);
  });
});

describe('the event stream for the secret holder', () => {
  it('carries the services’ events (targets, idp) as well as the provider’s', async () => {
    let text = '';
    const received = new Promise<void>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path: '/api/events', headers: { host: `127.0.0.1:${port}`, ...withSecret() } }, (res) => {
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
          if (text.includes('event: targets') && text.includes('event: idp')) {
            req.destroy();
            resolve();
          }
        });
        void (async () => {
          const { id } = await server.api.saveTarget(remoteTarget());
          await server.api.deleteTarget(id);
          await server.api.resetIdpDirectory();
        })().catch(reject);
      });
      req.on('error', (error) => (text.includes('event: idp') ? resolve() : reject(error)));
      req.end();
    });
    await received;
    expect(text).toMatch(/event: targets\ndata: \{"count":\d+\}/);
    expect(text).toMatch(/event: idp\ndata: \{"revision":\d+\}/);
  });
});
