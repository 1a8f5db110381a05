/**
 * The local target: a round trip through the provider's handler in this process, with the
 * provider's own token in the IdP's Authorization header, and no socket opened.
 */
import net from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createProvider } from '../../../src-main/provider.js';
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
import { jsonBody, type OutgoingRequest } from '../../../src-main/runner/http.js';
import { TargetUnreachable } from '../../../src-main/runner/target.js';
import { LOCAL_ORIGIN, createLocalTarget, headerRecord, localTargetFor } from '../../../src-main/runner/targets/local-target.js';
import { UnsendableRequest } from '../../../src-main/runner/targets/sendable.js';

const createAda: OutgoingRequest = {
  method: 'POST',
  path: '/Users',
  headers: [
    ['Accept', 'application/scim+json'],
    ['Authorization', AUTHORIZATION],
    ['Content-Type', 'application/scim+json; charset=utf-8'],
  ],
  body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', active: true }),
};

/** Network handles of this process: listening servers, sockets and pipes. */
function networkHandles(): string[] {
  return process.getActiveResourcesInfo().filter((name) => /TCP|Pipe|UDP|TLS/.test(name));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the local target', () => {
  it('creates and reads back a user through the handler, authorised with the provider\'s token', async () => {
    let ids = 0;
    const target = await createLocalTarget({ newId: () => `id-${++ids}`, now: () => new Date('2025-01-02T03:04:05.000Z') });
    try {
      expect(target.key).toBe('local');
      expect(target.baseUrl).toBe(`${LOCAL_ORIGIN}/scim/v2`);

      const created = await target.send(createAda);
      expect(created.status).toBe(201);
      expect(created.headers.location).toBe(`${LOCAL_ORIGIN}/scim/v2/Users/id-1`);
      expect(jsonBody(created)).toMatchObject({ id: 'id-1', userName: 'ada@example.com', meta: { created: '2025-01-02T03:04:05.000Z' } });

      const found = await target.send({
        method: 'GET',
        path: '/Users',
        query: 'filter=userName+eq+%22ada%40example.com%22',
        headers: [['Authorization', AUTHORIZATION]],
      });
      expect(found.status).toBe(200);
      expect(jsonBody(found)).toMatchObject({ totalResults: 1, Resources: [{ id: 'id-1' }] });

      // The provider saw the IdP's request, with the real credential where the placeholder was.
      const logged = target.provider.log.entries()[0];
      expect(logged.url).toBe('/scim/v2/Users');
      expect(logged.requestHeaders).toMatchObject({ accept: 'application/scim+json', 'content-type': 'application/scim+json; charset=utf-8' });
      expect(target.provider.store.count('User')).toBe(1);
    } finally {
      await target.close();
    }
  });

  it('without the placeholder the request is unauthenticated, and the provider says 401', async () => {
    const target = await createLocalTarget();
    try {
      const response = await target.send({ ...createAda, headers: createAda.headers.filter(([name]) => name !== 'Authorization') });
      expect(response.status).toBe(401);
      expect(target.provider.store.count('User')).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('opens no socket: no listening server, no connection, no network handle', async () => {
    const listen = vi.spyOn(net.Server.prototype, 'listen');
    const connect = vi.spyOn(net.Socket.prototype, 'connect');
    const before = networkHandles();
    const target = await createLocalTarget();
    try {
      await target.send(createAda);
      await target.send({ method: 'GET', path: '/Users', headers: [['Authorization', AUTHORIZATION]] });
      expect(networkHandles()).toEqual(before);
      expect(listen).not.toHaveBeenCalled();
      expect(connect).not.toHaveBeenCalled();
    } finally {
      await target.close();
    }
  });

  it('refuses what a socket could not carry, as a remote target does', async () => {
    const target = await createLocalTarget();
    try {
      await expect(target.send({ ...createAda, method: 'GET', path: '/Users', query: 'filter=userName eq "x"', body: undefined }))
        .rejects.toThrow(UnsendableRequest);
    } finally {
      await target.close();
    }
  });

  it('a cancelled run sends nothing', async () => {
    const target = await createLocalTarget();
    try {
      const controller = new AbortController();
      controller.abort();
      await expect(target.send(createAda, controller.signal)).rejects.toThrow(TargetUnreachable);
      expect(target.provider.store.count('User')).toBe(0);
    } finally {
      await target.close();
    }
  });

  it('closes the provider it created, and leaves one it was given open', async () => {
    const provider = await createProvider();
    try {
      const borrowed = localTargetFor(provider);
      await borrowed.close();
      expect((await provider.handle({
        method: 'GET',
        url: '/scim/v2/Users',
        headers: { authorization: `Bearer ${provider.token}` },
        origin: LOCAL_ORIGIN,
      })).status).toBe(200);
    } finally {
      await provider.close();
    }
    const owned = await createLocalTarget();
    await owned.close();
    await expect(owned.send(createAda)).rejects.toThrow('the local target is closed');
  });
});

describe('headerRecord', () => {
  it('lower-cases names and joins repeats with ", " as an HTTP server does', () => {
    expect(headerRecord([['Accept', 'application/scim+json'], ['X-Trace', 'a'], ['x-trace', 'b']])).toEqual({
      accept: 'application/scim+json',
      'x-trace': 'a, b',
    });
  });
});
