/** The normalising diff on hand-made records: what two runs may differ in by design compares equal, and what differs for real does not. */
import { describe, expect, it } from 'vitest';
import { changesOf, diffExpected, diffRuns, jsonDelta } from '../../src-main/diffs/diff.js';
import { IdMap, Normaliser, decodeQuery } from '../../src-main/diffs/normalize.js';
import type { RunExchange } from '../../src-main/runner/exchange.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import type { StepSummary } from '../../src-main/runner/run-events.js';

interface Exchange {
  step?: number;
  method: string;
  path: string;
  requestBody?: unknown;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

function record(baseUrl: string, runTag: string, exchanges: Exchange[]): RunRecord {
  const full: RunExchange[] = exchanges.map((exchange, position) => ({
    index: position + 1,
    step: exchange.step ?? 0,
    source: 'idp',
    purpose: `${exchange.method} ${exchange.path}`,
    startedAt: `2026-01-0${position + 1}T00:00:00.000Z`,
    durationMs: position + 1,
    request: {
      method: exchange.method,
      url: `${baseUrl}${exchange.path}`,
      headers: [],
      ...(exchange.requestBody === undefined ? {} : { body: JSON.stringify(exchange.requestBody) }),
    },
    response: {
      status: exchange.status,
      headers: { 'content-type': 'application/scim+json', ...exchange.headers },
      ...(exchange.body === undefined ? {} : { body: JSON.stringify(exchange.body) }),
    },
  }));
  const steps = [...new Set(full.map((exchange) => exchange.step))].map(
    (index): StepSummary => ({ index, name: `step ${index + 1}`, outcome: 'passed', durationMs: 1, exchanges: 1, assertions: [] }),
  );
  return {
    format: 'scimulator-run',
    version: 1,
    scenario: { name: 'hand-made', source: 'test', description: '' },
    profile: 'okta',
    target: { key: baseUrl, baseUrl },
    exact: false,
    seed: 1,
    runTag,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:00:01.000Z',
    steps,
    exchanges: full,
    findings: [],
    summary: { outcome: 'passed', steps: { passed: steps.length, failed: 0, error: 0, skipped: 0 }, exchanges: full.length, durationMs: 1 },
  };
}

/** The same story told by two servers with their own ids, clocks, hosts and array orders. */
function story(baseUrl: string, runTag: string, ids: { grace: string; alan: string; group: string }, options: { reversed?: boolean; version?: string } = {}) {
  const user = (id: string, name: string, extra: Record<string, unknown> = {}) => ({
    schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
    id,
    userName: `${name}.${runTag}@example.com`,
    active: true,
    emails: options.reversed
      ? [{ value: `${name}.home@example.com`, type: 'home' }, { value: `${name}.${runTag}@example.com`, type: 'work', primary: true }]
      : [{ value: `${name}.${runTag}@example.com`, type: 'work', primary: true }, { value: `${name}.home@example.com`, type: 'home' }],
    meta: { resourceType: 'User', created: `2026-0${options.version ?? '1'}-01T00:00:00Z`, lastModified: new Date().toISOString(), version: `W/"${options.version ?? '1'}"`, location: `${baseUrl}/Users/${id}` },
    ...extra,
  });
  const members = [{ value: ids.grace, $ref: `${baseUrl}/Users/${ids.grace}` }, { value: ids.alan, $ref: `${baseUrl}/Users/${ids.alan}` }];
  return record(baseUrl, runTag, [
    { method: 'POST', path: '/Users', requestBody: { userName: `grace.${runTag}@example.com`, externalId: `00u${runTag}grace` }, status: 201, headers: { location: `${baseUrl}/Users/${ids.grace}`, etag: `W/"${options.version ?? '1'}"` }, body: user(ids.grace, 'grace') },
    { method: 'POST', path: '/Users', status: 201, body: user(ids.alan, 'alan', { manager: { value: ids.grace } }) },
    { step: 1, method: 'POST', path: '/Groups', status: 201, body: { id: ids.group, displayName: `Admins ${runTag}`, members: options.reversed ? [...members].reverse() : members, meta: { resourceType: 'Group', location: `${baseUrl}/Groups/${ids.group}` } } },
    { step: 1, method: 'GET', path: `/Users/${ids.alan}`, status: 200, body: user(ids.alan, 'alan', { manager: { value: ids.grace } }) },
    { step: 1, method: 'PATCH', path: `/Groups/${ids.group}`, requestBody: { Operations: [{ op: 'remove', path: `members[value eq "${ids.alan}"]` }, { op: 'add', path: 'members', value: [{ value: ids.alan }] }] }, status: 204 },
    { step: 1, method: 'POST', path: '/Users', status: 409, body: { status: '409', detail: `userName taken by User "${ids.grace}"` } },
  ]);
}

describe('normalisation', () => {
  const a = story('http://local.scimulator/scim/v2', 'ab12cd', { grace: '30f98006-da28-4b85-92be-93d12629a1e9', alan: '7d1e0c55-1f7a-4a53-8d0e-5f5f0e0d9a11', group: 'a1b2c3d4-0000-4000-8000-000000000001' });
  const b = story('https://scim.example.com/api/v1/scim/v2', 'zz99yy', { grace: '1001', alan: '1002', group: 'g-77' }, { reversed: true, version: '7' });

  it('maps server ids to placeholders in creation order, the same way in both runs, wherever they appear', () => {
    const normalise = Normaliser.of(a);
    const alan = normalise.response(a.exchanges[3]!)?.body as Record<string, unknown>;
    expect(alan.id).toBe('<User 2>');
    expect(alan.manager).toEqual({ value: '<User 1>' });
    expect((alan.meta as Record<string, unknown>).location).toBe('/Users/<User 2>');
    expect(normalise.request(a.exchanges[3]!).path).toBe('/Users/<User 2>');
    const group = normalise.response(a.exchanges[2]!)?.body as Record<string, unknown>;
    expect(group.id).toBe('<Group 1>');
    expect(group.members).toEqual([{ $ref: '/Users/<User 1>', value: '<User 1>' }, { $ref: '/Users/<User 2>', value: '<User 2>' }]);
    expect(normalise.response(a.exchanges[5]!)?.body).toEqual({ status: '409', detail: 'userName taken by User "<User 1>"' });
    // The same places in B, with its short numeric ids, map to the same placeholders.
    expect(Normaliser.of(b).response(b.exchanges[3]!)?.body).toEqual(alan);
  });

  it('ignores timestamps, versions, hosts, base paths, the run tag and the order of multi-valued attributes', () => {
    const diff = diffRuns(a, b);
    expect(diff.counts).toMatchObject({ pairs: 6, identical: 6, differing: 0, onlyInA: 0, onlyInB: 0 });
    expect(diff.identical).toBe(true);
  });

  it('keeps the order of PATCH operations, which RFC 7644 applies in sequence', () => {
    const normalise = Normaliser.of(a);
    const body = normalise.request(a.exchanges[4]!).body as { Operations: { op: string }[] };
    expect(body.Operations.map((operation) => operation.op)).toEqual(['remove', 'add']);
    expect(body.Operations).toEqual([
      { op: 'remove', path: 'members[value eq "<User 2>"]' },
      { op: 'add', path: 'members', value: [{ value: '<User 2>' }] },
    ]);
  });

  it('does not hide a real difference: a changed value, a dropped attribute, a member that is gone', () => {
    const changed = structuredClone(b) as { exchanges: RunExchange[] } & RunRecord;
    const read = changed.exchanges[3]!;
    const body = JSON.parse(read.response!.body!) as Record<string, unknown>;
    body.active = false;
    delete body.manager;
    (changed.exchanges as RunExchange[])[3] = { ...read, response: { ...read.response!, body: JSON.stringify(body) } };
    const group = changed.exchanges[2]!;
    const groupBody = JSON.parse(group.response!.body!) as { members: unknown[] };
    groupBody.members = groupBody.members.slice(0, 1);
    (changed.exchanges as RunExchange[])[2] = { ...group, response: { ...group.response!, body: JSON.stringify(groupBody) } };

    const diff = diffRuns(a, changed);
    expect(diff.identical).toBe(false);
    const pairs = diff.steps.flatMap((step) => step.exchanges).filter((exchange) => exchange.kind === 'pair' && !exchange.same);
    expect(pairs).toHaveLength(2);
    const changes = pairs.flatMap((pair) => (pair.kind === 'pair' ? pair.bodyChanges ?? [] : []));
    expect(changes).toContainEqual({ path: '$.active', kind: 'changed', a: true, b: false });
    expect(changes).toContainEqual({ path: '$.manager', kind: 'removed', a: { value: '<User 1>' } });
    expect(changes.some((change) => change.kind === 'removed' && /^\$\.members\[\d\]$/.test(change.path))).toBe(true);
  });

  it("sets aside the GUIDs each run makes up (Entra's probes), and still shows a server that answers with another one", () => {
    const probe = (runTag: string, guid: string, echoed = guid) =>
      record('http://local.scimulator/scim/v2', runTag, [
        { method: 'GET', path: `/Users?filter=userName+eq+%22${guid}%22`, status: 200, body: { totalResults: 0, Resources: [] } },
        { method: 'POST', path: '/Users', requestBody: { userName: `probe.${runTag}@example.com`, objectId: guid }, status: 201, body: { id: 'u-1', userName: `probe.${runTag}@example.com`, objectId: echoed } },
      ]);
    const first = probe('ab12cd', 'dc153838-b4df-464f-b6ac-16106ea0e65c');
    const second = probe('zz99yy', 'e02a2c65-2cd9-4707-b301-353c45d89bc3');
    expect(Normaliser.of(first).request(first.exchanges[0]!).query).toBe('filter=userName eq "<generated 1>"');
    expect(diffRuns(first, second).identical).toBe(true);
    const wrongEcho = probe('zz99yy', 'e02a2c65-2cd9-4707-b301-353c45d89bc3', '0d5a77bf-d9e9-4a09-95b9-cb3a2eddc38f');
    const diff = diffRuns(first, wrongEcho);
    expect(diff.identical).toBe(false);
    const changes = diff.steps.flatMap((step) => step.exchanges).flatMap((exchange) => (exchange.kind === 'pair' ? exchange.bodyChanges ?? [] : []));
    expect(changes).toEqual([{ path: '$.objectId', kind: 'changed', a: '<generated 1>', b: '0d5a77bf-d9e9-4a09-95b9-cb3a2eddc38f' }]);
  });

  it('treats an id that is also the userName (LiteLLM) as an id only where an id belongs', () => {
    const litellm = record('http://practice.litellm/scim/v2', 'ab12cd', [
      { method: 'POST', path: '/Users', status: 201, body: { id: 'grace.ab12cd@example.com', userName: 'grace.ab12cd@example.com' } },
      { method: 'GET', path: '/Users?filter=userName%20eq%20%22grace.ab12cd%40example.com%22', status: 200, body: { Resources: [] } },
      { method: 'GET', path: '/Users/grace.ab12cd%40example.com', status: 200 },
    ]);
    const normalise = Normaliser.of(litellm);
    expect(normalise.response(litellm.exchanges[0]!)?.body).toEqual({ id: '<User 1>', userName: 'grace.<run>@example.com' });
    expect(normalise.request(litellm.exchanges[1]!).query).toBe('filter=userName eq "grace.<run>@example.com"');
    expect(normalise.request(litellm.exchanges[2]!).path).toBe('/Users/<User 1>');
  });

  it('numbers ids the run only found after the ones it created', () => {
    const found = record('http://x/scim/v2', 'tag123', [
      { method: 'GET', path: '/Users', status: 200, body: { Resources: [{ id: 'admin-1', meta: { resourceType: 'User' } }] } },
      { method: 'POST', path: '/Users', status: 201, body: { id: 'u-9' } },
    ]);
    const ids = IdMap.of(found);
    expect(ids.get('u-9')).toBe('<User 1>');
    expect(ids.get('admin-1')).toBe('<existing User 1>');
  });

  it('decodes a query the way Okta (%20) and Entra (+) encode it to the same text', () => {
    expect(decodeQuery('filter=userName%20eq%20%22a%2Bb%40x.com%22')).toBe(decodeQuery('filter=userName+eq+%22a%2Bb%40x.com%22'));
  });
});

describe('expected vs actual', () => {
  it('turns a failed JSON assertion into changes by path, and leaves a scalar one as it is', () => {
    const step: StepSummary = {
      index: 2,
      name: 'read back',
      outcome: 'failed',
      durationMs: 1,
      exchanges: 1,
      assertions: [
        { check: 'GET /Users/x name', passed: false, expected: { givenName: 'Ada', familyName: 'Lovelace' }, actual: { givenName: 'Ada' }, line: 12 },
        { check: 'GET /Users/x status', passed: false, expected: 200, actual: 404 },
        { check: 'GET /Users/x active', passed: true, expected: true, actual: true },
      ],
    };
    const diffs = diffExpected(step);
    expect(diffs).toHaveLength(2);
    expect(diffs[0]).toMatchObject({ step: 2, line: 12, changes: [{ path: '$.familyName', kind: 'removed', a: 'Lovelace' }] });
    expect(diffs[1]).toEqual({ step: 2, check: 'GET /Users/x status', expected: 200, actual: 404 });
  });

  it('reads jsondiffpatch deltas of arrays as additions and removals by index', () => {
    expect(changesOf(jsonDelta({ a: [1, 2] }, { a: [1, 3] }))).toEqual([
      { path: '$.a[1]', kind: 'removed', a: 2 },
      { path: '$.a[1]', kind: 'added', b: 3 },
    ]);
  });
});
