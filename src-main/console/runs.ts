/**
 * The console's runs slice: everything that sends traffic is a run. A scenario run, a side-by-side
 * pair (the same scenario and seed against two targets) and a single IdP action from the IdP view
 * all go through the runner as `scimulator run` does (src-main/hosts/run-command.ts), stream every
 * RunEvent to the console as it happens, and end up in the run history with their full record.
 *
 * Scenario runs start from a fresh IdP directory, as the CLI does without `--idp-state`; IdP
 * actions use the console's persistent IdP directory, one action at a time, so that what the IdP
 * learned (the target's ids) carries over to the next action.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { ExportedReport, IdpActionArgs, ReportFormat, RunListItem, ScenarioRef, StartRunArgs, StartedRun } from '../api/contract.js';
import { diffRuns, type RunDiff } from '../diffs/diff.js';
import type { IdpDirectory } from '../idp/directory.js';
import type { IdpEvent } from '../idp/events.js';
import type { Profile } from '../idp/profile.js';
import { profileByName } from '../idp/profiles/index.js';
import { harReport } from '../reports/har.js';
import { htmlReport } from '../reports/html.js';
import { jsonReport } from '../reports/json.js';
import { junitReport } from '../reports/junit.js';
import type { RunEvent, RunSummary, StepSummary } from '../runner/run-events.js';
import { RUN_RECORD_FORMAT, RUN_RECORD_VERSION, RunRecorder, type RunRecord } from '../runner/run-record.js';
import { runScenario, stepName, type ScenarioRuntime } from '../runner/run.js';
import { createScenarioRuntime } from '../runner/scenario-runtime.js';
import type { Target } from '../runner/target.js';
import type { EventStep, Scenario } from '../scenarios/scenario.js';
import { createFullJudge } from '../verdicts/full-judge.js';
import type { Finding } from '../verdicts/finding.js';
import type { RunExchange } from '../runner/exchange.js';
import { checkIdpActionArgs, checkReportFormat, checkRunId, checkStartRunArgs } from './run-arguments.js';
import { UnknownRun, type RunHistory, type StoredRun } from './run-history.js';
import type { ConsoleEventSink, IdpDirectoryHolder, RunCommands, TargetCatalog } from './ports.js';

export interface RunServiceOptions {
  readonly targets: TargetCatalog;
  readonly idp: IdpDirectoryHolder;
  readonly events: ConsoleEventSink;
  readonly history: RunHistory;
  readonly scenarios: { load(ref: ScenarioRef): Promise<Scenario> };
  readonly now?: () => Date;
}

export interface RunService extends RunCommands {
  /** Cancels the runs in progress and waits until each has ended (and is kept in the history). */
  close(): Promise<void>;
}

/** A run in progress: what the console can show of it before it ends. */
interface ActiveRun {
  readonly id: string;
  item: RunListItem;
  readonly scenario: Scenario;
  readonly exact: boolean;
  readonly seed: number;
  runTag: string;
  targetKey: string;
  /** The runner has announced the run (`run-started`). */
  started: boolean;
  /** Set by `run-finished`: from then on the record is complete, though not yet kept. */
  ended?: { readonly summary: RunSummary; readonly at: string };
  readonly steps: StepSummary[];
  readonly exchanges: RunExchange[];
  readonly findings: Finding[];
  readonly controller: AbortController;
  /** Settles when the run has ended and been kept. */
  done: Promise<void>;
}

/** What one run needs beyond its ActiveRun. */
interface RunPlan {
  readonly profile: Profile;
  readonly keep: boolean;
  /** The console's persistent IdP directory (IdP actions); a fresh one otherwise. */
  readonly directory?: IdpDirectory;
  /** An IdP action: its values are the user's own, sent as typed (a `${…}` in a title is not a variable). */
  readonly verbatim?: boolean;
  /** Runs when the run has ended, before it is kept and announced: a finished action's directory is saved. */
  readonly afterRun?: () => Promise<void>;
}

export class RunNotFinished extends Error {
  constructor(readonly runId: string) {
    super(`The run "${runId}" is still in progress; wait for it to finish or cancel it`);
    this.name = 'RunNotFinished';
  }
}

export class RunServiceClosed extends Error {
  constructor() {
    super('The console is shutting down; runs can no longer start');
    this.name = 'RunServiceClosed';
  }
}

const REPORT_FILES: Record<ReportFormat, { readonly extension: string; readonly mimeType: string }> = {
  html: { extension: 'html', mimeType: 'text/html' },
  junit: { extension: 'xml', mimeType: 'application/xml' },
  json: { extension: 'json', mimeType: 'application/json' },
  har: { extension: 'har', mimeType: 'application/json' },
};

/** Runs and history events pass through as they are: the console renders what the CLI prints. */
export function createRunService(options: RunServiceOptions): RunService {
  const { targets, idp, events, history, scenarios } = options;
  const now = options.now ?? (() => new Date());
  const active = new Map<string, ActiveRun>();
  /** Finished runs the history could not write (a full disk): still shown and exportable this session. */
  const unsaved = new Map<string, StoredRun>();
  let closed = false;
  /** IdP actions share one directory: each waits for the one before it. */
  let actionQueue: Promise<void> = Promise.resolve();

  const runCount = () => active.size + unsaved.size + history.list().filter((item) => !active.has(item.id)).length;
  const announceHistory = () => events.emit('history', { runs: runCount() });

  function newActiveRun(item: Omit<RunListItem, 'id' | 'baseline' | 'startedAt'>, scenario: Scenario, seed: number, exact: boolean): ActiveRun {
    const id = randomUUID();
    const run: ActiveRun = {
      id,
      item: { id, ...item, startedAt: now().toISOString(), baseline: false },
      scenario,
      exact,
      seed,
      runTag: '',
      targetKey: item.target.id,
      started: false,
      steps: [],
      exchanges: [],
      findings: [],
      controller: new AbortController(),
      done: Promise.resolve(),
    };
    active.set(id, run);
    return run;
  }

  /** Opens the run's target, runs it, streams its events and keeps its record. Never rejects. */
  async function execute(run: ActiveRun, plan: RunPlan): Promise<void> {
    const onEvent = (event: RunEvent): void => {
      if (event.type === 'run-started') run.started = true;
      else if (event.type === 'exchange') run.exchanges.push(event.exchange);
      else if (event.type === 'finding') run.findings.push(event.finding);
      else if (event.type === 'step-finished') run.steps.push(event.step);
      else if (event.type === 'run-finished') run.ended = { summary: event.summary, at: now().toISOString() };
      events.emit('run', { runId: run.id, event });
    };
    let record: RunRecord;
    let target: Target | undefined;
    try {
      target = await targets.open(run.item.target.id);
      run.targetKey = target.key;
      const opened = target;
      record = await runScenario({
        scenario: run.scenario,
        target: opened,
        profile: plan.profile,
        ...(plan.directory ? { directory: plan.directory } : {}),
        exact: run.exact,
        ...(plan.keep ? { keep: true } : {}),
        seed: run.seed,
        signal: run.controller.signal,
        now,
        runtime: (random, runTag) => {
          run.runTag = runTag;
          return plan.verbatim ? verbatimRuntime : createScenarioRuntime(run.scenario, random, runTag, opened.baseUrl);
        },
        onEvent,
        judge: createFullJudge(),
      });
    } catch (error) {
      // The target could not be opened (or the runner failed): the run still ends, as an error
      // with the reason, so the console shows it like any other unreachable target.
      record = runThatCouldNotStart(run, plan.profile, error instanceof Error ? error.message : String(error), onEvent);
    } finally {
      await target?.close().catch(() => undefined);
    }
    await plan.afterRun?.();
    const stored: StoredRun = { item: { ...run.item, summary: record.summary }, record };
    try {
      await history.add(stored);
    } catch (error) {
      unsaved.set(run.id, stored);
      console.error(`The run ${run.id} could not be kept in the history: ${(error as Error).message}`);
    }
    // Listed as in progress until its record is on disk: a finished run in the list is a kept one.
    active.delete(run.id);
    announceHistory();
  }

  /** The record of a run that never reached its target: every step skipped, and why. */
  function runThatCouldNotStart(run: ActiveRun, profile: Profile, reason: string, onEvent: (event: RunEvent) => void): RunRecord {
    const recorder = new RunRecorder({
      scenario: { name: run.scenario.name, source: run.scenario.source, description: run.scenario.description },
      profile: profile.name,
      target: { key: run.targetKey, baseUrl: run.item.target.baseUrl },
      exact: run.exact,
      seed: run.seed,
      runTag: run.runTag,
      startedAt: run.item.startedAt,
    });
    const emit = (event: RunEvent) => {
      recorder.listener(event);
      onEvent(event);
    };
    // Events the runner already sent (it failed part-way) are in the record too.
    for (const step of run.steps) recorder.listener({ type: 'step-finished', step });
    for (const exchange of run.exchanges) recorder.listener({ type: 'exchange', exchange });
    for (const finding of run.findings) recorder.listener({ type: 'finding', finding });
    if (!run.started) {
      emit({ type: 'run-started', scenario: run.scenario.name, profile: profile.name, target: run.item.target.baseUrl, steps: run.scenario.steps.length });
    }
    const finished = new Set(run.steps.map((step) => step.index));
    run.scenario.steps.forEach((step, index) => {
      if (finished.has(index)) return;
      emit({
        type: 'step-finished',
        step: { index, name: stepName(step), outcome: 'skipped', durationMs: 0, exchanges: 0, assertions: [], message: `Not run: ${reason}` },
      });
    });
    const count = (outcome: StepSummary['outcome']) => run.steps.filter((step) => step.outcome === outcome).length;
    const summary: RunSummary = {
      outcome: run.controller.signal.aborted ? 'cancelled' : 'error',
      steps: { passed: count('passed'), failed: count('failed'), error: count('error'), skipped: count('skipped') },
      exchanges: run.exchanges.length,
      durationMs: elapsedMs(run),
      unreachable: reason,
    };
    emit({ type: 'run-finished', summary });
    return recorder.record(now().toISOString());
  }

  function elapsedMs(run: ActiveRun): number {
    return Math.max(0, now().getTime() - Date.parse(run.item.startedAt));
  }

  /** The record so far of a run in progress: its steps, exchanges and findings, and a summary of them. */
  function recordSoFar(run: ActiveRun): RunRecord {
    const count = (outcome: StepSummary['outcome']) => run.steps.filter((step) => step.outcome === outcome).length;
    const steps = { passed: count('passed'), failed: count('failed'), error: count('error'), skipped: count('skipped') };
    return {
      format: RUN_RECORD_FORMAT,
      version: RUN_RECORD_VERSION,
      scenario: { name: run.scenario.name, source: run.scenario.source, description: run.scenario.description },
      profile: run.item.profile,
      target: { key: run.targetKey, baseUrl: run.item.target.baseUrl },
      exact: run.exact,
      seed: run.seed,
      runTag: run.runTag,
      startedAt: run.item.startedAt,
      // Empty while in progress; once `run-finished` has streamed, the record is whole (a console
      // that reads it then, having missed the event, must see the run as finished).
      finishedAt: run.ended?.at ?? '',
      steps: [...run.steps],
      exchanges: [...run.exchanges],
      findings: [...run.findings],
      summary: run.ended?.summary ?? {
        outcome: steps.error > 0 ? 'error' : steps.failed > 0 ? 'failed' : 'passed',
        steps,
        exchanges: run.exchanges.length,
        durationMs: elapsedMs(run),
      },
    };
  }

  async function storedOf(id: string): Promise<StoredRun> {
    const stored = unsaved.get(id) ?? (await history.get(id));
    if (stored) return stored;
    if (active.has(id)) throw new RunNotFinished(id);
    throw new UnknownRun(id);
  }

  /** A run to compare: a kept one, or one in progress as it is so far (the console diffs it live). */
  async function comparableOf(id: string): Promise<StoredRun> {
    const run = active.get(id);
    return run ? { item: run.item, record: recordSoFar(run) } : storedOf(id);
  }

  function label(item: RunListItem, role?: string): string {
    return `${role === undefined ? '' : `${role}: `}${item.target.name} (${item.startedAt})`;
  }

  async function baselineDiff(stored: StoredRun): Promise<RunDiff | null> {
    const baseline = await history.baselineFor(stored.item.scenario, stored.item.target.id);
    if (!baseline || baseline.item.id === stored.item.id) return null;
    return diffRuns(baseline.record, stored.record, { a: label(baseline.item, 'baseline'), b: label(stored.item, 'this run') });
  }

  function guardOpen(): void {
    if (closed) throw new RunServiceClosed();
  }

  return {
    async startRun(untrusted: StartRunArgs): Promise<StartedRun> {
      guardOpen();
      const args = checkStartRunArgs(untrusted);
      const scenario = await scenarios.load(args.scenario);
      const profile = profileByName(args.profile ?? scenario.profile ?? 'generic');
      // Unknown targets fail here, before anything is sent.
      const primaryTarget = targets.describe(args.target);
      const compareTarget = args.compareTarget === undefined ? undefined : targets.describe(args.compareTarget);
      // One seed for both runs of a pair: the same names and random values, so what differs is the
      // target. A run is not given its baseline's seed (as `run --baseline` does): against a target
      // that kept the baseline's users (Okta deactivates, never deletes), the same names would
      // collide; the diff replaces each run's tag anyway.
      const seed = args.seed ?? randomBytes(4).readUInt32LE(0);
      const plan: RunPlan = { profile, keep: args.keep ?? false };
      const describe = (summary: typeof primaryTarget) => ({ id: summary.id, name: summary.name, baseUrl: summary.baseUrl });
      // The ref lets History run it again (a file by its path, editor text as it was).
      const base = { kind: 'scenario' as const, scenario: scenario.name, scenarioRef: args.scenario, profile: profile.name };
      const primary = newActiveRun({ ...base, target: describe(primaryTarget) }, scenario, seed, args.exact ?? false);
      const second = compareTarget ? newActiveRun({ ...base, target: describe(compareTarget) }, scenario, seed, args.exact ?? false) : undefined;
      if (second) {
        primary.item = { ...primary.item, pairedWith: second.id };
        second.item = { ...second.item, pairedWith: primary.id };
        if (compareTarget!.id === primaryTarget.id) {
          // One target twice: one after the other, or the runs would trip over each other's users.
          primary.done = execute(primary, plan);
          second.done = primary.done.then(() => execute(second, plan));
        } else {
          primary.done = execute(primary, plan);
          second.done = execute(second, plan);
        }
      } else {
        primary.done = execute(primary, plan);
      }
      announceHistory();
      return { runId: primary.id, ...(second ? { compareRunId: second.id } : {}) };
    },

    async runIdpAction(untrusted: IdpActionArgs): Promise<StartedRun> {
      guardOpen();
      const args = checkIdpActionArgs(untrusted);
      const profile = profileByName(args.profile);
      const target = targets.describe(args.target);
      const scenario = actionScenario(args.event, profile);
      const run = newActiveRun(
        { kind: 'action', scenario: scenario.name, profile: profile.name, target: { id: target.id, name: target.name, baseUrl: target.baseUrl } },
        scenario,
        randomBytes(4).readUInt32LE(0),
        false,
      );
      const plan: RunPlan = {
        profile,
        keep: false,
        directory: idp.directory,
        verbatim: true,
        // What the IdP learned (the target's ids), even from a failed or cancelled action.
        afterRun: () => idp.save().catch((error: unknown) => console.error(`The IdP directory could not be saved: ${(error as Error).message}`)),
      };
      run.done = actionQueue.then(() => execute(run, plan));
      actionQueue = run.done;
      announceHistory();
      return { runId: run.id };
    },

    async cancelRun(runId: string): Promise<void> {
      const id = checkRunId(runId);
      const run = active.get(id);
      if (run) {
        run.controller.abort();
        return;
      }
      // A run that has already ended has nothing left to cancel.
      if (!unsaved.has(id) && history.item(id) === undefined) throw new UnknownRun(id);
    },

    async listRuns(): Promise<RunListItem[]> {
      const inProgress = [...active.values()].map((run) => run.item).sort((a, b) => b.startedAt.localeCompare(a.startedAt));
      const notKept = [...unsaved.values()].map((run) => run.item);
      // A run being written to the history is listed once, as in progress.
      return [...inProgress, ...notKept, ...history.list().filter((item) => !active.has(item.id))];
    },

    async getRun(runId: string): Promise<RunRecord> {
      const id = checkRunId(runId);
      const run = active.get(id);
      if (run) return recordSoFar(run);
      return (await storedOf(id)).record;
    },

    async deleteRun(runId: string): Promise<void> {
      const id = checkRunId(runId);
      if (active.has(id)) throw new RunNotFinished(id);
      if (!unsaved.delete(id) && !(await history.delete(id))) throw new UnknownRun(id);
      announceHistory();
    },

    async diffRuns(a: string, b: string): Promise<RunDiff> {
      const first = await comparableOf(checkRunId(a, 'the first run id'));
      const second = await comparableOf(checkRunId(b, 'the second run id'));
      return diffRuns(first.record, second.record, { a: label(first.item), b: label(second.item) });
    },

    async setBaseline(runId: string): Promise<void> {
      const id = checkRunId(runId);
      if (active.has(id)) throw new RunNotFinished(id);
      if (unsaved.has(id)) throw new Error(`The run "${id}" is not in the history (it could not be saved), so it cannot be a baseline`);
      await history.setBaseline(id);
      announceHistory();
    },

    async diffWithBaseline(runId: string): Promise<RunDiff | null> {
      return baselineDiff(await comparableOf(checkRunId(runId)));
    },

    async exportRun(runId: string, format: ReportFormat): Promise<ExportedReport> {
      // Both arguments are checked before either is looked up: a bad shape is the caller's mistake whatever the run.
      const id = checkRunId(runId);
      const kind = checkReportFormat(format);
      const stored = await storedOf(id);
      const { record, item } = stored;
      let content: string;
      if (kind === 'html') {
        const pair = item.pairedWith === undefined ? undefined : (unsaved.get(item.pairedWith) ?? (await history.get(item.pairedWith)));
        const diff = pair ? diffRuns(record, pair.record, { a: label(item), b: label(pair.item) }) : await baselineDiff(stored);
        content = htmlReport(record, diff ? { diff } : {});
      } else {
        content = kind === 'junit' ? junitReport(record) : kind === 'json' ? jsonReport(record) : harReport(record);
      }
      const file = REPORT_FILES[kind];
      return { fileName: `${reportBaseName(item)}.${file.extension}`, mimeType: file.mimeType, content };
    },

    async close(): Promise<void> {
      closed = true;
      const running = [...active.values()];
      for (const run of running) run.controller.abort();
      await Promise.all(running.map((run) => run.done.catch(() => undefined)));
      await actionQueue.catch(() => undefined);
    },
  };
}

/** An IdP action's values are the user's own: nothing in them is a `${…}` to resolve, and nothing is checked. */
const verbatimRuntime: ScenarioRuntime = {
  resolve: <T>(value: T): T => value,
  check: () => [],
  capture: () => [],
};

/** One IdP event as a one-step scenario, named as the history lists it (`assignUser alice`). */
export function actionScenario(event: IdpEvent, profile: Profile): Scenario {
  const subject = 'user' in event ? event.user : 'group' in event ? event.group : undefined;
  const name = subject === undefined ? event.type : `${event.type} ${subject}`;
  const { type, ...fields } = event;
  const step: EventStep = { kind: 'event', event: type, name, ...fields };
  return {
    name,
    description: `${profile.title} sends ${name}, with the console's IdP directory`,
    // No generated people: the action works on the console's own directory.
    directory: { generate: 0 },
    steps: [step],
    source: 'console:idp-action',
  };
}

/** `okta-lifecycle-local-20261207T015800Z`: what a report is saved as. */
function reportBaseName(item: RunListItem): string {
  const slug = (text: string) => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '') || 'run';
  const stamp = item.startedAt.replace(/[-:]/g, '').replace(/\.\d+/, '');
  return `${slug(item.scenario)}-${slug(item.target.id)}-${stamp}`;
}
