/**
 * Diffs of real runs: the built-in lifecycles against the local provider and against a practice
 * target, in process. Identical runs show nothing; Open WebUI shows the behaviours its docs and
 * code are known for, at the exchange where an IdP meets them.
 */
import { createFullJudge } from '../../src-main/verdicts/full-judge.js';
import { describe, expect, it } from 'vitest';
import { diffRuns, type ExchangePair, type RunDiff } from '../../src-main/diffs/diff.js';
import { diffHtml, diffText } from '../../src-main/diffs/render.js';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { htmlReport } from '../../src-main/reports/html.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { createPracticeTarget } from '../../src-main/runner/targets/practice-target.js';
import { loadBuiltin } from '../../src-main/scenarios/library.js';

async function run(scenarioName: string, target: Target, seed: number): Promise<RunRecord> {
  const scenario = await loadBuiltin(scenarioName);
  try {
    return await runScenario({
      scenario,
      target,
      profile: profileByName(scenario.profile ?? 'generic'),
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      sleep: async () => undefined,
      seed,
      judge: createFullJudge(),
    });
  } finally {
    await target.close();
  }
}

function pairsOfStep(diff: RunDiff, name: RegExp): ExchangePair[] {
  const step = diff.steps.find((candidate) => name.test(candidate.name));
  if (!step) throw new Error(`no step matches ${name}: ${diff.steps.map((candidate) => candidate.name).join(', ')}`);
  return step.exchanges.filter((exchange): exchange is ExchangePair => exchange.kind === 'pair');
}

describe('diffs of real runs', () => {
  it.each(['okta-lifecycle', 'entra-lifecycle'])('%s: local against local with the same seed has no difference', async (scenario) => {
    const a = await run(scenario, await createLocalTarget(), 11);
    const b = await run(scenario, await createLocalTarget(), 11);
    const diff = diffRuns(a, b);
    expect(diff.counts.pairs).toBe(a.exchanges.length);
    expect(diff.identical).toBe(true);
    expect(diffText(diff, { colour: false })).toContain('No differences');
  });

  it('okta-lifecycle: local against another seed still has no difference (names, ids and externalIds are normalised)', async () => {
    const diff = diffRuns(await run('okta-lifecycle', await createLocalTarget(), 11), await run('okta-lifecycle', await createLocalTarget(), 12));
    expect(diff.identical).toBe(true);
  });

  it("okta-lifecycle: Open WebUI ignores the path-less deactivation, so the PATCH answer and the read-back keep active true", async () => {
    const diff = diffRuns(await run('okta-lifecycle', await createLocalTarget(), 11), await run('okta-lifecycle', createPracticeTarget('open-webui'), 11), {
      a: 'local',
      b: 'open-webui',
    });
    expect(diff.identical).toBe(false);
    const [patch, readBack] = pairsOfStep(diff, /^deactivate the report/);
    expect(patch?.request.a).toMatchObject({ method: 'PATCH', path: '/Users/<User 2>' });
    expect(patch?.request.a.body).toEqual(patch?.request.b.body);
    expect(patch?.bodyChanges).toContainEqual({ path: '$.active', kind: 'changed', a: false, b: true });
    expect(readBack?.source).toBe('scimulator');
    expect(readBack?.bodyChanges).toContainEqual({ path: '$.active', kind: 'changed', a: false, b: true });
    // Open WebUI answers application/json and no ETag.
    expect(patch?.headerDifferences).toEqual(
      expect.arrayContaining([{ name: 'Content-Type', a: 'application/scim+json', b: 'application/json' }, { name: 'ETag', a: 'present' }]),
    );
    // Its 409 is a FastAPI body, not the SCIM Error schema.
    const duplicate = pairsOfStep(diff, /^assign the manager/).find((pair) => pair.purpose.includes('409'));
    expect(duplicate?.bodyChanges).toContainEqual({ path: '$.scimType', kind: 'removed', a: 'uniqueness' });

    const text = diffText(diff, { colour: false });
    expect(text).toMatch(/~ \$\.active\n\s+- false\n\s+\+ true/);
    expect(text).not.toMatch(/\u001b\[/);
    expect(diffText(diff, { colour: true })).toMatch(/\u001b\[31m/);
  });

  it('entra-lifecycle: Open WebUI takes "False" as true, so the disable leaves the user active in the read-back', async () => {
    const diff = diffRuns(await run('entra-lifecycle', await createLocalTarget(), 5), await run('entra-lifecycle', createPracticeTarget('open-webui'), 5));
    const pairs = pairsOfStep(diff, /^unassign Satya/);
    const patch = pairs.find((pair) => pair.request.a.method === 'PATCH');
    expect(JSON.stringify(patch?.request.a.body)).toContain('"False"');
    const readBack = pairs.find((pair) => pair.source === 'scimulator' && pair.request.a.method === 'GET');
    expect(readBack?.bodyChanges).toContainEqual({ path: '$.active', kind: 'changed', a: false, b: true });
  });

  it('lays the differences out side by side in the HTML report, escaped', async () => {
    const a = await run('okta-lifecycle', await createLocalTarget(), 11);
    const diff = diffRuns(a, await run('okta-lifecycle', createPracticeTarget('open-webui'), 11), { a: 'local <ref>', b: 'open-webui' });
    const fragment = diffHtml(diff);
    expect(fragment).toContain('<section id="diffs">');
    expect(fragment).toContain('local &lt;ref&gt;');
    expect(fragment).not.toContain('local <ref>');
    expect(fragment).toMatch(/<td class="path">body \$\.active<\/td><td class="a changed">false<\/td><td class="b changed">true<\/td>/);
    const page = htmlReport(a, { diff });
    expect(page).toContain('<a href="#diffs">Diffs</a>');
    expect(page).toContain('table.diff');
    expect(htmlReport(a)).not.toContain('id="diffs"');
  });
});
