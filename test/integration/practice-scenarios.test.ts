/**
 * The Okta and Entra lifecycle built-ins run to the end against every practice target: steps fail
 * where the real product would fail the IdP, but the run completes, and what the product stored
 * shows the failures (Entra's disable never reaches Open WebUI; Okta's never reaches Metabase).
 */
import { describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { createPracticeTarget, type PracticeTarget } from '../../src-main/runner/targets/practice-target.js';
import { loadBuiltin } from '../../src-main/scenarios/library.js';
import type { PracticeName } from '../../src-main/practice/index.js';

async function run(scenarioName: string, practice: PracticeName): Promise<{ record: RunRecord; target: PracticeTarget }> {
  const scenario = await loadBuiltin(scenarioName);
  const target = createPracticeTarget(practice);
  try {
    const record = await runScenario({
      scenario,
      target,
      profile: profileByName(scenario.profile ?? 'generic'),
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      sleep: async () => undefined,
      seed: 7,
    });
    return { record, target };
  } finally {
    await target.close();
  }
}

const stepNamed = (record: RunRecord, name: RegExp) => record.steps.find((step) => name.test(step.name));

describe.each(['okta-lifecycle', 'entra-lifecycle'])('%s against the practice targets', (scenarioName) => {
  it.each(['litellm', 'open-webui', 'metabase'] as const)('runs to the end against practice:%s', async (practice) => {
    const { record } = await run(scenarioName, practice);
    expect(record.summary.unreachable).toBeUndefined();
    expect(record.steps.length).toBeGreaterThan(5);
    expect(record.steps.every((step) => step.outcome !== undefined)).toBe(true);
    // Each of the three products trips these IdPs somewhere.
    expect(record.summary.outcome).not.toBe('passed');
  });
});

describe('what the products stored', () => {
  it('open-webui: Entra disables with "False", which Open WebUI takes as true, so the user stays active', async () => {
    const { record, target } = await run('entra-lifecycle', 'open-webui');
    const unassign = stepNamed(record, /^unassign Satya/);
    const patches = record.exchanges.filter((exchange) => exchange.step === unassign?.index && exchange.request.method === 'PATCH');
    expect(patches.map((exchange) => exchange.response?.status)).toEqual([200]);
    expect(patches[0]?.request.body).toContain('"False"');
    const satya = target.practice.directory().users.find((user) => /^satya\.nadella\./.test(user.userName));
    expect(satya?.active).toBe(true);
  });

  it('open-webui: Okta\'s path-less deactivation is answered 200 and changes nothing', async () => {
    const { record, target } = await run('okta-lifecycle', 'open-webui');
    expect(stepNamed(record, /^deactivate the report/)?.outcome).toBe('passed');
    const grace = target.practice.directory().users.find((user) => /^grace\.hopper\./.test(user.userName));
    expect(grace?.active).toBe(true);
  });

  it('metabase: Okta\'s deactivation is refused, and the user stays active', async () => {
    const { record, target } = await run('okta-lifecycle', 'metabase');
    expect(stepNamed(record, /^deactivate the report/)?.outcome).toBe('failed');
    expect(target.practice.directory().users.filter((user) => /^alan\.turing\./.test(user.userName)).map((user) => user.active)).toEqual([true]);
  });
});
