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

/** Long flat chains (the parser's term limit is 1000) and deep parentheses, as a SearchRequest filter. */
const hostileFilter = fc.oneof(
  fc
    .record({ terms: fc.integer({ min: 990, max: 25_000 }), joiner: fc.constantFrom(' and ', ' or ', ' AND ', ' Or ') })
    .map(({ terms, joiner }) => Array.from({ length: terms }, (_, i) => `userName eq "u${i}"`).join(joiner)),
  fc.integer({ min: 60, max: 5_000 }).map((depth) => '('.repeat(depth) + 'userName pr' + ')'.repeat(depth)),
  fc.integer({ min: 60, max: 5_000 }).map((depth) => 'not ('.repeat(depth) + 'userName pr' + ')'.repeat(depth)),
);

/**
 * JSON text of a value wrapped in `depth` arrays or objects, around the 64-level body limit and
 * far past it. Generated as a small record and built as text inside the property, so that
 * neither fast-check's reporting nor JSON.stringify in the test recurses over it.
 */
const deepShape = fc.record({
  depth: fc.oneof(fc.integer({ min: 1, max: 80 }), fc.integer({ min: 1_000, max: 5_000 })),
  inObjects: fc.boolean(),
  leaf: fc.jsonValue({ maxDepth: 1 }),
});
const deepText = ({ depth, inObjects, leaf }: { depth: number; inObjects: boolean; leaf: unknown }) =>
  (inObjects ? '{"a":'.repeat(depth) : '['.repeat(depth)) + JSON.stringify(leaf) + (inObjects ? '}' : ']').repeat(depth);

/** JSON text with a member that names the object machinery, at the top level or one level down. */
const pollutingText = fc
  .record({
    key: fc.constantFrom('__proto__', 'constructor', 'prototype', 'Constructor', '__PROTO__'),
    value: fc.jsonValue({ maxDepth: 2 }),
    nested: fc.boolean(),
  })
  .map(({ key, value, nested }) => {
    const member = `${JSON.stringify(key)}:${JSON.stringify(value)}`;
    const inner = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"p",${member}}`;
    return nested ? `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":${inner}}],"x":${inner}}` : inner;
  });

/** startIndex/count as sent in a URL: huge, negative, beyond 2^53, non-numeric. */
const pagingText = fc.oneof(
  fc.bigInt({ min: -(2n ** 80n), max: 2n ** 80n }).map(String),
  fc.constantFrom('9007199254740993', '1' + '0'.repeat(400), '-' + '9'.repeat(400), '0', '', ' 1', '1e3', '0x10'),
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

  it('long and deeply nested filters never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(hostileFilter, fc.constantFrom('/.search', '/Users/.search', '/Groups/.search'), async (filter, path) => {
        const reply = await server.scim('POST', path, { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], filter });
        expect4xx(reply.status, `${path} ${filter.slice(0, 80)}… (${filter.length} chars): ${reply.text.slice(0, 300)}`);
      }),
      { numRuns: 25 },
    );
  });

  it('deeply nested bodies never produce a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(deepShape, fc.constantFrom('resource', 'patch', 'bulk', 'search'), async (shape, kind) => {
        const deep = deepText(shape);
        const bodies = {
          resource: ['POST', '/Users', `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"deep","extra":${deep}}`],
          patch: ['PATCH', `/Users/${userId}`, `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","path":"title","value":${deep}}]}`],
          bulk: ['POST', '/Bulk', `{"Operations":[{"method":"POST","path":"/Users","bulkId":"b","data":{"userName":"bulkId:b","deep":${deep}}}]}`],
          search: ['POST', '/.search', `{"filter":"userName pr","deep":${deep}}`],
        } as const;
        const [method, path, body] = bodies[kind];
        const reply = await server.scim(method, path, body);
        expect4xx(reply.status, `${method} ${path} depth ${shape.depth}: ${reply.text.slice(0, 300)}`);
        if (reply.status >= 400) expect(reply.body.schemas).toEqual(['urn:ietf:params:scim:api:messages:2.0:Error']);
      }),
      { numRuns: 60 },
    );
  });

  it('members named __proto__ or constructor never produce a 5xx or reach Object.prototype', async () => {
    await fc.assert(
      fc.asyncProperty(pollutingText, fc.constantFrom('/Users', `/Groups`, '/Bulk', '/.search', 'PATCH'), async (text, target) => {
        const reply = target === 'PATCH' ? await server.scim('PATCH', `/Users/${userId}`, text) : await server.scim('POST', target, text);
        expect4xx(reply.status, `${target} ${text}: ${reply.text}`);
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it('paging parameters never produce a 5xx and echo a JSON integer', async () => {
    await fc.assert(
      fc.asyncProperty(pagingText, pagingText, fc.constantFrom('/Users', '/Groups'), async (startIndex, count, endpoint) => {
        const reply = await server.scim('GET', `${endpoint}?startIndex=${encodeURIComponent(startIndex)}&count=${encodeURIComponent(count)}`);
        expect4xx(reply.status, `${endpoint} startIndex=${startIndex} count=${count}: ${reply.text}`);
        if (reply.status === 200) {
          expect(Number.isSafeInteger(reply.body.startIndex)).toBe(true);
          expect(reply.body.startIndex).toBeGreaterThanOrEqual(1);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('still answers normally afterwards', async () => {
    const reply = await server.scim('GET', `/Users/${userId}`);
    expect([200, 404]).toContain(reply.status);
    expect((await server.scim('GET', '/ServiceProviderConfig')).status).toBe(200);
  });
});
