/**
 * The remote target's credentials against msw handlers on a real port: each auth mode puts its
 * credential where the IdP puts Authorization, OAuth tokens are fetched per RFC 6749 §4.4, cached,
 * renewed before expiry and once after a 401, and 429s are waited out when the profile says so.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HttpResponse, http } from 'msw';
import { AUTHORIZATION } from '../../src-main/runner/exchange.js';
import type { OutgoingRequest } from '../../src-main/runner/http.js';
import type { Target, TargetAuth } from '../../src-main/runner/target.js';
import { TargetAuthFailed } from '../../src-main/runner/targets/oauth.js';
import { createRemoteTarget } from '../../src-main/runner/targets/remote-target.js';
import { sendWithRetryAfter } from '../../src-main/runner/targets/retry-after.js';
import { mswOnPort, type MswOnPort } from '../support/msw-on-port.js';

const listUsers: OutgoingRequest = {
  method: 'GET',
  path: '/Users',
  query: 'startIndex=1&count=100',
  headers: [
    ['Accept', 'application/scim+json'],
    ['Authorization', AUTHORIZATION],
    ['User-Agent', 'Okta SCIM Client 1.0.0'],
  ],
};

const emptyList = () =>
  HttpResponse.json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] });

let server: MswOnPort;
const targets: Target[] = [];

beforeAll(async () => {
  server = await mswOnPort();
});
afterEach(async () => {
  await Promise.all(targets.splice(0).map((target) => target.close()));
  server.received.length = 0;
});
afterAll(() => server.close());

function target(auth: TargetAuth, now?: () => number): Target {
  const created = createRemoteTarget({ baseUrl: `${server.origin}/scim/v2`, auth }, now ? { now } : {});
  targets.push(created);
  return created;
}

/** The headers of the n-th request received, without the transport's own host and connection. */
function sentHeaders(n: number) {
  return server.received[n].rawHeaders.filter(([name]) => !['host', 'connection'].includes(name));
}

function scimRequests() {
  return server.received.filter((request) => request.url.startsWith('/scim/v2'));
}

describe('static credentials', () => {
  it('bearer: fills the placeholder in the IdP\'s position', async () => {
    server.use(http.get('*/scim/v2/Users', ({ request }) =>
      request.headers.get('authorization') === 'Bearer s3cret' ? emptyList() : new HttpResponse(null, { status: 401 })));
    const response = await target({ kind: 'bearer', token: 's3cret' }).send(listUsers);
    expect(response.status).toBe(200);
    expect(sentHeaders(0)).toEqual([
      ['Accept', 'application/scim+json'],
      ['Authorization', 'Bearer s3cret'],
      ['User-Agent', 'Okta SCIM Client 1.0.0'],
    ]);
  });

  it('basic: RFC 7617 base64 of user:password in UTF-8', async () => {
    server.use(http.get('*/scim/v2/Users', () => emptyList()));
    await target({ kind: 'basic', username: 'okta-svc', password: 'pä:ss' }).send(listUsers);
    const value = server.received[0].header('authorization') ?? '';
    expect(value).toBe(`Basic ${Buffer.from('okta-svc:pä:ss', 'utf8').toString('base64')}`);
  });

  it('custom header: replaces the Authorization placeholder, in its position', async () => {
    server.use(http.get('*/scim/v2/Users', ({ request }) =>
      request.headers.get('x-api-key') === 'k-123' ? emptyList() : new HttpResponse(null, { status: 401 })));
    const response = await target({ kind: 'header', name: 'X-Api-Key', value: 'k-123' }).send(listUsers);
    expect(response.status).toBe(200);
    expect(sentHeaders(0)).toEqual([
      ['Accept', 'application/scim+json'],
      ['X-Api-Key', 'k-123'],
      ['User-Agent', 'Okta SCIM Client 1.0.0'],
    ]);
    expect(server.received[0].header('authorization')).toBeUndefined();
  });

  it('a request without the placeholder goes out with no credentials (a raw step checking 401)', async () => {
    server.use(http.get('*/scim/v2/Users', ({ request }) =>
      request.headers.has('authorization') ? emptyList() : new HttpResponse(null, { status: 401 })));
    const response = await target({ kind: 'bearer', token: 's3cret' }).send({ ...listUsers, headers: [['Accept', 'application/scim+json']] });
    expect(response.status).toBe(401);
  });

  it('none: drops the placeholder header instead of sending it', async () => {
    server.use(http.get('*/scim/v2/Users', () => emptyList()));
    await target({ kind: 'none' }).send(listUsers);
    expect(server.received[0].header('authorization')).toBeUndefined();
  });
});

describe('OAuth 2.0 client credentials', () => {
  const client = { kind: 'oauth-client-credentials', clientId: 'scim client', clientSecret: 's&cret', scope: 'scim.write' } as const;
  let issued = 0;

  /** An authorization server that issues numbered tokens and a SCIM API that accepts the ones it lists. */
  function serve(options: { expiresIn?: number; accepted: (token: string) => boolean; basic?: boolean }) {
    issued = 0;
    server.use(
      http.post('*/oauth/token', async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        const basic = request.headers.get('authorization');
        const id = basic ? decodeURIComponent(Buffer.from(basic.slice(6), 'base64').toString().split(':')[0].replace(/\+/g, ' ')) : form.get('client_id');
        if (form.get('grant_type') !== 'client_credentials' || id !== 'scim client') {
          return HttpResponse.json({ error: 'invalid_client', error_description: 'Client authentication failed' }, { status: 401 });
        }
        issued++;
        return HttpResponse.json({
          access_token: `token-${issued}`,
          token_type: 'Bearer',
          ...(options.expiresIn === undefined ? {} : { expires_in: options.expiresIn }),
        });
      }),
      http.get('*/scim/v2/Users', ({ request }) => {
        const token = (request.headers.get('authorization') ?? '').replace(/^Bearer /, '');
        return options.accepted(token) ? emptyList() : new HttpResponse(null, { status: 401 });
      }),
    );
  }

  it('fetches a token with HTTP Basic client authentication by default (RFC 6749 §2.3.1) and sends it as Bearer', async () => {
    serve({ expiresIn: 3600, accepted: () => true });
    const oauth = target({ ...client, tokenUrl: `${server.origin}/oauth/token` });
    expect((await oauth.send(listUsers)).status).toBe(200);

    const [tokenRequest, scimRequest] = server.received;
    expect(tokenRequest.method).toBe('POST');
    expect(tokenRequest.header('content-type')).toBe('application/x-www-form-urlencoded');
    // The id and secret are form-encoded before base64 (RFC 6749 §2.3.1): "scim+client:s%26cret".
    expect(tokenRequest.header('authorization')).toBe(`Basic ${Buffer.from('scim+client:s%26cret').toString('base64')}`);
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({ grant_type: 'client_credentials', scope: 'scim.write' });
    expect(scimRequest.header('authorization')).toBe('Bearer token-1');
  });

  it('sends client_id and client_secret as form fields when asked', async () => {
    serve({ expiresIn: 3600, accepted: () => true });
    const oauth = target({ ...client, tokenUrl: `${server.origin}/oauth/token`, clientAuthentication: 'body' });
    expect((await oauth.send(listUsers)).status).toBe(200);
    const tokenRequest = server.received[0];
    expect(tokenRequest.header('authorization')).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(tokenRequest.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'scim.write',
      client_id: 'scim client',
      client_secret: 's&cret',
    });
  });

  it('reuses the token, also across concurrent requests, until expires_in minus a margin', async () => {
    serve({ expiresIn: 600, accepted: () => true });
    let now = 1_000_000;
    const oauth = target({ ...client, tokenUrl: `${server.origin}/oauth/token` }, () => now);
    await Promise.all([oauth.send(listUsers), oauth.send(listUsers), oauth.send(listUsers)]);
    expect(issued).toBe(1);

    now += 539_000; // 600 s minus a 60 s margin: not yet due
    await oauth.send(listUsers);
    expect(issued).toBe(1);

    now += 2_000; // past 540 s: renewed before it expires
    await oauth.send(listUsers);
    expect(issued).toBe(2);
    expect(scimRequests().map((request) => request.header('authorization'))).toEqual([
      'Bearer token-1', 'Bearer token-1', 'Bearer token-1', 'Bearer token-1', 'Bearer token-2',
    ]);
  });

  it('renews a cached token the target refuses with 401, once, and retries the request once', async () => {
    let revoked = '';
    serve({ expiresIn: 3600, accepted: (token) => token !== revoked });
    const oauth = target({ ...client, tokenUrl: `${server.origin}/oauth/token` });
    await oauth.send(listUsers);
    revoked = 'token-1';
    const response = await oauth.send(listUsers);
    expect(response.status).toBe(200);
    expect(issued).toBe(2);
    expect(scimRequests().map((request) => request.header('authorization'))).toEqual(['Bearer token-1', 'Bearer token-1', 'Bearer token-2']);
  });

  it('returns the 401 when even a fresh token is refused, without asking for more tokens', async () => {
    serve({ expiresIn: 3600, accepted: () => false });
    const oauth = target({ ...client, tokenUrl: `${server.origin}/oauth/token` });
    expect((await oauth.send(listUsers)).status).toBe(401);
    expect(issued).toBe(1);
    expect(scimRequests()).toHaveLength(1);
  });

  it('a refused client is one clear line naming the token endpoint, the OAuth error and the flags', async () => {
    serve({ expiresIn: 3600, accepted: () => true });
    const oauth = target({ ...client, clientId: 'someone else', tokenUrl: `${server.origin}/oauth/token` });
    const error = await oauth.send(listUsers).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TargetAuthFailed);
    expect((error as Error).message).toBe(
      `OAuth token request to ${server.origin}/oauth/token failed: 401 invalid_client (Client authentication failed); check --client-id, --client-secret and --oauth-token-url`,
    );
    expect(scimRequests()).toHaveLength(0);
  });
});

describe('429 with Retry-After through a remote target', () => {
  function rateLimitOnce(retryAfter: string) {
    let calls = 0;
    server.use(http.get('*/scim/v2/Users', () =>
      ++calls === 1
        ? HttpResponse.json({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: '429' }, { status: 429, headers: { 'Retry-After': retryAfter } })
        : emptyList()));
  }

  it('waits what the target asks and retries once, reporting both attempts', async () => {
    rateLimitOnce('7');
    const remote = target({ kind: 'bearer', token: 't' });
    const waits: number[] = [];
    const sent: number[] = [];
    const result = await sendWithRetryAfter(
      (request: OutgoingRequest, attempt) => {
        sent.push(attempt);
        return remote.send(request);
      },
      listUsers,
      { honorRetryAfter: true, sleep: async (ms) => void waits.push(ms) },
    );
    expect(result.response.status).toBe(200);
    expect(result.attempts.map((attempt) => attempt.response.status)).toEqual([429, 200]);
    expect(result.attempts[0]).toMatchObject({ attempt: 0, retryAfterMs: 7000, waitedMs: 7000 });
    expect(sent).toEqual([0, 1]);
    expect(waits).toEqual([7000]);
    expect(scimRequests()).toHaveLength(2);
  });

  it('a profile that does not honour Retry-After gets the 429 and sends nothing more', async () => {
    rateLimitOnce('7');
    const remote = target({ kind: 'bearer', token: 't' });
    const result = await sendWithRetryAfter((request: OutgoingRequest) => remote.send(request), listUsers, {
      honorRetryAfter: false,
      sleep: () => Promise.reject(new Error('must not wait')),
    });
    expect(result.response.status).toBe(429);
    expect(scimRequests()).toHaveLength(1);
  });
});
