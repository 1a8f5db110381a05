import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GROUP_SCHEMA, startTestServer, user, type TestServer } from '../support/provider.js';

const BULK_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:BulkRequest';
const BULK_RESPONSE = 'urn:ietf:params:scim:api:messages:2.0:BulkResponse';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ limits: { maxOperations: 5 } });
});
afterAll(() => server.close());

const bulk = (operations: unknown[], extra: Record<string, unknown> = {}) =>
  server.scim('POST', '/Bulk', { schemas: [BULK_REQUEST], ...extra, Operations: operations });

describe('Bulk', () => {
  it('resolves bulkId references, including a group that refers to users created after it', async () => {
    const reply = await bulk([
      {
        method: 'POST',
        path: '/Groups',
        bulkId: 'g1',
        data: { schemas: [GROUP_SCHEMA], displayName: 'Bulk Team', members: [{ type: 'User', value: 'bulkId:u1' }, { value: 'bulkId:u2' }] },
      },
      { method: 'POST', path: '/Users', bulkId: 'u1', data: user('bulk.one@example.com') },
      { method: 'POST', path: '/Users', bulkId: 'u2', data: user('bulk.two@example.com') },
    ]);
    expect(reply.status).toBe(200);
    expect(reply.body.schemas).toEqual([BULK_RESPONSE]);
    const [group, one, two] = reply.body.Operations;
    expect([group.status, one.status, two.status]).toEqual(['201', '201', '201']);
    expect(group.bulkId).toBe('g1');
    expect(one.location).toMatch(new RegExp(`^${server.base}/Users/`));
    expect(one.version).toMatch(/^W\//);
    const fetched = await server.scim('GET', group.location.slice(server.base.length));
    const memberIds = fetched.body.members.map((m: { value: string }) => m.value).sort();
    expect(memberIds).toEqual([one.location.split('/').pop(), two.location.split('/').pop()].sort());
  });

  it('reports each failure in place and continues without failOnErrors', async () => {
    await server.scim('POST', '/Users', user('bulk.taken@example.com'));
    const reply = await bulk([
      { method: 'POST', path: '/Users', bulkId: 'a', data: user('bulk.taken@example.com') },
      { method: 'POST', path: '/Users', bulkId: 'b', data: user('bulk.fresh@example.com') },
      { method: 'DELETE', path: '/Users/does-not-exist' },
      { method: 'PATCH', path: '/Users/bulkId:a', data: { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'add', path: 'title', value: 'x' }] } },
    ]);
    const statuses = reply.body.Operations.map((op: { status: string }) => op.status);
    expect(statuses).toEqual(['409', '201', '404', '409']);
    expect(reply.body.Operations[0].response.scimType).toBe('uniqueness');
    expect(reply.body.Operations[3].response.detail).toContain('bulkId "a"');
  });

  it('stops after failOnErrors errors', async () => {
    const reply = await bulk(
      [
        { method: 'DELETE', path: '/Users/nope-1' },
        { method: 'DELETE', path: '/Users/nope-2' },
        { method: 'POST', path: '/Users', bulkId: 'late', data: user('bulk.never@example.com') },
      ],
      { failOnErrors: 1 },
    );
    expect(reply.body.Operations).toHaveLength(1);
    const search = await server.scim('GET', `/Users?filter=${encodeURIComponent('userName eq "bulk.never@example.com"')}`);
    expect(search.body.totalResults).toBe(0);
  });

  it('applies version as If-Match', async () => {
    const created = await server.scim('POST', '/Users', user('bulk.versioned@example.com'));
    const reply = await bulk([
      { method: 'PUT', path: `/Users/${created.body.id}`, version: 'W/"stale"', data: user('bulk.versioned@example.com', { title: 'x' }) },
    ]);
    expect(reply.body.Operations[0].status).toBe('412');
  });

  it('enforces maxOperations with 413 and refuses malformed requests', async () => {
    const six = Array.from({ length: 6 }, (_, i) => ({ method: 'DELETE', path: `/Users/x${i}` }));
    const tooMany = await bulk(six);
    expect(tooMany.status).toBe(413);
    expect(tooMany.body.detail).toContain('maxOperations');
    const noBulkId = await bulk([{ method: 'POST', path: '/Users', data: user('nobulkid@example.com') }]);
    expect(noBulkId.status).toBe(400);
    expect(noBulkId.body.scimType).toBe('invalidSyntax');
    const badMethod = await bulk([{ method: 'GET', path: '/Users' }]);
    expect(badMethod.status).toBe(400);
  });

  it('fails circular bulkId references with 409', async () => {
    const reply = await bulk([
      { method: 'POST', path: '/Groups', bulkId: 'x', data: { schemas: [GROUP_SCHEMA], displayName: 'X', members: [{ value: 'bulkId:y' }] } },
      { method: 'POST', path: '/Groups', bulkId: 'y', data: { schemas: [GROUP_SCHEMA], displayName: 'Y', members: [{ value: 'bulkId:x' }] } },
    ]);
    expect(reply.body.Operations.map((op: { status: string }) => op.status)).toEqual(['409', '409']);
  });

  it('is a single POST: other methods are 405', async () => {
    expect((await server.scim('GET', '/Bulk')).status).toBe(405);
  });
});
