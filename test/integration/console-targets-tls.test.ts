/**
 * A saved target accepts a self-signed certificate only when its "insecure" box is ticked: the
 * console's targets open remote targets with TLS verification on otherwise. The certificate is
 * made at test time with the openssl command line; without openssl the tests skip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConsoleEventSink } from '../../src-main/console/ports.js';
import { createMemoryVault } from '../../src-main/console/secret-vault.js';
import { openTargetService, type TargetService } from '../../src-main/console/targets.js';
import { createProvider, type Provider } from '../../src-main/provider.js';
import { AUTHORIZATION } from '../../src-main/runner/exchange.js';
import { TargetUnreachable } from '../../src-main/runner/target.js';
import { hasOpenssl, startSelfSignedServer, type SelfSignedServer } from '../support/self-signed-server.js';

const events: ConsoleEventSink = { emit: () => undefined };

describe.skipIf(!hasOpenssl())('a saved target with a self-signed certificate', () => {
  let server: SelfSignedServer;
  let origin: string;
  let provider: Provider;
  let targets: TargetService;
  let received = 0;

  beforeAll(async () => {
    server = await startSelfSignedServer((_req, res) => {
      received += 1;
      res.writeHead(200, { 'content-type': 'application/scim+json' }).end('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"]}');
    });
    origin = server.origin;
    provider = await createProvider();
    targets = await openTargetService({ vault: createMemoryVault(), local: { ...provider, baseUrl: 'http://127.0.0.1:9/scim/v2' }, events });
  });

  afterAll(async () => {
    await targets?.close();
    await provider?.close();
    await server?.close();
  });

  const probe = async (id: string) => {
    const target = await targets.open(id);
    try {
      return await target.send({ method: 'GET', path: '/ServiceProviderConfig', headers: [['Authorization', AUTHORIZATION]] });
    } finally {
      await target.close();
    }
  };

  it('is refused while the box is not ticked, and nothing reaches the server', async () => {
    const { id } = await targets.saveTarget({ name: 'Strict', baseUrl: `${origin}/scim/v2`, auth: { kind: 'bearer', token: 't' } });
    await expect(probe(id)).rejects.toThrow(TargetUnreachable);
    expect(received).toBe(0);
  });

  it('is accepted once the box is ticked', async () => {
    const { id } = await targets.saveTarget({ name: 'Lab', baseUrl: `${origin}/scim/v2`, auth: { kind: 'bearer', token: 't' }, insecure: true });
    expect((await probe(id)).status).toBe(200);
    expect(received).toBe(1);
  });
});
