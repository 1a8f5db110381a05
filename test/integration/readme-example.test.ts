/** The scenario the README shows is a real one: it parses and runs green against the local provider. */
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { parseScenario } from '../../src-main/scenarios/load.js';

describe('the README', () => {
  it('shows a scenario that runs as written', async () => {
    const readme = await readFile(new URL('../../README.md', import.meta.url), 'utf8');
    const example = /```yaml\n(name: onboarding[\s\S]*?)```/.exec(readme)?.[1];
    expect(example).toBeDefined();
    const scenario = parseScenario(example!, { source: 'README.md' });
    const target = await createLocalTarget();
    try {
      const record = await runScenario({
        scenario,
        target,
        profile: profileByName(scenario.profile!),
        runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      });
      expect(record.steps.map((step) => step.outcome)).toEqual(scenario.steps.map(() => 'passed'));
      expect([...target.provider.store.all('User')]).toMatchObject([{ title: 'Countess', active: false }]);
      expect([...target.provider.store.all('Group')]).toHaveLength(1);
    } finally {
      await target.close();
    }
  });
});
