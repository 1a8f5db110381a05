/**
 * The provider composed without a socket, driven through its handler as the mock IdP will drive
 * it: many providers per test, reproducible when the clock and the ids are injected.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createProvider, type Provider } from '../../src-main/provider.js';
import { createScimHandler } from '../../src-main/scim/handler.js';
import { DirectoryStore } from '../../src-main/store/directory-store.js';
import type { ScimRequest } from '../../src-main/scim/http-types.js';
import type { CommitEvent } from '../../src-main/store/directory-store.js';
import { GROUP_SCHEMA, PATCH_OP, USER_SCHEMA } from '../support/provider.js';

const TOKEN = 'in-process-token';
const ORIGIN = 'http://scim.test';
const open: Provider[] = [];

afterEach(async () => {
  await Promise.all(open.splice(0).map((provider) => provider.close()));
});

/** A clock that advances one second per reading, and ids that count: the same run gives the same bytes. */
async function reproducibleProvider(): Promise<Provider> {
  let tick = Date.UTC(2026, 0, 1);
  let next = 0;
  const provider = await createProvider({
    token: TOKEN,
    now: () => new Date((tick += 1000)),
    newId: () => `id-${String(++next).padStart(4, '0')}`,
  });
  open.push(provider);
  return provider;
}

function request(method: string, path: string, body?: unknown): ScimRequest {
  return {
    method,
    url: `/scim/v2${path}`,
    origin: ORIGIN,
    headers: {
      authorization: `Bearer ${TOKEN}`,
      ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
}

/** A short provisioning run: create a user and a group, add the user, deactivate it, read both back. */
async function run(provider: Provider): Promise<string[]> {
  const transcript: string[] = [];
  const send = async (method: string, path: string, body?: unknown) => {
    const response = await provider.handle(request(method, path, body));
    transcript.push(`${method} ${path} ${response.status} ${response.headers.etag ?? ''} ${response.body ?? ''}`);
    return response.body === undefined ? undefined : (JSON.parse(response.body) as { id: string });
  };
  const created = await send('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'ada@example.com', active: true });
  const group = await send('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Engineering' });
  await send('PATCH', `/Groups/${group!.id}`, {
    schemas: [PATCH_OP],
    Operations: [{ op: 'add', path: 'members', value: [{ value: created!.id }] }],
  });
  await send('PATCH', `/Users/${created!.id}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] });
  await send('GET', `/Users/${created!.id}`);
  await send('GET', `/Groups/${group!.id}`);
  return transcript;
}

describe('a provider in memory, without a socket', () => {
  it('answers through its handler, and two runs with the injected clock and ids are byte for byte the same', async () => {
    const first = await run(await reproducibleProvider());
    const second = await run(await reproducibleProvider());
    expect(first).toEqual(second);
    // The injected values are what the client sees.
    const created = JSON.parse(first[0]!.slice(first[0]!.indexOf('{'))) as { id: string; meta: { created: string; location: string } };
    expect(created.id).toBe('id-0001');
    expect(created.meta.created).toMatch(/^2026-01-01T00:00:0\d\.000Z$/);
    expect(created.meta.location).toBe(`${ORIGIN}/scim/v2/Users/id-0001`);
  });

  it('runs many providers side by side, each with its own directory and log', async () => {
    const providers = await Promise.all(Array.from({ length: 20 }, () => reproducibleProvider()));
    await Promise.all(providers.map((provider, i) => provider.handle(request('POST', '/Users', { schemas: [USER_SCHEMA], userName: `u${i}` }))));
    for (const [i, provider] of providers.entries()) {
      expect(provider.store.count('User')).toBe(1);
      expect(provider.store.findUserByUserName(`u${i}`)).toBeDefined();
      expect(provider.log.entries()).toHaveLength(1);
    }
  });

  it('names, in each change event, the request-log entry of the exchange that caused it', async () => {
    const provider = await reproducibleProvider();
    const events: CommitEvent[] = [];
    provider.store.subscribe((event) => events.push(event));
    await provider.handle(request('GET', '/Users'));
    await provider.handle(request('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'grace@example.com' }));
    await provider.handle(request('DELETE', '/Users/id-0001'));
    const writes = provider.log.entries().filter((entry) => entry.method !== 'GET');
    expect(events).toEqual([
      { seq: events[0]!.seq, exchange: writes[0]!.seq, changes: [{ op: 'put', type: 'User', id: 'id-0001' }] },
      { seq: events[0]!.seq + 1, exchange: writes[1]!.seq, changes: [{ op: 'delete', type: 'User', id: 'id-0001' }] },
    ]);
  });

  it('keeps every operation of a Bulk request under the Bulk exchange', async () => {
    const provider = await reproducibleProvider();
    const events: CommitEvent[] = [];
    provider.store.subscribe((event) => events.push(event));
    await provider.handle(
      request('POST', '/Bulk', {
        schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
        Operations: [
          { method: 'POST', path: '/Users', bulkId: 'a', data: { schemas: [USER_SCHEMA], userName: 'a' } },
          { method: 'POST', path: '/Users', bulkId: 'b', data: { schemas: [USER_SCHEMA], userName: 'b' } },
        ],
      }),
    );
    const [bulk] = provider.log.entries();
    expect(events.map((event) => event.exchange)).toEqual([bulk!.seq, bulk!.seq]);
  });

  it('does not keep the body of an unauthenticated request in the log', async () => {
    const provider = await reproducibleProvider();
    const response = await provider.handle({
      ...request('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'x', padding: 'y'.repeat(60_000) }),
      headers: { 'content-type': 'application/scim+json' },
    });
    expect(response.status).toBe(401);
    const [entry] = provider.log.entries();
    expect(entry!.status).toBe(401);
    expect(entry!.requestBody).toBeUndefined();
  });

  it('tells the operator of a write that failed, not only the client', async () => {
    const store = await DirectoryStore.open({});
    const failure = new Error('Cannot write directory.json.journal: no space left on device (ENOSPC)');
    const failing = Object.assign(Object.create(store) as DirectoryStore, { commit: () => Promise.reject(failure) });
    const reported: Error[] = [];
    const handle = createScimHandler({ store: failing, token: TOKEN, onInternalError: (error) => reported.push(error) });
    const response = await handle(request('POST', '/Users', { schemas: [USER_SCHEMA], userName: 'disk@example.com' }));
    expect(response.status).toBe(500);
    expect(JSON.parse(response.body!).detail).toContain('no space left on device');
    expect(reported).toEqual([failure]);
    await store.close();
  });
});
