/**
 * Hostile and out-of-range input over HTTP: every case answers 4xx with a SCIM error naming the
 * problem (or a valid ListResponse), never a 500, and the server keeps serving.
 */
import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_FILTER_TERMS } from '../../src-main/scim/filter/parser.js';
import { MAX_JSON_DEPTH } from '../../src-main/scim/json-bounds.js';
import {
  ENTERPRISE,
  GROUP_SCHEMA,
  PATCH_OP,
  TEST_TOKEN,
  USER_SCHEMA,
  startTestServer,
  user,
  type ScimReply,
  type TestServer,
} from '../support/provider.js';

const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const SEARCH_REQUEST = 'urn:ietf:params:scim:api:messages:2.0:SearchRequest';

let server: TestServer;
let userId: string;
let groupId: string;

beforeAll(async () => {
  server = await startTestServer();
  userId = (await server.scim('POST', '/Users', user('limits@example.com'))).body.id;
  groupId = (await server.scim('POST', '/Groups', { schemas: [GROUP_SCHEMA], displayName: 'Limits' })).body.id;
});
afterAll(() => server.close());

function expectScimError(reply: ScimReply, status: number, scimType: string, detail: RegExp): void {
  expect(reply.status, reply.text.slice(0, 300)).toBe(status);
  expect(reply.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: String(status), scimType });
  expect(reply.body.detail).toMatch(detail);
}

const chain = (terms: number, joiner: string) =>
  Array.from({ length: terms }, (_, i) => `userName eq "u${i}"`).join(` ${joiner} `);

/** `[[[ ... {"leaf": true} ... ]]]` nested `levels` deep. */
function nested(levels: number): unknown {
  let value: unknown = { leaf: true };
  for (let i = 1; i < levels; i++) value = [value];
  return value;
}

describe('filters with very many terms', () => {
  it.each([
    ['/.search', 12_000, 'or'],
    ['/Users/.search', 20_000, 'and'],
    ['/Groups/.search', 20_000, 'or'],
  ])('POST %s with %i "%s" terms is a 400 invalidFilter naming the limit', async (path, terms, joiner) => {
    const reply = await server.scim('POST', path, { schemas: [SEARCH_REQUEST], filter: chain(terms, joiner) });
    expectScimError(reply, 400, 'invalidFilter', new RegExp(`more than ${MAX_FILTER_TERMS} comparisons`));
  });

  it(`a chain of ${MAX_FILTER_TERMS} terms is still answered, on a resource type and at the root`, async () => {
    const filter = chain(MAX_FILTER_TERMS - 1, 'or') + ' or userName eq "limits@example.com"';
    for (const path of ['/Users/.search', '/.search']) {
      const reply = await server.scim('POST', path, { schemas: [SEARCH_REQUEST], filter });
      expect(reply.status, reply.text.slice(0, 300)).toBe(200);
      expect(reply.body.Resources.map((r: { id: string }) => r.id)).toEqual([userId]);
    }
  });

  it('a PATCH path with too many terms inside [...] is a 400 invalidPath', async () => {
    const inner = Array.from({ length: MAX_FILTER_TERMS + 1 }, (_, i) => `value eq "m${i}"`).join(' or ');
    const reply = await server.scim('PATCH', `/Groups/${groupId}`, {
      schemas: [PATCH_OP],
      Operations: [{ op: 'remove', path: `members[${inner}]` }],
    });
    expectScimError(reply, 400, 'invalidPath', /more than 1000 comparisons/);
  });
});

describe('deeply nested bodies', () => {
  it('Bulk data nested 2,500 levels is a 400 invalidSyntax', async () => {
    const reply = await server.scim('POST', '/Bulk', {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:BulkRequest'],
      Operations: [{ method: 'POST', path: '/Users', bulkId: 'deep', data: { schemas: [USER_SCHEMA], userName: 'deep', x: nested(2_500) } }],
    });
    expectScimError(reply, 400, 'invalidSyntax', new RegExp(`deeper than ${MAX_JSON_DEPTH} levels`));
  });

  it('a PATCH value, a resource body and a SearchRequest nested 2,500 levels are 400 invalidSyntax', async () => {
    const replies = [
      await server.scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'add', value: { title: nested(2_500) } }] }),
      await server.scim('POST', '/Users', user('deep@example.com', { extra: nested(2_500) })),
      await server.scim('PUT', `/Users/${userId}`, user('limits@example.com', { [ENTERPRISE]: { manager: nested(2_500) } })),
      await server.scim('POST', '/.search', { schemas: [SEARCH_REQUEST], filter: 'userName pr', extra: nested(2_500) }),
    ];
    for (const reply of replies) expectScimError(reply, 400, 'invalidSyntax', /deeper than 64 levels/);
  });

  it(`a body nested ${MAX_JSON_DEPTH} levels is within the limit`, async () => {
    // Unknown attributes are ignored with a note, so the depth alone decides the answer.
    const reply = await server.scim('POST', '/Users', user('shallow@example.com', { extra: nested(MAX_JSON_DEPTH - 1) }));
    expect(reply.status, reply.text).toBe(201);
  });
});

describe('member names that address the object machinery', () => {
  it.each(['constructor', '__proto__', 'prototype', 'Constructor'])('a top-level "%s" key is a 400 invalidSyntax', async (key) => {
    // Written by hand: JSON.stringify of an object literal would not carry an own "__proto__".
    const body = `{"schemas":["${USER_SCHEMA}"],"userName":"proto-${key}@example.com","${key}":{"polluted":true}}`;
    const reply = await server.scim('POST', '/Users', body);
    expectScimError(reply, 400, 'invalidSyntax', new RegExp(`member named "${key}"`));
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('is refused in PATCH values and Bulk data too', async () => {
    const patch = await server.scim(
      'PATCH',
      `/Users/${userId}`,
      `{"schemas":["${PATCH_OP}"],"Operations":[{"op":"add","value":{"__proto__":{"title":"x"}}}]}`,
    );
    expectScimError(patch, 400, 'invalidSyntax', /"__proto__"/);
    const bulk = await server.scim(
      'POST',
      '/Bulk',
      `{"schemas":["urn:ietf:params:scim:api:messages:2.0:BulkRequest"],"Operations":[{"method":"POST","path":"/Users","bulkId":"p","data":{"userName":"p","constructor":1}}]}`,
    );
    expectScimError(bulk, 400, 'invalidSyntax', /"constructor"/);
  });
});

describe('startIndex out of range', () => {
  it.each(['9007199254740993', '1' + '0'.repeat(400)])('startIndex=%s yields an empty page and echoes a JSON integer', async (startIndex) => {
    for (const path of [`/Users?startIndex=${startIndex}`, `/Users?startIndex=${startIndex}&filter=userName%20pr&sortBy=userName`]) {
      const reply = await server.scim('GET', path);
      expect(reply.status, reply.text).toBe(200);
      expect(reply.body.Resources).toEqual([]);
      expect(reply.body.itemsPerPage).toBe(0);
      expect(Number.isSafeInteger(reply.body.startIndex)).toBe(true);
      expect(reply.body.startIndex).toBe(Number.MAX_SAFE_INTEGER);
      expect(reply.text).toMatch(/"startIndex":9007199254740991\b/);
    }
  });

  it('in a SearchRequest body, at the root too', async () => {
    const reply = await server.scim('POST', '/.search', { schemas: [SEARCH_REQUEST], startIndex: 2 ** 60 });
    expect(reply.status, reply.text).toBe(200);
    expect(reply.body).toMatchObject({ startIndex: Number.MAX_SAFE_INTEGER, itemsPerPage: 0, Resources: [] });
  });
});

describe('attributes and excludedAttributes name known attributes', () => {
  it.each([
    ['GET', '/Users?attributes=nosuch'],
    ['GET', '/Users?excludedAttributes=userName,nosuch'],
    ['GET', `/Users/__ID__?attributes=usrName`],
    ['GET', '/Groups?attributes=displayName,nosuch.sub'],
  ])('%s %s is a 400 invalidValue naming the attribute', async (method, path) => {
    const reply = await server.scim(method, path.replace('__ID__', userId));
    expectScimError(reply, 400, 'invalidValue', /is not an attribute of any resource type/);
  });

  it('is checked on a root search that matches nothing', async () => {
    const reply = await server.scim('POST', '/.search', { schemas: [SEARCH_REQUEST], filter: 'userName eq "none"', attributes: ['nosuch'] });
    expectScimError(reply, 400, 'invalidValue', /"nosuch" in "attributes"/);
  });

  it('accepts a name another resource type defines, as Entra and root searches send them', async () => {
    const users = await server.scim('GET', '/Users?excludedAttributes=members&filter=userName%20eq%20%22limits@example.com%22');
    expect(users.status, users.text).toBe(200);
    expect(users.body.Resources[0].userName).toBe('limits@example.com');
    const groups = await server.scim('GET', `/Groups/${groupId}?excludedAttributes=members`);
    expect(groups.status).toBe(200);
    const root = await server.scim('POST', '/.search', { schemas: [SEARCH_REQUEST], attributes: ['userName', 'displayName'] });
    expect(root.status).toBe(200);
    expect(root.body.Resources.every((r: Record<string, unknown>) => 'userName' in r || 'displayName' in r)).toBe(true);
  });
});

describe('/Schemas lists the common attributes', () => {
  it.each([USER_SCHEMA, GROUP_SCHEMA])('%s declares id, externalId and meta with their RFC 7643 §3.1 characteristics', async (schema) => {
    const reply = await server.scim('GET', `/Schemas/${schema}`);
    const attributes = reply.body.attributes as { name: string; subAttributes?: { name: string }[] }[];
    expect(attributes.slice(0, 3).map((a) => a.name)).toEqual(['id', 'externalId', 'meta']);
    expect(attributes[0]).toMatchObject({ type: 'string', caseExact: true, mutability: 'readOnly', returned: 'always', uniqueness: 'server' });
    expect(attributes[1]).toMatchObject({ type: 'string', caseExact: true, mutability: 'readWrite' });
    expect(attributes[2]).toMatchObject({ type: 'complex', mutability: 'readOnly' });
    expect(attributes[2]!.subAttributes!.map((a) => a.name)).toEqual(['resourceType', 'created', 'lastModified', 'location', 'version']);
  });

  it('every attribute a resource comes back with is declared by its schemas', async () => {
    const [userSchema, enterprise, groupSchema] = await Promise.all(
      [USER_SCHEMA, ENTERPRISE, GROUP_SCHEMA].map(async (id) => (await server.scim('GET', `/Schemas/${id}`)).body),
    );
    const declared = (doc: { attributes: { name: string }[] }) => new Set(['schemas', ...doc.attributes.map((a) => a.name)]);
    const created = await server.scim('POST', '/Users', user('declared@example.com', { externalId: 'ext-1', [ENTERPRISE]: { department: 'x' } }));
    for (const key of Object.keys(created.body)) {
      if (key === ENTERPRISE) continue;
      expect(declared(userSchema).has(key), key).toBe(true);
    }
    for (const key of Object.keys(created.body[ENTERPRISE])) expect(declared(enterprise).has(key), key).toBe(true);
    const group = await server.scim('GET', `/Groups/${groupId}`);
    for (const key of Object.keys(group.body)) expect(declared(groupSchema).has(key), key).toBe(true);
    // The extension describes no resource of its own, so it lists no common attributes.
    expect(enterprise.attributes.map((a: { name: string }) => a.name)).not.toContain('id');
  });

  it('filters, sorting and projection on common attributes behave as before', async () => {
    const byExternalId = await server.scim('GET', '/Users?filter=externalId%20eq%20%22ext-1%22&attributes=externalId&sortBy=meta.created');
    expect(byExternalId.status, byExternalId.text).toBe(200);
    expect(byExternalId.body.Resources).toEqual([{ schemas: [USER_SCHEMA, ENTERPRISE], id: expect.any(String), externalId: 'ext-1' }]);
    const patchId = await server.scim('PATCH', `/Users/${userId}`, { schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'id', value: 'x' }] });
    expectScimError(patchId, 400, 'mutability', /read-only/);
  });
});

describe('request bodies that are not UTF-8', () => {
  /** fetch would re-encode a string body, so the raw bytes go through node:http. */
  function postBytes(path: string, bytes: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
    const url = new URL(server.base + path);
    return new Promise((resolve, reject) => {
      const req = request(
        url,
        {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_TOKEN}`, 'content-type': 'application/scim+json', 'content-length': bytes.length },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => (text += chunk));
          res.on('end', () => resolve({ status: res.statusCode!, body: JSON.parse(text) }));
        },
      );
      req.on('error', reject);
      req.end(bytes);
    });
  }

  it('are a 400 invalidSyntax and store nothing', async () => {
    const latin1 = Buffer.from(`{"schemas":["${USER_SCHEMA}"],"userName":"zoë@example.com"}`, 'latin1');
    const reply = await postBytes('/Users', latin1);
    expect(reply.status).toBe(400);
    expect(reply.body).toMatchObject({ schemas: [ERROR_SCHEMA], status: '400', scimType: 'invalidSyntax' });
    expect(reply.body.detail).toMatch(/not valid UTF-8/);
    const lookup = await server.scim('GET', `/Users?filter=${encodeURIComponent('userName sw "zo"')}`);
    expect(lookup.body.totalResults).toBe(0);
  });

  it('while valid UTF-8 is stored as sent', async () => {
    const utf8 = Buffer.from(`{"schemas":["${USER_SCHEMA}"],"userName":"zoë@example.com"}`, 'utf8');
    const reply = await postBytes('/Users', utf8);
    expect(reply.status).toBe(201);
    expect(reply.body.userName).toBe('zoë@example.com');
  });
});

describe('afterwards', () => {
  it('the server still answers normally', async () => {
    expect((await server.scim('GET', `/Users/${userId}`)).status).toBe(200);
  });
});
