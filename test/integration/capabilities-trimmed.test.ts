/**
 * The conformance suite against a local provider whose discovery documents leave things out: a
 * /Schemas without the User's `title` and a /ResourceTypes without the Group type. The steps that
 * need them are skipped as not applicable, with reasons that name what is missing, and nothing
 * else changes: every other step passes with no error or warning finding.
 */
import { createFullJudge } from '../../src-main/verdicts/full-judge.js';
import { describe, expect, it } from 'vitest';
import { profileByName } from '../../src-main/idp/profiles/index.js';
import type { ReceivedResponse } from '../../src-main/runner/http.js';
import { runScenario } from '../../src-main/runner/run.js';
import { createScenarioRuntime } from '../../src-main/runner/scenario-runtime.js';
import type { Target } from '../../src-main/runner/target.js';
import { createLocalTarget } from '../../src-main/runner/targets/local-target.js';
import { loadBuiltin } from '../../src-main/scenarios/library.js';

type Json = Record<string, unknown>;

/** Rewrites the JSON body of a 200 response. */
function rewrite(response: ReceivedResponse, change: (body: Json) => Json): ReceivedResponse {
  return { ...response, body: JSON.stringify(change(JSON.parse(response.body!) as Json)) };
}

const withoutTitle = (body: Json): Json => ({
  ...body,
  Resources: (body.Resources as Json[]).map((schema) =>
    schema.id === 'urn:ietf:params:scim:schemas:core:2.0:User'
      ? { ...schema, attributes: (schema.attributes as Json[]).filter((attribute) => attribute.name !== 'title') }
      : schema,
  ),
});

const withoutGroups = (body: Json): Json => {
  const resources = (body.Resources as Json[]).filter((type) => type.schema !== 'urn:ietf:params:scim:schemas:core:2.0:Group');
  return { ...body, totalResults: resources.length, itemsPerPage: resources.length, Resources: resources };
};

/** The local provider, with its /Schemas and /ResourceTypes trimmed on the way out. */
async function trimmedLocalTarget(): Promise<Target> {
  const local = await createLocalTarget();
  return {
    key: local.key,
    baseUrl: local.baseUrl,
    close: () => local.close(),
    async send(request, signal) {
      const response = await local.send(request, signal);
      if (request.method !== 'GET' || response.status !== 200) return response;
      if (request.path === '/Schemas') return rewrite(response, withoutTitle);
      if (request.path === '/ResourceTypes') return rewrite(response, withoutGroups);
      return response;
    },
  };
}

describe('conformance against a target whose discovery documents leave out title and the Group type', () => {
  it('skips the steps that need them as not applicable and fails nothing', async () => {
    const scenario = loadBuiltin('conformance');
    const target = await trimmedLocalTarget();
    const record = await runScenario({
      scenario,
      target,
      profile: profileByName('generic'),
      runtime: (random, runTag) => createScenarioRuntime(scenario, random, runTag, target.baseUrl),
      judge: createFullJudge(),
      seed: 11,
    }).finally(() => target.close());

    expect(record.steps.filter((step) => step.outcome === 'failed' || step.outcome === 'error').map((step) => `${step.name}: ${step.message}`)).toEqual([]);
    expect(record.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
    expect(record.summary.outcome).toBe('passed');

    // Generated values fit the target: the creates leave out the title its /Schemas does not define.
    const creates = record.exchanges.filter((exchange) => exchange.request.method === 'POST' && exchange.request.url.endsWith('/Users') && exchange.response?.status === 201);
    expect(creates.length).toBeGreaterThan(0);
    for (const create of creates) expect(JSON.parse(create.request.body!)).not.toHaveProperty('title');
    expect(creates.some((create) => create.purpose.includes("left out, not in the target's /Schemas: title"))).toBe(true);

    const missing = (step: (typeof scenario.steps)[number]) =>
      (step.requires ?? []).filter((name) => name === 'groups' || name === 'attribute:title');
    const expected = scenario.steps.flatMap((step, index) => {
      const absent = missing(step);
      if (absent.length === 0) return [];
      const reasons = [
        ...(absent.includes('groups')
          ? ['the target\'s /ResourceTypes does not declare groups (no resource type has the schema urn:ietf:params:scim:schemas:core:2.0:Group)']
          : []),
        ...(absent.includes('attribute:title') ? ["the target's /Schemas does not define title"] : []),
      ];
      return [[index, 'skipped', `Not applicable: ${reasons.join('; ')}`]];
    });
    // The group steps and the title steps, and nothing else, are skipped.
    expect(expected.length).toBeGreaterThan(20);
    expect(record.steps.flatMap((step, index) => (step.outcome === 'skipped' ? [[index, step.outcome, step.message]] : []))).toEqual(expected);
    expect(record.steps.find((step) => step.name === 'the manager reads back')?.outcome).toBe('passed');
  });
});
