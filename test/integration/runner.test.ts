/**
 * The runner end to end against the local provider in memory: a scenario file parsed, its events
 * turned into a profile's traffic, every exchange recorded, expectations checked, and what happens
 * when the IdP fails, never sends an event, is rate-limited, or cannot reach the target.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunEvent } from '../../src-main/runner/run-events.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import type { Target } from '../../src-main/runner/target.js';
import { TargetUnreachable } from '../../src-main/runner/target.js';
import { createLocalTarget, type LocalTarget } from '../../src-main/runner/targets/local-target.js';
import type { OutgoingRequest, ReceivedResponse } from '../../src-main/runner/http.js';
import { parseScenario } from '../../src-main/scenarios/load.js';
import type { Scenario } from '../../src-main/scenarios/scenario.js';

const open: LocalTarget[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((target) => target.close()));
});

async function local(): Promise<LocalTarget> {
  const target = await createLocalTarget();
  open.push(target);
  return target;
}

const LIFECYCLE = `
name: lifecycle
description: assign, update, deactivate
profile: okta
directory:
  people:
    - key: ada
      givenName: Ada
      familyName: Lovelace
steps:
  - event: testConnection
  - event: assignUser
    user: ada
    expect:
      - exchange: POST /Users
        status: 201
        json:
          $.userName: /^ada\\.lovelace\\./
    save:
      adaId: $.id
  - event: updateUser
    user: ada
    changes:
      title: Countess
  - request:
      method: GET
      path: /Users/\${adaId}
    expect:
      - status: 200
        json:
          $.title: Countess
  - event: deactivateUser
    user: ada
  - event: deleteUser
    user: ada
`;

function run(scenario: Scenario, target: Target, extra: Partial<Parameters<typeof runScenario>[0]> = {}) {
  const events: RunEvent[] = [];
  const profile = profileByName(extra.profile?.name ?? scenario.profile ?? 'generic');
  const record = runScenario({
    scenario,
    target,
    profile,
    seed: 42,
    runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
    onEvent: (event) => events.push(event),
    sleep: async () => undefined,
    ...extra,
  });
  return { record, events };
}

describe('a run against the local provider', () => {
  it('sends the profile traffic for each event, checks expectations and captures, and records every exchange', async () => {
    const target = await local();
    const scenario = parseScenario(LIFECYCLE, { source: 'lifecycle.yaml' });
    const { record, events } = run(scenario, target);
    const result = await record;

    expect(result.steps.map((step) => [step.name, step.outcome])).toEqual([
      ['testConnection', 'passed'],
      ['assignUser ada', 'passed'],
      ['updateUser ada', 'passed'],
      ['GET /Users/${adaId}', 'passed'],
      ['deactivateUser ada', 'passed'],
      // Okta never deletes users: not applicable, not a failure.
      ['deleteUser ada', 'skipped'],
    ]);
    expect(result.steps[5]!.message).toMatch(/^Not applicable to Okta/);
    expect(result.summary).toMatchObject({ outcome: 'passed', steps: { passed: 5, failed: 0, error: 0, skipped: 1 } });

    // The target holds what the story says, and the record has every exchange, in order.
    const [user] = target.provider.store.all('User');
    expect(user).toMatchObject({ title: 'Countess', active: false });
    expect(result.exchanges.map((exchange) => exchange.index)).toEqual(result.exchanges.map((_, i) => i + 1));
    expect(result.exchanges.map((exchange) => `${exchange.request.method} ${exchange.response?.status}`)).toContain('POST 201');
    expect(events.filter((event) => event.type === 'exchange')).toHaveLength(result.exchanges.length);
    // Credentials are never recorded; Okta's random password is redacted in the body.
    const create = result.exchanges.find((exchange) => exchange.request.method === 'POST')!;
    expect(create.request.headers).toContainEqual(['Authorization', '[redacted]']);
    expect(JSON.parse(create.request.body!).password).toBe('[redacted]');
    expect(result).toMatchObject({ format: 'scimulator-run', version: 1, profile: 'okta', target: { key: 'local' } });
  });

  it('under the generic profile, reads /ServiceProviderConfig and /ResourceTypes once per run, not before every event', async () => {
    const target = await local();
    const scenario = parseScenario(LIFECYCLE, { source: 'lifecycle.yaml' });
    const result = await run(scenario, target, { profile: profileByName('generic') }).record;

    const discovery = result.exchanges.filter((exchange) => /\/(ServiceProviderConfig|ResourceTypes)$/.test(new URL(exchange.request.url).pathname));
    expect(discovery.map((exchange) => [exchange.step, new URL(exchange.request.url).pathname.split('/').at(-1)])).toEqual([
      [0, 'ServiceProviderConfig'],
      [0, 'ResourceTypes'],
    ]);
  });

  it('fails a step whose expectation does not hold, says what came back, and goes on', async () => {
    const target = await local();
    const scenario = parseScenario(
      `
name: wrong
description: an expectation that cannot hold
profile: entra
directory: { people: [{ key: bo }] }
steps:
  - event: assignUser
    user: bo
    expect:
      - exchange: POST /Users
        status: 200
  - event: deactivateUser
    user: bo
`,
      { source: 'wrong.yaml' },
    );
    const result = await run(scenario, target).record;
    expect(result.steps.map((step) => step.outcome)).toEqual(['failed', 'passed']);
    const failed = result.steps[0]!.assertions.find((assertion) => !assertion.passed)!;
    expect(failed).toMatchObject({ expected: 200, actual: 201 });
    // The line of the `status:` check in the file.
    expect(failed.line).toBe(11);
    expect(result.summary.outcome).toBe('failed');
  });

  it('reports what the IdP treats as a failure, in its own words', async () => {
    const target = await local();
    // A target that answers a filter with 404: Entra quarantines the job.
    const brokenFilters: Target = {
      ...target,
      send: (request: OutgoingRequest, signal?: AbortSignal) =>
        request.query?.includes('filter=') ? Promise.resolve({ status: 404, headers: {} }) : target.send(request, signal),
    };
    const scenario = parseScenario('name: probe\ndescription: probe\nprofile: entra\nsteps:\n  - event: testConnection\n', { source: 'p.yaml' });
    const result = await run(scenario, brokenFilters).record;
    expect(result.steps[0]).toMatchObject({ outcome: 'failed' });
    expect(result.steps[0]!.message).toContain('An HTTP/404 Not Found response was returned rather than the expected HTTP/200 OK response');
  });
  it('errors a step whose expectation needs a value an earlier step never captured, and goes on', async () => {
    const target = await local();
    const scenario = parseScenario(
      `
name: uncaptured
description: a capture that never happens
profile: okta
directory: { people: [{ key: bo }] }
steps:
  - event: assignUser
    user: bo
    save: { boId: $.nope }
  - event: deactivateUser
    user: bo
    expect: [{ status: 200, json: { $.id: "\${boId}" } }]
  - event: reactivateUser
    user: bo
`,
      { source: 'uncaptured.yaml' },
    );
    const result = await run(scenario, target).record;
    expect(result.steps.map((step) => step.outcome)).toEqual(['failed', 'error', 'passed']);
    expect(result.steps[1]!.message).toBe('Could not run: it needs `${boId}`, which an earlier step was to capture but did not (see the failures above)');
  });

  it('still captures what a step returned when one of its checks failed, so later steps are judged on their own', async () => {
    const target = await local();
    const scenario = parseScenario(
      `
name: captured
description: a failed check, a capture that still happens
profile: okta
directory: { people: [{ key: bo }] }
steps:
  - event: assignUser
    user: bo
    expect: [{ exchange: POST /Users, status: 200 }]
    save: { boId: $.id }
  - request: { method: GET, path: "/Users/\${boId}", sentBy: scimulator }
    expect: [{ status: 200 }]
`,
      { source: 'captured.yaml' },
    );
    const result = await run(scenario, target).record;
    expect(result.steps.map((step) => step.outcome)).toEqual(['failed', 'passed']);
  });
});

describe("Scimulator's own requests", () => {
  const SCENARIO = `
name: own
description: an IdP step and a read-back check
profile: okta
directory: { people: [{ key: ada }] }
steps:
  - event: assignUser
    user: ada
    save: { adaId: $.id }
  - name: the target has Ada
    request: { method: GET, path: "/Users/\${adaId}", sentBy: scimulator }
    expect: [{ status: 200, json: { $.active: true } }]
`;

  it('carry their own User-Agent and are recorded as Scimulator\'s, never as the IdP\'s', async () => {
    const target = await local();
    const result = await run(parseScenario(SCENARIO, { source: 'own.yaml' }), target).record;
    expect(result.steps.map((step) => step.outcome)).toEqual(['passed', 'passed']);
    const check = result.exchanges.at(-1)!;
    expect(check.source).toBe('scimulator');
    expect(check.request.headers).toContainEqual(['User-Agent', 'Scimulator/0.1.0 (check)']);
    expect(result.exchanges.filter((exchange) => exchange.source === 'idp').every((exchange) =>
      exchange.request.headers.some(([name, value]) => name === 'User-Agent' && value === 'Okta SCIM Client 1.0.0'),
    )).toBe(true);
    // The provider saw the same: its log tells the IdP's requests from Scimulator's.
    const agents = target.provider.log.entries().map((entry) => entry.requestHeaders['user-agent']);
    expect(agents.at(-1)).toBe('Scimulator/0.1.0 (check)');
  });

  it('are left out under --exact, so the target sees only the IdP\'s traffic', async () => {
    const target = await local();
    const result = await run(parseScenario(SCENARIO, { source: 'own.yaml' }), target, { exact: true }).record;
    expect(result.exact).toBe(true);
    expect(result.steps.map((step) => step.outcome)).toEqual(['passed', 'skipped']);
    expect(result.steps[1]!.message).toMatch(/--exact/);
    expect(result.exchanges.every((exchange) => exchange.source === 'idp')).toBe(true);
    expect(target.provider.log.entries().some((entry) => entry.requestHeaders['user-agent']?.startsWith('Scimulator'))).toBe(false);
  });
});

describe('429 Retry-After', () => {
  /** Answers the first request 429 with Retry-After: 3, then passes through. */
  function throttledOnce(target: Target): Target {
    let throttled = false;
    return {
      ...target,
      send(request, signal): Promise<ReceivedResponse> {
        if (!throttled) {
          throttled = true;
          return Promise.resolve({ status: 429, headers: { 'retry-after': '3' } });
        }
        return target.send(request, signal);
      },
    };
  }
  const probe = (profile: string) =>
    parseScenario(`name: t\ndescription: t\nprofile: ${profile}\nsteps:\n  - event: testConnection\n`, { source: 't.yaml' });

  it('is waited out under Okta, which documents it, and both exchanges are recorded', async () => {
    const waits: number[] = [];
    const result = await run(probe('okta'), throttledOnce(await local()), { sleep: async (ms) => void waits.push(ms) }).record;
    expect(waits).toEqual([3000]);
    expect(result.steps[0]!.outcome).toBe('passed');
    expect(result.exchanges.slice(0, 2).map((exchange) => [exchange.response?.status, exchange.retryOf])).toEqual([
      [429, undefined],
      [200, 1],
    ]);
  });

  it('fails the operation under Entra by default, and is waited out when the run asks', async () => {
    const failed = await run(probe('entra'), throttledOnce(await local())).record;
    expect(failed.steps[0]).toMatchObject({ outcome: 'failed' });
    expect(failed.steps[0]!.message).toMatch(/429/);
    const waits: number[] = [];
    const retried = await run(probe('entra'), throttledOnce(await local()), {
      profileOptions: { honorRetryAfter: true, maxRetryAfterSeconds: 2 },
      sleep: async (ms) => void waits.push(ms),
    }).record;
    // The wait is capped at maxRetryAfterSeconds.
    expect(waits).toEqual([2000]);
    expect(retried.steps[0]!.outcome).toBe('passed');
  });
});

describe('a target that cannot be reached', () => {
  it('errors the step, does not run the rest, and says why', async () => {
    const target = await local();
    const unreachable: Target = {
      ...target,
      send: () => Promise.reject(new TargetUnreachable('connection refused at http://127.0.0.1:9: is the server running?')),
    };
    const scenario = parseScenario(LIFECYCLE, { source: 'lifecycle.yaml' });
    const result = await run(scenario, unreachable).record;
    expect(result.steps[0]).toMatchObject({ outcome: 'error', message: 'connection refused at http://127.0.0.1:9: is the server running?' });
    expect(result.steps.slice(1).every((step) => step.outcome === 'skipped' && step.message === 'Not run: the target could not be reached')).toBe(true);
    expect(result.summary.outcome).toBe('error');
    expect(result.exchanges[0]!.error).toContain('connection refused');
  });

  it('stops when cancelled, and says so', async () => {
    const target = await local();
    const controller = new AbortController();
    const scenario = parseScenario(LIFECYCLE, { source: 'lifecycle.yaml' });
    const result = await run(scenario, target, {
      signal: controller.signal,
      onEvent: (event) => {
        if (event.type === 'step-finished' && event.step.index === 1) controller.abort();
      },
    }).record;
    expect(result.summary.outcome).toBe('cancelled');
    expect(result.steps.slice(0, 2).map((step) => step.outcome)).toEqual(['passed', 'passed']);
    expect(result.steps.slice(2).every((step) => step.outcome !== 'passed')).toBe(true);
  });
});
