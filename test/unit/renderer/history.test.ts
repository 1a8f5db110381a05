import { describe, expect, it } from 'vitest';
import type { RunListItem } from '../../../src-main/api/contract.js';
import { matchRuns, newestFirst, rerunArgs, toggleSelection } from '../../../src-renderer/src/model/history.js';

function run(id: string, startedAt: string, extra: Partial<RunListItem> = {}): RunListItem {
  return {
    id,
    kind: 'scenario',
    scenario: 'okta-lifecycle',
    profile: 'okta',
    target: { id: 'local', name: 'Local provider', baseUrl: 'http://127.0.0.1:1/scim/v2' },
    startedAt,
    baseline: false,
    ...extra,
  };
}

describe('the history list', () => {
  const runs = [
    run('a', '2026-01-01T10:00:00.000Z', { summary: { outcome: 'passed', steps: { passed: 3, failed: 0, error: 0, skipped: 0 }, exchanges: 9, durationMs: 50 } }),
    run('b', '2026-01-02T10:00:00.000Z', { scenario: 'entra-lifecycle', profile: 'entra', target: { id: 'practice:litellm', name: 'LiteLLM (practice)', baseUrl: 'x' } }),
    run('c', '2026-01-01T12:00:00.000Z', { baseline: true }),
  ];

  it('lists newest first', () => {
    expect(newestFirst(runs).map((item) => item.id)).toEqual(['b', 'c', 'a']);
  });

  it('filters by every word, over scenario, target, outcome and the baseline mark', () => {
    expect(matchRuns(runs, 'entra litellm').map((item) => item.id)).toEqual(['b']);
    expect(matchRuns(runs, 'running').map((item) => item.id)).toEqual(['b', 'c']);
    expect(matchRuns(runs, 'PASSED').map((item) => item.id)).toEqual(['a']);
    expect(matchRuns(runs, 'baseline').map((item) => item.id)).toEqual(['c']);
    expect(matchRuns(runs, '  ')).toHaveLength(3);
  });

  it('keeps at most two runs selected for a diff, the latest two chosen', () => {
    expect(toggleSelection(toggleSelection(toggleSelection([], 'a'), 'b'), 'c')).toEqual(['b', 'c']);
    expect(toggleSelection(['a', 'b'], 'a')).toEqual(['b']);
  });

  it('re-runs the same scenario, target and profile; not an IdP action', () => {
    expect(rerunArgs(runs[1])).toEqual({ scenario: { kind: 'builtin', name: 'entra-lifecycle' }, target: 'practice:litellm', profile: 'entra' });
    const fromFile = run('d', 'x', { scenarioRef: { kind: 'file', path: 'scenarios/mine.yaml' }, profile: 'not-a-profile' });
    expect(rerunArgs(fromFile)).toEqual({ scenario: { kind: 'file', path: 'scenarios/mine.yaml' }, target: 'local' });
    expect(rerunArgs(run('e', 'x', { kind: 'action' }))).toBeUndefined();
  });
});
