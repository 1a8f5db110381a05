import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { ENTERPRISE, GROUP_SCHEMA, TEST_TOKEN, USER_SCHEMA, patchOp, startTestServer, user, type TestServer } from '../support/provider.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { maxPayloadSize: 64 * 1024 } });
});
afterAll(() => server.close());

const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';

describe('authentication', () => {
  it('answers 401 with WWW-Authenticate and a SCIM error without a valid bearer token', async () => {
    const sameLength = TEST_TOKEN.slice(0, -1) + (TEST_TOKEN.endsWith('x') ? 'y' : 'x');
    const wrong = ['', 'Bearer wrong', `Basic ${Buffer.from('a:b').toString('base64')}`, `Bearer ${TEST_TOKEN}x`, `Bearer ${TEST_TOKEN.slice(0, -1)}`, `Bearer ${sameLength}`, `Bearer ${TEST_TOKEN}é`];
    for (const authorization of wrong) {
      const reply = await server.scim('GET', '/Users', undefined, { authorization });
      expect(reply.status, authorization).toBe(401);
      expect(reply.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect(reply.body).toMatchObject({ schemas: [ERROR], status: '401' });
    }
  });

  it('accepts the scheme name in any case', async () => {
    const reply = await server.scim('GET', '/Users', undefined, { authorization: `bearer ${TEST_TOKEN}` });
    expect(reply.status).toBe(200);
  });
});

describe('protocol errors', () => {
  it('malformed JSON is 400 invalidSyntax', async () => {
    const reply = await server.scim('POST', '/Users', '{"userName": ');
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ schemas: [ERROR], status: '400', scimType: 'invalidSyntax' });
  });

  it('unknown routes are 404, wrong methods 405 with Allow', async () => {
    const unknown = await server.scim('GET', '/Widgets');
    expect(unknown.status).toBe(404);
    expect(unknown.body.schemas).toEqual([ERROR]);
    const outside = await fetch(`${server.provider.origin}/not-scim`, { headers: { authorization: `Bearer ${TEST_TOKEN}` } });
    expect(outside.status).toBe(404);
    const wrong = await server.scim('DELETE', '/Users');
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('GET, POST');
    expect(wrong.body.status).toBe('405');
    const put = await server.scim('PUT', '/ServiceProviderConfig', {});
    expect(put.status).toBe(405);
  });

  it('bodies over maxPayloadSize are 413', async () => {
    const big = user('big@example.com', { title: 'x'.repeat(70 * 1024) });
    const reply = await server.scim('POST', '/Users', big);
    expect(reply.status).toBe(413);
    expect(reply.body.status).toBe('413');
    expect(reply.body.detail).toContain(String(64 * 1024));
  });

  it('accepts application/json and application/scim+json with parameters, refuses other media types', async () => {
    const json = await server.scim('POST', '/Users', user('json@example.com'), { 'content-type': 'application/json' });
    expect(json.status).toBe(201);
    const okta = await server.scim('POST', '/Users', user('okta.ct@example.com'), { 'content-type': 'application/scim+json; charset=utf-8' });
    expect(okta.status).toBe(201);
    const xml = await server.scim('POST', '/Users', user('xml@example.com'), { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.headers.get('content-type')).toMatch(/^application\/scim\+json/);
  });

  it('every response, errors included, is application/scim+json', async () => {
    for (const path of ['/Users', '/Nope', '/ServiceProviderConfig', '/Users/missing']) {
      const reply = await server.scim('GET', path);
      expect(reply.headers.get('content-type'), path).toMatch(/^application\/scim\+json/);
    }
  });

  it('/Me is 501', async () => {
    const reply = await server.scim('GET', '/Me');
    expect(reply.status).toBe(501);
  });

  it('tolerates a trailing "?" on resource URLs (OneLogin)', async () => {
    const created = await server.scim('POST', '/Users', user('trailing@example.com'));
    const put = await server.scim('PUT', `/Users/${created.body.id}?`, user('trailing@example.com', { title: 'T' }));
    expect(put.status).toBe(200);
    expect(put.body.title).toBe('T');
  });
});

describe('ETags', () => {
  it('If-None-Match answers 304 while the version is current', async () => {
    const created = await server.scim('POST', '/Users', user('etag.get@example.com'));
    const etag = created.headers.get('etag')!;
    const notModified = await server.scim('GET', `/Users/${created.body.id}`, undefined, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    await server.scim('PATCH', `/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'title', value: 'changed' }));
    const modified = await server.scim('GET', `/Users/${created.body.id}`, undefined, { 'if-none-match': etag });
    expect(modified.status).toBe(200);
  });

  it('If-Match guards PUT, PATCH and DELETE with 412', async () => {
    const created = await server.scim('POST', '/Users', user('etag.write@example.com'));
    const id = created.body.id;
    const stale = 'W/"999"';
    expect((await server.scim('PUT', `/Users/${id}`, user('etag.write@example.com'), { 'if-match': stale })).status).toBe(412);
    const patch = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'add', path: 'title', value: 'x' }), { 'if-match': stale });
    expect(patch.status).toBe(412);
    expect(patch.body.detail).toContain(created.headers.get('etag'));
    expect((await server.scim('DELETE', `/Users/${id}`, undefined, { 'if-match': stale })).status).toBe(412);
    const ok = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'add', path: 'title', value: 'x' }), {
      'if-match': created.headers.get('etag')!,
    });
    expect(ok.status).toBe(200);
    expect((await server.scim('DELETE', `/Users/${id}`, undefined, { 'if-match': '*' })).status).toBe(204);
  });
});

describe('discovery', () => {
  it('ServiceProviderConfig describes what the server does', async () => {
    const reply = await server.scim('GET', '/ServiceProviderConfig');
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
      patch: { supported: true },
      bulk: { supported: true, maxOperations: 1000, maxPayloadSize: 64 * 1024 },
      filter: { supported: true, maxResults: 1000 },
      sort: { supported: true },
      etag: { supported: true },
      changePassword: { supported: false },
    });
    expect(reply.body.authenticationSchemes[0].type).toBe('oauthbearertoken');
  });

  it('ResourceTypes lists User (with the enterprise extension) and Group', async () => {
    const list = await server.scim('GET', '/ResourceTypes');
    expect(list.body.totalResults).toBe(2);
    const userType = await server.scim('GET', '/ResourceTypes/User');
    expect(userType.body).toMatchObject({
      id: 'User',
      endpoint: '/Users',
      schema: USER_SCHEMA,
      schemaExtensions: [{ schema: ENTERPRISE, required: false }],
    });
    expect((await server.scim('GET', '/ResourceTypes/Widget')).status).toBe(404);
  });

  it('Schemas expose each attribute with its characteristics', async () => {
    const list = await server.scim('GET', '/Schemas');
    expect(list.body.Resources.map((s: { id: string }) => s.id).sort()).toEqual([GROUP_SCHEMA, USER_SCHEMA, ENTERPRISE].sort());
    const userSchema = await server.scim('GET', `/Schemas/${USER_SCHEMA}`);
    const attrs = userSchema.body.attributes as { name: string; [k: string]: unknown }[];
    expect(attrs.find((a) => a.name === 'userName')).toMatchObject({ required: true, caseExact: false, uniqueness: 'server' });
    expect(attrs.find((a) => a.name === 'password')).toMatchObject({ mutability: 'writeOnly', returned: 'never' });
    expect(attrs.find((a) => a.name === 'groups')).toMatchObject({ mutability: 'readOnly', multiValued: true });
  });

  it('refuses filters on discovery endpoints with 403', async () => {
    const reply = await server.scim('GET', '/Schemas?filter=id%20eq%20%22x%22');
    expect(reply.status).toBe(403);
  });
});

describe('request log', () => {
  it('records each exchange with Authorization redacted and notifies subscribers', async () => {
    const seen: string[] = [];
    const unsubscribe = server.provider.log.subscribe((entry) => seen.push(`${entry.method} ${entry.status}`));
    await server.scim('POST', '/Users', user('logged@example.com'));
    unsubscribe();
    expect(seen).toEqual(['POST 201']);
    const entry = server.provider.log.entries().at(-1)!;
    expect(entry.url).toBe('/scim/v2/Users');
    expect(entry.requestHeaders.authorization).toBe('Bearer [redacted]');
    expect(JSON.stringify(entry)).not.toContain(TEST_TOKEN);
    expect(JSON.parse(entry.requestBody!).userName).toBe('logged@example.com');
    expect(JSON.parse(entry.responseBody!).id).toBeTruthy();
    expect(entry.durationMs).toBeGreaterThanOrEqual(0);
  });
});

describe('graceful shutdown', () => {
  it('finishes in-flight requests before close() resolves', async () => {
    const own = await startTestServer();
    const url = new URL(own.base + '/Users');
    // A request whose body arrives slowly is in flight when close() is called.
    const pending = new Promise<number>((resolve, reject) => {
      const req = httpRequest(
        url,
        { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/scim+json' } },
        (res) => {
          res.resume();
          resolve(res.statusCode ?? 0);
        },
      );
      req.on('error', reject);
      req.write('{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],');
      setTimeout(() => req.end('"userName":"inflight@example.com"}'), 150);
    });
    await new Promise((r) => setTimeout(r, 50));
    const closed = own.close();
    expect(await pending).toBe(201);
    await closed;
  });
});
