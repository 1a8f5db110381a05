/**
 * What a remote target puts on the wire, read byte for byte by a plain TCP server on 127.0.0.1:
 * the IdP's request-target untouched (Entra's `+`/`%22`, Okta's `%20`, OneLogin's trailing `?`),
 * its headers in its order and case with nothing of the transport's beyond host, connection and
 * content-length; and, when no response comes, one line that says why.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { brotliCompressSync, deflateSync, gzipSync } from 'node:zlib';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION } from '../../src-main/runner/exchange.js';
import type { OutgoingRequest } from '../../src-main/runner/http.js';
import { TargetUnreachable, type Target } from '../../src-main/runner/target.js';
import { createRemoteTarget } from '../../src-main/runner/targets/remote-target.js';
import { UnsendableRequest } from '../../src-main/runner/targets/sendable.js';

interface RawServer {
  readonly origin: string;
  /** Each request's head and body exactly as received. */
  readonly received: string[];
  /** What the server does with a complete request; default: a 200 with a small JSON body. */
  respond: (socket: Socket, request: string) => void;
  close(): Promise<void>;
}

const OK = 'HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Length: 2\r\n\r\n{}';

async function rawServer(): Promise<RawServer> {
  const sockets = new Set<Socket>();
  const state: RawServer = {
    origin: '',
    received: [],
    respond: (socket) => socket.write(OK),
    close: () => new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    }),
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    let buffer = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffer = Buffer.concat([buffer, chunk]);
      // Keep-alive: several requests may arrive on one socket; take each complete one off the front.
      for (;;) {
        const headEnd = buffer.indexOf('\r\n\r\n');
        if (headEnd < 0) return;
        const head = buffer.subarray(0, headEnd).toString('latin1');
        const length = Number(/\r\ncontent-length: *(\d+)/i.exec(head)?.[1] ?? 0);
        if (buffer.length < headEnd + 4 + length) return;
        const request = buffer.subarray(0, headEnd + 4 + length).toString('latin1');
        buffer = buffer.subarray(headEnd + 4 + length);
        state.received.push(request);
        state.respond(socket, request);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(state, { origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` });
}

let server: RawServer;
const targets: Target[] = [];

beforeAll(async () => {
  server = await rawServer();
});
afterEach(async () => {
  await Promise.all(targets.splice(0).map((target) => target.close()));
  server.received.length = 0;
  server.respond = (socket) => socket.write(OK);
});
afterAll(() => server.close());

function target(options: { timeoutMs?: number; baseUrl?: string } = {}): Target {
  const created = createRemoteTarget({
    baseUrl: options.baseUrl ?? `${server.origin}/scim/v2`,
    auth: { kind: 'bearer', token: 'tok' },
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  targets.push(created);
  return created;
}

function get(path: string, query?: string): OutgoingRequest {
  return { method: 'GET', path, ...(query === undefined ? {} : { query }), headers: [['Accept', 'application/scim+json']] };
}

function requestLine(n = 0): string {
  return server.received[n].split('\r\n')[0];
}

describe('the request line', () => {
  it.each([
    ['Entra filter: + for spaces, %22 for quotes', '/Users', 'filter=userName+eq+%22ada%40example.com%22'],
    ['Okta lookup: %20, then startIndex and count', '/Users', 'filter=userName%20eq%20%22ada%40example.com%22&startIndex=1&count=100'],
    ['a trailing & (left as the IdP wrote it)', '/Users', 'filter=displayName+eq+%22Sales%22&'],
    ['a trailing ? with an empty query', '/Users/2819c223', ''],
    ['characters URL parsing would rewrite: /../, %7e, %2B, | and {}', '/Users/../Groups/%7e', 'q=%2B|{}'],
  ])('is sent byte for byte: %s', async (_, path, query) => {
    await target().send(get(path, query));
    expect(requestLine()).toBe(`GET /scim/v2${path}?${query} HTTP/1.1`);
  });

  it('keeps a ? that ends the path itself (OneLogin sends /Users/{id}?)', async () => {
    await target().send(get('/Users/2819c223?'));
    expect(requestLine()).toBe('GET /scim/v2/Users/2819c223? HTTP/1.1');
  });

  it('joins a base URL with or without a trailing slash the same way', async () => {
    const slashed = target({ baseUrl: `${server.origin}/scim/v2/` });
    expect(slashed.baseUrl).toBe(`${server.origin}/scim/v2`);
    expect(slashed.key).toBe(`${server.origin}/scim/v2`);
    await slashed.send(get('/Users'));
    expect(requestLine()).toBe('GET /scim/v2/Users HTTP/1.1');
  });

  it('refuses, before sending, what HTTP cannot carry', async () => {
    await expect(target().send(get('/Users', 'filter=userName eq "x"'))).rejects.toThrow(UnsendableRequest);
    await expect(target().send(get('/Users', 'filter=userName eq "x"'))).rejects.toThrow(/query .* has a space/);
    expect(server.received).toHaveLength(0);
  });
});

describe('the headers', () => {
  it('are the profile\'s, in its order and case, repeats kept; no User-Agent is invented', async () => {
    const body = '{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"ada@example.com"}';
    await target().send({
      method: 'POST',
      path: '/Users',
      headers: [
        ['Content-Type', 'application/scim+json; charset=utf-8'],
        ['Authorization', AUTHORIZATION],
        ['accept', 'application/scim+json'],
        ['X-Trace', 'one'],
        ['X-Trace', 'two'],
      ],
      body,
    });
    const port = new URL(server.origin).port;
    expect(server.received[0]).toBe(
      'POST /scim/v2/Users HTTP/1.1\r\n' +
        `host: 127.0.0.1:${port}\r\n` +
        'connection: keep-alive\r\n' +
        'Content-Type: application/scim+json; charset=utf-8\r\n' +
        'Authorization: Bearer tok\r\n' +
        'accept: application/scim+json\r\n' +
        'X-Trace: one\r\n' +
        'X-Trace: two\r\n' +
        `content-length: ${body.length}\r\n` +
        '\r\n' +
        body,
    );
  });

  it('sends a body\'s UTF-8 bytes and counts them in content-length', async () => {
    const body = '{"displayName":"Zoë Ñúñez"}';
    await target().send({ method: 'PATCH', path: '/Users/1', headers: [['Content-Type', 'application/scim+json']], body });
    const received = Buffer.from(server.received[0], 'latin1');
    expect(received.subarray(received.indexOf('\r\n\r\n') + 4).toString('utf8')).toBe(body);
    expect(server.received[0]).toContain(`content-length: ${Buffer.byteLength(body)}\r\n`);
  });
});

describe('the response', () => {
  it('comes back with lower-cased header names, repeated headers joined, and the body as text', async () => {
    server.respond = (socket) =>
      socket.write('HTTP/1.1 201 Created\r\nContent-Type: application/scim+json\r\nETag: W/"1"\r\nX-Seen: a\r\nX-Seen: b\r\nContent-Length: 11\r\n\r\n{"id":"42"}');
    const response = await target().send(get('/Users'));
    expect(response).toEqual({
      status: 201,
      headers: { 'content-type': 'application/scim+json', etag: 'W/"1"', 'x-seen': 'a, b', 'content-length': '11' },
      body: '{"id":"42"}',
    });
  });

  it('is decoded when the server compressed it, as Okta\'s Accept-Encoding: gzip,deflate invites', async () => {
    const json = JSON.stringify({ totalResults: 1, Resources: [{ id: '42', userName: 'ada@example.com' }] });
    for (const [coding, bytes] of [
      ['gzip', gzipSync(json)],
      ['deflate', deflateSync(json)],
      ['br', brotliCompressSync(json)],
    ] as const) {
      server.respond = (socket) => {
        socket.write(`HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Encoding: ${coding}\r\nContent-Length: ${bytes.length}\r\n\r\n`);
        socket.write(bytes);
      };
      const response = await target().send({ ...get('/Users'), headers: [['Accept-Encoding', 'gzip,deflate']] });
      expect(response.body).toBe(json);
    }
  });

  it('says so in one line when a compressed body is damaged', async () => {
    server.respond = (socket) =>
      socket.write('HTTP/1.1 200 OK\r\nContent-Type: application/scim+json\r\nContent-Encoding: gzip\r\nContent-Length: 5\r\n\r\nnope!');
    await expect(target().send(get('/Users'))).rejects.toThrow(/could not be decoded \(gzip\)/);
  });

  it('has no body for a 204', async () => {
    server.respond = (socket) => socket.write('HTTP/1.1 204 No Content\r\n\r\n');
    const response = await target().send({ method: 'DELETE', path: '/Users/1', headers: [] });
    expect(response.status).toBe(204);
    expect(response.body).toBeUndefined();
  });
});

describe('no response', () => {
  it('times out with the time it waited and the URL', async () => {
    server.respond = () => undefined;
    const started = Date.now();
    const error = await target({ timeoutMs: 200 }).send(get('/Users')).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetUnreachable);
    expect((error as Error).message).toBe(`timed out after 0.2 s waiting for ${server.origin}/scim/v2/Users`);
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('is cancelled by the caller\'s signal, before or during the request', async () => {
    server.respond = () => undefined;
    const before = new AbortController();
    before.abort();
    await expect(target().send(get('/Users'), before.signal)).rejects.toThrow(`cancelled: ${server.origin}/scim/v2/Users`);
    expect(server.received).toHaveLength(0);

    const during = new AbortController();
    setTimeout(() => during.abort(), 50);
    const error = await target().send(get('/Users'), during.signal).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetUnreachable);
    expect((error as Error).message).toBe(`cancelled: ${server.origin}/scim/v2/Users`);
  });

  it('says the connection was refused and asks whether the server runs', async () => {
    const closed = await rawServer();
    await closed.close();
    const error = await createRemoteTarget({ baseUrl: `${closed.origin}/scim/v2`, auth: { kind: 'none' } })
      .send(get('/Users'))
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetUnreachable);
    expect((error as Error).message).toBe(`connection refused at ${closed.origin}: is the server running?`);
  });

  it('says the server closed the connection without answering', async () => {
    server.respond = (socket) => socket.destroy();
    await expect(target().send(get('/Users'))).rejects.toThrow(`${server.origin} closed the connection without a response (if the server uses TLS, the URL should start with https://)`);
  });
});
