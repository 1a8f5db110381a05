/**
 * A repeated (load) step against the local provider: its counts and latencies cover every
 * request, its checks run on every exchange, and the run record keeps every failed exchange and a
 * bounded sample of the rest, saying so in the step's `load.sampled`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import type { OutgoingRequest, ReceivedResponse } from '../../src-main/runner/http.js';
import { SAMPLE_FIRST, SAMPLE_SPREAD } from '../../src-main/runner/repetition-sample.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunEvent } from '../../src-main/runner/run-events.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget, type LocalTarget } from '../../src-main/runner/targets/local-target.js';
import { parseScenario } from '../../src-main/scenarios/load.js';

const open: LocalTarget[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((target) => target.close()));
});

async function local(): Promise<LocalTarget> {
  const target = await createLocalTarget();
  open.push(target);
  return target;
}

/** Creates `repeat` users 5 at a time, saves the last one's id, then reads it back `repeat` times. */
function loadScenario(repeat: number, readSelector = 'all') {
  const yaml = `
name: sampled
description: a small load
profile: generic
directory: { generate: 0 }
steps:
  - name: create
    repeat: ${repeat}
    concurrency: 5
    request:
      method: POST
      path: /Users
      body:
        schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"]
        userName: "\${unique.userName}"
    expect:
      - { exchange: all, status: 201 }
    save:
      userId: $.id
      userName: $.userName
  - name: read
    repeat: ${repeat}
    concurrency: 5
    request: { method: GET, path: "/Users/\${userId}" }
    expect:
      - { exchange: ${readSelector}, status: 200, json: { $.userName: "\${userName}" } }
`;
  return parseScenario(yaml, { source: 'test', format: 'yaml' });
}

async function run(repeat: number, target: Target, readSelector?: string) {
  const scenario = loadScenario(repeat, readSelector);
  const events: RunEvent[] = [];
  const record = await runScenario({
    scenario,
    target,
    profile: profileByName('generic'),
    seed: 7,
    runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
    onEvent: (event) => events.push(event),
  });
  return { record, events };
}

/** Answers every `nth` request with a 500, as an overloaded target does; the rest reach the provider. */
function failingEvery(nth: number, inner: Target): Target {
  let count = 0;
  return {
    key: inner.key,
    baseUrl: inner.baseUrl,
    async send(request: OutgoingRequest, signal?: AbortSignal): Promise<ReceivedResponse> {
      count++;
      if (request.method === 'GET' && count % nth === 0) {
        return { status: 500, headers: { 'content-type': 'text/plain' }, body: 'overloaded' };
      }
      return inner.send(request, signal);
    },
    close: () => inner.close(),
  };
}

const BOUND = SAMPLE_FIRST + SAMPLE_SPREAD + 2;

describe('a repeated step', () => {
  it('counts and checks every request but keeps a bounded sample, and says so', async () => {
    const { record, events } = await run(300, await local());
    expect(record.summary.outcome).toBe('passed');
    expect(record.summary.exchanges).toBe(600);
    for (const step of record.steps) {
      expect(step.exchanges, step.name).toBe(300);
      expect(step.load, step.name).toMatchObject({ requests: 300, errors: 0 });
      const kept = record.exchanges.filter((exchange) => exchange.step === step.index);
      expect(kept.length).toBeGreaterThanOrEqual(SAMPLE_FIRST);
      expect(kept.length).toBeLessThanOrEqual(BOUND);
      // Every exchange the record keeps is whole: request, response, body.
      for (const exchange of kept) expect(exchange.response?.body).toBeDefined();
      expect(step.load!.sampled).toEqual({ kept: kept.length, checks: step.name === 'read' ? 600 : 300, checksPassed: step.name === 'read' ? 600 : 300 });
      // The step's assertions are those of the kept exchanges.
      expect(step.assertions.filter((assertion) => !assertion.check.startsWith('save')).length).toBe(step.name === 'read' ? kept.length * 2 : kept.length);
    }
    // What the CLI and the console see is what the record keeps.
    expect(events.filter((event) => event.type === 'exchange')).toHaveLength(record.exchanges.length);
  });

  it('captures from the last repetition to complete, so later steps read the user it created', async () => {
    const { record } = await run(40, await local());
    const creates = record.exchanges.filter((exchange) => exchange.request.method === 'POST');
    const lastCreated = JSON.parse(creates.at(-1)!.response!.body!) as { id: string };
    const reads = record.exchanges.filter((exchange) => exchange.request.method === 'GET');
    expect(reads.every((exchange) => exchange.request.url.endsWith(`/Users/${lastCreated.id}`))).toBe(true);
    // The kept exchanges keep the run's order.
    const indices = record.exchanges.map((exchange) => exchange.index);
    expect(indices).toEqual([...indices].sort((a, b) => a - b));
  });

  it('keeps every failed exchange and its failed checks, however many', async () => {
    const { record } = await run(200, failingEvery(3, await local()));
    const read = record.steps.find((step) => step.name === 'read')!;
    expect(read.outcome).toBe('failed');
    const failed = record.exchanges.filter((exchange) => exchange.step === read.index && exchange.response?.status === 500);
    expect(failed.length).toBe(read.load!.errors);
    expect(failed.length).toBeGreaterThan(BOUND);
    // Each failed exchange's status check is in the step's assertions, failed.
    const failedStatusChecks = read.assertions.filter((assertion) => !assertion.passed && assertion.check.endsWith('status'));
    expect(failedStatusChecks).toHaveLength(failed.length);
    expect(read.load!.sampled!.checks - read.load!.sampled!.checksPassed).toBe(failed.length * 2);
  });

  it('keeps every exchange when a check looks at one exchange of the step (`last`), not at each', async () => {
    const { record } = await run(60, await local(), 'last');
    const read = record.steps.find((step) => step.name === 'read')!;
    expect(read.outcome).toBe('passed');
    expect(read.load!.sampled).toBeUndefined();
    expect(record.exchanges.filter((exchange) => exchange.step === read.index)).toHaveLength(60);
  });
});
