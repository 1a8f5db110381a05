/**
 * Runs a scenario: builds the IdP's directory from the fixtures, turns each step into the
 * profile's HTTP sequence (or sends a raw request), records every exchange, checks the step's
 * expectations and reports it all as one event stream. A run never stops at the first failed
 * step; it stops early only when the target cannot be reached or the run is cancelled, and then
 * says which steps did not run.
 */
import { performance } from 'node:perf_hooks';
import { redactBody } from '../traffic/redaction.js';
import { applyAfterSending, applyBeforeSending } from '../idp/apply-event.js';
import { IdpDirectory } from '../idp/directory.js';
import type { IdpEvent } from '../idp/events.js';
import { generatedPeople, groupFrom, newRunTag, personFrom } from '../idp/people.js';
import {
  IdpOperationFailed,
  UnsupportedByIdp,
  type Profile,
  type ProfileContext,
  type ProfileOptions,
  type ProfileRequest,
  type Random,
} from '../idp/profile.js';
import { createRandom } from '../idp/random.js';
import { NotProvisioned } from '../idp/profiles/profile-kit.js';
import { UnknownVariable } from '../scenarios/interpolate.js';
import { CAPABILITIES, type Capture, type EventStep, type Expectation, type RequestStep, type Scenario, type Step, isOwnRequest } from '../scenarios/scenario.js';
import { CheckScope } from './check-scope.js';
import { DOCUMENT_PATHS, type DiscoveryDocument, type TargetDocuments, capabilitiesFrom, documentsNeeded, fitBodyToSchemas, listFrom, whyNotApplicable } from './capabilities.js';
import { AUTHORIZATION, type ExchangeSource, type RunExchange } from './exchange.js';
import { CHECK_USER_AGENT } from '../version.js';
import { findingOf } from '../verdicts/catalog.js';
import type { Finding, Severity } from '../verdicts/finding.js';
import type { Judge } from '../verdicts/judge.js';
import { type HeaderList, type ReceivedResponse, requestUrl } from './http.js';
import type { AssertionResult, LoadStats, NotAppliedCheck, RunEvent, RunSummary, StepOutcome, StepSummary } from './run-events.js';
import { type RunRecord, RunRecorder } from './run-record.js';
import { type Repetition, RepetitionSample, sampleable } from './repetition-sample.js';
import { TargetUnreachable, type Target } from './target.js';
import { sendWithRetryAfter } from './targets/retry-after.js';
import { UnsendableRequest } from './targets/sendable.js';

/** How scenario values are resolved and checked during one run (src-main/scenarios/). */
export interface ScenarioRuntime {
  /** Resolves `${…}` in every string of `value` (variables, generators, captures). */
  resolve<T>(value: T): T;
  /** Checks a step's expectations against the IdP exchanges it produced. */
  check(expectations: readonly Expectation[], exchanges: readonly RunExchange[]): AssertionResult[];
  /** Stores a step's captures; a capture that found nothing is a failed result. */
  capture(save: Readonly<Record<string, Capture>>, exchanges: readonly RunExchange[]): AssertionResult[];
}

export interface RunOptions {
  readonly scenario: Scenario;
  readonly target: Target;
  readonly profile: Profile;
  readonly profileOptions?: ProfileOptions;
  /** The IdP's directory kept between runs (`--idp-state`); a fresh one otherwise. */
  readonly directory?: IdpDirectory;
  /** Send only the IdP's own traffic. */
  readonly exact?: boolean;
  readonly seed?: number;
  /**
   * The run's tag, instead of the one the seed draws (the draw is still made, so every other
   * value is the seed's): a rerun of a baseline's seed against a target that kept what the
   * baseline created needs names of its own, and the diff folds each run's tag anyway.
   */
  readonly runTag?: string;
  readonly signal?: AbortSignal;
  readonly now?: () => Date;
  /** Builds the scenario runtime for this run's randomness and run tag. */
  readonly runtime: (random: Random, runTag: string) => ScenarioRuntime;
  readonly onEvent?: (event: RunEvent) => void;
  /** Leave what the run created on the target: `cleanup` steps do not run. */
  readonly keep?: boolean;
  /** Judges every IdP exchange and every finished step; without one, the run only reports outcomes. */
  readonly judge?: Judge;
  /** Waits for a 429's Retry-After; injectable so tests do not sleep. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** People generated when a scenario brings no fixtures. */
const DEFAULT_PEOPLE = 5;

class RunAborted extends Error {}

export function stepName(step: Step): string {
  if (step.name) return step.name;
  if (step.kind === 'request') return `${step.method} ${step.path}`;
  const subject = step.user ?? step.group ?? '';
  return subject ? `${step.event} ${subject}` : step.event;
}

function eventOf(step: EventStep): IdpEvent {
  const need = <T>(value: T | undefined, field: string): T => {
    if (value === undefined) throw new Error(`${step.event} needs "${field}"`);
    return value;
  };
  switch (step.event) {
    case 'testConnection':
    case 'importUsers':
    case 'importGroups':
    case 'syncCycle':
      return { type: step.event };
    case 'assignUser':
    case 'deactivateUser':
    case 'reactivateUser':
    case 'unassignUser':
    case 'deleteUser':
      return { type: step.event, user: need(step.user, 'user') };
    case 'updateUser':
      return { type: 'updateUser', user: need(step.user, 'user'), changes: need(step.changes, 'changes') };
    case 'pushGroup':
    case 'deleteGroup':
      return { type: step.event, group: need(step.group, 'group') };
    case 'renameGroup':
      return { type: 'renameGroup', group: need(step.group, 'group'), displayName: need(step.displayName, 'displayName') };
    case 'addMembers':
    case 'removeMembers':
      return { type: step.event, group: need(step.group, 'group'), users: need(step.users, 'users') };
    default: {
      const unknown: never = step.event;
      throw new Error(`Unknown event ${String(unknown)}`);
    }
  }
}

/** The request headers as recorded: the credential placeholder is never filled in a record. */
function recordedHeaders(headers: HeaderList): HeaderList {
  return headers.map(([name, value]) => [name, value === AUTHORIZATION ? '[redacted]' : value] as const);
}

/** Why a step errored, in words: a variable an earlier failed step never captured says so. */
function stepErrorMessage(error: unknown): string {
  if (error instanceof UnknownVariable) {
    return `Could not run: it needs \`\${${error.variable}}\`, which an earlier step was to capture but did not (see the failures above)`;
  }
  return error instanceof Error ? error.message : String(error);
}

/** The headers of Scimulator's own requests. */
function ownHeaders(withBody: boolean): [string, string][] {
  return [
    ['Accept', 'application/scim+json'],
    ...(withBody ? ([['Content-Type', 'application/scim+json']] as [string, string][]) : []),
    ['User-Agent', CHECK_USER_AGENT],
    ['Authorization', AUTHORIZATION],
  ];
}

function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return Math.round(sorted[rank]! * 100) / 100;
}

/** What the exchanges of a repeated step measured, kept or not: their latencies and how many got no answer or a 5xx. */
class LoadTally {
  readonly latencies: number[] = [];
  unanswered = 0;

  add(exchanges: readonly RunExchange[]): void {
    for (const exchange of exchanges) {
      this.latencies.push(exchange.durationMs);
      if (!exchange.response || exchange.response.status >= 500) this.unanswered++;
    }
  }
}

function loadStats(tally: LoadTally, failedRepetitions: number, wallMs: number, sampled: LoadStats['sampled']): LoadStats {
  const latencies = tally.latencies.sort((a, b) => a - b);
  const requests = latencies.length;
  const errors = tally.unanswered + failedRepetitions;
  return {
    requests,
    errors,
    errorRate: requests === 0 ? 0 : errors / requests,
    requestsPerSecond: wallMs > 0 ? Math.round((requests / wallMs) * 1000 * 10) / 10 : 0,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: percentile(latencies, 100),
    ...(sampled === undefined ? {} : { sampled }),
  };
}

export async function runScenario(options: RunOptions): Promise<RunRecord> {
  const { scenario, target, profile } = options;
  const now = options.now ?? (() => new Date());
  const random = createRandom(options.seed);
  const drawnTag = newRunTag(random);
  const runTag = options.runTag ?? drawnTag;
  const runtime = options.runtime(random, runTag);
  const directory = options.directory ?? new IdpDirectory();
  const profileOptions = options.profileOptions ?? {};
  const scope = new CheckScope({ profile: profile.name, writtenFor: scenario.profile ?? 'generic', baseUrl: target.baseUrl });
  /** ProfileContext.session: one per run, shared by every event's context. */
  const session = {};
  const startedAt = now().toISOString();
  const recorder = new RunRecorder({
    scenario: { name: scenario.name, source: scenario.source, description: scenario.description },
    profile: profile.name,
    target: { key: target.key, baseUrl: target.baseUrl },
    exact: options.exact ?? false,
    seed: random.seed,
    runTag,
    startedAt,
  });
  const emit = (event: RunEvent): void => {
    recorder.listener(event);
    options.onEvent?.(event);
  };

  // The IdP's directory: fixtures the persisted directory does not have yet, or generated people.
  const people = scenario.directory?.people ?? [];
  people.forEach((fixture, i) => {
    if (!directory.hasPerson(fixture.key)) directory.addPerson(personFrom(runtime.resolve(fixture), random, runTag, i));
  });
  const generate = scenario.directory?.generate ?? (people.length === 0 ? DEFAULT_PEOPLE : 0);
  for (const person of generatedPeople(generate, random, runTag)) {
    if (!directory.hasPerson(person.key)) directory.addPerson(person);
  }
  for (const fixture of scenario.directory?.groups ?? []) {
    if (!directory.hasGroup(fixture.key)) directory.addGroup(groupFrom(runtime.resolve(fixture), random, runTag));
  }

  let exchangeCount = 0;
  /** The first step the profile's IdP does not have (UnsupportedByIdp), 1-based. */
  let firstUnsupportedStep: number | undefined;
  let unreachable: string | undefined;
  // The IdP's own 429 behaviour unless the run says otherwise (Okta waits; Entra's is disputed).
  const retryPolicy = {
    honorRetryAfter: profileOptions.honorRetryAfter ?? profile.retryPolicy?.honorRetryAfter ?? false,
    ...(profileOptions.maxRetryAfterSeconds === undefined ? {} : { maxRetryAfterSeconds: profileOptions.maxRetryAfterSeconds }),
    ...(options.signal === undefined ? {} : { signal: options.signal }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
    now: () => now().getTime(),
  };

  const findingsByStep = new Map<number, Finding[]>();
  /** The event each running step is telling, for the judge. */
  const eventOfStep = new Map<number, IdpEvent>();
  function report(findings: readonly Finding[]): void {
    for (const finding of findings) {
      const list = findingsByStep.get(finding.step) ?? [];
      list.push(finding);
      findingsByStep.set(finding.step, list);
      emit({ type: 'finding', finding });
    }
  }
  const countBySeverity = (findings: readonly Finding[]): Record<Severity, number> => ({
    error: findings.filter((finding) => finding.severity === 'error').length,
    warning: findings.filter((finding) => finding.severity === 'warning').length,
    info: findings.filter((finding) => finding.severity === 'info').length,
  });

  /**
   * The exchanges of one repetition of a sampled load step: announced (and so recorded) only once
   * the sample decides to keep them (see repetition-sample.ts).
   */
  const held = new WeakSet<RunExchange[]>();

  /** Sends one request for a step, records each attempt, and waits out a 429 as the profile's IdP does. */
  async function send(stepIndex: number, request: ProfileRequest, source: ExchangeSource, sink: RunExchange[]): Promise<ReceivedResponse> {
    let firstAttempt: number | undefined;
    const { response } = await sendWithRetryAfter(
      async (outgoing: ProfileRequest, attempt: number) => {
        const exchange = await sendOnce(stepIndex, outgoing, source, attempt === 0 ? undefined : firstAttempt);
        firstAttempt ??= exchange.index;
        sink.push(exchange);
        if (!held.has(sink)) emit({ type: 'exchange', exchange });
        if (options.judge && source === 'idp') {
          const event = eventOfStep.get(stepIndex);
          report(options.judge.exchange({ exchange, profile: profile.name, baseUrl: target.baseUrl, ...(event ? { event } : {}) }));
        }
        if (exchange.response) return exchange.response;
        if (options.signal?.aborted) throw new RunAborted('cancelled');
        throw exchange.failure;
      },
      request,
      retryPolicy,
    );
    return response;
  }

  async function sendOnce(
    stepIndex: number,
    request: ProfileRequest,
    source: ExchangeSource,
    retryOf: number | undefined,
  ): Promise<RunExchange & { failure?: unknown }> {
    if (options.signal?.aborted) throw new RunAborted('cancelled');
    const began = now().toISOString();
    const started = performance.now();
    let response: ReceivedResponse | undefined;
    let failure: unknown;
    try {
      response = await target.send(request, options.signal);
    } catch (error) {
      failure = error;
    }
    const exchange: RunExchange = {
      index: ++exchangeCount,
      step: stepIndex,
      source,
      purpose: request.purpose,
      startedAt: began,
      durationMs: Math.round((performance.now() - started) * 1000) / 1000,
      request: {
        method: request.method,
        url: requestUrl(target.baseUrl, request),
        headers: recordedHeaders(request.headers),
        ...(request.body === undefined ? {} : { body: redactBody(request.body) }),
      },
      ...(response
        ? { response: { status: response.status, headers: response.headers, ...(response.body === undefined ? {} : { body: response.body }) } }
        : { error: failure instanceof Error ? failure.message : String(failure) }),
      ...(retryOf === undefined ? {} : { retryOf }),
    };
    // The failure travels beside the record (not in it) so the caller can rethrow it as it was.
    return response ? exchange : Object.defineProperty(exchange, 'failure', { value: failure, enumerable: false });
  }

  function contextFor(stepIndex: number, sink: RunExchange[]): ProfileContext {
    return {
      directory,
      links: directory.linksFor(target.key),
      options: profileOptions,
      random,
      session,
      send: (request) => send(stepIndex, request, 'idp', sink),
    };
  }

  /** One repetition of a step; returns why it failed, if it did. */
  async function perform(step: Step, stepIndex: number, sink: RunExchange[]): Promise<{ outcome: StepOutcome; message?: string }> {
    try {
      if (step.kind === 'event') {
        const event = runtime.resolve(eventOf(step));
        eventOfStep.set(stepIndex, event);
        applyBeforeSending(event, directory);
        await profile.handle(event, contextFor(stepIndex, sink));
        applyAfterSending(event, directory, target.key);
      } else {
        const { method, path, headers, body, name } = step;
        await sendRaw({ ...step, ...runtime.resolve({ method, path, headers, body, name }) }, stepIndex, sink);
      }
      return { outcome: 'passed' };
    } catch (error) {
      if (error instanceof RunAborted) throw error;
      if (error instanceof TargetUnreachable) {
        unreachable = error.message;
        return { outcome: 'error', message: error.message };
      }
      // A raw step the wire cannot carry (a space in its path): that step's error, not the target's.
      if (error instanceof UnsendableRequest) return { outcome: 'error', message: error.message };
      if (error instanceof UnsupportedByIdp) {
        firstUnsupportedStep ??= stepIndex + 1;
        return { outcome: 'skipped', message: `Not applicable to ${profile.title}: ${error.message}` };
      }
      // Under --profile, a person the scenario's IdP would have linked in a step this IdP does not
      // have (an import) was never provisioned: the story cannot go on for them, by design.
      // Under --exact, one the scenario's setup would have put in the target was not either.
      if (error instanceof NotProvisioned) {
        const why =
          scope.unarrangedReason ??
          (scope.overridden && firstUnsupportedStep !== undefined ? `step ${firstUnsupportedStep}, which provisions it in the story, does not apply to ${profile.title}` : undefined);
        if (why !== undefined) return { outcome: 'skipped', message: `Not run: ${error.message}; ${why}` };
      }
      if (error instanceof IdpOperationFailed) {
        // The failure is a finding too, under the id that explains it, unless a check found it already.
        if (options.judge && error.finding !== undefined && !(findingsByStep.get(stepIndex) ?? []).some((f) => f.id === error.finding)) {
          report([findingOf(error.finding, { message: error.message, step: stepIndex, ...(sink.length > 0 ? { exchange: sink.at(-1)!.index } : {}) })]);
        }
        const said = error.idpMessage ? ` (${profile.title}: "${error.idpMessage}")` : '';
        return { outcome: 'failed', message: `${error.finding ? `[${error.finding}] ` : ''}${error.message}${said}` };
      }
      return unsetByDesign(error) ?? { outcome: 'error', message: stepErrorMessage(error) };
    }
  }

  /** A step that needs a value a skipped step or another IdP's traffic did not provide is skipped, not an error. */
  function unsetByDesign(error: unknown): { outcome: StepOutcome; message: string } | undefined {
    if (!(error instanceof UnknownVariable)) return undefined;
    const why = scope.whyUnset(error.variable);
    return why === undefined ? undefined : { outcome: 'skipped', message: `Not run: it needs \`\${${error.variable}}\`, and ${why}` };
  }

  /**
   * Checks the expectations one by one, so that one needing a value that was unset by design (see
   * unsetByDesign) is not applied while the others are still checked.
   */
  function checkEach(expectations: readonly Expectation[], exchanges: readonly RunExchange[]): { results: AssertionResult[]; notApplied: NotAppliedCheck[] } {
    const results: AssertionResult[] = [];
    const notApplied: NotAppliedCheck[] = [];
    for (const expectation of expectations) {
      try {
        results.push(...runtime.check([expectation], exchanges));
      } catch (error) {
        const why = error instanceof UnknownVariable ? scope.whyUnset(error.variable) : undefined;
        if (!(error instanceof UnknownVariable) || why === undefined) throw error;
        notApplied.push({
          check: `${expectation.exchange ?? 'last'} exchange`,
          reason: `it needs \`\${${error.variable}}\`, and ${why}`,
          ...(expectation.position ? { line: expectation.position.line } : {}),
        });
      }
    }
    return { results, notApplied };
  }

  /** Why a step does not run: a capability the target lacks (or --exact cannot read), or --exact. */
  async function whyLeftOut(step: Step, index: number, sink: RunExchange[]): Promise<string | undefined> {
    const exact = leftOutUnderExact(step, index);
    // Under --exact no capability is read (nothing is sent), and its reason says more.
    return (await notApplicable(step, index, sink)) ?? exact;
  }

  /** Why --exact leaves a step out: Scimulator's own requests are not the IdP's traffic. */
  function leftOutUnderExact(step: Step, index: number): string | undefined {
    if (!options.exact || !isOwnRequest(step)) return undefined;
    if (step.kind === 'request' && step.sentBy === 'setup') {
      scope.setupLeftOut(index + 1);
      return "Left out under --exact: Scimulator's own setup of the target, so the checks of the steps after it are not applied";
    }
    return "Left out under --exact: Scimulator's own request, not the IdP's";
  }

  async function sendRaw(step: RequestStep, stepIndex: number, sink: RunExchange[]): Promise<void> {
    let written = step.body;
    let leftOut: string[] = [];
    if (step.fitToSchema && !options.exact && typeof written === 'object' && written !== null && !Array.isArray(written)) {
      // Generated values fit the target: what its /Schemas does not define is not sent.
      await readDocuments(['schemas'], stepIndex, sink);
      ({ body: written, leftOut } = fitBodyToSchemas(written as Record<string, unknown>, documents.schemas!));
    }
    const body = written === undefined ? undefined : typeof written === 'string' ? written : JSON.stringify(written);
    const queryAt = step.path.indexOf('?');
    const own = isOwnRequest(step);
    // The IdP's own requests carry its headers; Scimulator's carry its User-Agent, so the target's
    // logs never mistake them for the IdP's.
    const headers: [string, string][] = own
      ? ownHeaders(body !== undefined)
      : [...profile.headers(body !== undefined, profileOptions)].map(([n, v]) => [n, v]);
    for (const [name, value] of Object.entries(step.headers ?? {})) {
      const at = headers.findIndex(([existing]) => existing.toLowerCase() === name.toLowerCase());
      if (at === -1) headers.push([name, value]);
      else headers[at] = [headers[at]![0], value];
    }
    await send(
      stepIndex,
      {
        method: step.method.toUpperCase(),
        path: queryAt === -1 ? step.path : step.path.slice(0, queryAt),
        ...(queryAt === -1 ? {} : { query: step.path.slice(queryAt + 1) }),
        headers,
        ...(body === undefined ? {} : { body }),
        purpose: `${step.name ?? (own ? "Scimulator's check" : 'raw request')}${leftOut.length > 0 ? ` (left out, not in the target's /Schemas: ${leftOut.join(', ')})` : ''}`,
      },
      own ? 'scimulator' : 'idp',
      sink,
    );
  }

  /** The target's discovery documents, each read once, by the first step that `requires` something it declares. */
  const documents: { -readonly [name in DiscoveryDocument]?: TargetDocuments[name] } = {};

  /** Why a step that `requires` capabilities does not apply to the target; undefined when it applies. */
  async function notApplicable(step: Step, stepIndex: number, sink: RunExchange[]): Promise<string | undefined> {
    if (step.requires === undefined || step.requires.length === 0) return undefined;
    const needed = documentsNeeded(step.requires);
    if (options.exact) {
      const paths = needed.map((name) => DOCUMENT_PATHS[name]).join(', ');
      return `Not run under --exact: whether the target supports ${step.requires.join(', ')} is read from ${paths}, a request of Scimulator's own`;
    }
    await readDocuments(needed, stepIndex, sink);
    return whyNotApplicable(step.requires, documents);
  }

  /** Reads the discovery documents not read yet, each once, as Scimulator's own requests under the step. */
  async function readDocuments(needed: readonly DiscoveryDocument[], stepIndex: number, sink: RunExchange[]): Promise<void> {
    for (const name of needed) {
      if (documents[name] !== undefined) continue;
      const path = DOCUMENT_PATHS[name];
      const response = await send(stepIndex, { method: 'GET', path, headers: ownHeaders(false), purpose: "read the target's capabilities" }, 'scimulator', sink);
      if (name === 'serviceProviderConfig') documents.serviceProviderConfig = capabilitiesFrom(response, CAPABILITIES);
      else documents[name] = listFrom(response, path);
    }
  }

  async function runStep(step: Step, index: number): Promise<StepSummary> {
    const name = stepName(step);
    emit({ type: 'step-started', index, name });
    const started = performance.now();
    const exchanges: RunExchange[] = [];
    const repeat = step.repeat ?? 1;
    let result: { outcome: StepOutcome; message?: string } = { outcome: 'passed' };
    let failedRepetitions = 0;
    let skipReason: string | undefined;
    // A step's checks see its own sender's exchanges only.
    const source: ExchangeSource = isOwnRequest(step) ? 'scimulator' : 'idp';
    const tally = repeat > 1 ? new LoadTally() : undefined;
    /** Set when the step is checked repetition by repetition and only a sample is kept. */
    /** How many exchanges the step sent (a sampled step keeps fewer). */
    let sentCount = 0;
    let sampled: { sample: RepetitionSample; assertions: AssertionResult[]; checked: number; passed: number } | undefined;
    try {
      skipReason =
        step.cleanup && options.keep
          ? 'Kept (--keep): what the run created stays on the target, so this clean-up step does not run'
          : await whyLeftOut(step, index, exchanges);
    } catch (error) {
      if (error instanceof RunAborted) throw error;
      if (error instanceof TargetUnreachable) unreachable = error.message;
      result = { outcome: 'error', message: error instanceof Error ? error.message : String(error) };
    }
    if (skipReason !== undefined) {
      result = { outcome: 'skipped', message: skipReason };
      scope.stepSkipped(step, index + 1, skipReason);
    } else if (result.outcome !== 'passed') {
      // Capabilities could not be read: the step does not run.
    } else if (repeat === 1) {
      result = await perform(step, index, exchanges);
    } else {
      const sampling = sampleable(step) ? { sample: new RepetitionSample(repeat, step), assertions: [] as AssertionResult[], checked: 0, passed: 0 } : undefined;
      sampled = sampling;
      // Discovery reads a `requires` made before the first repetition are not part of the load.
      const preliminary = exchanges.length;
      const keep = (repetitions: readonly Repetition[]) => {
        for (const repetition of repetitions) {
          for (const exchange of repetition.exchanges) {
            exchanges.push(exchange);
            emit({ type: 'exchange', exchange });
          }
          sampling!.assertions.push(...repetition.assertions);
        }
      };
      /** Checks one repetition of a sampled step as soon as it completes: its results, or 'error' when a check could not run. */
      const checkRepetition = (one: { outcome: StepOutcome }, sink: RunExchange[]): AssertionResult[] | 'error' => {
        if (!step.expect || (one.outcome !== 'passed' && one.outcome !== 'failed')) return [];
        try {
          const own = sink.filter((exchange) => exchange.source === source);
          return checkEach(scope.expectations(step, own).applied, own).results;
        } catch (error) {
          if (result.outcome === 'passed' || result.outcome === 'failed') result = { outcome: 'error', message: stepErrorMessage(error) };
          return 'error';
        }
      };
      // A pool of `concurrency` workers taking repetitions until all are done or the target is gone.
      let next = 0;
      const worker = async () => {
        while (next < repeat && unreachable === undefined) {
          next++;
          const sink: RunExchange[] = sampling ? [] : exchanges;
          if (sampling) held.add(sink);
          const findingsBefore = findingsByStep.get(index)?.length ?? 0;
          const one = await perform(step, index, sink);
          if (one.outcome !== 'passed') {
            failedRepetitions++;
            if (result.outcome === 'passed') result = one;
          }
          if (!sampling) continue;
          tally!.add(sink);
          const checked = checkRepetition(one, sink);
          const assertions = checked === 'error' ? [] : checked;
          const failedCheck = assertions.filter((assertion) => !assertion.passed).length;
          sampling.checked += assertions.length;
          sampling.passed += assertions.length - failedCheck;
          const mustKeep = one.outcome !== 'passed' || checked === 'error' || failedCheck > 0 || (findingsByStep.get(index)?.length ?? 0) > findingsBefore;
          keep(sampling.sample.offer({ exchanges: sink, assertions }, mustKeep));
        }
      };
      try {
        await Promise.all(Array.from({ length: Math.min(step.concurrency ?? 1, repeat) }, worker));
      } finally {
        // Cancelled or not, the held last repetitions are recorded.
        if (sampling) keep(sampling.sample.finish());
      }
      if (!sampling) tally!.add(exchanges.slice(preliminary));
      sentCount = preliminary + tally!.latencies.length;
    }
    const wallMs = performance.now() - started;
    let assertions: AssertionResult[] = [];
    const notApplied: NotAppliedCheck[] = [];
    if (result.outcome === 'passed' || result.outcome === 'failed') {
      const own = exchanges.filter((exchange) => exchange.source === source);
      // What the step's requests returned is captured even when a check on it failed: a later step
      // can still be judged on its own (an unexpected externalId must not hide a lost deactivation).
      const sent = result.outcome === 'passed';
      try {
        const expectations = scope.expectations(step, own);
        notApplied.push(...expectations.notApplied);
        // A sampled step was checked repetition by repetition; it keeps the checks of the kept ones.
        if (sampled) {
          assertions = sampled.assertions;
        } else {
          const checked = checkEach(expectations.applied, own);
          assertions = checked.results;
          notApplied.push(...checked.notApplied);
        }
        if (assertions.some((assertion) => !assertion.passed)) result = { ...result, outcome: 'failed' };
        if (step.save && sent) {
          const captures = scope.captures(step, index + 1, own);
          notApplied.push(...captures.notApplied);
          const captured = runtime.capture(captures.applied, own);
          assertions = [...assertions, ...captured];
          if (captured.some((assertion) => !assertion.passed)) result = { ...result, outcome: 'failed' };
        }
      } catch (error) {
        // An expected value that cannot be resolved (a `${id}` an earlier failed step never
        // captured) is this step's error; the run goes on, as it does for any other step.
        result = unsetByDesign(error) ?? { outcome: 'error', message: stepErrorMessage(error) };
      }
    } else if (result.outcome === 'skipped' && skipReason === undefined) {
      scope.stepSkipped(step, index + 1, result.message ?? 'skipped');
    }
    if (options.judge && (result.outcome === 'passed' || result.outcome === 'failed') && unreachable === undefined) {
      const event = eventOfStep.get(index);
      const checkSink: RunExchange[] = [];
      report(
        await options.judge.step({
          step: index,
          profile: profile.name,
          baseUrl: target.baseUrl,
          exchanges: exchanges.filter((exchange) => exchange.source === 'idp'),
          directory,
          links: directory.linksFor(target.key),
          ...(event ? { event } : {}),
          ...(options.exact
            ? {}
            : {
                check: async (request: ProfileRequest) => {
                  const response = await send(index, { ...request, headers: ownHeaders(request.body !== undefined) }, 'scimulator', checkSink);
                  // The exchange goes with the answer, so a finding drawn from it points at its evidence.
                  const exchange = checkSink.at(-1)?.index;
                  return exchange === undefined ? response : { ...response, exchange };
                },
              }),
        }),
      );
    }
    const stepFindings = findingsByStep.get(index) ?? [];
    if (stepFindings.some((finding) => finding.severity === 'error') && result.outcome === 'passed') {
      result = { outcome: 'failed', message: stepFindings.find((finding) => finding.severity === 'error')!.title };
    }
    const summary: StepSummary = {
      index,
      name,
      outcome: result.outcome,
      durationMs: Math.round(wallMs * 1000) / 1000,
      exchanges: tally ? sentCount : exchanges.length,
      assertions,
      ...(notApplied.length === 0 ? {} : { notApplied }),
      ...(result.message === undefined ? {} : { message: result.message }),
      ...(tally ? { load: loadStats(tally, failedRepetitions, wallMs, sampled && { kept: exchanges.length, checks: sampled.checked, checksPassed: sampled.passed }) } : {}),
      ...(options.judge ? { findings: countBySeverity(stepFindings) } : {}),
    };
    emit({ type: 'step-finished', step: summary });
    return summary;
  }

  emit({ type: 'run-started', scenario: scenario.name, profile: profile.name, target: target.baseUrl, steps: scenario.steps.length });
  const runStarted = performance.now();
  const summaries: StepSummary[] = [];
  let cancelled = false;
  for (const [index, step] of scenario.steps.entries()) {
    if (unreachable !== undefined || cancelled) {
      const summary: StepSummary = {
        index,
        name: stepName(step),
        outcome: 'skipped',
        durationMs: 0,
        exchanges: 0,
        assertions: [],
        message: cancelled ? 'Not run: the run was cancelled' : 'Not run: the target could not be reached',
      };
      emit({ type: 'step-finished', step: summary });
      summaries.push(summary);
      continue;
    }
    try {
      summaries.push(await runStep(step, index));
    } catch (error) {
      if (!(error instanceof RunAborted)) throw error;
      cancelled = true;
      const summary: StepSummary = { index, name: stepName(step), outcome: 'error', durationMs: 0, exchanges: 0, assertions: [], message: 'Cancelled' };
      emit({ type: 'step-finished', step: summary });
      summaries.push(summary);
    }
  }
  const count = (outcome: StepOutcome) => summaries.filter((summary) => summary.outcome === outcome).length;
  const summary: RunSummary = {
    outcome: cancelled ? 'cancelled' : count('error') > 0 ? 'error' : count('failed') > 0 ? 'failed' : 'passed',
    steps: { passed: count('passed'), failed: count('failed'), error: count('error'), skipped: count('skipped') },
    exchanges: exchangeCount,
    durationMs: Math.round((performance.now() - runStarted) * 1000) / 1000,
    ...(unreachable === undefined ? {} : { unreachable }),
    ...(options.judge ? { findings: countBySeverity([...findingsByStep.values()].flat()) } : {}),
  };
  emit({ type: 'run-finished', summary });
  return recorder.record(now().toISOString());
}
