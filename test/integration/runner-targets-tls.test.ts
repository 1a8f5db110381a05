/**
 * TLS verification stays on: a self-signed certificate is refused with one line that says how to
 * accept it, and accepted only with `insecure`. The certificate is made at test time with the
 * openssl command line (Node cannot issue X.509 certificates); without openssl the tests skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AUTHORIZATION } from '../../src-main/runner/exchange.js';
import type { OutgoingRequest } from '../../src-main/runner/http.js';
import { TargetUnreachable } from '../../src-main/runner/target.js';
import { createRemoteTarget } from '../../src-main/runner/targets/remote-target.js';
import { hasOpenssl, startSelfSignedServer, type SelfSignedServer } from '../support/self-signed-server.js';

const request: OutgoingRequest = {
  method: 'GET',
  path: '/ServiceProviderConfig',
  headers: [['Accept', 'application/scim+json'], ['Authorization', AUTHORIZATION]],
};

describe.skipIf(!hasOpenssl())('a self-signed https target', () => {
  let server: SelfSignedServer;
  let origin: string;
  const authorizations: (string | undefined)[] = [];

  beforeAll(async () => {
    server = await startSelfSignedServer((req, res) => {
      authorizations.push(req.headers.authorization);
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]}');
    });
    origin = server.origin;
  });

  afterAll(async () => {
    await server?.close();
  });

  it('is refused by default, in one line that names --insecure, and nothing is sent', async () => {
    const target = createRemoteTarget({ baseUrl: `${origin}/scim/v2`, auth: { kind: 'bearer', token: 'secret' } });
    try {
      const error = await target.send(request).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(TargetUnreachable);
      expect((error as Error).message).toBe(`certificate not trusted (self-signed) at ${origin}; pass --insecure to accept it`);
      expect(authorizations).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('is accepted with insecure, credentials and all', async () => {
    const target = createRemoteTarget({ baseUrl: `${origin}/scim/v2`, auth: { kind: 'bearer', token: 'secret' }, insecure: true });
    try {
      const response = await target.send(request);
      expect(response.status).toBe(200);
      expect(authorizations).toEqual(['Bearer secret']);
    } finally {
      await target.close();
    }
  });

  it('an http:// URL pointed at the https port suggests https://', async () => {
    const target = createRemoteTarget({ baseUrl: `${origin.replace('https:', 'http:')}/scim/v2`, auth: { kind: 'none' }, timeoutMs: 5_000 });
    try {
      await expect(target.send(request)).rejects.toThrow(/closed the connection without a response \(if the server uses TLS, the URL should start with https:\/\/\)/);
    } finally {
      await target.close();
    }
  });
});
