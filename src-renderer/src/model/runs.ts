/**
 * A run's live state, built from its `run` events: the steps with their outcomes, the exchanges of
 * each step, the findings on each exchange and step, and the counts the run view shows while the
 * run is going. A finished run (getRun's RunRecord) loads into the same state, so the live view and
 * a reopened run are one view.
 *
 * Events are applied in batches (one per animation frame, see use-run.ts) and the reducer is
 * idempotent: an exchange or step seen twice replaces itself and a finding seen twice is kept once,
 * because a view that opens a run in progress reads the record so far *and* follows the stream,
 * and the two overlap.
 */
import type { RunEvent, RunRecord } from '../../../src-main/api/contract.js';
import type { RunSummary, StepOutcome, StepSummary } from '../../../src-main/runner/run-events.js';
import type { RunExchange } from '../../../src-main/runner/exchange.js';
import type { Finding, Severity } from '../../../src-main/verdicts/finding.js';
import { refusedStatus as refusedExchanges } from '../../../src-main/runner/refused.js';

export type StepStatus = 'pending' | 'running' | StepOutcome;

export type SeverityCounts = Readonly<Record<Severity, number>>;

export interface StepState {
  readonly index: number;
  readonly name: string;
  readonly status: StepStatus;
  /** Present once the step finished. */
  readonly summary?: StepSummary;
  /** Indexes (RunExchange.index) of the step's exchanges, in order. */
  readonly exchanges: readonly number[];
  readonly findings: SeverityCounts;
}

export type RunStatus = 'pending' | 'running' | RunSummary['outcome'];

export interface RunState {
  readonly runId: string;
  readonly scenario?: string;
  readonly profile?: string;
  readonly target?: string;
  readonly status: RunStatus;
  /** Steps by index; a step appears when it starts (or when run-started announces how many). */
  readonly steps: readonly StepState[];
  /** Every exchange by its index. */
  readonly exchanges: ReadonlyMap<number, RunExchange>;
  readonly findings: readonly Finding[];
  /** Findings by the exchange they are about (RunExchange.index). */
  readonly findingsByExchange: ReadonlyMap<number, readonly Finding[]>;
  readonly counts: RunCounts;
  readonly summary?: RunSummary;
}

export interface RunCounts {
  /** Steps announced by run-started; 0 while unknown (a run opened part-way through). */
  readonly total: number;
  readonly passed: number;
  /** Failed and errored steps. */
  readonly failed: number;
  readonly skipped: number;
  readonly exchanges: number;
  readonly findings: SeverityCounts;
}

const NO_FINDINGS: SeverityCounts = { error: 0, warning: 0, info: 0 };

export function emptyRunState(runId: string): RunState {
  return {
    runId,
    status: 'pending',
    steps: [],
    exchanges: new Map(),
    findings: [],
    findingsByExchange: new Map(),
    counts: { total: 0, passed: 0, failed: 0, skipped: 0, exchanges: 0, findings: NO_FINDINGS },
  };
}

function findingKey(finding: Finding): string {
  return `${finding.id}|${finding.step}|${finding.exchange ?? ''}|${finding.message}`;
}

function addSeverity(counts: SeverityCounts, severity: Severity): SeverityCounts {
  return { ...counts, [severity]: counts[severity] + 1 };
}

/** A mutable working copy of one batch: the containers are copied once per batch, not per event. */
interface Draft {
  runId: string;
  scenario?: string;
  profile?: string;
  target?: string;
  status: RunStatus;
  total: number;
  steps: StepState[];
  exchanges: Map<number, RunExchange>;
  findings: Finding[];
  findingKeys: Set<string>;
  findingsByExchange: Map<number, readonly Finding[]>;
  summary?: RunSummary;
}

/** Keys of findings already applied, per state object, so deduplication does not rescan the list. */
const findingKeysOf = new WeakMap<RunState, Set<string>>();

function draftOf(state: RunState): Draft {
  return {
    runId: state.runId,
    ...(state.scenario === undefined ? {} : { scenario: state.scenario }),
    ...(state.profile === undefined ? {} : { profile: state.profile }),
    ...(state.target === undefined ? {} : { target: state.target }),
    status: state.status,
    total: state.counts.total,
    steps: [...state.steps],
    exchanges: new Map(state.exchanges),
    findings: [...state.findings],
    findingKeys: new Set(findingKeysOf.get(state) ?? state.findings.map(findingKey)),
    findingsByExchange: new Map(state.findingsByExchange),
    ...(state.summary === undefined ? {} : { summary: state.summary }),
  };
}

function stepAt(draft: Draft, index: number, name?: string): StepState {
  for (let i = draft.steps.length; i <= index; i++) {
    draft.steps[i] ??= { index: i, name: `Step ${i + 1}`, status: 'pending', exchanges: [], findings: NO_FINDINGS };
  }
  const step = draft.steps[index];
  if (name !== undefined && step.name !== name) draft.steps[index] = { ...step, name };
  return draft.steps[index];
}

function apply(draft: Draft, event: RunEvent): void {
  switch (event.type) {
    case 'run-started':
      draft.scenario = event.scenario;
      draft.profile = event.profile;
      draft.target ??= event.target;
      draft.total = Math.max(draft.total, event.steps);
      if (draft.status === 'pending') draft.status = 'running';
      if (event.steps > 0) stepAt(draft, event.steps - 1);
      return;
    case 'step-started': {
      const step = stepAt(draft, event.index, event.name);
      if (step.status === 'pending') draft.steps[event.index] = { ...step, status: 'running' };
      if (draft.status === 'pending') draft.status = 'running';
      return;
    }
    case 'exchange': {
      const exchange = event.exchange;
      const seen = draft.exchanges.has(exchange.index);
      draft.exchanges.set(exchange.index, exchange);
      if (seen) return;
      const step = stepAt(draft, exchange.step);
      draft.steps[exchange.step] = { ...step, exchanges: insertSorted(step.exchanges, exchange.index) };
      return;
    }
    case 'finding': {
      const finding = event.finding;
      const key = findingKey(finding);
      if (draft.findingKeys.has(key)) return;
      draft.findingKeys.add(key);
      draft.findings.push(finding);
      if (finding.exchange !== undefined) {
        draft.findingsByExchange.set(finding.exchange, [...(draft.findingsByExchange.get(finding.exchange) ?? []), finding]);
      }
      const step = stepAt(draft, finding.step);
      draft.steps[finding.step] = { ...step, findings: addSeverity(step.findings, finding.severity) };
      return;
    }
    case 'step-finished': {
      const step = stepAt(draft, event.step.index, event.step.name);
      draft.steps[event.step.index] = { ...step, status: event.step.outcome, summary: event.step };
      return;
    }
    case 'run-finished':
      draft.summary = event.summary;
      draft.status = event.summary.outcome;
      return;
  }
}

function insertSorted(list: readonly number[], value: number): number[] {
  const next = [...list];
  let at = next.length;
  while (at > 0 && next[at - 1] > value) at--;
  next.splice(at, 0, value);
  return next;
}

function freeze(draft: Draft): RunState {
  // A cancelled or unreachable run leaves steps that started but never finished: they did not run to an end.
  const steps =
    draft.summary === undefined
      ? draft.steps
      : draft.steps.map((step) => (step.status === 'running' || step.status === 'pending' ? { ...step, status: 'skipped' as const } : step));
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const step of steps) {
    if (step.status === 'passed') passed++;
    else if (step.status === 'failed' || step.status === 'error') failed++;
    else if (step.status === 'skipped') skipped++;
  }
  // The summary is the runner's own count, and covers steps it skipped without announcing them.
  if (draft.summary) {
    passed = draft.summary.steps.passed;
    failed = draft.summary.steps.failed + draft.summary.steps.error;
    skipped = draft.summary.steps.skipped;
  }
  let findings: SeverityCounts = NO_FINDINGS;
  for (const finding of draft.findings) findings = addSeverity(findings, finding.severity);
  const state: RunState = {
    runId: draft.runId,
    ...(draft.scenario === undefined ? {} : { scenario: draft.scenario }),
    ...(draft.profile === undefined ? {} : { profile: draft.profile }),
    ...(draft.target === undefined ? {} : { target: draft.target }),
    status: draft.status,
    steps,
    exchanges: draft.exchanges,
    findings: draft.findings,
    findingsByExchange: draft.findingsByExchange,
    counts: { total: draft.total === 0 && !draft.summary ? 0 : Math.max(draft.total, draft.steps.length, passed + failed + skipped), passed, failed, skipped, exchanges: draft.exchanges.size, findings },
    ...(draft.summary === undefined ? {} : { summary: draft.summary }),
  };
  findingKeysOf.set(state, draft.findingKeys);
  return state;
}

/** The state after a batch of events, in order. The state passed in is not changed. */
export function reduceRun(state: RunState, events: readonly RunEvent[]): RunState {
  if (events.length === 0) return state;
  const draft = draftOf(state);
  for (const event of events) apply(draft, event);
  return freeze(draft);
}

/**
 * A run record as the events that built it, so it loads through the same reducer. getRun answers
 * with the record so far while a run is in progress: `finishedAt` is then empty, and its summary
 * (counts so far, if any) is not the run's end.
 */
export function eventsOfRecord(record: RunRecord): RunEvent[] {
  const partial = record as Omit<RunRecord, 'summary'> & { readonly summary?: RunSummary };
  const stepCount = Math.max(
    partial.steps.length,
    ...partial.exchanges.map((exchange) => exchange.step + 1),
    ...partial.findings.map((finding) => finding.step + 1),
  );
  // A record so far does not say how many steps the scenario has: 0 leaves the total unknown.
  const finished = Boolean(partial.summary && partial.finishedAt);
  const events: RunEvent[] = [
    { type: 'run-started', scenario: partial.scenario.name, profile: partial.profile, target: partial.target.key, steps: finished ? stepCount : 0 },
  ];
  for (const step of partial.steps) events.push({ type: 'step-started', index: step.index, name: step.name });
  for (const exchange of partial.exchanges) events.push({ type: 'exchange', exchange });
  for (const finding of partial.findings) events.push({ type: 'finding', finding });
  for (const step of partial.steps) events.push({ type: 'step-finished', step });
  if (finished && partial.summary) events.push({ type: 'run-finished', summary: partial.summary });
  return events;
}

export function runStateFromRecord(runId: string, record: RunRecord): RunState {
  return reduceRun(emptyRunState(runId), eventsOfRecord(record));
}

/** The run is over (whatever its outcome): nothing more will stream. */
export function isFinished(state: RunState): boolean {
  return state.summary !== undefined;
}

/**
 * The status a finished run's target refused every one of the IdP's requests with (401 or 403),
 * when it refused them all: the credentials are wrong, which is fixed in Targets, not in the
 * scenario. The CLI says the same (`scimulator run` exits 2 naming the auth flags).
 */
export function refusedStatus(state: RunState): 401 | 403 | undefined {
  return isFinished(state) ? refusedExchanges(state.exchanges.values()) : undefined;
}

export interface ExchangeFilter {
  /** Only exchanges that failed: no response, a 5xx/4xx the step did not expect, or an error finding. */
  readonly errorsOnly?: boolean;
  /** Only this step's exchanges. */
  readonly step?: number;
}

/** An exchange is worth a look under "errors only": it got no answer, or a finding of severity error is on it. */
export function isErrorExchange(state: RunState, exchange: RunExchange): boolean {
  if (!exchange.response) return true;
  if (exchange.response.status >= 500) return true;
  return (state.findingsByExchange.get(exchange.index) ?? []).some((finding) => finding.severity === 'error');
}

/** One row of the timeline: a step header, or one of its exchanges when the step is open. */
export type TimelineRow =
  | { readonly kind: 'step'; readonly step: StepState; readonly open: boolean; readonly shown: number }
  | { readonly kind: 'exchange'; readonly step: number; readonly exchange: RunExchange; readonly findings: readonly Finding[] }
  /** What the step's summary says beside its exchanges: why it failed or was skipped, a check not applied. */
  | { readonly kind: 'note'; readonly step: number; readonly id: string; readonly tone: 'bad' | 'muted'; readonly text: string };

/** The notes an open step shows under its exchanges. */
function stepNotes(step: StepState): TimelineRow[] {
  const summary = step.summary;
  if (!summary) return [];
  const notes: TimelineRow[] = [];
  if (summary.message !== undefined) {
    notes.push({ kind: 'note', step: step.index, id: 'm', tone: summary.outcome === 'skipped' ? 'muted' : 'bad', text: summary.message });
  }
  (summary.notApplied ?? []).forEach((check, i) => {
    const where = check.line === undefined ? '' : ` (line ${check.line})`;
    notes.push({ kind: 'note', step: step.index, id: `n${i}`, tone: 'muted', text: `${check.check}${where} not applied: ${check.reason}` });
  });
  return notes;
}

/**
 * The timeline as flat rows (steps, and the exchanges of the open ones), filtered: what the
 * virtualized list renders. Under "errors only" a step with no error exchange and no failure is left out.
 */
export function timelineRows(state: RunState, open: ReadonlySet<number>, filter: ExchangeFilter = {}): TimelineRow[] {
  const rows: TimelineRow[] = [];
  for (const step of state.steps) {
    if (filter.step !== undefined && step.index !== filter.step) continue;
    const exchanges: RunExchange[] = [];
    for (const index of step.exchanges) {
      const exchange = state.exchanges.get(index);
      if (!exchange) continue;
      if (filter.errorsOnly && !isErrorExchange(state, exchange)) continue;
      exchanges.push(exchange);
    }
    const stepFailed = step.status === 'failed' || step.status === 'error';
    if (filter.errorsOnly && exchanges.length === 0 && !stepFailed) continue;
    const isOpen = open.has(step.index);
    rows.push({ kind: 'step', step, open: isOpen, shown: exchanges.length });
    if (!isOpen) continue;
    for (const exchange of exchanges) {
      rows.push({ kind: 'exchange', step: step.index, exchange, findings: state.findingsByExchange.get(exchange.index) ?? [] });
    }
    rows.push(...stepNotes(step));
  }
  return rows;
}

/** The first exchange worth opening: the first with an error finding, else the first without an answer, else none. */
export function firstFailingExchange(state: RunState): RunExchange | undefined {
  for (const finding of state.findings) {
    if (finding.severity === 'error' && finding.exchange !== undefined) {
      const exchange = state.exchanges.get(finding.exchange);
      if (exchange) return exchange;
    }
  }
  for (const exchange of state.exchanges.values()) if (!exchange.response) return exchange;
  return undefined;
}

/** Failed assertions of a step, for the expected-vs-actual diff. */
export function failedAssertions(step: StepState) {
  return (step.summary?.assertions ?? []).filter((assertion) => !assertion.passed);
}
