/**
 * The readiness matrix from run records: steps map to capabilities by their event, read-backs
 * belong to the event before them, a failing step blocks its cell with the first error finding's
 * id (or the failed expectation), a profile's skip is "–", and the reasons are listed once.
 */
import { describe, expect, it } from 'vitest';
import type { RunRecord } from '../../../src-main/runner/run-record.js';
import type { StepSummary } from '../../../src-main/runner/run-events.js';
import type { Finding } from '../../../src-main/verdicts/finding.js';
import {
  EXPECTATION_FAILED,
  READINESS_CAPABILITIES,
  STEP_NOT_RUN,
  type ReadinessRun,
  type StepRole,
  buildReadiness,
  readinessTable,
  stepRole,
} from '../../../src-main/verdicts/readiness.js';

type Outcome = StepSummary['outcome'];

function run(profile: string, steps: [StepRole, Outcome, Partial<StepSummary>?][], findings: Partial<Finding>[] = [], only?: ReadinessRun['only']): ReadinessRun {
  const summaries: StepSummary[] = steps.map(([, outcome, extra], index) => ({ index, name: `step ${index}`, outcome, durationMs: 0, exchanges: 1, assertions: [], ...extra }));
  const record = {
    scenario: { name: `${profile}-story`, source: 'test', description: '' },
    steps: summaries,
    findings: findings.map((finding) => ({ severity: 'error', title: 'a title', message: '', step: 0, reference: { title: 'r', url: 'https://example.com' }, id: 'x', ...finding })),
  } as unknown as RunRecord; // only the fields the matrix reads
  return { profile, record, stepRoles: steps.map(([role]) => role), ...(only ? { only } : {}) };
}

describe('buildReadiness', () => {
  it('is ✓ where every step of a capability passed and – where none ran', () => {
    const matrix = buildReadiness([run('okta', [['testConnection', 'passed'], ['assignUser', 'passed'], ['read-back', 'passed'], ['deleteUser', 'skipped', { message: 'Not applicable to Okta: never deletes' }]])]);
    const cells = matrix.rows[0]!.cells;
    expect(cells.connect).toEqual({ state: 'ready' });
    expect(cells.create).toEqual({ state: 'ready' });
    expect(cells.delete).toEqual({ state: 'not-applicable', reason: 'Not applicable to Okta: never deletes' });
    expect(cells.import.state).toBe('not-applicable');
    expect(matrix.blocked).toBe(false);
  });

  it('blocks the event\'s cell when its read-back fails, with the error finding\'s id', () => {
    const matrix = buildReadiness([
      run('entra', [['assignUser', 'passed'], ['deactivateUser', 'passed'], ['read-back', 'failed']], [
        { id: 'entra.string-boolean-misread', step: 2, title: 'The string "False" is taken as true' },
        { id: 'rfc.some-warning', step: 0, severity: 'warning' },
      ]),
    ]);
    const cells = matrix.rows[0]!.cells;
    expect(cells.create).toEqual({ state: 'ready' });
    expect(cells.deactivate).toMatchObject({ state: 'blocked', blocker: { id: 'entra.string-boolean-misread', reason: 'The string "False" is taken as true', scenario: 'entra-story', step: 'step 2' } });
    expect(matrix.blocked).toBe(true);
    expect(matrix.reasons).toEqual([{ id: 'entra.string-boolean-misread', reason: 'The string "False" is taken as true', cells: ['entra/deactivate'] }]);
  });

  it('names a failed expectation or a step that could not run when no finding explains it', () => {
    const matrix = buildReadiness([
      run('okta', [
        ['updateUser', 'failed', { assertions: [{ check: 'PUT /Users/ status', passed: false, expected: 200, actual: 500 }] }],
        ['reactivateUser', 'error', { message: 'unknown variable `${alanId}`' }],
      ]),
    ]);
    const cells = matrix.rows[0]!.cells;
    expect(cells.update).toMatchObject({ state: 'blocked', blocker: { id: EXPECTATION_FAILED, reason: 'step 0: PUT /Users/ status expected 200, got 500' } });
    expect(cells.reactivate).toMatchObject({ state: 'blocked', blocker: { id: STEP_NOT_RUN, reason: 'unknown variable `${alanId}`' } });
  });

  it('maps every event to its column, unassign to deactivate, and ignores setup writes', () => {
    const matrix = buildReadiness([
      run('onelogin', [
        ['unassignUser', 'passed'],
        [undefined, 'failed'],
        ['pushGroup', 'passed'],
        ['addMembers', 'passed'],
        ['importGroups', 'passed'],
        ['syncCycle', 'failed'],
        ['read-back', 'failed'],
      ]),
    ]);
    const cells = matrix.rows[0]!.cells;
    expect(cells.deactivate.state).toBe('ready');
    expect(cells.groups.state).toBe('ready');
    expect(cells.membership.state).toBe('ready');
    expect(cells.import.state).toBe('ready');
    expect(matrix.blocked).toBe(false);
  });

  it('reads only the listed capabilities from a fallback run, and keeps one row per profile in order', () => {
    const matrix = buildReadiness([
      run('okta', [['assignUser', 'passed']]),
      run('entra', [['assignUser', 'passed']]),
      run('okta', [['assignUser', 'failed'], ['deleteUser', 'skipped', { message: 'never' }]], [], ['delete']),
    ]);
    expect(matrix.rows.map((row) => row.profile)).toEqual(['okta', 'entra']);
    expect(matrix.rows[0]!.cells.create.state).toBe('ready');
    expect(matrix.rows[0]!.cells.delete.state).toBe('not-applicable');
  });
});

describe('readinessTable and stepRole', () => {
  it('prints one row per IdP, a column per capability, and the reasons under it', () => {
    const matrix = buildReadiness([run('okta', [['assignUser', 'failed']], [{ id: 'okta.create-without-id', step: 0, title: 'A create answers without an id' }]), run('entra', [['assignUser', 'passed']])]);
    const lines = readinessTable(matrix).split('\n');
    expect(lines[0]!.split(/\s+/)).toEqual(['IdP', ...READINESS_CAPABILITIES]);
    expect(lines[1]!.split(/\s+/)).toEqual(['okta', '–', 'okta.create-without-id', '–', '–', '–', '–', '–', '–', '–']);
    expect(lines[2]!.split(/\s+/)).toEqual(['entra', '–', '✓', '–', '–', '–', '–', '–', '–', '–']);
    expect(lines).toContain('okta.create-without-id: A create answers without an id (okta/create)');
  });

  it('treats a raw GET as a read-back and other raw requests as setup', () => {
    expect(stepRole({ kind: 'event', event: 'pushGroup' })).toBe('pushGroup');
    expect(stepRole({ kind: 'request', method: 'GET' })).toBe('read-back');
    expect(stepRole({ kind: 'request', method: 'POST' })).toBeUndefined();
  });
});
