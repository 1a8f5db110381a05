/** The conformance suite cleans up what it created, unless the run is given --keep. */
import { describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { loadBuiltin } from '../../src-main/scenarios/library.js';

async function conformance(keep: boolean) {
  const scenario = loadBuiltin('conformance');
  const target = await createLocalTarget();
  try {
    const record = await runScenario({
      scenario,
      target,
      profile: profileByName('generic'),
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      ...(keep ? { keep: true } : {}),
    });
    return { record, users: target.provider.store.count('User'), groups: target.provider.store.count('Group') };
  } finally {
    await target.close();
  }
}

describe('--keep', () => {
  it('without it, the conformance suite leaves nothing behind', async () => {
    const { record, users, groups } = await conformance(false);
    expect(record.summary.outcome).toBe('passed');
    expect([users, groups]).toEqual([0, 0]);
  });

  it('with it, what the suite created stays, and its clean-up steps say why they did not run', async () => {
    const { record, users, groups } = await conformance(true);
    expect(record.summary.outcome).toBe('passed');
    expect([users, groups]).toEqual([2, 1]);
    const kept = record.steps.filter((step) => step.outcome === 'skipped');
    expect(kept.map((step) => step.name)).toContain('delete the second user');
    expect(kept.every((step) => step.message?.startsWith('Kept (--keep)'))).toBe(true);
  });
});
