/**
 * The runs service with a small scripted target: argument checks, the record of a run whose target
 * cannot be opened, a run in progress as getRun shows it, and the errors for runs that do not exist.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createConsoleApi, runConsoleCommand, type ConsoleProvider } from '../../../src-main/api/console-api.js';
import type { ConsoleEventName, ConsoleEvents, RunStreamEvent, TargetSummary } from '../../../src-main/api/contract.js';
import { InvalidCommandArguments } from '../../../src-main/console/invalid-arguments.js';
import { checkIdpEvent, checkStartRunArgs } from '../../../src-main/console/run-arguments.js';
import { openRunHistory, type RunHistory } from '../../../src-main/console/run-history.js';
import { actionScenario, createRunService } from '../../../src-main/console/runs.js';
import { createScenarioService } from '../../../src-main/console/scenarios.js';
import type { ConsoleEventSink, TargetCatalog } from '../../../src-main/console/ports.js';
import { IdpDirectory } from '../../../src-main/idp/directory.js';
import { profileByName } from '../../../src-main/idp/profiles/index.js';
import type { OutgoingRequest, ReceivedResponse } from '../../../src-main/runner/http.js';
import type { Target } from '../../../src-main/runner/target.js';

const SUMMARY: TargetSummary = { id: 'scripted', kind: 'remote', name: 'Scripted', baseUrl: 'http://scripted.test/scim/v2', auth: { kind: 'none' }, insecure: false, builtIn: false };

/** A target that answers every request 200 with an empty list, after `gate` lets it through. */
function scriptedCatalog(options: { gate?: Promise<void>; openFails?: string } = {}): TargetCatalog & { sent: OutgoingRequest[] } {
  const sent: OutgoingRequest[] = [];
  const target: Target = {
    key: 'http://scripted.test/scim/v2',
    baseUrl: 'http://scripted.test/scim/v2',
    async send(request): Promise<ReceivedResponse> {
      sent.push(request);
      await options.gate;
      return {
        status: 200,
        headers: { 'content-type': 'application/scim+json' },
        body: JSON.stringify({ schemas: ['urn:ietf:params:scim:api:messages:2.0:ListResponse'], totalResults: 0, Resources: [] }),
      };
    },
    close: async () => {},
  };
  return {
    sent,
    describe(id) {
      if (id !== 'scripted') throw new Error(`No target "${id}"`);
      return SUMMARY;
    },
    async open() {
      if (options.openFails) throw new Error(options.openFails);
      return target;
    },
  };
}

function sink(): ConsoleEventSink & { events: { event: ConsoleEventName; payload: unknown }[] } {
  const events: { event: ConsoleEventName; payload: unknown }[] = [];
  return {
    events,
    emit<E extends ConsoleEventName>(event: E, payload: ConsoleEvents[E]) {
      events.push({ event, payload });
    },
  };
}

async function service(catalog: TargetCatalog) {
  const events = sink();
  const history = await openRunHistory(undefined);
  const idp = { directory: new IdpDirectory(), save: async () => {} };
  const runs = createRunService({ targets: catalog, idp, events, history, scenarios: createScenarioService(), now: () => new Date('2026-12-07T10:00:00Z') });
  return { runs, events, history };
}

async function settled(runs: Awaited<ReturnType<typeof service>>['runs'], runId: string): Promise<void> {
  for (let i = 0; i < 500; i++) {
    if ((await runs.listRuns()).find((run) => run.id === runId)?.summary) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error('the run did not end');
}

const CONNECTION_TEST = { kind: 'builtin', name: 'jumpcloud-connection-test' } as const;

describe('run arguments', () => {
  it('accepts the contract shapes', () => {
    expect(checkStartRunArgs({ scenario: CONNECTION_TEST, target: 'local', profile: 'entra', compareTarget: 'practice:metabase', exact: true, keep: false, seed: 7 })).toEqual({
      scenario: CONNECTION_TEST,
      target: 'local',
      profile: 'entra',
      compareTarget: 'practice:metabase',
      exact: true,
      keep: false,
      seed: 7,
    });
    expect(checkIdpEvent({ type: 'updateUser', user: 'alice', changes: { title: null, givenName: 'Al' } })).toEqual({ type: 'updateUser', user: 'alice', changes: { title: null, givenName: 'Al' } });
    expect(checkIdpEvent({ type: 'addMembers', group: 'eng', users: ['alice'] })).toEqual({ type: 'addMembers', group: 'eng', users: ['alice'] });
    // Fields an event does not take are dropped, never passed on.
    expect(checkIdpEvent({ type: 'syncCycle', user: 'alice' })).toEqual({ type: 'syncCycle' });
  });

  it.each([
    [{ scenario: CONNECTION_TEST }, /target/],
    [{ scenario: CONNECTION_TEST, target: 'local', profile: 'azure' }, /profile is one of/],
    [{ scenario: CONNECTION_TEST, target: 'local', seed: -1 }, /seed/],
    [{ scenario: CONNECTION_TEST, target: 'local', seed: 1.5 }, /seed/],
    [{ scenario: CONNECTION_TEST, target: 'local', exact: 'yes' }, /exact/],
    [{ scenario: CONNECTION_TEST, target: 'local', dbFile: '/etc/passwd' }, /does not take "dbFile"/],
    [{ scenario: { kind: 'url', url: 'http://x' }, target: 'local' }, /builtin, file or text/],
    ['okta-lifecycle', /object/],
  ])('refuses startRun(%j)', (args, message) => {
    expect(() => checkStartRunArgs(args)).toThrow(InvalidCommandArguments);
    expect(() => checkStartRunArgs(args)).toThrow(message);
  });

  it.each([
    [{ type: 'dropTables' }, /one of/],
    [{ type: 'assignUser', user: '' }, /"user"/],
    [{ type: 'updateUser', user: 'alice', changes: { password: 'x' } }, /cannot change "password"/],
    [{ type: 'updateUser', user: 'alice', changes: { userName: null } }, /changes.userName/],
    [{ type: 'updateUser', user: 'alice', changes: {} }, /at least one change/],
    [{ type: 'addMembers', group: 'eng', users: [] }, /non-empty list/],
    [{ type: 'renameGroup', group: 'eng' }, /displayName/],
  ])('refuses the IdP event %j', (event, message) => {
    expect(() => checkIdpEvent(event)).toThrow(InvalidCommandArguments);
    expect(() => checkIdpEvent(event)).toThrow(message);
  });
});

describe('createRunService', () => {
  it('shows a run in progress as the record so far, then the finished record', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const catalog = scriptedCatalog({ gate });
    const { runs, events } = await service(catalog);
    const { runId } = await runs.startRun({ scenario: CONNECTION_TEST, target: 'scripted', seed: 42 });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const soFar = await runs.getRun(runId);
    expect(soFar.finishedAt).toBe('');
    expect(soFar.seed).toBe(42);
    expect(soFar.scenario.name).toBe('jumpcloud-connection-test');
    expect((await runs.listRuns())[0]).toMatchObject({ id: runId, target: { id: 'scripted', name: 'Scripted' } });
    expect((await runs.listRuns())[0]!.summary).toBeUndefined();
    // Not finished: it cannot be deleted, diffed, exported or made a baseline yet.
    await expect(runs.deleteRun(runId)).rejects.toThrow(/still in progress/);
    await expect(runs.exportRun(runId, 'json')).rejects.toThrow(/still in progress/);
    await expect(runs.setBaseline(runId)).rejects.toThrow(/still in progress/);
    release();
    // Once run-finished has streamed, the record read is whole even before the history has kept it.
    const seen = new Promise<void>((resolve) => {
      const check = setInterval(() => {
        if (events.events.some((entry) => entry.event === 'run' && (entry.payload as RunStreamEvent).event.type === 'run-finished')) {
          clearInterval(check);
          resolve();
        }
      }, 1);
    });
    await seen;
    expect((await runs.getRun(runId)).finishedAt).not.toBe('');
    await settled(runs, runId);
    const record = await runs.getRun(runId);
    expect(record.finishedAt).toBe('2026-12-07T10:00:00.000Z');
    expect(record.exchanges.length).toBe(catalog.sent.length);
  });

  it('keeps a run whose target cannot be opened as an error, with the reason', async () => {
    const { runs, events } = await service(scriptedCatalog({ openFails: 'the OAuth token endpoint refused the client' }));
    const { runId } = await runs.startRun({ scenario: CONNECTION_TEST, target: 'scripted' });
    await settled(runs, runId);
    const record = await runs.getRun(runId);
    expect(record.summary.outcome).toBe('error');
    expect(record.summary.unreachable).toBe('the OAuth token endpoint refused the client');
    expect(record.steps.length).toBeGreaterThan(0);
    expect(record.steps.every((step) => step.outcome === 'skipped' && step.message?.includes('OAuth token endpoint'))).toBe(true);
    const streamed = events.events.filter((entry) => entry.event === 'run').map((entry) => (entry.payload as RunStreamEvent).event.type);
    expect(streamed[0]).toBe('run-started');
    expect(streamed.at(-1)).toBe('run-finished');
  });

  it('says which run does not exist', async () => {
    const { runs } = await service(scriptedCatalog());
    for (const call of [() => runs.getRun('nope'), () => runs.deleteRun('nope'), () => runs.exportRun('nope', 'html'), () => runs.diffWithBaseline('nope'), () => runs.setBaseline('nope')]) {
      await expect(call()).rejects.toThrow(/No run "nope"/);
    }
    await expect(runs.diffRuns('nope', 'nada')).rejects.toThrow(/No run "nope"/);
    await expect(runs.getRun(42 as never)).rejects.toThrow(InvalidCommandArguments);
    await expect(runs.startRun({ scenario: CONNECTION_TEST, target: 'elsewhere' })).rejects.toThrow(/No target "elsewhere"/);
  });

  it('deletes a finished run and announces the history change', async () => {
    const { runs, events } = await service(scriptedCatalog());
    const { runId } = await runs.startRun({ scenario: CONNECTION_TEST, target: 'scripted' });
    await settled(runs, runId);
    await runs.deleteRun(runId);
    expect(await runs.listRuns()).toEqual([]);
    expect(events.events.filter((entry) => entry.event === 'history').at(-1)!.payload).toEqual({ runs: 0 });
  });

  it('names an IdP action after its event and subject, with no generated people', () => {
    const scenario = actionScenario({ type: 'addMembers', group: 'eng', users: ['alice', 'bob'] }, profileByName('entra'));
    expect(scenario.name).toBe('addMembers eng');
    expect(scenario.directory).toEqual({ generate: 0 });
    expect(scenario.steps).toEqual([{ kind: 'event', event: 'addMembers', name: 'addMembers eng', group: 'eng', users: ['alice', 'bob'] }]);
    expect(actionScenario({ type: 'syncCycle' }, profileByName('entra')).name).toBe('syncCycle');
  });

  it('runs an action on a person the IdP does not have as a failed action that sends nothing', async () => {
    const catalog = scriptedCatalog();
    const { runs } = await service(catalog);
    const { runId } = await runs.runIdpAction({ profile: 'okta', target: 'scripted', event: { type: 'assignUser', user: 'ghost' } });
    await settled(runs, runId);
    const record = await runs.getRun(runId);
    expect(record.summary.outcome).toBe('error');
    expect(record.steps[0]!.message).toMatch(/No person "ghost"/);
    expect(catalog.sent).toEqual([]);
  });

  it('runs a scenario file of an opened folder', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'scimulator-run-file-'));
    try {
      const path = join(dir, 'check.yaml');
      await writeFile(path, 'name: my-check\ndescription: lists users\nsteps:\n  - request: { method: GET, path: /Users }\n    expect: [{ status: 200 }]\n');
      const catalog = scriptedCatalog();
      const events = sink();
      const scenarios = createScenarioService();
      const runs = createRunService({ targets: catalog, idp: { directory: new IdpDirectory(), save: async () => {} }, events, history: await openRunHistory(undefined), scenarios });
      await expect(runs.startRun({ scenario: { kind: 'file', path }, target: 'scripted' })).rejects.toThrow(/not in an opened scenario folder/);
      await scenarios.openScenarioFolder(dir);
      const { runId } = await runs.startRun({ scenario: { kind: 'file', path }, target: 'scripted' });
      await settled(runs, runId);
      const record = await runs.getRun(runId);
      expect(record).toMatchObject({ scenario: { name: 'my-check', source: path }, profile: 'generic', summary: { outcome: 'passed' } });
      expect(catalog.sent.map((request) => `${request.method} ${request.path}`)).toEqual(['GET /Users']);
      // History can run it again: the list keeps which file it was.
      expect((await runs.listRuns()).find((run) => run.id === runId)?.scenarioRef).toEqual({ kind: 'file', path });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('still shows and exports a finished run the history could not write', async () => {
    const real = await openRunHistory(undefined);
    const failing: RunHistory = { ...real, size: 0, list: () => real.list(), get: (id) => real.get(id), add: async () => Promise.reject(new Error('ENOSPC: no space left on device')) };
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => errors.push(args);
    try {
      const runs = createRunService({ targets: scriptedCatalog(), idp: { directory: new IdpDirectory(), save: async () => {} }, events: sink(), history: failing, scenarios: createScenarioService() });
      const { runId } = await runs.startRun({ scenario: CONNECTION_TEST, target: 'scripted' });
      await settled(runs, runId);
      expect((await runs.getRun(runId)).finishedAt).not.toBe('');
      expect((await runs.listRuns()).map((run) => run.id)).toEqual([runId]);
      expect(JSON.parse((await runs.exportRun(runId, 'json')).content).scenario.name).toBe('jumpcloud-connection-test');
      await expect(runs.setBaseline(runId)).rejects.toThrow(/could not be saved/);
      expect(String(errors[0])).toContain('ENOSPC');
    } finally {
      console.error = original;
    }
  });

  it('is reachable through the console API, which refuses bad arguments with InvalidCommandArguments', async () => {
    const { runs } = await service(scriptedCatalog());
    const provider = { origin: 'http://x', baseUrl: 'http://x/scim/v2', token: 't' } as unknown as ConsoleProvider;
    const api = createConsoleApi(provider, { runs, scenarios: createScenarioService() });
    await expect(runConsoleCommand(api, 'startRun', [{ scenario: CONNECTION_TEST, target: 'scripted', seed: 'x' }])).rejects.toThrow(InvalidCommandArguments);
    await expect(runConsoleCommand(api, 'exportRun', ['id', 'docx'])).rejects.toThrow(InvalidCommandArguments);
    const started = (await runConsoleCommand(api, 'startRun', [{ scenario: CONNECTION_TEST, target: 'scripted' }])) as { runId: string };
    await settled(runs, started.runId);
    expect(((await runConsoleCommand(api, 'listRuns', [])) as unknown[]).length).toBe(1);
    expect(((await runConsoleCommand(api, 'listBuiltinScenarios', [])) as unknown[]).length).toBeGreaterThan(5);
  });
});
