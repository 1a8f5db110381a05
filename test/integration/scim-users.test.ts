import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as httpRequest } from 'node:http';
import { ENTERPRISE, TEST_TOKEN, USER_SCHEMA, patchOp, startTestServer, user, type TestServer } from '../support/provider.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.close());

describe('Users: create', () => {
  it('creates a user with a server id, meta, Location and ETag, and never echoes the password', async () => {
    const reply = await server.scim('POST', '/Users', {
      ...user('Barbara.Jensen@example.com', { password: 's3cret!', externalId: 'EXT-Bjensen' }),
      name: { givenName: 'Barbara', familyName: 'Jensen' },
      emails: [{ value: 'bjensen@example.com', type: 'work', primary: true }],
      [ENTERPRISE]: { department: 'Tour Operations', employeeNumber: '701984' },
    });
    expect(reply.status).toBe(201);
    expect(reply.headers.get('content-type')).toMatch(/^application\/scim\+json/);
    const body = reply.body;
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.externalId).toBe('EXT-Bjensen');
    expect(body.userName).toBe('Barbara.Jensen@example.com');
    expect(body.password).toBeUndefined();
    expect(body.schemas).toEqual([USER_SCHEMA, ENTERPRISE]);
    expect(body[ENTERPRISE]).toEqual({ department: 'Tour Operations', employeeNumber: '701984' });
    expect(body.meta.resourceType).toBe('User');
    expect(body.meta.location).toBe(`${server.base}/Users/${body.id}`);
    expect(reply.headers.get('location')).toBe(body.meta.location);
    expect(reply.headers.get('etag')).toBe(body.meta.version);
    expect(body.meta.version).toMatch(/^W\/".+"$/);
    expect(Date.parse(body.meta.created)).not.toBeNaN();
    expect(body.meta.lastModified).toBe(body.meta.created);
  });

  it('builds meta.location from the host the request was addressed to', async () => {
    // fetch() may not set Host, so this request goes through node:http.
    const body = await new Promise<{ id: string; meta: { location: string } }>((resolve, reject) => {
      const req = httpRequest(
        `${server.base}/Users`,
        {
          method: 'POST',
          headers: { host: 'scim.example.test:9999', authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/scim+json' },
        },
        (res) => {
          let text = '';
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => resolve(JSON.parse(text)));
        },
      );
      req.on('error', reject);
      req.end(JSON.stringify(user('host.check@example.com')));
    });
    expect(body.meta.location).toBe(`http://scim.example.test:9999/scim/v2/Users/${body.id}`);
  });

  it('rejects a duplicate userName case-insensitively with 409 uniqueness', async () => {
    await server.scim('POST', '/Users', user('dup.user@example.com'));
    const reply = await server.scim('POST', '/Users', user('DUP.User@Example.com'));
    expect(reply.status).toBe(409);
    expect(reply.body).toMatchObject({
      schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'],
      status: '409',
      scimType: 'uniqueness',
    });
    expect(reply.body.detail).toContain('dup.user@example.com');
  });

  it('requires userName and checks attribute types', async () => {
    const missing = await server.scim('POST', '/Users', { schemas: [USER_SCHEMA], displayName: 'No Name' });
    expect(missing.status).toBe(400);
    expect(missing.body.scimType).toBe('invalidValue');
    expect(missing.body.detail).toContain('userName');
    const wrongType = await server.scim('POST', '/Users', user('typed@example.com', { active: 'yes' }));
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.scimType).toBe('invalidValue');
    expect(wrongType.body.detail).toContain('active');
    const twoPrimaries = await server.scim('POST', '/Users', user('primaries@example.com', {
      emails: [{ value: 'a@x.com', primary: true }, { value: 'b@x.com', primary: true }],
    }));
    expect(twoPrimaries.status).toBe(400);
    expect(twoPrimaries.body.detail).toContain('primary');
  });

  it('accepts Entra "True"/"False" booleans, ignores read-only and unknown attributes', async () => {
    const reply = await server.scim('POST', '/Users', {
      schemas: [USER_SCHEMA, 'urn:scim:schemas:core:1.0'],
      userName: 'entra.style@example.com',
      active: 'False',
      id: 'client-chosen-id',
      groups: [{ value: 'nope' }],
      favouriteColour: 'teal',
    });
    expect(reply.status).toBe(201);
    expect(reply.body.active).toBe(false);
    expect(reply.body.id).not.toBe('client-chosen-id');
    expect(reply.body.groups).toBeUndefined();
    expect(reply.body.favouriteColour).toBeUndefined();
    const logged = server.provider.log.entries().at(-1)!;
    expect(logged.notes).toEqual(
      expect.arrayContaining([
        { code: 'unknown-schema-uri', detail: expect.stringMatching(/urn:scim:schemas:core:1\.0/) },
        { code: 'string-boolean', detail: expect.stringMatching(/"active" was the string "False"/) },
        { code: 'unknown-attribute-ignored', detail: expect.stringMatching(/favouriteColour/) },
      ]),
    );
  });

  it("maps OneLogin's pre-RFC enterprise extension key onto the enterprise schema", async () => {
    const reply = await server.scim('POST', '/Users', {
      schemas: ['urn:scim:schemas:core:2.0', 'urn:scim:schemas:extension:enterprise:2.0'],
      userName: 'onelogin-test-user01',
      name: { familyName: ' User 01', givenName: 'AAA Test' },
      'urn:scim:schemas:extension:enterprise:2.0': { department: 'QA' },
    });
    expect(reply.status).toBe(201);
    expect(reply.body[ENTERPRISE]).toEqual({ department: 'QA' });
    expect(reply.body.name.familyName).toBe(' User 01');
    // Each OneLogin deviation is reported under its own code (docs/leniencies.md).
    const codes = server.provider.log.entries().at(-1)!.notes.map((note) => note.code);
    expect([...new Set(codes)].sort()).toEqual(['core-schema-not-listed', 'enterprise-extension-alias', 'unknown-schema-uri']);
  });

  it('notes a body sent without Content-Type, and a sortBy a root search cannot apply, by code', async () => {
    // Through node:http: fetch would add "text/plain" to a string body.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(`${server.base}/Users`, { method: 'POST', headers: { authorization: `Bearer ${TEST_TOKEN}` } }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode!));
      });
      req.on('error', reject);
      req.end(JSON.stringify(user('no-content-type@example.com')));
    });
    expect(status).toBe(201);
    expect(server.provider.log.entries().at(-1)!.notes).toEqual([
      { code: 'missing-content-type', detail: 'no Content-Type header; body read as application/scim+json' },
    ]);
    const root = await server.scim('POST', '/.search', { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], sortBy: 'userName' });
    expect(root.status).toBe(200);
    expect(server.provider.log.entries().at(-1)!.notes.map((note) => note.code)).toEqual(['root-search-sort-ignored']);
  });
});

describe('Users: read, replace, patch, delete', () => {
  it('round-trips a user through GET, PUT, PATCH and DELETE', async () => {
    const created = await server.scim('POST', '/Users', user('lifecycle@example.com', { displayName: 'Life Cycle', nickName: 'lc' }));
    const id = created.body.id;
    const fetched = await server.scim('GET', `/Users/${id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toEqual(created.body);

    // PUT replaces: nickName not sent is gone; id, created and read-only attributes are kept.
    const replaced = await server.scim('PUT', `/Users/${id}`, {
      ...user('lifecycle@example.com', { displayName: 'Life Cycle 2', id: 'ignored', groups: [] }),
      meta: { resourceType: 'User' },
    });
    expect(replaced.status).toBe(200);
    expect(replaced.body.id).toBe(id);
    expect(replaced.body.displayName).toBe('Life Cycle 2');
    expect(replaced.body.nickName).toBeUndefined();
    expect(replaced.body.meta.created).toBe(created.body.meta.created);
    expect(replaced.body.meta.version).not.toBe(created.body.meta.version);

    const patched = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'Replace', path: 'active', value: 'False' }));
    expect(patched.status).toBe(200);
    expect(patched.body.active).toBe(false);
    expect(patched.headers.get('etag')).toBe(patched.body.meta.version);

    const deleted = await server.scim('DELETE', `/Users/${id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    const gone = await server.scim('GET', `/Users/${id}`);
    expect(gone.status).toBe(404);
    expect(gone.body.status).toBe('404');
    expect(gone.body.detail).toContain(id);
  });

  it('PUT cannot take another user\'s userName', async () => {
    const a = await server.scim('POST', '/Users', user('put.a@example.com'));
    await server.scim('POST', '/Users', user('put.b@example.com'));
    const reply = await server.scim('PUT', `/Users/${a.body.id}`, user('PUT.B@example.com'));
    expect(reply.status).toBe(409);
    expect(reply.body.scimType).toBe('uniqueness');
  });

  it('a PUT or PATCH that changes nothing keeps the version', async () => {
    const created = await server.scim('POST', '/Users', user('noop@example.com', { title: 'Same' }));
    const put = await server.scim('PUT', `/Users/${created.body.id}`, user('noop@example.com', { title: 'Same' }));
    expect(put.body.meta.version).toBe(created.body.meta.version);
    const patch = await server.scim('PATCH', `/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'title', value: 'Same' }));
    expect(patch.body.meta.version).toBe(created.body.meta.version);
  });

  it('PATCH is atomic: when one operation fails, none is applied', async () => {
    const created = await server.scim('POST', '/Users', user('atomic@example.com', { title: 'Before' }));
    const reply = await server.scim(
      'PATCH',
      `/Users/${created.body.id}`,
      patchOp({ op: 'replace', path: 'title', value: 'After' }, { op: 'replace', path: 'noSuchAttribute', value: 1 }),
    );
    expect(reply.status).toBe(400);
    expect(reply.body.scimType).toBe('invalidPath');
    const after = await server.scim('GET', `/Users/${created.body.id}`);
    expect(after.body.title).toBe('Before');
  });

  it('PATCH reports invalidPath, noTarget and mutability errors', async () => {
    const created = await server.scim('POST', '/Users', user('errors@example.com', { emails: [{ value: 'e@x.com', type: 'home' }] }));
    const id = created.body.id;
    const noPath = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'remove' }));
    expect([noPath.status, noPath.body.scimType]).toEqual([400, 'noTarget']);
    const readOnly = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'id', value: 'x' }));
    expect([readOnly.status, readOnly.body.scimType]).toEqual([400, 'mutability']);
    const noMatch = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'emails[type eq "work"].display', value: 'x' }));
    expect([noMatch.status, noMatch.body.scimType]).toEqual([400, 'noTarget']);
    const badFilter = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'replace', path: 'emails[type eq ]', value: 'x' }));
    expect(badFilter.status).toBe(400);
    expect(['invalidPath', 'invalidFilter']).toContain(badFilter.body.scimType);
    const removeRequired = await server.scim('PATCH', `/Users/${id}`, patchOp({ op: 'remove', path: 'userName' }));
    expect(removeRequired.status).toBe(400);
    expect(removeRequired.body.detail).toContain('userName');
  });

  it('PATCH cannot rename a user onto an existing userName', async () => {
    await server.scim('POST', '/Users', user('taken.name@example.com'));
    const created = await server.scim('POST', '/Users', user('free.name@example.com'));
    const reply = await server.scim('PATCH', `/Users/${created.body.id}`, patchOp({ op: 'replace', path: 'userName', value: 'Taken.Name@example.com' }));
    expect(reply.status).toBe(409);
  });

  it('sets the manager from a bare id and renders its $ref and displayName', async () => {
    const boss = await server.scim('POST', '/Users', user('the.boss@example.com', { displayName: 'The Boss' }));
    const report = await server.scim('POST', '/Users', user('report@example.com'));
    const reply = await server.scim(
      'PATCH',
      `/Users/${report.body.id}`,
      patchOp({ op: 'add', path: `${ENTERPRISE}:manager`, value: boss.body.id }),
    );
    expect(reply.status).toBe(200);
    expect(reply.body[ENTERPRISE].manager).toEqual({
      value: boss.body.id,
      $ref: `${server.base}/Users/${boss.body.id}`,
      displayName: 'The Boss',
    });
  });

  it('returns 404 for unknown ids on every verb', async () => {
    for (const method of ['GET', 'PUT', 'PATCH', 'DELETE']) {
      const body = method === 'PUT' ? user('x@example.com') : method === 'PATCH' ? patchOp({ op: 'add', path: 'title', value: 'x' }) : undefined;
      const reply = await server.scim(method, '/Users/does-not-exist', body);
      expect(reply.status, method).toBe(404);
      expect(reply.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
    }
  });
});
