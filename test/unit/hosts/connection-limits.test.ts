/**
 * The provider's HTTP listener must not let abandoned or trickling sockets pile up: real sockets on
 * 127.0.0.1, with small limits so the test runs in a second.
 */
import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONNECTION_LIMITS, type ConnectionLimits } from '../../../src-main/hosts/connection-limits.js';
import { createHttpHost, type HttpHost, type RequestListener } from '../../../src-main/hosts/http-server.js';

const BASE = '/scim/v2';
let host: HttpHost | undefined;
const sockets: Socket[] = [];

afterEach(async () => {
  for (const socket of sockets.splice(0)) socket.destroy();
  await host?.close();
  host = undefined;
});

/** Outside the SCIM base path: a response that never ends, like the console's event stream. */
const streamForever: RequestListener = (_req, res) => {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const tick = setInterval(() => res.write(': tick\n\n'), 50);
  res.on('close', () => clearInterval(tick));
};

async function start(limits: Partial<ConnectionLimits>): Promise<number> {
  host = createHttpHost(async () => ({ status: 200, headers: { 'content-type': 'application/scim+json' }, body: '{}' }), {
    basePath: BASE,
    maxPayloadSize: 1024 * 1024,
    connectionLimits: limits,
    console: streamForever,
  });
  return (await host.listen(0, '127.0.0.1')).port;
}

interface Watched {
  socket: Socket;
  received: () => string;
  /** Milliseconds from connecting until the server closed the socket. */
  closed: Promise<number>;
}

function open(port: number): Promise<Watched> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    sockets.push(socket);
    let received = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (received += chunk));
    const closed = new Promise<number>((done) => socket.on('close', () => done(Date.now() - started)));
    socket.once('error', reject);
    socket.once('connect', () => resolve({ socket, received: () => received, closed }));
  });
}

/** Resolves to 'open' when the socket is still open after `ms`. */
const stillOpenAfter = (watched: Watched, ms: number) =>
  Promise.race([watched.closed.then(() => 'closed'), new Promise<string>((resolve) => setTimeout(() => resolve('open'), ms))]);

describe('connection limits', () => {
  it('has defaults fit for a local server under a provisioning run', () => {
    expect(DEFAULT_CONNECTION_LIMITS).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 60_000,
      keepAliveTimeoutMs: 5_000,
      maxConnections: 1024,
    });
  });

  it('closes a socket that connects and never sends a request', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 2000 });
    const idle = await open(port);
    expect(await idle.closed).toBeLessThan(1500);
  });

  it('closes a socket that trickles its body, answering 408', async () => {
    const port = await start({ headersTimeoutMs: 300, requestTimeoutMs: 800 });
    const slow = await open(port);
    slow.socket.write(`POST ${BASE}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/scim+json\r\nContent-Length: 1000\r\n\r\n`);
    // One byte every 100 ms keeps the socket busy, but the request never completes in time.
    const trickle = setInterval(() => slow.socket.writable && slow.socket.write('x'), 100);
    try {
      expect(await slow.closed).toBeLessThan(2500);
    } finally {
      clearInterval(trickle);
    }
    expect(slow.received()).toMatch(/^HTTP\/1\.1 408/);
  });

  it('closes an idle keep-alive connection after a response', async () => {
    const port = await start({ keepAliveTimeoutMs: 300 });
    const client = await open(port);
    client.socket.write(`GET ${BASE}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await expect.poll(() => client.received()).toMatch(/^HTTP\/1\.1 200/);
    expect(client.received()).toContain('Keep-Alive: timeout=');
    // Node adds up to a second of grace to the keep-alive timeout.
    expect(await client.closed).toBeLessThan(2500);
  });

  it('leaves a long response alone: the timeouts bound receiving requests, not streaming answers', async () => {
    const port = await start({ headersTimeoutMs: 200, requestTimeoutMs: 300, keepAliveTimeoutMs: 200 });
    const stream = await open(port);
    stream.socket.write('GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    expect(await stillOpenAfter(stream, 1500)).toBe('open');
    expect(stream.received()).toMatch(/^HTTP\/1\.1 200[\s\S]*: tick/);
    stream.socket.destroy();
  });

  it('refuses connections beyond the cap and serves again once one closes', async () => {
    const port = await start({ maxConnections: 2, headersTimeoutMs: 5000, requestTimeoutMs: 5000 });
    const first = await open(port);
    const second = await open(port);
    await new Promise((resolve) => setTimeout(resolve, 50)); // Let the server accept both.
    const third = await open(port);
    expect(await third.closed).toBeLessThan(1000);
    expect(third.received()).toBe('');
    expect(await stillOpenAfter(first, 100)).toBe('open');

    first.socket.destroy();
    await first.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const fourth = await open(port);
    fourth.socket.write(`GET ${BASE}/Users HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
    await expect.poll(() => fourth.received()).toMatch(/^HTTP\/1\.1 200/);
    second.socket.destroy();
  });
});
