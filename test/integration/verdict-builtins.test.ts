/**
 * No false alarms: every built-in scenario, judged, against the local provider (strict RFC 7644)
 * gives no error and no warning finding, and every step still passes. A finding here is a bug in
 * a check, never in the provider, unless the provider itself broke a rule.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { isProfileName } from '../../src-main/idp/profile.js';
import { runScenario } from '../../src-main/runner/run.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import { createLocalTarget, type LocalTarget } from '../../src-main/runner/targets/local-target.js';
import { builtinScenarios, loadBuiltin } from '../../src-main/scenarios/library.js';
import { createJudge } from '../../src-main/verdicts/judge.js';

const open: LocalTarget[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((target) => target.close()));
});

describe('judging the built-ins against the local provider', () => {
  for (const { name } of builtinScenarios()) {
    it(`${name}: no error or warning finding, every step passed`, async () => {
      const scenario = loadBuiltin(name);
      const target = await createLocalTarget();
      open.push(target);
      const profileName = scenario.profile ?? 'generic';
      if (!isProfileName(profileName)) throw new Error(`bad profile ${profileName}`);
      const record = await runScenario({
        scenario,
        target,
        profile: profileByName(profileName),
        runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
        sleep: async () => undefined,
        judge: createJudge(),
      });
      const alarms = record.findings.filter((finding) => finding.severity !== 'info');
      expect(alarms.map((finding) => `${finding.id} (step ${finding.step + 1}, exchange ${finding.exchange}): ${finding.message}`)).toEqual([]);
      expect(record.steps.filter((step) => step.outcome !== 'passed' && step.outcome !== 'skipped').map((step) => `${step.name}: ${step.outcome} ${step.message ?? ''}`)).toEqual([]);
      expect(record.summary.findings).toEqual({ error: 0, warning: 0, info: 0 });
    }, 60_000);
  }
});
