/**
 * The `conformance` built-in: against the local provider every step passes with no error and no
 * warning finding; against each practice target it reports errors, and targets without
 * /ServiceProviderConfig have their capability steps marked not applicable instead of failed.
 */
import { createFullJudge } from '../../src-main/verdicts/full-judge.js';
import { describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import { runScenario } from '../../src-main/runner/run.js';
import type { RunRecord } from '../../src-main/runner/run-record.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { createPracticeTarget } from '../../src-main/runner/targets/practice-target.js';
import { capabilitiesFrom, notApplicableReason } from '../../src-main/runner/capabilities.js';
import { loadBuiltin } from '../../src-main/scenarios/library.js';
import { parseScenario } from '../../src-main/scenarios/load.js';
import { CAPABILITIES, RESOURCE_TYPE_CAPABILITIES } from '../../src-main/scenarios/scenario.js';
import { scenarioSchema } from '../../src-main/scenarios/schema-validation.js';

async function conformance(target: Target, exact = false): Promise<RunRecord> {
  const scenario = loadBuiltin('conformance');
  try {
    return await runScenario({
      scenario,
      target,
      profile: profileByName('generic'),
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      judge: createFullJudge(),
      exact,
      seed: 11,
    });
  } finally {
    await target.close();
  }
}

const failures = (record: RunRecord) =>
  record.steps
    .filter((step) => step.outcome === 'failed' || step.outcome === 'error')
    .map((step) => `${step.name}: ${step.message ?? JSON.stringify(step.assertions.filter((a) => !a.passed))}`);

describe('conformance against the local provider', () => {
  it('passes every step with no error and no warning finding', async () => {
    const record = await conformance(await createLocalTarget());
    expect(failures(record)).toEqual([]);
    expect(record.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
    expect(record.summary.outcome).toBe('passed');
    // The local provider declares every optional feature the suite tests, so nothing is skipped.
    expect(record.steps.filter((step) => step.outcome === 'skipped')).toEqual([]);
  });
});

describe('conformance against the practice targets', () => {
  it.each(['litellm', 'open-webui', 'metabase'] as const)('reports errors against practice:%s', async (practice) => {
    const record = await conformance(createPracticeTarget(practice));
    expect(record.summary.unreachable).toBeUndefined();
    // Failed checks, and steps that could not run because an earlier create failed.
    expect(['failed', 'error']).toContain(record.summary.outcome);
    expect(record.findings.filter((finding) => finding.severity === 'error').length).toBeGreaterThan(0);
    // All three answer some errors in their framework's shape instead of the SCIM Error schema.
    expect(record.findings.map((finding) => finding.id)).toContain('rfc.error-not-scim');
  });

  it.each(['litellm', 'metabase'] as const)('marks capability steps not applicable against practice:%s, which publishes no discovery documents', async (practice) => {
    const record = await conformance(createPracticeTarget(practice));
    const scenario = loadBuiltin('conformance');
    const needing = scenario.steps.flatMap((step, index) => (step.requires ? [index] : []));
    expect(needing.length).toBeGreaterThan(10);
    for (const index of needing) {
      const step = record.steps[index]!;
      expect(step.outcome, step.name).toBe('skipped');
      const reasons = step.message!.replace(/^Not applicable: /, '').split('; ');
      for (const reason of reasons) {
        expect(reason, step.name).toMatch(/^the target does not declare .+ \(GET \/(ServiceProviderConfig|ResourceTypes|Schemas) answered 404\)$/);
      }
    }
    // Each document is read once, by the first step that needs it, as Scimulator's own request.
    const reads = record.exchanges.filter((exchange) => exchange.purpose === "read the target's capabilities");
    const firstNeeding = (kind: (name: string) => boolean) => needing.find((index) => scenario.steps[index]!.requires!.some(kind));
    // /Schemas is also read by the first step whose body is fitted to the target's schema.
    const firstFitted = scenario.steps.findIndex((step) => step.kind === 'request' && step.fitToSchema === true);
    const firstSchemas = Math.min(firstFitted, firstNeeding((name) => name.startsWith('attribute:'))!);
    expect(reads.map((exchange) => [new URL(exchange.request.url).pathname.replace(/^.*\//, '/'), exchange.step, exchange.source])).toEqual(
      [
        ['/ServiceProviderConfig', firstNeeding((name) => (CAPABILITIES as readonly string[]).includes(name)), 'scimulator'],
        ['/Schemas', firstSchemas, 'scimulator'],
        ['/ResourceTypes', firstNeeding((name) => (RESOURCE_TYPE_CAPABILITIES as readonly string[]).includes(name)), 'scimulator'],
      ].sort((a, b) => Number(a[1]) - Number(b[1])),
    );
    expect(reads[0]!.request.headers.find(([name]) => name === 'User-Agent')?.[1]).toMatch(/^Scimulator\/.* \(check\)$/);
    // A failed /ServiceProviderConfig probe is the suite's own failure, not a skip.
    expect(record.steps[0]!.outcome).toBe('failed');
  });

  it('skips what open-webui declares unsupported (sort, etag) and runs the filter steps it declares', async () => {
    const record = await conformance(createPracticeTarget('open-webui'));
    const byName = (pattern: RegExp) => record.steps.filter((step) => pattern.test(step.name));
    for (const step of [...byName(/^sortBy/), ...byName(/ETag|If-None-Match|If-Match|changed the version/)]) {
      expect(step.outcome, step.name).toBe('skipped');
      // Open WebUI answers /Schemas with a bare array, which declares no attribute.
      expect(step.message).toMatch(
        /^Not applicable: the target declares (sort|etag) unsupported in \/ServiceProviderConfig(; the target does not declare the attribute title \(GET \/Schemas answered a bare JSON array, not a ListResponse\))?$/,
      );
    }
    expect(byName(/^filter co/)[0]?.outcome).not.toBe('skipped');
  });
});

describe('steps that require a capability', () => {
  it('are not run under --exact, and /ServiceProviderConfig is not read', async () => {
    const record = await conformance(await createLocalTarget(), true);
    const scenario = loadBuiltin('conformance');
    scenario.steps.forEach((step, index) => {
      if (step.requires) expect(record.steps[index]!.message).toMatch(/^Not run under --exact/);
    });
    expect(record.exchanges.some((exchange) => exchange.source === 'scimulator')).toBe(false);
  });

  it('name only the features of /ServiceProviderConfig', () => {
    const text = 'name: x\nsteps:\n  - request: { method: GET, path: /Users }\n    requires: [teleport]\n';
    expect(() => parseScenario(text, { source: 'x.yaml' })).toThrow(/x\.yaml:4:/);
    const ok = parseScenario(text.replace('teleport', 'etag'), { source: 'x.yaml' });
    expect(ok.steps[0]!.requires).toEqual(['etag']);
    expect(scenarioSchema.definitions.step.properties.requires.items.anyOf[0]!.enum).toEqual([...CAPABILITIES, ...RESOURCE_TYPE_CAPABILITIES]);
  });

  it('read what /ServiceProviderConfig declares', () => {
    const spc = (body: unknown, status = 200) => ({ status, headers: {}, body: JSON.stringify(body) });
    const reading = capabilitiesFrom(spc({ sort: { supported: true }, etag: { supported: false }, filter: { supported: 'true' } }), CAPABILITIES);
    expect([...reading.supported]).toEqual(['sort']);
    expect(notApplicableReason(['sort'], reading)).toBeUndefined();
    expect(notApplicableReason(['sort', 'etag', 'filter'], reading)).toBe('Not applicable: the target declares etag, filter unsupported in /ServiceProviderConfig');
    expect(notApplicableReason(['etag'], capabilitiesFrom(spc([]), CAPABILITIES))).toBe(
      'Not applicable: the target does not declare etag support (GET /ServiceProviderConfig did not answer a JSON object)',
    );
    expect(notApplicableReason(['bulk'], capabilitiesFrom(spc({}, 401), CAPABILITIES))).toMatch(/answered 401\)$/);
  });
});
