/**
 * Random filters, PATCH bodies and resource bodies sent over HTTP never produce a 5xx and never
 * take the server down: every rejection is a 4xx SCIM error.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ENTERPRISE, GROUP_SCHEMA, PATCH_OP, startTestServer, user, type TestServer } from '../support/provider.js';

let server: TestServer;
let userId: string;
let groupId: string;

beforeAll(async () => {
  server = await startTestServer();
  userId = (await server.scim('POST', '/Users', user('fuzz@example.com', { emails: [{ value: 'f@x.com', type: 'work' }] }))).body.id;
  groupId = (await server.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Fuzz', members: [{ value: userId }] })).body.id;
});
afterAll(() => server.close());

const TOKENS = [
  'userName', 'emails', 'members', 'name.givenName', 'meta.created', 'active', 'groups', 'value', 'type', 'displayName',
  `${ENTERPRISE}:department`, `${ENTERPRISE}:manager.value`, 'urn:x:y', '[', ']', '(', ')', '.', ' ', ' ', ' ',
  'eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'and', 'or', 'not', 'Eq', 'AND',
  '"work"', '"x"', '"2024-01-01T00:00:00Z"', 'true', 'false', 'null', '1.5', '-3', '"\\u00e9"', '"', '\\',
];

const tokenText = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 14 }).map((parts) => parts.join(''));
const spacedText = fc.array(fc.constantFrom(...TOKENS), { minLength: 1, maxLength: 10 }).map((parts) => parts.join(' '));
const filterText = fc.oneof(tokenText, spacedText, fc.string({ maxLength: 40 }));

const operation = fc.record(
  {
    op: fc.oneof(fc.constantFrom('add', 'replace', 'remove', 'Add', 'Replace', 'Remove', 'REMOVE'), fc.string({ maxLength: 8 })),
    path: fc.oneof(filterText, fc.constantFrom('members', 'emails[type eq "work"].value', 'name', 'active', `${ENTERPRISE}:manager`)),
    value: fc.oneof(
      fc.jsonValue({ maxDepth: 3 }),
      fc.constant([{ value: 'placeholder' }]),
      fc.constantFrom('False', 'True', true, null, { 'name.givenName': 'x' }, { active: 'false' }),
    ),
  },
  { requiredKeys: ['op'] },
);
const patchBody = fc.oneof(
  fc.record({ schemas: fc.constant([PATCH_OP]), Operations: fc.array(operation, { maxLength: 4 }) }),
  fc.jsonValue({ maxDepth: 3 }),
);

const expect4xx = (status: number, context: string) => {
  expect(status, context).toBeGreaterThanOrEqual(200);
  expect(status, context).toBeLessThan(500);
};

describe('random input over HTTP', () => {
  it('filters never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(filterText, fc.constantFrom('/Users', '/Groups'), async (filter, endpoint) => {
        const reply = await server.scim('GET', `${endpoint}?filter=${encodeURIComponent(filter)}&sortBy=${encodeURIComponent(filter.slice(0, 12))}`);
        expect4xx(reply.status, `${endpoint} ${filter}: ${reply.text}`);
        if (reply.status >= 400) expect(reply.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      }),
      { numRuns: 250 },
    );
  });

  it('PATCH bodies never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(patchBody, fc.boolean(), async (body, onGroup) => {
        const text = JSON.stringify(body).replaceAll('placeholder', userId);
        const path = onGroup ? `/Groups/${groupId}` : `/Users/${userId}`;
        const reply = await server.scim('PATCH', path, text);
        expect4xx(reply.status, `${path} ${text}: ${reply.text}`);
      }),
      { numRuns: 250 },
    );
  });

  it('resource and bulk bodies never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.jsonValue({ maxDepth: 4 }), fc.constantFrom('/Users', '/Groups', '/Bulk', '/.search', '/Users/.search'), async (body, path) => {
        const reply = await server.scim('POST', path, JSON.stringify(body));
        expect4xx(reply.status, `${path} ${JSON.stringify(body)}: ${reply.text}`);
      }),
      { numRuns: 200 },
    );
  });

  it('still answers normally afterwards', async () => {
    const reply = await server.scim('GET', `/Users/${userId}`);
    expect([200, 404]).toContain(reply.status);
    expect((await server.scim('GET', '/ServiceProviderConfig')).status).toBe(200);
  });
});
