/**
 * Faulty targets, one misbehaviour each (msw handlers in front of the local provider): each gives
 * the finding a developer of that target needs (id, step, severity, what was expected and what came
 * back), and the same scenario against the local provider alone gives none of it.
 */
import { http, HttpResponse, type RequestHandler } from 'msw';
import { afterEach, describe, expect, it } from 'vitest';
import type { OutgoingRequest } from '../../src-main/runner/http.js';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { idpFinding } from '../../src-main/verdicts/catalog-idp.js';
import { changeJson, faultyTarget, judgedRun, scimJson, type Forward } from '../support/faulty-target.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

const run = (name: string, target: Target) => judgedRun(name, target, { seed: 11 });

const scimError = (status: number, detail: string, scimType?: string) =>
  scimJson({ schemas: ['urn:ietf:params:scim:api:messages:2.0:Error'], status: String(status), detail, ...(scimType ? { scimType } : {}) }, status);

/** The request body as JSON. */
const bodyOf = async (request: Request) => JSON.parse(await request.clone().text()) as Record<string, unknown>;
const operationsOf = async (request: Request) => ((await bodyOf(request)).Operations ?? []) as Record<string, unknown>[];
const withBody = (change: (body: Record<string, unknown>) => unknown) => (outgoing: OutgoingRequest): OutgoingRequest => ({
  ...outgoing,
  body: JSON.stringify(change(JSON.parse(outgoing.body ?? '{}') as Record<string, unknown>)),
});
const filterValue = (request: Request) => /eq "(.*)"/.exec(new URL(request.url).searchParams.get('filter') ?? '')?.[1];

interface Fault {
  readonly what: string;
  readonly scenario: string;
  readonly handlers: (forward: Forward) => RequestHandler[];
  readonly id: string;
  readonly step: string;
  readonly expected?: unknown;
  readonly actual?: unknown;
  /** The step fails with these words (the profile's IdpOperationFailed). */
  readonly stepMessage?: RegExp;
}

const FAULTS: Fault[] = [
  {
    what: 'a 404 on a filter that matches nothing',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [
      http.get('*/Users', async ({ request }) => {
        const response = await forward(request);
        const body = (await response.clone().json()) as { totalResults?: number };
        return new URL(request.url).searchParams.has('filter') && body.totalResults === 0 ? scimError(404, 'User not found') : response;
      }),
    ],
    id: 'entra.filter-404',
    step: 'test connection (a user that cannot exist, then a group)',
    expected: { status: 200 },
    actual: { status: 404 },
    stepMessage: /SCIM Compliance issue: An HTTP\/404 Not Found response/,
  },
  {
    what: 'a user create answered without an id (Entra)',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [http.post('*/Users', async ({ request }) => changeJson(await forward(request), ({ id: _id, ...rest }) => rest))],
    id: 'entra.create-without-id',
    step: 'assign Satya (no match, so created)',
    expected: { status: 201 },
    actual: { status: 201 },
  },
  {
    what: 'a user create answered without an id (Okta)',
    scenario: 'okta-lifecycle',
    handlers: (forward) => [http.post('*/Users', async ({ request }) => changeJson(await forward(request), ({ id: _id, ...rest }) => rest))],
    id: 'okta.create-without-id',
    step: 'assign the manager',
    actual: { status: 201 },
    stepMessage: /Create new user returned empty user/,
  },
  {
    what: 'a path-less PATCH ignored (answered with the unchanged user)',
    scenario: 'okta-lifecycle',
    handlers: (forward) => [
      http.patch('*/Users/:id', async ({ request }) =>
        (await operationsOf(request)).some((op) => op.path === undefined) ? forward(new Request(request.url, { method: 'GET', headers: request.headers })) : forward(request),
      ),
    ],
    id: 'okta.path-less-patch-unsupported',
    step: 'deactivate the report',
    expected: { active: false },
    actual: { active: true },
  },
  {
    what: 'a path-less PATCH ignored (answered 204, found by reading back)',
    scenario: 'okta-lifecycle',
    handlers: () => [
      http.patch('*/Users/:id', async ({ request }) => ((await operationsOf(request)).some((op) => op.path === undefined) ? new HttpResponse(null, { status: 204 }) : undefined)),
    ],
    id: 'okta.path-less-patch-unsupported',
    step: 'deactivate the report',
    expected: { active: false },
    actual: { active: true },
  },
  {
    what: 'a path-less PATCH rejected with 400 "Unsupported path"',
    scenario: 'okta-lifecycle',
    handlers: () => [
      http.patch('*/Users/:id', async ({ request }) => ((await operationsOf(request)).some((op) => op.path === undefined) ? scimError(400, 'Unsupported path', 'invalidPath') : undefined)),
    ],
    id: 'okta.path-less-patch-unsupported',
    step: 'deactivate the report',
    actual: { status: 400 },
  },
  {
    what: '"False" taken as true',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [
      http.patch('*/Users/:id', async ({ request }) =>
        forward(request, withBody((body) => ({ ...body, Operations: (body.Operations as Record<string, unknown>[]).map((op) => (op.value === 'False' ? { ...op, value: true } : op)) }))),
      ),
    ],
    id: 'entra.string-boolean-misread',
    step: 'disable Amy (soft delete in Entra)',
    expected: { active: false },
    actual: { active: true },
  },
  {
    what: '"False" taken as true, answered 204 (found by reading back)',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [
      http.patch('*/Users/:id', async ({ request }) => {
        const response = await forward(request, withBody((body) => ({ ...body, Operations: (body.Operations as Record<string, unknown>[]).map((op) => (op.value === 'False' ? { ...op, value: true } : op)) })));
        return new HttpResponse(null, { status: response.status === 200 ? 204 : response.status });
      }),
    ],
    id: 'entra.string-boolean-misread',
    step: 'disable Amy (soft delete in Entra)',
    expected: { active: false },
    actual: { active: true },
  },
  {
    what: 'members wiped by a Remove with a value array',
    scenario: 'entra-groups',
    handlers: (forward) => [
      http.patch('*/Groups/:id', async ({ request }) =>
        forward(request, withBody((body) => ({ ...body, Operations: (body.Operations as Record<string, unknown>[]).map((op) => (op.op === 'Remove' ? { op: 'remove', path: 'members' } : op)) }))),
      ),
    ],
    id: 'entra.remove-members-by-value',
    step: 'remove Jensen (Remove with a value array)',
    actual: { members: [] },
  },
  {
    what: 'a Remove with a value array ignored',
    scenario: 'entra-groups',
    handlers: () => [http.patch('*/Groups/:id', async ({ request }) => ((await operationsOf(request)).some((op) => op.op === 'Remove') ? new HttpResponse(null, { status: 204 }) : undefined))],
    id: 'entra.remove-members-by-value',
    step: 'remove Jensen (Remove with a value array)',
  },
  {
    what: 'a case-sensitive userName filter (Okta)',
    scenario: 'okta-lifecycle',
    handlers: (forward) => [
      http.get('*/Users', async ({ request }) => {
        const wanted = filterValue(request);
        if (wanted === undefined) return forward(request);
        return changeJson(await forward(request), (list) => {
          const resources = (list.Resources as { userName: string }[]).filter((user) => user.userName === wanted);
          return { ...list, totalResults: resources.length, itemsPerPage: resources.length, Resources: resources };
        });
      }),
    ],
    id: 'okta.username-filter-case-sensitive',
    step: 'assign the manager',
    expected: { status: 200 },
    actual: { status: 200, ids: [] },
  },
  {
    what: 'a case-sensitive userName filter (Entra)',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [
      http.get('*/Users', async ({ request }) => {
        const wanted = filterValue(request);
        if (wanted === undefined) return forward(request);
        return changeJson(await forward(request), (list) => {
          const resources = (list.Resources as { userName: string }[]).filter((user) => user.userName === wanted);
          return { ...list, totalResults: resources.length, itemsPerPage: resources.length, Resources: resources };
        });
      }),
    ],
    id: 'entra.username-filter-case-sensitive',
    step: 'assign Satya (no match, so created)',
    actual: { status: 200, ids: [] },
  },
  {
    what: 'totalResults one short of the users there are',
    scenario: 'okta-import',
    handlers: (forward) => [
      http.get('*/Users', async ({ request }) =>
        new URL(request.url).searchParams.has('filter') ? forward(request) : changeJson(await forward(request), (list) => ({ ...list, totalResults: (list.totalResults as number) - 1 })),
      ),
    ],
    id: 'okta.import-total-mismatch',
    step: 'import users (pages of 100)',
    expected: { totalResults: 151 },
    actual: { totalResults: 150 },
  },
  {
    what: 'paging that repeats items (startIndex ignored)',
    scenario: 'okta-import',
    handlers: (forward) => [
      http.get('*/Users', async ({ request }) =>
        forward(request, (outgoing) => ({ ...outgoing, query: outgoing.query?.replace(/startIndex=\d+/, 'startIndex=1') })),
      ),
    ],
    id: 'okta.import-unstable-order',
    step: 'import users (pages of 100)',
    expected: { repeated: 0 },
    actual: { repeated: 100 },
  },
  {
    what: 'paging fields as strings',
    scenario: 'okta-import',
    handlers: (forward) => [
      http.get('*/Users', async ({ request }) => changeJson(await forward(request), (list) => ({ ...list, totalResults: String(list.totalResults), startIndex: String(list.startIndex) }))),
    ],
    id: 'okta.paging-not-integer',
    step: 'import users (pages of 100)',
    actual: { totalResults: '151', startIndex: '1' },
  },
  {
    what: 'a PUT that drops an attribute it was given',
    scenario: 'okta-aiw-lifecycle',
    handlers: (forward) => [http.put('*/Users/:id', async ({ request }) => forward(request, withBody(({ title: _title, ...rest }) => rest)))],
    id: 'sync.put-drops-attributes',
    step: "Katherine's title changes (GET, then PUT of the whole user)",
    expected: { title: expect.any(String) },
    actual: { title: null },
  },
  {
    what: 'a PUT that ignores "active" (Okta AIW deactivation)',
    scenario: 'okta-aiw-lifecycle',
    handlers: (forward) => [http.put('*/Users/:id', async ({ request }) => forward(request, withBody((body) => ({ ...body, active: true }))))],
    id: 'okta-aiw.put-active-ignored',
    step: 'deactivate Dorothy (GET, then PUT with active false)',
    expected: { active: false },
    actual: { active: true },
  },
  {
    what: 'a duplicate create answered 201 instead of 409 (Okta)',
    scenario: 'okta-lifecycle',
    handlers: (forward) => [
      http.post('*/Users', async ({ request }) => {
        const response = await forward(request);
        if (response.status !== 409) return response;
        return forward(request, withBody((body) => ({ ...body, userName: `copy-${String(body.userName)}` })));
      }),
    ],
    id: 'okta.duplicate-not-409',
    step: 'assign the manager',
    expected: { status: 409 },
    actual: { status: 201 },
  },
  {
    what: 'a duplicate create answered 400 instead of 409 (Entra)',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [
      http.post('*/Users', async ({ request }) => {
        const response = await forward(request);
        return response.status === 409 ? scimError(400, 'User exists') : response;
      }),
    ],
    id: 'entra.duplicate-not-409',
    step: 'assign Satya (no match, so created)',
    expected: { status: 409 },
    actual: { status: 400 },
  },
  {
    what: 'the group rename PATCH rejects the "id" in its value',
    scenario: 'okta-group-push',
    handlers: () => [
      http.patch('*/Groups/:id', async ({ request }) =>
        (await operationsOf(request)).some((op) => op.path === undefined && typeof op.value === 'object' && op.value !== null && 'id' in op.value)
          ? scimError(400, 'Attribute "id" is readOnly', 'mutability')
          : undefined,
      ),
    ],
    id: 'okta.group-rename-failed',
    step: 'push Engineering (created empty, then named and filled)',
    actual: { status: 400 },
  },
  {
    what: 'a group rename answered 204 and not applied',
    scenario: 'okta-group-push',
    handlers: () => [
      http.patch('*/Groups/:id', async ({ request }) => ((await operationsOf(request)).every((op) => op.path === undefined) ? new HttpResponse(null, { status: 204 }) : undefined)),
    ],
    id: 'sync.group-display-name',
    step: 'rename Engineering',
    expected: { displayName: expect.stringMatching(/./) },
  },
  {
    what: 'a group PATCH answered 405 (Entra)',
    scenario: 'entra-groups',
    handlers: () => [http.patch('*/Groups/:id', () => scimError(405, 'Method "PATCH" not allowed.'))],
    id: 'entra.group-patch-status',
    step: 'assign Hardware (lookup, create with no members, then Add members)',
    expected: { status: 204 },
    actual: { status: 405 },
  },
  {
    what: 'members added by PATCH answered 204 and not added',
    scenario: 'onelogin-lifecycle',
    handlers: () => [
      http.patch('*/Groups/:id', async ({ request }) => ((await operationsOf(request)).some((op) => op.op === 'add') ? new HttpResponse(null, { status: 204 }) : undefined)),
    ],
    id: 'sync.group-members',
    step: 'provision the Networking group',
  },
  {
    what: 'a PATCH that ignores the title path',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [
      http.patch('*/Users/:id', async ({ request }) =>
        forward(request, withBody((body) => ({ ...body, Operations: (body.Operations as Record<string, unknown>[]).filter((op) => op.path !== 'title') }))),
      ),
    ],
    id: 'sync.user-attributes',
    step: "Amy's title and department change (read by id, then only what differs)",
    expected: { title: 'EVP and Chief Financial Officer' },
    actual: { title: 'Chief Financial Officer' },
  },
  {
    what: 'a user DELETE answered 204 that deletes nothing',
    scenario: 'entra-lifecycle',
    handlers: () => [http.delete('*/Users/:id', () => new HttpResponse(null, { status: 204 }))],
    id: 'sync.user-not-deleted',
    step: 'hard delete Amy (DELETE only now)',
    expected: { status: 404 },
    actual: { status: 200 },
  },
  {
    what: 'a group DELETE answered 204 that deletes nothing',
    scenario: 'okta-aiw-lifecycle',
    handlers: () => [http.delete('*/Groups/:id', () => new HttpResponse(null, { status: 204 }))],
    id: 'sync.group-not-deleted',
    step: 'delete the group in the app',
    expected: { status: 404 },
    actual: { status: 200 },
  },
  {
    what: 'a disabled user no longer returned',
    scenario: 'entra-lifecycle',
    handlers: (forward) => [
      http.get('*/Users/:id', async ({ request }) => {
        const response = await forward(request);
        const user = (await response.clone().json()) as { active?: boolean };
        return user.active === false ? scimError(404, 'User not found') : response;
      }),
    ],
    id: 'entra.disabled-user-hidden',
    step: 'disable Amy (soft delete in Entra)',
    expected: { status: 200 },
    actual: { status: 404 },
  },
  {
    what: "OneLogin's PUT /Users/{id}? not routed",
    scenario: 'onelogin-lifecycle',
    handlers: () => [http.put('*/Users/:id', ({ request }) => (request.url.endsWith('?') ? scimError(404, 'Not found') : undefined))],
    id: 'onelogin.trailing-question-mark',
    step: "Radia's title changes (PUT)",
    actual: { status: 404 },
  },
  {
    what: "OneLogin's schema URNs rejected",
    scenario: 'onelogin-lifecycle',
    handlers: () => [
      http.post('*/Users', async ({ request }) =>
        ((await bodyOf(request)).schemas as string[]).includes('urn:scim:schemas:core:2.0') ? scimError(400, 'Unsupported schema urn:scim:schemas:core:2.0', 'invalidValue') : undefined,
      ),
    ],
    id: 'onelogin.schema-urn-rejected',
    step: 'assign Radia',
    actual: { status: 400 },
  },
  {
    what: 'a user DELETE answered 405 (JumpCloud deactivates the test user instead)',
    scenario: 'jumpcloud-connection-test',
    handlers: () => [http.delete('*/Users/:id', () => scimError(405, 'DELETE not supported'))],
    id: 'jumpcloud.delete-unsupported',
    step: 'Test Connection (creates and removes a test user and group)',
    actual: { status: 405 },
  },
  {
    what: 'a PUT answered 405 (PingFederate updates only by PUT)',
    scenario: 'pingfederate-lifecycle',
    handlers: () => [http.put('*/Users/:id', () => scimError(405, 'PUT not supported'))],
    id: 'pingfederate.request-failed',
    step: "Whitfield's title changes (PUT)",
    actual: { status: 405 },
  },
];

describe('faulty targets', () => {
  it('cover at least twenty misbehaviours and every IdP prefix', () => {
    expect(FAULTS.length).toBeGreaterThanOrEqual(20);
    const prefixes = new Set(FAULTS.map((fault) => fault.id.split('.')[0]));
    for (const prefix of ['entra', 'okta', 'okta-aiw', 'onelogin', 'jumpcloud', 'pingfederate', 'sync']) expect(prefixes).toContain(prefix);
  });

  it.each(FAULTS.map((fault) => [fault.what, fault] as const))('%s', async (_what, fault) => {
    const target = await faultyTarget(fault.handlers);
    closers.push(() => target.close());
    const { record, findings } = await run(fault.scenario, target);
    const stepIndex = record.steps.findIndex((step) => step.name === fault.step);
    expect(stepIndex, `no step "${fault.step}"`).toBeGreaterThanOrEqual(0);
    const found = findings.filter((finding) => finding.id === fault.id);
    expect(found.map((finding) => finding.step), `${fault.id}; findings: ${findings.map((f) => `${f.step}:${f.id}`).join(', ')}`).toContain(stepIndex);
    const finding = found.find((candidate) => candidate.step === stepIndex)!;
    const definition = idpFinding(fault.id);
    expect(finding).toMatchObject({ severity: definition.severity, title: definition.title, reference: definition.reference });
    expect(finding.message.length).toBeGreaterThan(20);
    expect(finding.exchange, 'the finding names the exchange it is about').toBeGreaterThan(0);
    const exchange = record.exchanges.find((candidate) => candidate.index === finding.exchange)!;
    expect(exchange.step).toBe(stepIndex);
    expect(exchange.source).toBe('idp');
    if (fault.expected !== undefined) expect(finding.expected).toMatchObject(fault.expected as object);
    if (fault.actual !== undefined) expect(finding.actual).toMatchObject(fault.actual as object);
    const step = record.steps[stepIndex]!;
    if (definition.severity === 'error') expect(step.outcome).toBe('failed');
    if (fault.stepMessage) expect(step.message).toMatch(fault.stepMessage);

    // The same scenario against the local provider alone: none of it.
    const local = await createLocalTarget();
    closers.push(() => local.close());
    const clean = await run(fault.scenario, local);
    expect(clean.findings.filter((candidate) => candidate.id === fault.id || candidate.severity === 'error')).toEqual([]);
  });

  it('removes the duplicate user a 201 to the duplicate create made', async () => {
    const target = await faultyTarget(FAULTS.find((fault) => fault.id === 'okta.duplicate-not-409')!.handlers);
    closers.push(() => target.close());
    const { record } = await run('okta-lifecycle', target);
    const own = record.exchanges.filter((exchange) => exchange.source === 'scimulator');
    const duplicate = own.find((exchange) => exchange.request.method === 'POST');
    expect(duplicate?.response?.status).toBe(201);
    const id = (JSON.parse(duplicate!.response!.body!) as { id: string }).id;
    expect(own.some((exchange) => exchange.request.method === 'DELETE' && exchange.request.url.endsWith(`/Users/${id}`) && exchange.response?.status === 204)).toBe(true);
  });
});
