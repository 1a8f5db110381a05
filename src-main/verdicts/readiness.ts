/**
 * The readiness matrix of `scimulator check`: for each IdP, which provisioning capabilities work
 * against the target. Built from run records alone (pure): each step is mapped to a capability by
 * its event, and a read-back (a raw GET) belongs to the event step before it, since it checks
 * what that event did; other raw requests (setting the target up) belong to no capability. A cell is ✓ when every step of its capability passed, blocked by
 * the id of the first error finding (or failed expectation) when one did not, and not applicable
 * when the IdP never does it (the profile skipped it) or no story exercised it.
 */
import type { IdpEventType } from '../idp/events.js';
import type { RunRecord } from '../runner/run-record.js';
import type { StepSummary } from '../runner/run-events.js';

export const READINESS_CAPABILITIES = [
  'connect',
  'create',
  'update',
  'deactivate',
  'reactivate',
  'delete',
  'groups',
  'membership',
  'import',
] as const;
export type ReadinessCapability = (typeof READINESS_CAPABILITIES)[number];

/** Which capability an IdP event exercises; a full sync cycle proves none on its own. */
export const CAPABILITY_OF_EVENT: Readonly<Record<IdpEventType, ReadinessCapability | undefined>> = {
  testConnection: 'connect',
  assignUser: 'create',
  updateUser: 'update',
  deactivateUser: 'deactivate',
  unassignUser: 'deactivate',
  reactivateUser: 'reactivate',
  deleteUser: 'delete',
  pushGroup: 'groups',
  renameGroup: 'groups',
  deleteGroup: 'groups',
  addMembers: 'membership',
  removeMembers: 'membership',
  importUsers: 'import',
  importGroups: 'import',
  syncCycle: undefined,
};

/** Ids of blockers that are not findings of the catalog. */
export const EXPECTATION_FAILED = 'expectation-failed';
export const STEP_NOT_RUN = 'step-not-run';

/** What a step is to the matrix: an IdP event, a read-back of the event before it, or neither. */
export type StepRole = IdpEventType | 'read-back' | undefined;

/** A step's role: its event, a raw GET as a read-back, anything else none. */
export function stepRole(step: { readonly kind: 'event'; readonly event: IdpEventType } | { readonly kind: 'request'; readonly method: string }): StepRole {
  if (step.kind === 'event') return step.event;
  return step.method.toUpperCase() === 'GET' ? 'read-back' : undefined;
}

/** One run of a story under a profile: its record, and the role of each step. */
export interface ReadinessRun {
  readonly profile: string;
  readonly record: RunRecord;
  readonly stepRoles: readonly StepRole[];
  /** Only these capabilities are read from this run (a fallback story fills the gaps of the others). */
  readonly only?: readonly ReadinessCapability[];
}

export interface Blocker {
  /** A finding id (docs/findings.md), or EXPECTATION_FAILED / STEP_NOT_RUN. */
  readonly id: string;
  /** One line: why. */
  readonly reason: string;
  readonly scenario: string;
  readonly step: string;
}

export type Cell =
  | { readonly state: 'ready' }
  | { readonly state: 'blocked'; readonly blocker: Blocker }
  /** The IdP never does it, or no story exercised it; `reason` says which. */
  | { readonly state: 'not-applicable'; readonly reason: string };

export interface ReadinessRow {
  readonly profile: string;
  readonly cells: Readonly<Record<ReadinessCapability, Cell>>;
}

export interface ReadinessMatrix {
  readonly rows: readonly ReadinessRow[];
  /** Every distinct blocker id with its one-line reason and where it blocked, in order of appearance. */
  readonly reasons: readonly { readonly id: string; readonly reason: string; readonly cells: readonly string[] }[];
  readonly blocked: boolean;
}

interface StepVerdict {
  readonly capability: ReadinessCapability;
  readonly step: StepSummary;
  readonly record: RunRecord;
}

/** Each step of a run with the capability it exercises (raw requests inherit the event step's before them). */
function verdictsOf(run: ReadinessRun): StepVerdict[] {
  const verdicts: StepVerdict[] = [];
  let current: ReadinessCapability | undefined;
  for (const step of run.record.steps) {
    const role = run.stepRoles[step.index];
    if (role === undefined) continue;
    if (role !== 'read-back') current = CAPABILITY_OF_EVENT[role];
    if (current === undefined) continue;
    if (run.only && !run.only.includes(current)) continue;
    verdicts.push({ capability: current, step, record: run.record });
  }
  return verdicts;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}

/** Why a step that did not pass blocks its capability. */
function blockerOf({ step, record }: StepVerdict): Blocker {
  const where = { scenario: record.scenario.name, step: step.name };
  const error = record.findings.find((finding) => finding.step === step.index && finding.severity === 'error');
  if (error) return { id: error.id, reason: firstLine(error.title), ...where };
  if (step.outcome === 'error') return { id: STEP_NOT_RUN, reason: firstLine(step.message ?? 'the step could not run'), ...where };
  const assertion = step.assertions.find((result) => !result.passed);
  const reason = assertion
    ? `${step.name}: ${assertion.check} expected ${JSON.stringify(assertion.expected)}, got ${JSON.stringify(assertion.actual)}`
    : `${step.name}: ${step.message ?? 'failed'}`;
  return { id: EXPECTATION_FAILED, reason: firstLine(reason), ...where };
}

function cellOf(verdicts: readonly StepVerdict[]): Cell {
  const failing = verdicts.find(({ step }) => step.outcome === 'failed' || step.outcome === 'error');
  if (failing) return { state: 'blocked', blocker: blockerOf(failing) };
  if (verdicts.some(({ step }) => step.outcome === 'passed')) return { state: 'ready' };
  const skipped = verdicts.find(({ step }) => step.outcome === 'skipped');
  return { state: 'not-applicable', reason: skipped?.step.message ?? 'No built-in story exercises it for this IdP' };
}

/** The matrix, one row per profile in the order first seen. */
export function buildReadiness(runs: readonly ReadinessRun[]): ReadinessMatrix {
  const profiles = [...new Set(runs.map((run) => run.profile))];
  const rows = profiles.map((profile): ReadinessRow => {
    const verdicts = runs.filter((run) => run.profile === profile).flatMap(verdictsOf);
    const cells = Object.fromEntries(
      READINESS_CAPABILITIES.map((capability) => [capability, cellOf(verdicts.filter((verdict) => verdict.capability === capability))]),
    ) as Record<ReadinessCapability, Cell>;
    return { profile, cells };
  });
  const reasons = new Map<string, { id: string; reason: string; cells: string[] }>();
  for (const row of rows) {
    for (const capability of READINESS_CAPABILITIES) {
      const cell = row.cells[capability];
      if (cell.state !== 'blocked') continue;
      // A finding id has one reason (its title); a failed expectation or a step not run has its own each.
      const key = `${cell.blocker.id}\n${cell.blocker.reason}`;
      const entry = reasons.get(key) ?? { id: cell.blocker.id, reason: cell.blocker.reason, cells: [] };
      entry.cells.push(`${row.profile}/${capability}`);
      reasons.set(key, entry);
    }
  }
  return { rows, reasons: [...reasons.values()], blocked: reasons.size > 0 };
}

/** The symbol of a cell in the terminal table. */
export function cellText(cell: Cell): string {
  if (cell.state === 'ready') return '✓';
  if (cell.state === 'not-applicable') return '–';
  return cell.blocker.id;
}

/** The matrix as a plain-text table with the reasons under it. */
export function readinessTable(matrix: ReadinessMatrix): string {
  const header = ['IdP', ...READINESS_CAPABILITIES];
  const body = matrix.rows.map((row) => [row.profile, ...READINESS_CAPABILITIES.map((capability) => cellText(row.cells[capability]))]);
  const widths = header.map((_, column) => Math.max(...[header, ...body].map((line) => [...line[column]!].length)));
  const line = (cells: readonly string[]) => cells.map((cell, column) => cell + ' '.repeat(widths[column]! - [...cell].length)).join('  ').trimEnd();
  const lines = [line(header), ...body.map(line)];
  if (matrix.reasons.length > 0) {
    lines.push('');
    for (const { id, reason, cells } of matrix.reasons) lines.push(`${id}: ${reason} (${cells.join(', ')})`);
  }
  lines.push('', '✓ works   – the IdP never does this, or no story exercises it   <id> blocked by that finding');
  return `${lines.join('\n')}\n`;
}
