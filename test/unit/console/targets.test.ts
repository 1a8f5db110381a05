/**
 * The console's targets: built-ins, saved remote targets in targets.json with sealed secrets that
 * never come back to the renderer, validation in words a person can act on, and open() giving a
 * Target that really sends (local through the provider's handler, practice shared for the session,
 * remote over HTTP with the saved credentials).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HttpResponse, http } from 'msw';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleEvents, SaveTargetArgs } from '../../../src-main/api/contract.js';
import { ConsoleFileError } from '../../../src-main/console/console-file.js';
import { InvalidCommandArguments } from '../../../src-main/console/invalid-arguments.js';
import type { ConsoleEventSink, SecretVault } from '../../../src-main/console/ports.js';
import { createMemoryVault } from '../../../src-main/console/secret-vault.js';
import { openTargetService, TargetSecretMissing, type TargetService } from '../../../src-main/console/targets.js';
import { createProvider, type Provider } from '../../../src-main/provider.js';
import { AUTHORIZATION } from '../../../src-main/runner/exchange.js';
import type { OutgoingRequest } from '../../../src-main/runner/http.js';
import { mswOnPort, type MswOnPort } from '../../support/msw-on-port.js';

/** A vault that really transforms what it stores, so a test can tell sealed from plain. */
const fakeSafeStorage: SecretVault = {
  persistent: true,
  seal: (plain) => Buffer.from(`sealed:${plain}`).toString('base64').split('').reverse().join(''),
  open: (sealed) => Buffer.from(sealed.split('').reverse().join(''), 'base64').toString().replace(/^sealed:/, ''),
};

const listUsers: OutgoingRequest = {
  method: 'GET',
  path: '/Users',
  query: 'count=1',
  headers: [
    ['Accept', 'application/scim+json'],
    ['Authorization', AUTHORIZATION],
  ],
};

const emptyList = () => HttpResponse.json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });

let dir: string;
let provider: Provider;
let remote: MswOnPort;
const emitted: { event: string; payload: unknown }[] = [];
const events: ConsoleEventSink = {
  emit<E extends keyof ConsoleEvents>(event: E, payload: ConsoleEvents[E]) {
    emitted.push({ event, payload });
  },
};
const open: TargetService[] = [];

async function service(vault: SecretVault = fakeSafeStorage, file: string | undefined = join(dir, 'targets.json')): Promise<TargetService> {
  const targets = await openTargetService({ ...(file === undefined ? {} : { file }), vault, local: { ...provider, baseUrl: 'http://127.0.0.1:8080/scim/v2' }, events });
  open.push(targets);
  return targets;
}

const bearer = (overrides: Partial<SaveTargetArgs> = {}): SaveTargetArgs => ({
  name: 'Acme staging',
  baseUrl: `${remote.origin}/scim/v2`,
  auth: { kind: 'bearer', token: 'tok-secret-123' },
  ...overrides,
});

beforeAll(async () => {
  remote = await mswOnPort(http.get('*/scim/v2/Users', emptyList));
});
afterAll(async () => {
  await remote.close();
});
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'scimulator-targets-'));
  provider = await createProvider({ token: 'local-token' });
  emitted.length = 0;
  remote.received.length = 0;
});
afterEach(async () => {
  for (const targets of open.splice(0)) await targets.close();
  await provider.close();
  await rm(dir, { recursive: true, force: true });
});

describe('built-in targets', () => {
  it('lists the local provider and the three practice products, which cannot be edited or deleted', async () => {
    const targets = await service();
    const list = await targets.listTargets();
    expect(list.map((target) => [target.id, target.kind, target.builtIn])).toEqual([
      ['local', 'local', true],
      ['practice:litellm', 'practice', true],
      ['practice:open-webui', 'practice', true],
      ['practice:metabase', 'practice', true],
    ]);
    expect(list[0]!.baseUrl).toBe('http://127.0.0.1:8080/scim/v2');
    await expect(targets.deleteTarget('local')).rejects.toThrow('Built-in targets cannot be deleted');
    await expect(targets.saveTarget(bearer({ id: 'practice:litellm' }))).rejects.toThrow('Built-in targets cannot be edited');
  });

  it("sends to the running provider through its handler, so the exchange shows in the provider's request log", async () => {
    const targets = await service();
    const local = await targets.open('local');
    const response = await local.send(listUsers);
    expect(response.status).toBe(200);
    expect(provider.log.entries().map((entry) => `${entry.method} ${entry.status}`)).toEqual(['GET 200']);
    await local.close();
    // Closing the run's target leaves the provider serving.
    expect((await (await targets.open('local')).send(listUsers)).status).toBe(200);
  });

  it('keeps one practice product per session, so a second action sees what the first created', async () => {
    const targets = await service();
    const first = await targets.open('practice:litellm');
    const created = await first.send({
      method: 'POST',
      path: '/Users',
      headers: [
        ['Content-Type', 'application/scim+json'],
        ['Authorization', AUTHORIZATION],
      ],
      body: JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'ada@example.com', name: { givenName: 'Ada', familyName: 'Abe' }, active: true }),
    });
    expect(created.status).toBe(201);
    await first.close();
    const second = await targets.open('practice:litellm');
    const list = await second.send({ ...listUsers, query: 'filter=userName%20eq%20%22ada%40example.com%22' });
    expect(JSON.parse(list.body!).totalResults).toBe(1);
  });
});

describe('saved remote targets', () => {
  it('saves a target, seals its secret on disk and never returns it', async () => {
    const targets = await service();
    const saved = await targets.saveTarget(bearer());
    expect(saved).toEqual({
      id: 'acme-staging',
      kind: 'remote',
      name: 'Acme staging',
      baseUrl: `${remote.origin}/scim/v2`,
      auth: { kind: 'bearer', secretSaved: true },
      insecure: false,
      builtIn: false,
    });
    expect(JSON.stringify(await targets.listTargets())).not.toContain('tok-secret-123');
    const file = await readFile(join(dir, 'targets.json'), 'utf8');
    expect(file).not.toContain('tok-secret-123');
    expect(JSON.parse(file)).toMatchObject({ format: 'scimulator-targets', version: 1 });
    expect(emitted).toContainEqual({ event: 'targets', payload: { count: 1 } });
  });

  it('sends with the saved secret after a restart', async () => {
    await (await service()).saveTarget(bearer());
    const reopened = await service();
    expect((await reopened.listTargets()).at(-1)).toMatchObject({ id: 'acme-staging', auth: { kind: 'bearer', secretSaved: true } });
    const target = await reopened.open('acme-staging');
    try {
      expect((await target.send(listUsers)).status).toBe(200);
    } finally {
      await target.close();
    }
    expect(remote.received.map((request) => request.header('authorization'))).toEqual(['Bearer tok-secret-123']);
  });

  it('keeps the saved secret when an edit leaves it out, and asks for one when the kind of auth changes', async () => {
    const targets = await service();
    const { id } = await targets.saveTarget(bearer());
    const renamed = await targets.saveTarget({ id, name: 'Acme prod', baseUrl: `${remote.origin}/scim/v2`, auth: { kind: 'bearer' } });
    expect(renamed).toMatchObject({ id, name: 'Acme prod', auth: { kind: 'bearer', secretSaved: true } });
    const target = await targets.open(id);
    await target.send(listUsers);
    await target.close();
    expect(remote.received[0]!.header('authorization')).toBe('Bearer tok-secret-123');

    await expect(targets.saveTarget({ id, name: 'Acme prod', baseUrl: `${remote.origin}/scim/v2`, auth: { kind: 'basic', username: 'scim' } })).rejects.toThrow(
      'The password is required',
    );
    const basic = await targets.saveTarget({ id, name: 'Acme prod', baseUrl: `${remote.origin}/scim/v2`, auth: { kind: 'basic', username: 'scim', password: 'pw' } });
    expect(basic.auth).toEqual({ kind: 'basic', username: 'scim', secretSaved: true });
  });

  it('in the browser host keeps secrets in memory only: never in the file, gone after a restart', async () => {
    const targets = await service(createMemoryVault());
    await targets.saveTarget(bearer());
    const target = await targets.open('acme-staging');
    await target.send(listUsers);
    await target.close();
    expect(remote.received[0]!.header('authorization')).toBe('Bearer tok-secret-123');
    expect(await readFile(join(dir, 'targets.json'), 'utf8')).not.toContain('tok-secret-123');

    const restarted = await service(createMemoryVault());
    expect((await restarted.listTargets()).at(-1)!.auth).toEqual({ kind: 'bearer', secretSaved: false });
    await expect(restarted.open('acme-staging')).rejects.toThrow(TargetSecretMissing);
  });

  it('gives new targets distinct readable ids and deletes them', async () => {
    const targets = await service();
    const a = await targets.saveTarget(bearer());
    const b = await targets.saveTarget(bearer());
    const local = await targets.saveTarget(bearer({ name: 'Local' }));
    expect([a.id, b.id, local.id]).toEqual(['acme-staging', 'acme-staging-2', 'local-2']);
    await targets.deleteTarget(a.id);
    expect((await targets.listTargets()).map((target) => target.id)).not.toContain('acme-staging');
    expect((await service()).describe('acme-staging-2').name).toBe('Acme staging');
    await expect(targets.deleteTarget('nope')).rejects.toThrow('No target "nope"');
  });

  it('refuses bad input with a message saying what to fix, and saves nothing', async () => {
    const targets = await service();
    const cases: [unknown, string][] = [
      [bearer({ name: ' ' }), 'Give the target a name'],
      [bearer({ baseUrl: 'example.com/scim' }), 'Base URL: not a URL: example.com/scim'],
      [bearer({ baseUrl: 'ftp://example.com/scim' }), 'not an http(s) URL'],
      [bearer({ baseUrl: 'https://example.com/scim?x=1' }), 'a SCIM base URL has no query or fragment'],
      [bearer({ baseUrl: 'https://user:pw@example.com/scim' }), 'put credentials in the auth options'],
      [bearer({ auth: { kind: 'bearer' } }), 'The bearer token is required'],
      [bearer({ auth: { kind: 'header', name: 'X Api Key', value: 'v' } }), 'The header name must be a single HTTP token'],
      [bearer({ auth: { kind: 'header', name: 'Host', value: 'v' } }), 'Host is set by the HTTP transport'],
      [bearer({ auth: { kind: 'basic', username: 'a:b', password: 'p' } }), 'cannot contain ":"'],
      [bearer({ auth: { kind: 'bearer', token: 'a\r\nX-Evil: 1' } }), 'cannot contain line breaks'],
      [bearer({ auth: { kind: 'oauth-client-credentials', tokenUrl: 'not a url', clientId: 'c', clientSecret: 's' } }), 'The OAuth token URL must be an http(s):// URL'],
      [bearer({ auth: { kind: 'oauth-client-credentials', tokenUrl: 'https://idp.example/token', clientId: '', clientSecret: 's' } }), 'OAuth needs a client ID'],
      [
        bearer({ auth: { kind: 'oauth-client-credentials', tokenUrl: 'https://idp.example/token', clientId: 'c', clientSecret: 's', clientAuthentication: 'jwt' as 'body' } }),
        'OAuth client authentication is "basic"',
      ],
      [bearer({ timeoutMs: -5 }), 'The timeout is a positive number'],
      [{ ...bearer(), auth: { kind: 'kerberos' } }, 'Auth is one of none, bearer, basic, header or oauth-client-credentials'],
      ['https://example.com', 'saveTarget takes one object'],
    ];
    for (const [args, message] of cases) {
      const attempt = targets.saveTarget(args as SaveTargetArgs);
      await expect(attempt, message).rejects.toThrow(InvalidCommandArguments);
      await expect(attempt).rejects.toThrow(message);
    }
    expect((await targets.listTargets()).filter((target) => !target.builtIn)).toEqual([]);
  });

  it('saves OAuth client credentials with their non-secret fields visible', async () => {
    const targets = await service();
    const saved = await targets.saveTarget(
      bearer({
        auth: { kind: 'oauth-client-credentials', tokenUrl: 'https://idp.example/oauth2/token', clientId: 'scimulator', clientSecret: 'cs-999', scope: 'scim' },
        insecure: true,
        timeoutMs: 5000,
      }),
    );
    expect(saved).toMatchObject({
      auth: { kind: 'oauth-client-credentials', tokenUrl: 'https://idp.example/oauth2/token', clientId: 'scimulator', scope: 'scim', clientAuthentication: 'basic', secretSaved: true },
      insecure: true,
      timeoutMs: 5000,
    });
    expect(JSON.stringify(saved)).not.toContain('cs-999');
  });
});

describe('targets.json', () => {
  it('refuses a corrupt file with its name and leaves it untouched', async () => {
    const file = join(dir, 'targets.json');
    await writeFile(file, '{"format": "scimulator-targets", "targets": [');
    await expect(service(fakeSafeStorage, file)).rejects.toThrow(ConsoleFileError);
    await expect(service(fakeSafeStorage, file)).rejects.toThrow(`${file} is not valid JSON`);
    expect(await readFile(file, 'utf8')).toBe('{"format": "scimulator-targets", "targets": [');
  });

  it('refuses a JSON file of another kind and leaves it untouched', async () => {
    const file = join(dir, 'targets.json');
    await writeFile(file, '{"people": []}');
    await expect(service(fakeSafeStorage, file)).rejects.toThrow(`${file} is not a Scimulator targets file: no "format": "scimulator-targets"`);
    expect(await readFile(file, 'utf8')).toBe('{"people": []}');
  });

  it('works in memory when there is no data directory', async () => {
    const targets = await service(createMemoryVault(), undefined);
    await targets.saveTarget(bearer());
    expect((await targets.listTargets()).map((target) => target.id)).toContain('acme-staging');
  });
});
