/**
 * Each RFC check on its own: a response that breaks the rule gives that finding (with its step,
 * exchange, expected and actual), and a correct response gives none.
 */
import { describe, expect, it } from 'vitest';
import type { IdpEvent } from '../../../src-main/idp/events.js';
import type { RunExchange } from '../../../src-main/runner/exchange.js';
import type { RfcFindingId } from '../../../src-main/verdicts/catalog-rfc.js';
import { findingDefinition } from '../../../src-main/verdicts/catalog.js';
import { rfcExchangeFindings } from '../../../src-main/verdicts/rfc-checks.js';

const BASE = 'https://app.example.com/scim/v2';
const USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:Group';
const LIST = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const ERROR = 'urn:ietf:params:scim:api:messages:2.0:Error';
const ASSIGN: IdpEvent = { type: 'assignUser', user: 'alice' };

const user = (overrides: Record<string, unknown> = {}, meta: Record<string, unknown> = {}) => ({
  schemas: [USER_SCHEMA],
  id: '2819c223',
  externalId: '00u1abc',
  userName: 'alice@example.com',
  name: { givenName: 'Alice', familyName: 'Liddell' },
  emails: [{ value: 'alice@example.com', type: 'work', primary: true }],
  active: true,
  meta: {
    resourceType: 'User',
    created: '2026-01-02T03:04:05Z',
    lastModified: '2026-01-02T03:04:05.120+01:00',
    location: `${BASE}/Users/2819c223`,
    version: 'W/"1"',
    ...meta,
  },
  ...overrides,
});
const group = () => ({
  schemas: [GROUP_SCHEMA],
  id: 'g1',
  displayName: 'Engineering',
  members: [{ value: '2819c223' }],
  meta: { resourceType: 'Group', created: '2026-01-02T03:04:05Z', lastModified: '2026-01-02T03:04:05Z', location: `${BASE}/Groups/g1` },
});
const list = (resources: unknown[], overrides: Record<string, unknown> = {}) => ({
  schemas: [LIST],
  totalResults: resources.length,
  itemsPerPage: resources.length,
  startIndex: 1,
  Resources: resources,
  ...overrides,
});
const scimError = (status: number, overrides: Record<string, unknown> = {}) => ({ schemas: [ERROR], status: String(status), detail: 'Resource not found', ...overrides });

interface Shape {
  method: string;
  path: string;
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  requestBody?: unknown;
  accept?: string;
}

function exchange(shape: Shape): RunExchange {
  const body = shape.body === undefined ? undefined : typeof shape.body === 'string' ? shape.body : JSON.stringify(shape.body);
  return {
    index: 7,
    step: 3,
    source: 'idp',
    purpose: 'under test',
    startedAt: '2026-01-02T03:04:05Z',
    durationMs: 1,
    request: {
      method: shape.method,
      url: `${BASE}${shape.path}`,
      headers: [
        ['Accept', shape.accept ?? 'application/scim+json'],
        ['Authorization', '[redacted]'],
      ],
      ...(shape.requestBody === undefined ? {} : { body: JSON.stringify(shape.requestBody) }),
    },
    response: {
      status: shape.status,
      headers: { ...(body === undefined ? {} : { 'content-type': 'application/scim+json' }), ...shape.headers },
      ...(body === undefined ? {} : { body }),
    },
  };
}

/** `null`: a raw step, which tells no IdP event. */
function judge(shape: Shape, event: IdpEvent | null = ASSIGN) {
  return rfcExchangeFindings({ exchange: exchange(shape), profile: 'okta', baseUrl: BASE, ...(event ? { event } : {}) });
}

const created = (body: unknown, headers: Record<string, string> = { location: `${BASE}/Users/2819c223` }): Shape => ({
  method: 'POST',
  path: '/Users',
  status: 201,
  body,
  headers,
  requestBody: { schemas: [USER_SCHEMA], userName: 'alice@example.com', externalId: '00u1abc' },
});

/** Correct responses, one per kind the checks distinguish: none gives a finding. */
const CORRECT: [string, Shape][] = [
  ['a create', created(user())],
  ['a read by id with an ETag', { method: 'GET', path: '/Users/2819c223', status: 200, body: user(), headers: { etag: 'W/"1"' } }],
  ['a lookup that finds nothing', { method: 'GET', path: '/Users?filter=userName+eq+%22nobody%22', status: 200, body: list([]) }],
  ['a page of a longer list', { method: 'GET', path: '/Users?startIndex=3&count=2', status: 200, body: list([user(), user({ id: 'u2', userName: 'b', externalId: 'x2' }, { location: `${BASE}/Users/u2` })], { totalResults: 9, startIndex: 3 }) }],
  ['count=0', { method: 'GET', path: '/Users?count=0', status: 200, body: { schemas: [LIST], totalResults: 9, itemsPerPage: 0, startIndex: 1 } }],
  ['attributes=userName', { method: 'GET', path: '/Users?filter=userName%20eq%20%22a%22&attributes=userName', status: 200, body: list([{ schemas: [USER_SCHEMA], id: '2819c223', userName: 'a' }]) }],
  ['excludedAttributes=members', { method: 'GET', path: '/Groups?filter=displayName+eq+%22Engineering%22&excludedAttributes=members', status: 200, body: list([{ ...group(), members: undefined }]) }],
  ['a POST /.search', { method: 'POST', path: '/Users/.search', status: 200, body: list([user()]), requestBody: { schemas: ['urn:ietf:params:scim:api:messages:2.0:SearchRequest'], count: 5 } }],
  ['a PUT', { method: 'PUT', path: '/Users/2819c223', status: 200, body: user() }],
  ['a PATCH answered 204', { method: 'PATCH', path: '/Users/2819c223', status: 204 }],
  ['a PATCH answered 200', { method: 'PATCH', path: '/Groups/g1', status: 200, body: group() }],
  ['a DELETE', { method: 'DELETE', path: '/Users/2819c223', status: 204 }],
  ['a 404 on a read', { method: 'GET', path: '/Users/gone', status: 404, body: scimError(404) }],
  ['a duplicate create', { ...created(scimError(409, { scimType: 'uniqueness' })), status: 409, headers: {} }],
  ['/Schemas', { method: 'GET', path: '/Schemas', status: 200, body: list([{ id: USER_SCHEMA, name: 'User', attributes: [] }]) }],
  ['application/json to a client that asks for it', { method: 'GET', path: '/Users/2819c223', status: 200, body: user(), headers: { 'content-type': 'application/json; charset=utf-8' }, accept: 'application/json' }],
];

interface Broken {
  id: RfcFindingId;
  shape: Shape;
  expected: unknown;
  actual: unknown;
  /** Judged as a raw step (no IdP event). */
  raw?: boolean;
}

const BROKEN: Broken[] = [
  { id: 'rfc.create-status', shape: { ...created(user()), status: 200 }, expected: 201, actual: 200 },
  { id: 'rfc.read-status', shape: { method: 'GET', path: '/Users/2819c223', status: 204 }, expected: 200, actual: 204 },
  { id: 'rfc.replace-status', shape: { method: 'PUT', path: '/Users/2819c223', status: 201, body: user() }, expected: 200, actual: 201 },
  { id: 'rfc.patch-status', shape: { method: 'PATCH', path: '/Users/2819c223', status: 202 }, expected: [200, 204], actual: 202 },
  { id: 'rfc.delete-status', shape: { method: 'DELETE', path: '/Users/2819c223', status: 200 }, expected: 204, actual: 200 },
  { id: 'rfc.empty-query-not-found', shape: { method: 'GET', path: '/Users?filter=userName+eq+%22x%22', status: 404, body: scimError(404) }, expected: 200, actual: 404 },
  { id: 'rfc.content-type-not-json', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user(), headers: { 'content-type': 'text/html; charset=utf-8' } }, expected: 'application/scim+json', actual: 'text/html; charset=utf-8' },
  { id: 'rfc.content-type-not-scim', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user(), headers: { 'content-type': 'application/json' } }, expected: 'application/scim+json', actual: 'application/json' },
  { id: 'rfc.resource-body-missing', shape: { method: 'PUT', path: '/Users/2819c223', status: 200, body: 'null' }, expected: 'the resource as a JSON object', actual: null },
  { id: 'rfc.error-not-scim', shape: { method: 'GET', path: '/Users/x', status: 404, body: { detail: { error: 'User not found' } } }, expected: { schemas: [ERROR], status: '404' }, actual: { detail: { error: 'User not found' } }, raw: true },
  { id: 'rfc.error-status-missing', shape: { method: 'GET', path: '/Users/x', status: 404, body: { schemas: [ERROR], detail: 'no' } }, expected: '404', actual: undefined },
  { id: 'rfc.error-status-not-string', shape: { method: 'GET', path: '/Users/x', status: 404, body: scimError(404, { status: 404 }) }, expected: '404', actual: 404 },
  { id: 'rfc.error-status-mismatch', shape: { method: 'GET', path: '/Users/x', status: 404, body: scimError(400) }, expected: '404', actual: '400' },
  { id: 'rfc.error-scim-type-unknown', shape: { method: 'PATCH', path: '/Users/x', status: 400, body: scimError(400, { scimType: 'badRequest' }) }, expected: expect.arrayContaining(['invalidPath']), actual: 'badRequest' },
  { id: 'rfc.conflict-without-uniqueness', shape: { ...created(scimError(409)), status: 409, headers: {} }, expected: 'uniqueness', actual: null },
  { id: 'rfc.list-not-list-response', shape: { method: 'GET', path: '/ResourceTypes', status: 200, body: [{ id: 'User' }] }, expected: { schemas: [LIST] }, actual: 'a JSON array of 1', raw: true },
  { id: 'rfc.list-total-results', shape: { method: 'GET', path: '/Users?filter=userName+eq+%22a%22', status: 200, body: list([user()], { totalResults: '1' }) }, expected: 'a non-negative integer', actual: '1' },
  { id: 'rfc.list-paging-fields', shape: { method: 'GET', path: '/Users?count=1', status: 200, body: list([user()], { totalResults: 5, startIndex: '1' }) }, expected: 'an integer', actual: '1' },
  { id: 'rfc.list-resources', shape: { method: 'GET', path: '/Users', status: 200, body: { schemas: [LIST], totalResults: 1, itemsPerPage: 1, startIndex: 1, Resources: user() } }, expected: 'an array', actual: user() },
  { id: 'rfc.list-count-exceeded', shape: { method: 'GET', path: '/Users?count=1', status: 200, body: list([user(), user({ id: 'u2', userName: 'b', externalId: 'x2' }, { location: `${BASE}/Users/u2` })], { totalResults: 2 }) }, expected: 'at most 1', actual: 2 },
  { id: 'rfc.list-start-index', shape: { method: 'GET', path: '/Users?startIndex=101&count=100', status: 200, body: list([user()], { totalResults: 500, startIndex: 1 }) }, expected: 101, actual: 1 },
  { id: 'rfc.list-counts-inconsistent', shape: { method: 'GET', path: '/Users', status: 200, body: list([user()], { totalResults: 0 }) }, expected: 'totalResults ≥ 1', actual: 0 },
  { id: 'rfc.resource-id-missing', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user({ id: undefined }) }, expected: 'a non-empty string', actual: undefined },
  { id: 'rfc.resource-id-from-client', shape: created(user({ id: 'alice@example.com' }, { location: `${BASE}/Users/alice@example.com` }), { location: `${BASE}/Users/alice@example.com` }), expected: 'an id issued by the server, not the userName', actual: 'alice@example.com' },
  { id: 'rfc.resource-schemas-missing-core', shape: { method: 'GET', path: '/Groups/g1', status: 200, body: { ...group(), schemas: ['urn:scim:schemas:core:1.0'] } }, expected: [GROUP_SCHEMA], actual: ['urn:scim:schemas:core:1.0'] },
  { id: 'rfc.password-returned', shape: created(user({ password: 't1meMa$heen' })), expected: 'no password attribute', actual: '(a password value, not shown)' },
  { id: 'rfc.attributes-not-honoured', shape: { method: 'GET', path: '/Users?attributes=userName', status: 200, body: list([user()]) }, expected: ['id', 'schemas', 'userName'], actual: Object.keys(user()) },
  { id: 'rfc.excluded-attributes-returned', shape: { method: 'GET', path: '/Groups/g1?excludedAttributes=members', status: 200, body: group() }, expected: 'no members', actual: ['members'] },
  { id: 'rfc.meta-missing', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user({ meta: undefined }) }, expected: 'a meta object', actual: undefined },
  { id: 'rfc.meta-resource-type', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user({}, { resourceType: 'user' }) }, expected: 'User', actual: 'user' },
  { id: 'rfc.meta-datetime', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user({}, { created: 1767323045 }) }, expected: 'an xsd:dateTime', actual: 1767323045 },
  { id: 'rfc.meta-location-not-absolute', shape: created(user({}, { location: '/scim/v2/Users/2819c223' }), { location: '/scim/v2/Users/2819c223' }), expected: 'an absolute URI', actual: '/scim/v2/Users/2819c223' },
  { id: 'rfc.meta-location-wrong-resource', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user({}, { location: `${BASE}/Users/someone-else` }) }, expected: 'a URI ending in /2819c223', actual: `${BASE}/Users/someone-else` },
  { id: 'rfc.meta-version-etag-mismatch', shape: { method: 'GET', path: '/Users/2819c223', status: 200, body: user(), headers: { etag: 'W/"2"' } }, expected: 'W/"2"', actual: 'W/"1"' },
  { id: 'rfc.create-location-missing', shape: created(user(), {}), expected: `${BASE}/Users/2819c223`, actual: undefined },
  { id: 'rfc.create-location-mismatch', shape: created(user(), { location: `${BASE}/Users/other` }), expected: `${BASE}/Users/2819c223`, actual: `${BASE}/Users/other` },
];

describe('RFC checks on one exchange', () => {
  for (const [name, shape] of CORRECT) {
    it(`finds nothing in a correct response: ${name}`, () => {
      expect(judge(shape)).toEqual([]);
      expect(judge(shape, null)).toEqual([]);
    });
  }

  for (const broken of BROKEN) {
    it(`${broken.id}: ${findingDefinition(broken.id).title}`, () => {
      const findings = judge(broken.shape, broken.raw ? null : ASSIGN);
      const matching = findings.filter((finding) => finding.id === broken.id);
      expect(matching, JSON.stringify(findings, null, 2)).toHaveLength(1);
      const [finding] = matching;
      expect(finding).toMatchObject({ step: 3, exchange: 7, severity: findingDefinition(broken.id).severity, title: findingDefinition(broken.id).title, reference: findingDefinition(broken.id).reference });
      expect(finding!.expected).toEqual(broken.expected);
      expect(finding!.actual).toEqual(broken.actual);
      expect(finding!.message).toContain(`${broken.shape.method} `);
    });
  }

  it('covers every rfc.* id of the catalog with a breaking case', async () => {
    const { RFC_FINDINGS } = await import('../../../src-main/verdicts/catalog-rfc.js');
    expect(new Set(BROKEN.map((broken) => broken.id))).toEqual(new Set(RFC_FINDINGS.map((definition) => definition.id)));
  });

  it("leaves a raw step's success codes to its scenario, but still judges its shapes", () => {
    const shape: Shape = { ...created(user()), status: 200, headers: { location: `${BASE}/Users/2819c223`, 'content-type': 'text/plain' } };
    expect(judge(shape, null).map((finding) => finding.id)).toEqual(['rfc.content-type-not-json']);
    expect(judge(shape).map((finding) => finding.id)).toEqual(['rfc.content-type-not-json', 'rfc.create-status']);
  });

  it('does not call a 404 on a read-back after a delete a problem', () => {
    expect(judge({ method: 'GET', path: '/Users/2819c223', status: 404, body: scimError(404) }, { type: 'deleteUser', user: 'alice' })).toEqual([]);
  });

  it('folds a rule broken by every resource of a page into one finding that counts them', () => {
    const page = Array.from({ length: 40 }, (_, i) => user({ id: `u${i}`, userName: `p${i}`, externalId: `e${i}`, password: 'x' }, { location: `${BASE}/Users/u${i}` }));
    const findings = judge({ method: 'GET', path: '/Users?startIndex=1&count=100', status: 200, body: list(page) });
    expect(findings.map((finding) => finding.id)).toEqual(['rfc.password-returned']);
    expect(findings[0]!.message).toMatch(/^GET \/Users\?startIndex=1&count=100: Resources\[0\] returns "password".*\(and 39 more resources in this page\)$/);
  });

  it('reads attributes and excludedAttributes qualified with a schema URI, and sub-attributes', () => {
    const enterprise = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
    const withManager = user({ [enterprise]: { manager: { value: 'm1' }, department: 'R&D' } });
    expect(judge({ method: 'GET', path: `/Users/2819c223?attributes=${USER_SCHEMA}:userName,${enterprise}:manager,meta`, status: 200, body: { schemas: [USER_SCHEMA], id: '2819c223', userName: 'a', meta: withManager.meta, [enterprise]: { manager: { value: 'm1' } } } })).toEqual([]);
    const excluded = judge({ method: 'GET', path: `/Users/2819c223?excludedAttributes=name.givenName`, status: 200, body: withManager });
    expect(excluded.map((finding) => finding.id)).toEqual(['rfc.excluded-attributes-returned']);
    expect(judge({ method: 'GET', path: `/Users/2819c223?excludedAttributes=name.middleName,${enterprise}:costCenter`, status: 200, body: withManager })).toEqual([]);
  });

  it('judges nothing when no response came', () => {
    const { response: _none, ...noResponse } = exchange({ method: 'GET', path: '/Users', status: 200 });
    expect(rfcExchangeFindings({ exchange: { ...noResponse, error: 'connect ECONNREFUSED' }, profile: 'okta', baseUrl: BASE, event: ASSIGN })).toEqual([]);
  });
});
