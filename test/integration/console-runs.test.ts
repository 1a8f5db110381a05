/**
 * The console's runs, end to end in Node: built-in scenarios run against the real local provider
 * (in process, through its SCIM handler) and a practice target, streamed as `run` events, kept in a
 * real runs.json on disk, compared, cancelled, exported, and single IdP actions that update the
 * console's IdP directory.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ConsoleEventName, ConsoleEvents, RunStreamEvent, TargetSummary } from '../../src-main/api/contract.js';
import { createScenarioService } from '../../src-main/console/scenarios.js';
import { openRunHistory, type RunHistory } from '../../src-main/console/run-history.js';
import { createRunService, type RunService } from '../../src-main/console/runs.js';
import type { ConsoleEventSink, IdpDirectoryHolder, TargetCatalog } from '../../src-main/console/ports.js';
import { IdpDirectory } from '../../src-main/idp/directory.js';
import { personFrom } from '../../src-main/idp/people.js';
import { createRandom } from '../../src-main/idp/random.js';
import { createProvider, type Provider } from '../../src-main/provider.js';
import type { Target } from '../../src-main/runner/target.js';
import { localTargetFor } from '../../src-main/runner/targets/local-target.js';
import { createPracticeTarget } from '../../src-main/runner/targets/practice-target.js';

const JUNIT_XSD = fileURLToPath(new URL('../fixtures/junit/junit-10.xsd', import.meta.url));

/** The targets the console knows: the local provider and one practice product, as the targets service offers them. */
function testCatalog(provider: Provider): TargetCatalog {
  const local = localTargetFor(provider);
  const practice = createPracticeTarget('open-webui');
  const summaries: Record<string, TargetSummary> = {
    local: { id: 'local', kind: 'local', name: 'Local provider', baseUrl: local.baseUrl, auth: { kind: 'bearer', secretSaved: true }, insecure: false, builtIn: true },
    'practice:open-webui': {
      id: 'practice:open-webui',
      kind: 'practice',
      name: 'Open WebUI (practice)',
      baseUrl: practice.baseUrl,
      auth: { kind: 'bearer', secretSaved: true },
      insecure: false,
      builtIn: true,
    },
  };
  // Shared targets: closing them is the session's business, not the run's.
  const shared = (target: Target): Target => ({ key: target.key, baseUrl: target.baseUrl, send: (request, signal) => target.send(request, signal), close: async () => {} });
  return {
    describe(id) {
      const summary = summaries[id];
      if (!summary) throw new Error(`No target "${id}"`);
      return summary;
    },
    async open(id) {
      if (id === 'local') return localTargetFor(provider);
      if (id === 'practice:open-webui') return shared(practice);
      throw new Error(`No target "${id}"`);
    },
  };
}

function recordingSink(): ConsoleEventSink & { readonly seen: { event: ConsoleEventName; payload: unknown }[]; runEvents(runId: string): RunStreamEvent['event'][] } {
  const seen: { event: ConsoleEventName; payload: unknown }[] = [];
  const listeners: ((event: ConsoleEventName, payload: unknown) => void)[] = [];
  return {
    seen,
    emit<E extends ConsoleEventName>(event: E, payload: ConsoleEvents[E]) {
      seen.push({ event, payload });
      for (const listener of listeners) listener(event, payload);
    },
    runEvents(runId) {
      return seen.filter((entry) => entry.event === 'run' && (entry.payload as RunStreamEvent).runId === runId).map((entry) => (entry.payload as RunStreamEvent).event);
    },
  };
}

function idpHolder(): IdpDirectoryHolder & { saves: number } {
  const directory = new IdpDirectory();
  const random = createRandom(11);
  directory.addPerson(personFrom({ key: 'alice', givenName: 'Alice', familyName: 'Liddell', userName: 'alice@example.com' }, random, 'tag', 0));
  const holder = {
    directory,
    saves: 0,
    async save() {
      holder.saves++;
    },
  };
  return holder;
}

/** Resolves when the run has ended (its record is in the history). */
async function finished(runs: RunService, runId: string): Promise<void> {
  for (let i = 0; i < 600; i++) {
    const item = (await runs.listRuns()).find((run) => run.id === runId);
    if (item?.summary) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`run ${runId} did not finish`);
}

describe('console runs against real targets', () => {
  let dir: string;
  let provider: Provider;
  let history: RunHistory;
  let runs: RunService;
  let sink: ReturnType<typeof recordingSink>;
  let idp: ReturnType<typeof idpHolder>;
  const scenarios = createScenarioService();

  async function open(maxRuns = 50): Promise<void> {
    history = await openRunHistory(join(dir, 'runs.json'), { maxRuns });
    runs = createRunService({ targets: testCatalog(provider), idp, events: sink, history, scenarios });
  }

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'scimulator-console-runs-'));
    provider = await createProvider();
    sink = recordingSink();
    idp = idpHolder();
    await open();
  });

  afterEach(async () => {
    await runs.close();
    await provider.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('runs okta-lifecycle against the local provider, streams every event and keeps the record on disk across a reopen', async () => {
    const { runId, compareRunId } = await runs.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' });
    expect(compareRunId).toBeUndefined();
    // Listed at once, without a summary, while it runs.
    const listed = (await runs.listRuns()).find((run) => run.id === runId);
    expect(listed).toMatchObject({ kind: 'scenario', scenario: 'okta-lifecycle', profile: 'okta', target: { id: 'local' }, baseline: false });
    await finished(runs, runId);

    const streamed = sink.runEvents(runId);
    expect(streamed[0]).toMatchObject({ type: 'run-started', scenario: 'okta-lifecycle', profile: 'okta' });
    expect(streamed.at(-1)).toMatchObject({ type: 'run-finished', summary: { outcome: 'passed' } });
    const record = await runs.getRun(runId);
    expect(record.summary.outcome).toBe('passed');
    // Every exchange and step of the record was streamed, in order.
    expect(streamed.filter((event) => event.type === 'exchange').map((event) => event.type === 'exchange' && event.exchange.index)).toEqual(record.exchanges.map((exchange) => exchange.index));
    expect(streamed.filter((event) => event.type === 'step-finished')).toHaveLength(record.steps.length);
    // The local provider saw the run's traffic.
    expect(provider.log.entries().length).toBeGreaterThanOrEqual(record.exchanges.length);
    expect(sink.seen.filter((entry) => entry.event === 'history').length).toBeGreaterThanOrEqual(2);

    // The history is a file of its own, and it survives a reopen.
    const onDisk = JSON.parse(await readFile(join(dir, 'runs.json'), 'utf8'));
    expect(onDisk.format).toBe('scimulator-run-history');
    expect(onDisk.runs[0].id).toBe(runId);
    // The record is a file of its own beside the list.
    expect(JSON.parse(await readFile(join(dir, 'runs', `${runId}.json`), 'utf8')).exchanges).toHaveLength(record.exchanges.length);
    await runs.close();
    await open();
    const reopened = await runs.listRuns();
    expect(reopened.map((run) => run.id)).toEqual([runId]);
    expect(reopened[0]!.summary?.outcome).toBe('passed');
    expect((await runs.getRun(runId)).exchanges).toHaveLength(record.exchanges.length);
  });

  it('keeps at most maxRuns, dropping the oldest run that is not a baseline', async () => {
    await runs.close();
    await open(2);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const { runId } = await runs.startRun({ scenario: { kind: 'builtin', name: 'jumpcloud-connection-test' }, target: 'local' });
      await finished(runs, runId);
      ids.push(runId);
      if (i === 0) await runs.setBaseline(runId);
    }
    const kept = (await runs.listRuns()).map((run) => run.id);
    // The first is the baseline and stays; the second, the oldest other run, was dropped.
    expect(kept).toEqual([ids[2], ids[0]]);
    await expect(runs.getRun(ids[1]!)).rejects.toThrow(/No run/);
    await runs.close();
    await open(2);
    expect((await runs.listRuns()).map((run) => run.id)).toEqual([ids[2], ids[0]]);
  });

  it('diffs a run with its baseline, and exports HTML with that diff, JUnit, JSON and HAR', async () => {
    const first = await runs.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' });
    await finished(runs, first.runId);
    expect(await runs.diffWithBaseline(first.runId)).toBeNull();
    await runs.setBaseline(first.runId);
    expect((await runs.listRuns()).find((run) => run.id === first.runId)?.baseline).toBe(true);
    // Okta deactivates and never deletes: the first run's users are still there, and the second
    // run's connection test lists them, a real difference from the baseline.
    const second = await runs.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' });
    await finished(runs, second.runId);
    const diff = await runs.diffWithBaseline(second.runId);
    expect(diff).not.toBeNull();
    expect(diff!.a.label).toMatch(/^baseline/);
    expect(diff!.b.label).toMatch(/^this run/);
    expect(diff!.identical).toBe(false);
    expect(diff!.steps[0]!.differences).toBeGreaterThan(0);
    // From the same empty directory, a run matches its baseline: each run's own tag and ids are not differences.
    await provider.store.reset();
    const third = await runs.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' });
    await finished(runs, third.runId);
    expect((await runs.getRun(third.runId)).runTag).not.toBe((await runs.getRun(first.runId)).runTag);
    expect((await runs.diffWithBaseline(third.runId))!.identical).toBe(true);

    const html = await runs.exportRun(second.runId, 'html');
    expect(html.mimeType).toBe('text/html');
    expect(html.fileName).toMatch(/^okta-lifecycle-local-.*\.html$/);
    expect(html.content).toContain('okta-lifecycle');
    expect(html.content).toContain('baseline');

    const junit = await runs.exportRun(second.runId, 'junit');
    expect(junit.fileName).toMatch(/\.xml$/);
    // Well-formed and valid JUnit, as libxml2 reads it (xmllint, as the reports tests use).
    const junitFile = join(dir, junit.fileName);
    await writeFile(junitFile, junit.content);
    await expect(promisify(execFile)('xmllint', ['--noout', '--schema', JUNIT_XSD, junitFile])).resolves.toBeDefined();
    expect(junit.content).toContain('okta-lifecycle');

    const json = JSON.parse((await runs.exportRun(second.runId, 'json')).content);
    expect(json.scenario.name).toBe('okta-lifecycle');
    const har = JSON.parse((await runs.exportRun(second.runId, 'har')).content);
    expect(har.log.entries.length).toBe((await runs.getRun(second.runId)).exchanges.length);

    await expect(runs.exportRun(second.runId, 'pdf' as never)).rejects.toThrow(/report format/);
  });

  it('diffs two runs of the same scenario from the same start as identical, each with its own seed, run tag and ids', async () => {
    for (const scenario of ['okta-lifecycle', 'entra-lifecycle']) {
      await provider.store.reset();
      const first = await runs.startRun({ scenario: { kind: 'builtin', name: scenario }, target: 'local' });
      await finished(runs, first.runId);
      await provider.store.reset();
      const again = await runs.startRun({ scenario: { kind: 'builtin', name: scenario }, target: 'local' });
      await finished(runs, again.runId);
      const [a, b] = [await runs.getRun(first.runId), await runs.getRun(again.runId)];
      expect(a.runTag).not.toBe(b.runTag);
      const diff = await runs.diffRuns(first.runId, again.runId);
      const differing = diff.steps.flatMap((step) => step.exchanges).filter((exchange) => exchange.kind !== 'pair' || !exchange.same);
      expect({ scenario, differing }).toEqual({ scenario, differing: [] });
      expect(diff.identical).toBe(true);
    }
    // A target that behaves differently still differs, in what it answered.
    const local = await runs.startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'local' });
    const practice = await runs.startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'practice:open-webui' });
    await finished(runs, local.runId);
    await finished(runs, practice.runId);
    const diff = await runs.diffRuns(local.runId, practice.runId);
    expect(diff.identical).toBe(false);
    const differing = diff.steps.flatMap((step) => step.exchanges).filter((exchange) => exchange.kind === 'pair' && !exchange.same);
    expect(differing.some((exchange) => exchange.kind === 'pair' && (exchange.status !== undefined || exchange.bodyChanges !== undefined))).toBe(true);
    // …and not in the probes it was sent, which only the seed chose.
    expect(differing.filter((exchange) => exchange.kind === 'pair' && exchange.purpose.startsWith('probe') && exchange.requestChanges !== undefined)).toEqual([]);
  });

  it('runs a scenario against two targets with one seed, pairs them and exports the pair diff', async () => {
    const { runId, compareRunId } = await runs.startRun({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'local', compareTarget: 'practice:open-webui' });
    expect(compareRunId).toBeDefined();
    await finished(runs, runId);
    await finished(runs, compareRunId!);
    const list = await runs.listRuns();
    expect(list.find((run) => run.id === runId)?.pairedWith).toBe(compareRunId);
    expect(list.find((run) => run.id === compareRunId)?.pairedWith).toBe(runId);
    const [a, b] = [await runs.getRun(runId), await runs.getRun(compareRunId!)];
    expect(a.seed).toBe(b.seed);
    expect(b.target.key).toBe('practice:open-webui');
    // Open WebUI fails Entra where the real product does: the pair differs.
    const diff = await runs.diffRuns(runId, compareRunId!);
    expect(diff.identical).toBe(false);
    expect(sink.runEvents(compareRunId!).at(-1)?.type).toBe('run-finished');
    const html = await runs.exportRun(runId, 'html');
    expect(html.content).toContain('Open WebUI (practice)');
  });

  it('cancels a run mid-way: the rest of the steps do not run and the run is kept as cancelled', async () => {
    let runId = '';
    let cancelled = false;
    const events = recordingSink();
    const cancelling: ConsoleEventSink = {
      emit(event, payload) {
        events.emit(event, payload);
        const run = payload as RunStreamEvent;
        if (event === 'run' && run.event.type === 'step-finished' && !cancelled) {
          cancelled = true;
          void service.cancelRun(runId);
        }
      },
    };
    const service = createRunService({ targets: testCatalog(provider), idp, events: cancelling, history, scenarios });
    ({ runId } = await service.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' }));
    await finished(service, runId);
    const record = await service.getRun(runId);
    expect(record.summary.outcome).toBe('cancelled');
    expect(record.steps.filter((step) => step.outcome === 'passed')).toHaveLength(1);
    expect(record.steps.slice(2).every((step) => step.message === 'Not run: the run was cancelled')).toBe(true);
    expect(events.runEvents(runId).at(-1)).toMatchObject({ type: 'run-finished', summary: { outcome: 'cancelled' } });
    // A finished run has nothing left to cancel; an unknown one is an error.
    await expect(service.cancelRun(runId)).resolves.toBeUndefined();
    await expect(service.cancelRun('no-such-run')).rejects.toThrow(/No run "no-such-run"/);
    await service.close();
  });

  it('close() cancels the runs in progress and keeps them', async () => {
    const { runId } = await runs.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' });
    await runs.close();
    expect(history.item(runId)?.summary?.outcome).toBe('cancelled');
    await expect(runs.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'local' })).rejects.toThrow(/shutting down/);
  });

  it('runs one IdP action with the console directory: the target gets the user and the directory learns its id', async () => {
    const { runId } = await runs.runIdpAction({ profile: 'okta', target: 'local', event: { type: 'assignUser', user: 'alice' } });
    await finished(runs, runId);
    const item = (await runs.listRuns()).find((run) => run.id === runId)!;
    expect(item).toMatchObject({ kind: 'action', scenario: 'assignUser alice', profile: 'okta', summary: { outcome: 'passed' } });
    const link = idp.directory.linksFor('local').users.alice;
    expect(link?.assigned).toBe(true);
    expect(idp.saves).toBe(1);
    const created = provider.store.count('User');
    expect(created).toBe(1);
    const record = await runs.getRun(runId);
    expect(record.exchanges.some((exchange) => exchange.request.method === 'POST' && exchange.response?.status === 201)).toBe(true);

    // A second action updates the same user (the directory remembers the target's id).
    const update = await runs.runIdpAction({ profile: 'okta', target: 'local', event: { type: 'updateUser', user: 'alice', changes: { title: 'Queen of Hearts' } } });
    await finished(runs, update.runId);
    expect(provider.store.count('User')).toBe(1);
    const updated = await runs.getRun(update.runId);
    expect(updated.summary.outcome).toBe('passed');
    expect(JSON.stringify(updated.exchanges.map((exchange) => exchange.request.body))).toContain('Queen of Hearts');
    expect(idp.saves).toBe(2);
  });

  it('refuses bad arguments and unknown targets before sending anything', async () => {
    await expect(runs.startRun({ scenario: { kind: 'builtin', name: 'okta-lifecycle' }, target: 'nowhere' })).rejects.toThrow(/No target "nowhere"/);
    await expect(runs.startRun({ scenario: { kind: 'builtin', name: 'no-such' }, target: 'local' })).rejects.toThrow(/Unknown built-in scenario/);
    await expect(runs.runIdpAction({ profile: 'okta', target: 'local', event: { type: 'assignUser' } as never })).rejects.toThrow(/"user"/);
    expect(provider.log.entries()).toHaveLength(0);
    expect(await runs.listRuns()).toEqual([]);
  });
});
