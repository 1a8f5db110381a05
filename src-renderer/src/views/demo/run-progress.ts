/**
 * A run as far as the console has seen it, built from its `run` events and from `getRun` (which
 * answers with the events so far while the run is in progress). The two overlap when a run is
 * opened while it streams, so everything is keyed by its index and merging is idempotent.
 */
import type { RunEvent, RunRecord } from '../../../../src-main/api/contract';

type RunExchange = Extract<RunEvent, { type: 'exchange' }>['exchange'];
type Finding = Extract<RunEvent, { type: 'finding' }>['finding'];
type StepSummary = Extract<RunEvent, { type: 'step-finished' }>['step'];
type RunSummary = Extract<RunEvent, { type: 'run-finished' }>['summary'];

export type { RunExchange, Finding, StepSummary, RunSummary };

export interface RunProgress {
  readonly scenario?: string;
  readonly profile?: string;
  readonly totalSteps?: number;
  /** Step names by index, known from `step-started`. */
  readonly stepNames: ReadonlyMap<number, string>;
  readonly steps: ReadonlyMap<number, StepSummary>;
  readonly exchanges: ReadonlyMap<number, RunExchange>;
  readonly findings: readonly Finding[];
  readonly summary?: RunSummary;
}

export const EMPTY_PROGRESS: RunProgress = { stepNames: new Map(), steps: new Map(), exchanges: new Map(), findings: [] };

export function applyRunEvent(progress: RunProgress, event: RunEvent): RunProgress {
  switch (event.type) {
    case 'run-started':
      return { ...progress, scenario: event.scenario, profile: event.profile, totalSteps: event.steps };
    case 'step-started':
      return { ...progress, stepNames: withEntry(progress.stepNames, event.index, event.name) };
    case 'exchange':
      return { ...progress, exchanges: withEntry(progress.exchanges, event.exchange.index, event.exchange) };
    case 'finding':
      return progress.findings.some((known) => sameFinding(known, event.finding))
        ? progress
        : { ...progress, findings: [...progress.findings, event.finding] };
    case 'step-finished':
      return {
        ...progress,
        stepNames: withEntry(progress.stepNames, event.step.index, event.step.name),
        steps: withEntry(progress.steps, event.step.index, event.step),
      };
    case 'run-finished':
      return { ...progress, summary: event.summary };
  }
}

/** Merges what `getRun` returned (a finished record, or the run so far). */
export function applyRecord(progress: RunProgress, record: Partial<RunRecord>): RunProgress {
  let next: RunProgress = {
    ...progress,
    scenario: progress.scenario ?? record.scenario?.name,
    profile: progress.profile ?? record.profile,
  };
  for (const step of record.steps ?? []) next = applyRunEvent(next, { type: 'step-finished', step });
  for (const exchange of record.exchanges ?? []) next = applyRunEvent(next, { type: 'exchange', exchange });
  for (const finding of record.findings ?? []) next = applyRunEvent(next, { type: 'finding', finding });
  if (record.summary && record.finishedAt) next = { ...next, summary: record.summary };
  return next;
}

export function exchangesOfStep(progress: RunProgress, step: number): RunExchange[] {
  return [...progress.exchanges.values()].filter((exchange) => exchange.step === step).sort((a, b) => a.index - b.index);
}

function withEntry<K, V>(map: ReadonlyMap<K, V>, key: K, value: V): Map<K, V> {
  const next = new Map(map);
  next.set(key, value);
  return next;
}

function sameFinding(a: Finding, b: Finding): boolean {
  return a.id === b.id && a.step === b.step && a.exchange === b.exchange && a.message === b.message;
}
