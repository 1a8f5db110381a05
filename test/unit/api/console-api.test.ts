import { describe, expect, it } from 'vitest';
import { CONSOLE_USER_AGENT, type DirectoryCommit, type RequestLogEntry } from '../../../src-main/api/contract.js';
import {
  InvalidCommandArguments,
  createConsoleApi,
  runConsoleCommand,
  type ConsoleProvider,
} from '../../../src-main/api/console-api.js';
import type { ScimRequest, ScimResponse } from '../../../src-main/scim/http-types.js';

/** A provider whose handler answers from a script, recording what the console sent. */
function fakeProvider(answer: (request: ScimRequest) => ScimResponse) {
  const requests: ScimRequest[] = [];
  const logListeners = new Set<(entry: RequestLogEntry) => void>();
  const changeListeners = new Set<(commit: DirectoryCommit) => void>();
  const provider: ConsoleProvider = {
    origin: 'http://127.0.0.1:9999',
    baseUrl: 'http://127.0.0.1:9999/scim/v2',
    token: 'secret-token',
    store: {
      reset: async () => {},
      importDocument: async () => {},
      exportDocument: () => ({ users: [], groups: [] }),
      count: (type) => (type === 'User' ? 3 : 1),
      subscribe: (listener) => {
        changeListeners.add(listener);
        return () => changeListeners.delete(listener);
      },
    },
    log: {
      entries: () => [],
      subscribe: (listener) => {
        logListeners.add(listener);
        return () => logListeners.delete(listener);
      },
    },
    handle: async (request) => {
      requests.push(request);
      return answer(request);
    },
  };
  return { provider, requests, logListeners, changeListeners };
}

const listBody = JSON.stringify({
  schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'],
  totalResults: 1,
  startIndex: 1,
  itemsPerPage: 1,
  Resources: [{ id: 'u1', schemas: [], userName: 'alice' }],
});

describe('createConsoleApi', () => {
  it('reports server info from the provider', async () => {
    const { provider } = fakeProvider(() => ({ status: 200, headers: {} }));
    await expect(createConsoleApi(provider).getServerInfo()).resolves.toEqual({
      baseUrl: 'http://127.0.0.1:9999/scim/v2',
      token: 'secret-token',
      users: 3,
      groups: 1,
      host: 'browser',
      secretsPersisted: false,
    });
  });

  it('lists through the SCIM handler as an authenticated client would', async () => {
    const { provider, requests } = fakeProvider(() => ({ status: 200, headers: {}, body: listBody }));
    const result = await createConsoleApi(provider).listResources({
      type: 'User',
      filter: 'userName sw "a&b"',
      startIndex: 21,
      count: 20,
    });
    expect(result).toMatchObject({ ok: true, list: { totalResults: 1 } });
    expect(requests).toHaveLength(1);
    const [request] = requests;
    expect(request.method).toBe('GET');
    // %20, not +: a strict server need not read form encoding.
    expect(request.url).toBe('/scim/v2/Users?filter=userName%20sw%20%22a%26b%22&startIndex=21&count=20');
    expect(request.headers.authorization).toBe('Bearer secret-token');
    expect(request.headers['user-agent']).toBe(CONSOLE_USER_AGENT);
    expect(request.origin).toBe(provider.origin);
  });

  it('omits an empty filter', async () => {
    const { provider, requests } = fakeProvider(() => ({ status: 200, headers: {}, body: listBody }));
    await createConsoleApi(provider).listResources({ type: 'Group', filter: '  ' });
    expect(requests[0].url).toBe('/scim/v2/Groups');
  });

  it("returns the server's SCIM error verbatim", async () => {
    const error = {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '400',
      scimType: 'invalidFilter',
      detail: 'Expected an operator at position 9',
    };
    const { provider } = fakeProvider(() => ({ status: 400, headers: {}, body: JSON.stringify(error) }));
    await expect(createConsoleApi(provider).listResources({ type: 'User', filter: 'userName' })).resolves.toEqual({
      ok: false,
      status: 400,
      error,
    });
  });

  it('describes a non-SCIM failure instead of passing garbage on', async () => {
    const { provider } = fakeProvider(() => ({ status: 502, headers: {}, body: '<html>' }));
    const result = await createConsoleApi(provider).listResources({ type: 'User' });
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.detail).toMatch(/502/);
  });

  it.each([
    [undefined],
    [{ type: 'Nope' }],
    [{ type: 'User', filter: 3 }],
    [{ type: 'User', startIndex: -1 }],
    [{ type: 'User', count: 1.5 }],
  ])('refuses arguments outside the contract: %j', async (args) => {
    const { provider, requests } = fakeProvider(() => ({ status: 200, headers: {}, body: listBody }));
    await expect(runConsoleCommand(createConsoleApi(provider), 'listResources', [args])).rejects.toBeInstanceOf(
      InvalidCommandArguments,
    );
    expect(requests).toHaveLength(0);
  });

  it('refuses extra positional arguments', async () => {
    const { provider } = fakeProvider(() => ({ status: 200, headers: {} }));
    await expect(runConsoleCommand(createConsoleApi(provider), 'getServerInfo', [1])).rejects.toBeInstanceOf(
      InvalidCommandArguments,
    );
  });

  it('subscribes each event to its source and unsubscribes', () => {
    const { provider, logListeners, changeListeners } = fakeProvider(() => ({ status: 200, headers: {} }));
    const api = createConsoleApi(provider);
    const seen: string[] = [];
    const stopRequest = api.subscribe('request', (entry) => seen.push(`request ${entry.seq}`));
    const stopChange = api.subscribe('change', (commit) => seen.push(`change ${commit.seq} ${commit.changes[0]?.id}`));
    for (const listener of logListeners) listener({ seq: 7 } as RequestLogEntry);
    for (const listener of changeListeners) listener({ seq: 3, exchange: 7, changes: [{ op: 'put', type: 'User', id: 'u1' }] });
    expect(seen).toEqual(['request 7', 'change 3 u1']);
    stopRequest();
    stopChange();
    expect(logListeners.size + changeListeners.size).toBe(0);
  });
});
