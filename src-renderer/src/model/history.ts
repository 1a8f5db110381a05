/**
 * The run history as the History view lists it: newest first, narrowed by a text filter, with a
 * selection of at most two runs to diff, and what "Re-run" sends for a run.
 */
import type { RunListItem, ScenarioRef, StartRunArgs } from '../../../src-main/api/contract.js';
import { isProfileName } from '../../../src-main/idp/profile.js';

export function newestFirst(runs: readonly RunListItem[]): RunListItem[] {
  return [...runs].sort((a, b) => (a.startedAt < b.startedAt ? 1 : a.startedAt > b.startedAt ? -1 : b.id.localeCompare(a.id)));
}

/** Runs whose scenario, profile, target or outcome contains every word of the query (case-insensitive). */
export function matchRuns(runs: readonly RunListItem[], query: string): RunListItem[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [...runs];
  return runs.filter((run) => {
    const text = `${run.scenario} ${run.profile} ${run.target.name} ${run.target.id} ${run.summary?.outcome ?? 'running'} ${run.baseline ? 'baseline' : ''}`.toLowerCase();
    return words.every((word) => text.includes(word));
  });
}

/** Toggles a run in the selection; choosing a third drops the oldest choice, so two are always the latest two. */
export function toggleSelection(selection: readonly string[], id: string): string[] {
  if (selection.includes(id)) return selection.filter((item) => item !== id);
  return [...selection, id].slice(-2);
}

/** How to run it again, or undefined when it cannot be (an IdP action, or a scenario whose source is unknown). */
export function rerunArgs(run: RunListItem): StartRunArgs | undefined {
  if (run.kind !== 'scenario') return undefined;
  const scenario: ScenarioRef = run.scenarioRef ?? { kind: 'builtin', name: run.scenario };
  return { scenario, target: run.target.id, ...(isProfileName(run.profile) ? { profile: run.profile } : {}) };
}

export function outcomeOf(run: RunListItem): 'running' | NonNullable<RunListItem['summary']>['outcome'] {
  return run.summary?.outcome ?? 'running';
}

/** A run's start, in the viewer's locale: date and time to the second (absolute, so screenshots are stable). */
export function formatStarted(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
